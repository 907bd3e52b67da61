"""The title of a document: stated in its header, its item's head or the lines of its first page
(``detect_stated_title``), or else derived from its assignment or first heading
(``detect_derived_title``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.committees import find_committees
from ingest.metadata.common import (
    AUDIT_TYPES,
    HEAD_CHARS,
    SOURCE_HEADER,
    SOURCE_INFERRED,
    SOURCE_ITEM,
    SOURCE_PROPERTIES,
    SOURCE_TEXT,
    TOP_LINES,
    DocumentView,
    Found,
    nonblank_lines,
)
from ingest.metadata.dates import date_line
from ingest.metadata.firm import FIRM, FIRM_SIGNATURE
from ingest.places import find_municipalities
from ingest.sections import CONTENTS_PAGE_NUMBER
from ingest.vocabulary import AUDIT_FIRMS, MONTH_NAMES, MONTH_YEAR

# A date that opens a line ("1 september 2014 KS-2014/742.912") is no numbered heading.
_NUMBERED_HEADING = re.compile(
    rf"^\d+(?:\.\d+)*\.?\s+(?!(?:{MONTH_NAMES})\.?\s+(?:19|20)\d\d)[^\W\d_]", re.IGNORECASE
)
# Lines where the body begins: a title is above them.
_STOP_LINES = re.compile(
    r"^(?:innehåll|innehållsförteckning|sammanfattning|förslag\s+till\s+beslut|beslut|"
    r"beskrivning\s+av\s+ärendet|ärendebeskrivning|inledning|bakgrund|syfte|att)\b|"
    r"^[\w-]+s\s+(?:beslut|förslag(?:\s+till\s+beslut)?)$|\bbeslutar\b",
    re.IGNORECASE,
)
# Letterhead, labels and reference lines of a document's head: never its title.
_NOT_TITLE = re.compile(
    r"^(?:revisionsrapport|granskningsrapport|rapport|slutrapport|missiv|tjänsteskrivelse|"
    r"sammanträdesprotokoll|protokoll|protokollsutdrag|kallelse|(?:sammanträdes)?datum|dnr|"
    r"diarienummer|sida|bilaga|organisationsnr|bankgiro|postadress|besöksadress|telefon|"
    r"e-post|ordförandebeslut|justerandes|utdragsbestyrkande|document\s+classification|"
    r"handläggare|kontaktperson|föredragande|referens|vår\s+referens|er\s+referens)\b"
    r".{0,40}$|^\w*(?:förvaltningen|kontoret|enheten|avdelningen)$|©|@|^\W*$|^[\d\s()/.:,–-]+$|^dnr\b|^[A-ZÅÄÖ]{2,}/\d{4}|^§"
    r"|^[A-ZÅÄÖ]{2,8}[\s-]\d{4}[/.:-]\d+$"
    # The people behind a report and their roles, on the title page under the title.
    r"|^(?:certifierad|auktoriserad|godkänd)\s+\w*revisor|"
    r"\b(?:projektledare|uppdragsledare|kundansvarig|granskningsledare|verksamhetsrevisor)$"
    # A web address or a page count anywhere on the line, a report number first: "Hemsida:",
    # "www.stockholm.se/revision", "Nr 13, 2016 Dnr 3.1.2-56/2016", "KPMG AB Antal sidor: 12".
    r"|^hemsida\b|\bwww\.|https?://|\bantal\s+sidor\b|^nr\s+\d"
    # The labels of a protocol's head, whatever follows them.
    r"|^(?:plats\s+och\s+tid|beslutande|övriga\s+(?:närvarande|deltagande)|utses\s+att\s+justera|"
    r"justeringens\s+plats)\b"
    # "Kristian Damlin, certifierad kommunal revisor", "Anna Berg, revisionskonsult".
    r"|^[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+){1,3},\s*(?:certifierad|auktoriserad|godkänd|"
    r"\w*revisor|\w*konsult|\w*ledare|kundansvarig|sakkunnig)\b",
    re.IGNORECASE,
)
# A title page may carry other lines in title style (a byrå's slogan, the running head of the
# pages that follow); the line that names the audit is the title.
_AUDIT_TITLE = re.compile(
    r"^(?:(?:fördjupad|grundläggande|översiktlig|uppföljande)\s+)?granskning\b|"
    r"^uppföljning\s+av\b|^förstudie\b|^årsrapport\b",
    re.IGNORECASE,
)
# A line ending in one of these words goes on in the next line ("Granskning av" / "kommunens").
_OPEN_END = re.compile(
    r"\s(?:av|och|med|för|i|på|till|om|inom|samt|kring|över|vid|mellan|enligt|inför|efter|från|"
    r"under|avseende|gällande|rörande|AV|OCH|MED|FÖR|I|PÅ|TILL|OM|INOM|SAMT|KRING|ÖVER|VID)$"
)


def _is_sentence(line: str) -> bool:
    return line.endswith(".") or len(line) > 150 or len(line.split()) > 20


def _skip_as_title(line: str) -> bool:
    if _NOT_TITLE.search(line) or date_line(line, letterhead=True) or MONTH_YEAR.fullmatch(line):
        return True
    # "Region Norrbotten Juni 2021": the cover's place and date, not a title.
    bare = MONTH_YEAR.sub("", line).strip(" .,:;”\"'")
    places = find_municipalities(bare)
    if places and sum(len(m.matched) for m in places) >= len(bare) - 2:
        return True  # the kommun's name on a line of its own
    committees = find_committees(bare)
    if committees and len(committees[0].matched) >= len(bare) - 2:
        return True  # the nämnd's name on a line of its own
    firm = FIRM.match(bare)
    return bool(firm and FIRM_SIGNATURE.match(bare[firm.end() :]))


def _continues(previous: str, line: str, adjacent: bool, skip: bool) -> bool:
    # A title broken over lines: the first part ends in a dash or comma or leaves a quotation
    # open (then the next line belongs to it whatever it looks like: "Revisionens ”Granskning –"
    # / "Socialnämnden”"), the next part goes on in lower case, or the first part runs on into
    # the next line without a blank between ("… beslut enligt" / "Socialtjänstlagen …").
    if previous.endswith(("–", "-", ",")) or sum(previous.count(q) for q in '”“"') % 2 == 1:
        return True
    if skip:
        return False
    if adjacent and (_OPEN_END.search(previous) or (_is_caps(previous) and _is_caps(line))):
        # A title set in large type over several short lines, in capitals or not.
        return True
    return line[:1].islower() or (adjacent and previous[-1:].islower())


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _title_from_lines(lines: Sequence[str], *, last: bool) -> str | None:
    """The title among the first lines: the first (header) or last (title page) candidate."""
    blocks: list[list[str]] = []
    kept = adjacent = False
    for raw in lines[: TOP_LINES * 2]:
        line = " ".join(raw.split())
        if not line:
            adjacent = False
            continue
        if _NUMBERED_HEADING.match(line) or _STOP_LINES.search(line) or "|" in line:
            break
        skip = _skip_as_title(line)
        if blocks and kept and _continues(blocks[-1][-1], line, adjacent, skip):
            blocks[-1].append(line)
            adjacent = True
            continue
        if _is_sentence(line) and not skip:
            break  # a byrå's logo line ("Deloitte.") is skipped, not the start of the body
        kept = not skip and line[:1].isupper()
        if kept:
            blocks.append([line])
        adjacent = kept
    if not blocks:
        return None
    block = blocks[-1] if last else blocks[0]
    if last:
        block = next((b for b in blocks if _AUDIT_TITLE.match(b[0])), block)
    title = " ".join(block)
    if _is_caps(title):
        # "GRANSKNING AV KOMMUNENS ARBETE MED SUICIDPREVENTION": set in capitals for the cover.
        title = _sentence_case(title)
    return title


# Byråer whose name is an abbreviation: one word of more than one capital ("KPMG", "EY", "PwC").
_FIRM_ABBREVIATIONS = [
    name for name, _ in AUDIT_FIRMS if " " not in name and sum(c.isupper() for c in name) > 1
]
# Abbreviations that stay in capitals when a title set in capitals is lowered.
_ACRONYMS = frozenset(
    {"LSS", "IFO", "HVB", "SOL", "HSL", "IVO", "BBIC", "IT", "EU"}
    | {"SKR", "LVU", "LVM", "LOU", "LOV", "MAS", "NPM", "SFS", "SOSFS", "HSLF", "OSL", "GDPR"}
    | {name.upper() for name in _FIRM_ABBREVIATIONS}
)
_MIXED_CASE = {
    "SOL": "SoL",
    **{name.upper(): name for name in _FIRM_ABBREVIATIONS if not name.isupper()},
}


def _sentence_case(title: str) -> str:
    """A title in capitals as a sentence, abbreviations kept: "GRANSKNING AV LSS-BOENDEN" →
    "Granskning av LSS-boenden"."""

    def word(match: re.Match[str]) -> str:
        text, suffix = match.group(1), (match.group(2) or "").lower()  # "IFO:S" → "IFO:s"
        if text in _ACRONYMS or not re.search("[AEIOUYÅÄÖ]", text):
            return _MIXED_CASE.get(text, text) + suffix
        return text.lower() + suffix

    lowered = re.sub(r"([^\W\d_]+)(:[^\W\d_]{1,2}\b)?", word, title)
    return lowered[0].upper() + lowered[1:]


# Where a report without a title page says what it audits: "KPMG har av Piteå kommuns revisorer
# fått i uppdrag att granska om socialnämnden säkerställer …", "Deloitte har … granskat …".
_ASSIGNMENT = re.compile(
    r"(?:i\s+uppdrag\s+att\s+granska|(?:har|vi)\s+(?:\w+\s+){0,12}?granskat|"
    r"syftet\s+med\s+granskningen\s+är\s+att\s+(?:bedöma|granska|pröva))\s+"
    r"(?P<object>[^.;:!?]{12,400})",
    re.IGNORECASE,
)
# Headings that name a part of any document, not the document.
_GENERIC_HEADING = re.compile(
    r"^(?:sammanfattning|inledning|bakgrund|innehåll(?:sförteckning)?|syfte|metod|"
    r"förslag\s+till\s+beslut|beslut|beskrivning\s+av\s+ärendet|ärendebeskrivning)\b",
    re.IGNORECASE,
)
_TITLE_CHARS = 110


def _shortened(words: str) -> str:
    words = " ".join(words.split()).rstrip(" ,")
    if len(words) <= _TITLE_CHARS:
        return words
    return words[:_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,") + " …"


def _derived_from_text(text: str, doc_type: str) -> tuple[str | None, str]:
    """A title for a document that states none: what an audit says it audits, else its first
    heading that names more than a part of a document. Reported as derived."""
    head = text[:HEAD_CHARS]
    if doc_type in AUDIT_TYPES and (assignment := _ASSIGNMENT.search(head)):
        audited = assignment.group("object")
        if audited.lower().startswith("om "):
            return f"Granskning: {_shortened(audited[3:])}", "granskningens uppdrag"
        return f"Granskning av {_shortened(audited)}", "granskningens uppdrag"
    for line in nonblank_lines(head)[: TOP_LINES * 4]:
        line = " ".join(line.split())
        if (heading := _NUMBERED_HEADING.match(line)) and len(line) <= _TITLE_CHARS:
            name = line[heading.end() - 1 :]
            if not _GENERIC_HEADING.match(name) and not CONTENTS_PAGE_NUMBER.search(name):
                return name, "första rubriken"
    return None, ""


def detect_stated_title(doc: DocumentView) -> Found:
    if title := _title_from_lines(doc.header_lines, last=False):
        return Found(title, SOURCE_HEADER)
    if doc.item is not None and doc.item.title:
        return Found(" ".join(doc.item.title.split()), SOURCE_ITEM)
    # Blank lines matter for joining a title broken over lines, so read the raw lines.
    if title := _title_from_lines(doc.text.splitlines(), last=True):
        return Found(title, SOURCE_TEXT)
    return Found()


def detect_derived_title(doc: DocumentView, doc_type: str) -> Found:
    title, derived_from = _derived_from_text(doc.text, doc_type)
    if title:
        return Found(title, SOURCE_INFERRED, f"titel härledd ur {derived_from}")
    if title := doc.file_property("title"):
        return Found(title, SOURCE_PROPERTIES, "titel hämtad från filens egenskaper")
    return Found(None, None, "titel saknas i dokumentet; filnamnet visas i stället")
