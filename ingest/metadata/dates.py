"""The date and year of a document (``detect_date``, ``detect_year``): a date at the top, on the
cover or by the signature, the year of a plan or of the packet, the latest past year the text
names."""

from __future__ import annotations

import re

from ingest.committees import find_committees
from ingest.metadata.common import (
    SOURCE_HEADER,
    SOURCE_INFERRED,
    SOURCE_ITEM,
    SOURCE_PACKET,
    SOURCE_PROPERTIES,
    SOURCE_TEXT,
    TOP_LINES,
    DocumentView,
    Found,
)
from ingest.metadata.firm import FIRM
from ingest.places import find_municipalities
from ingest.vocabulary import DATE_LABEL, MONTH_YEAR, find_dates, parse_date

_LABELLED_DATE = re.compile(rf"\b(?:{DATE_LABEL})\b\s*:?\s*", re.IGNORECASE)
_LEADING_LABEL = re.compile(rf"^(?:{DATE_LABEL})\s*:?\s*", re.IGNORECASE)


# What a document's head prints beside its date: the case number ("KS-2014/742.912", "Dnr SN
# 2016/123"), the page of pages ("1 (11)", "Sid 1(18)", "Sida 1 av 3"), and on a byrå's cover
# the byrå and the page count ("KPMG AB 2020-12-03 Antal sidor 21 Bilaga: 1").
_HEAD_FURNITURE = re.compile(
    r"(?:\bdnr\.?:?\s*)?(?<!\S)[A-ZÅÄÖ]{0,6}[\s-]?\d{2,4}/[\w.:/-]+(?!\S)|"
    r"\b(?:sid(?:a|an)?\.?\s*)?\d{1,3}\s?\(\d{1,3}\)|\bsid(?:a|an)?\.?\s*\d{1,3}\s+av\s+\d{1,3}\b|"
    r"\bantal\s+sidor\s*:?\s*\d+|\bbilag(?:a|or)\s*:?\s*\d+|"
    # KPMG's cover tags: "Offentlig sektor", "Advisory/Offentlig sektor", "Audit".
    r"\b(?:advisory\s*/\s*)?offentlig\s+sektor\b|\baudit\b",
    re.IGNORECASE,
)
# A protocol's "Plats och tid" line holds the meeting's date among the place and the hours:
# "Plats och tid Kommunhuset, torsdagen den 21 februari 2019, kl. 17.30–19.25".
_MEETING_LABEL = re.compile(
    r"^(?:plats\s+och\s+tid|tid\s+och\s+plats)\b(?!\s+för\s+justering)", re.IGNORECASE
)

# What names the paper beside the nämnd in a letterhead: "Kommunstyrelsen Tjänsteskrivelse".
_PAPER_WORD = re.compile(
    r"\b(?:tjänsteskrivelse|tjänsteutlåtande|(?:sammanträdes)?protokoll|protokollsutdrag|kallelse)\b",
    re.IGNORECASE,
)


def date_line(line: str, head: bool = False, letterhead: bool = False) -> str | None:
    """The date of a line that states a date and little else ("Datum 2022-03-28", "2021-11-11").

    Among a document's first lines (``head``) a case number, a page number and a byrå's name
    may stand beside it; on the very first ones (``letterhead``) also the nämnd whose letter or
    protocol it is ("Socialnämnden 2016-06-09").
    """
    found = find_dates(line)
    if not found:
        return None
    rest = (line[: found[0].start] + " " + line[found[0].end :]).strip(" \t:,.")
    if head or letterhead:
        rest = _HEAD_FURNITURE.sub(" ", rest)
        rest = FIRM.sub(" ", rest).replace(" AB ", " ").strip(" \t:,.")
        rest = re.sub(r"^AB\b|\bAB$", "", rest).strip(" \t:,.")
    rest = re.sub(rf"^(?:{DATE_LABEL})\b", "", rest, flags=re.IGNORECASE).strip(" :,.")
    # A place before the date is a signature ("Umeå den 12 december 2023"); anything else is
    # a sentence or a list entry that mentions a date, not the document's date.
    rest = re.sub(r"\bden$", "", rest).strip()
    places = find_municipalities(rest)
    if places and sum(len(m.matched) for m in places) >= len(rest) - 2:
        return found[0].iso  # "Härnösands kommun 2021-11-11": a letterhead
    words = rest.split()
    if len(words) > 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        # "organisationen, 2022-02-03" (a list of underlag), "KF 2021-12-13 § 185": a reference
        # to another paper; only a place may stand with the date.
        return None
    # "Socialnämnden 2020-10-29" is a reference to a decision, unless it heads the document
    # ("Kommunstyrelsen Tjänsteskrivelse 2021-03-02"); "Antagen KF 2015-06-22" stays a reference.
    bare = _PAPER_WORD.sub("", rest).strip() if letterhead else rest
    committees = find_committees(bare)
    if committees and not (letterhead and len(committees[0].matched) >= len(bare) - 2):
        return None
    return found[0].iso


# How many of a document's first lines are its letterhead.
_LETTERHEAD_LINES = 3


def _top_date(lines: list[str], letterhead_lines: int = 0) -> str | None:
    """A date stated on its own line, or under a "Datum" label, among ``lines``."""
    for i, line in enumerate(lines):
        iso = date_line(line, head=True, letterhead=i < letterhead_lines)
        if iso:
            return iso
        meeting = _MEETING_LABEL.match(line) and "justering" not in line[:200].lower()
        if meeting and (found := find_dates(line[:200])):
            return found[0].iso
        if re.fullmatch(rf"(?:{DATE_LABEL})\s*:?", line, re.IGNORECASE) and i + 1 < len(lines):
            iso = date_line(lines[i + 1])
            if iso:
                return iso
    return None


# A date that ends a period is no date of writing: "Granskning av delårsrapport per 2021-08-31".
_PERIOD_END_BEFORE = re.compile(
    r"\b(?:per|t\.?\s?o\.?\s?m\.?|till\s+och\s+med|från|fr\.?\s?o\.?\s?m\.?|gäller|senast)\s*$|"
    # A dash after a date ends a range ("2021-01-01 – 2021-08-31"); after a title it is a dash.
    r"\d\s*[–-]\s*$",
    re.IGNORECASE,
)


def _running_header_date(lines: list[str]) -> str | None:
    """The date of a running header, which prints it beside the report's title: "Granskning
    av informationssäkerhet 2020-12-03". Repeated on every page, it is the report's date."""
    for line in lines:
        found = find_dates(line)
        if len(found) != 1 or _PERIOD_END_BEFORE.search(line[: found[0].start]):
            continue
        rest = line[: found[0].start] + line[found[0].end :]
        if "§" not in rest and not re.search(r"\d", rest):
            return found[0].iso
    return None


def _cover_month_year(lines: list[str]) -> int | None:
    """The year of a month and year on a line of their own ("Mars 2022", "Datum: november 2021")."""
    for line in lines:
        m = MONTH_YEAR.fullmatch(_LEADING_LABEL.sub("", line, count=1))
        if m:
            return int(m.group(2))
    return None


def _signature_date(lines: list[str]) -> str | None:
    """The date under or above the signatures at the end ("Stockholm den 12 december 2023")."""
    for line in reversed(lines[-15:]):
        iso = date_line(line)
        if iso:
            return iso
    return None


_PLAN_YEAR = re.compile(
    r"\brevisionsplan(?:en)?\s+(?:för\s+)?(?:år\s+)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE
)
_YEAR = re.compile(r"(?<![\d:/.,–—−-])((?:19|20)\d\d)(?![\d:])")
# Words shortly before a year that put it in the future or in a plan ("ska ske i maj 2023",
# "sträcker sig till 2024", "budget 2024"): such years say nothing about when the text was written.
_FUTURE_BEFORE = re.compile(
    r"\b(?:till|senast|ska|skall|kommer|planera\w*|prognos\w*|mot|inför|fram|tom|t\.o\.m|"
    r"mål\w*|vision\w*|agenda|\w*budget\w*|\w*plan\w*)\b[^.\n]{0,25}$",
    re.IGNORECASE,
)


# "vid 2017 års granskning", "1982 års beslut": an earlier event the text refers to.
# ("2021 års delårsrapport" and "2020 års verksamhet" are the subject, and may be all there is.)
_EARLIER_EVENT_AFTER = re.compile(r"\s+års\s+(?:granskning|beslut|revision)", re.IGNORECASE)


def _latest_past_year(text: str) -> int | None:
    """The latest year ``text`` mentions as past or present, not as a plan or a target."""
    years = []
    for m in _YEAR.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if _FUTURE_BEFORE.search(before) or _EARLIER_EVENT_AFTER.match(text, m.end()):
            continue
        years.append(int(m.group(1)))
    return max(years) if years else None


def _latest_labelled_year(text: str) -> int | None:
    """The latest year of the dates under a "Datum" label: the items of a packet are dated."""
    years = []
    for m in _LABELLED_DATE.finditer(text):
        found = find_dates(text[m.end() : m.end() + 40])
        if found and found[0].start == 0:
            years.append(int(found[0].iso[:4]))
    return max(years) if years else None


def detect_date(doc: DocumentView) -> Found:
    if iso := _top_date(doc.header_lines):
        return Found(iso, SOURCE_HEADER)
    if doc.item is not None and doc.item.date and (iso := parse_date(doc.item.date)):
        return Found(iso, SOURCE_ITEM)
    if iso := _running_header_date(doc.header_lines):
        return Found(iso, SOURCE_HEADER)
    top = doc.lines[:TOP_LINES]
    if (iso := _top_date(top, _LETTERHEAD_LINES)) or (iso := _signature_date(doc.lines)):
        return Found(iso, SOURCE_TEXT)
    return Found(None, None, "datum saknas i dokumentet")


def detect_year(doc: DocumentView, date: Found) -> Found:
    if date.value:
        return Found(int(date.value[:4]), date.source)
    if header_year := MONTH_YEAR.search("\n".join(doc.header_lines)):
        return Found(int(header_year.group(2)), SOURCE_HEADER)
    if cover_year := _cover_month_year(doc.lines[:TOP_LINES]):
        # "Mars 2022" on the title page: the year is stated, the day is not.
        return Found(cover_year, SOURCE_TEXT)
    if plan := _PLAN_YEAR.search(doc.text):
        # "Uppdraget ingår i revisionsplanen för år 2023": the audit year, stated.
        return Found(int(plan.group(1)), SOURCE_TEXT)
    if year := doc.packet("year"):
        return Found(year, SOURCE_PACKET, f"år hämtat från mötespaketet ({year})")
    if year := _latest_labelled_year(doc.text):
        warning = f"år härlett från senaste daterade handling i texten ({year})"
        return Found(year, SOURCE_INFERRED, warning)
    if year := _latest_past_year(doc.text):
        return Found(year, SOURCE_INFERRED, f"år härlett från senast nämnda år i texten ({year})")
    if created := doc.file_property("created"):
        warning = f"år hämtat från filens egenskaper (skapad {created})"
        return Found(int(created[:4]), SOURCE_PROPERTIES, warning)
    return Found(None, None, "år saknas i dokumentet")
