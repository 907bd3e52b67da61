"""Metadata of one document: kommun, år, datum, nämnd, dokumenttyp, revisionsbyrå and titel.

A document is a whole report or one item of a meeting packet. Each field is read from the most
reliable place that states it, in this order: the running header block that cleaning removed
("rubrik"), the fields the packet splitter read from an item's head ("objekt"), the text itself
("text"), the metadata of the whole packet ("paket"), and last the file's own properties
("filegenskaper": a Word document's title and creation date), read only for a field the text
gives nothing for, since a template carries them from one report to the next. When a field is
only inferred ("härlett"), taken from the file's properties, or not found at all, a Swedish
warning says so: a wrong kommun or year in a citation is worse than a missing one, so nothing is
guessed silently.

The rules are generic: they read the conventions of Swedish audit reports and nämnd documents,
never strings of particular documents, because reports from other kommuner, byråer and years
must come out as well.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.models import DOC_TYPES, FileProperties, ItemSpan
from ingest.places import Mention, find_committees, find_municipalities, normalise_committee
from ingest.vocabulary import AUDIT_FIRMS, MONTH_NAMES, MONTH_YEAR, find_dates, parse_date

logger = logging.getLogger(__name__)

SOURCE_HEADER = "rubrik"
SOURCE_TEXT = "text"
SOURCE_INFERRED = "härlett"
SOURCE_ITEM = "objekt"
SOURCE_PACKET = "paket"
SOURCE_PROPERTIES = "filegenskaper"

AUDIT_TYPES = ("granskningsrapport", "uppföljande granskning")

# Every warning about a field starts with the field's Swedish name, so that a caller which sets
# a field from elsewhere (an override file) can drop the warnings about it.
WARNING_PREFIXES = {
    "municipality": "kommun",
    "year": "år",
    "date": "datum",
    "committee": "nämnd",
    "doc_type": "dokumenttyp",
    "audit_firm": "revisionsbyrå",
    "title": "titel",
}

# The title page, summary and introduction of a report: where it names itself, its kommun and
# its byrå. Mentions later in the text are more often about others (comparisons, partners).
HEAD_CHARS = 2000
# The head of a packet item (letterhead, Datum, Dnr, nämnd, rubrik) is short.
ITEM_HEAD_CHARS = 600
# Audit reports state purpose, revisionsfrågor and kriterier within their first pages.
AUDIT_CUE_CHARS = 15000
TOP_LINES = 30


@dataclass(frozen=True)
class DetectedMetadata:
    """What one document says about itself, with where each field came from."""

    municipality: str | None  # official name, e.g. "Härnösands kommun", "Region Västernorrland"
    year: int | None
    date: str | None  # ISO
    committee: str | None  # normalised, e.g. "Socialnämnden"
    doc_type: str  # one of models.DOC_TYPES
    audit_firm: str | None  # "KPMG", "EY", "PwC", "Deloitte", "Grant Thornton", "BDO", ...
    title: str | None
    sources: dict[str, str]  # field -> "rubrik", "text", "härlett", "objekt" or "paket"
    warnings: tuple[str, ...]  # Swedish, one per field not found or inferred


# --------------------------------------------------------------------------------------- dates

_DATE_LABEL = r"(?:sammanträdes|besluts|mötes)?datum|daterad|upprättad"
_LABELLED_DATE = re.compile(rf"\b(?:{_DATE_LABEL})\b\s*:?\s*", re.IGNORECASE)


def _date_line(line: str) -> str | None:
    """The date of a line that states a date and little else ("Datum 2022-03-28", "2021-11-11")."""
    found = find_dates(line)
    if not found:
        return None
    rest = (line[: found[0].start] + " " + line[found[0].end :]).strip(" \t:,.")
    rest = re.sub(rf"^(?:{_DATE_LABEL})\b", "", rest, flags=re.IGNORECASE).strip(" :,.")
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
    if find_committees(rest):
        return None  # "Socialnämnden 2020-10-29": a reference to a decision
    return found[0].iso


def _nonblank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _top_date(lines: list[str]) -> str | None:
    """A date stated on its own line, or under a "Datum" label, among ``lines``."""
    for i, line in enumerate(lines):
        iso = _date_line(line)
        if iso:
            return iso
        if re.fullmatch(rf"(?:{_DATE_LABEL})\s*:?", line, re.IGNORECASE) and i + 1 < len(lines):
            iso = _date_line(lines[i + 1])
            if iso:
                return iso
    return None


_COVERMONTH_YEAR = re.compile(
    rf"^(?:(?:{_DATE_LABEL})\s*:?\s*)?(?:{MONTH_NAMES})\.?\s+((?:19|20)\d\d)$", re.IGNORECASE
)


def _cover_month_year(lines: list[str]) -> int | None:
    """The year of a month and year on a line of their own ("Mars 2022", "Datum: november 2021")."""
    for line in lines:
        m = _COVERMONTH_YEAR.match(line)
        if m:
            return int(m.group(1))
    return None


def _signature_date(lines: list[str]) -> str | None:
    """The date under or above the signatures at the end ("Stockholm den 12 december 2023")."""
    for line in reversed(lines[-15:]):
        iso = _date_line(line)
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


def _latest_past_year(text: str) -> int | None:
    """The latest year ``text`` mentions as past or present, not as a plan or a target."""
    years = []
    for m in _YEAR.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if _FUTURE_BEFORE.search(before):
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


# -------------------------------------------------------------------------------- doc type

_AUDIT_CUES = {
    # The byrå or the auditors say who commissioned the audit.
    "uppdrag": re.compile(
        r"\bhar\s+(?:av|på\s+uppdrag\s+av)\s+[^.]{0,100}?revisor|"
        r"\bi\s+uppdrag\s+av\s+[^.]{0,60}?revisor",
        re.IGNORECASE,
    ),
    "revisionsfrågor": re.compile(r"\brevisionsfråg", re.IGNORECASE),
    "revisionskriterier": re.compile(r"\brevisionskriteri", re.IGNORECASE),
    "sammanfattande bedömning": re.compile(
        r"\b(?:vår|den)\s+sammanfattande\s+bedömning", re.IGNORECASE
    ),
    "rekommendationer": re.compile(r"\b(?:vi\s+rekommenderar|rekommenderar\s+vi)\b", re.IGNORECASE),
    "syfte": re.compile(
        r"\b(?:granskningen\s+syftar|syftet\s+med\s+granskningen|"
        r"granskningens\s+(?:\w+\s+)?syfte)",
        re.IGNORECASE,
    ),
}
# A yttrande or tjänsteskrivelse about an audit quotes one or two of these; a report has most.
_AUDIT_MIN_CUES = 3
_FOLLOW_UP = re.compile(
    r"\buppföljande\s+granskning|"
    r"\buppföljning\s+av\s+(?:(?:tidigare|den|de|genomförda?|\d{4}\s+års)\s+){0,3}granskning",
    re.IGNORECASE,
)
# Cues for the other document types, read in the head only, strongest first.
_TYPE_CUES = (
    (
        "protokoll",
        re.compile(
            r"^\s*(?:sammanträdesprotokoll|protokoll|protokollsutdrag|utdrag\s+ur\s+protokoll)\b|"
            r"\bjusterandes\s+sign|\butdragsbestyrkande",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    (
        "tjänsteskrivelse",
        re.compile(
            r"^\s*tjänsteskrivelse\b|\bbeskrivning\s+av\s+ärendet\b|\bärendebeskrivning\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    (
        "delegationslista",
        re.compile(r"\bdelegationsbeslut|\bdelegationslista|\bdelegerade\s+beslut", re.IGNORECASE),
    ),
    (
        "rapport/berättelse",
        re.compile(r"^\s*\w*(?:berättelse|rapport|redovisning)\b", re.IGNORECASE | re.MULTILINE),
    ),
)


def _is_audit(text: str) -> bool:
    head = text[:AUDIT_CUE_CHARS]
    cues = [name for name, rx in _AUDIT_CUES.items() if rx.search(head)]
    logger.debug("audit cues: %s", cues)
    return len(cues) >= _AUDIT_MIN_CUES


def _is_follow_up(text: str, header_lines: Sequence[str], title: str | None) -> bool:
    where = "\n".join([*header_lines, title or "", text[:HEAD_CHARS]])
    return bool(_FOLLOW_UP.search(where))


def _cued_type(text: str, header_lines: Sequence[str]) -> str | None:
    head = "\n".join([*header_lines, text[:1500]])
    for doc_type, rx in _TYPE_CUES:
        if rx.search(head):
            return doc_type
    return None


# ------------------------------------------------------------------------------ audit firm

_FIRMS = AUDIT_FIRMS
_FIRM_ALT = "|".join(f"(?P<f{i}>{rx})" for i, (_, rx) in enumerate(_FIRMS))
# Short names like "EY" and "BDO" are read only in capitals and as whole words.
_FIRM = re.compile(rf"(?<![\w&])(?:{_FIRM_ALT})(?![\w&])")
# "KPMG har av …", "Grant Thornton Sweden AB har på uppdrag …", "Ernst & Young AB (EY) har …".
_FIRM_AUTHOR_AFTER = re.compile(
    r"(?:\s+(?:\w+|\(\w+\))){0,3}?\s+har\s+"
    r"(?:av|på\s+uppdrag|fått\s+i\s+uppdrag|genomfört|granskat)",
    re.IGNORECASE,
)
_FIRM_COPYRIGHT_BEFORE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?$", re.IGNORECASE)
# What may follow a byrå's name on a line of its own: "KPMG AB", "BDO Mälardalen AB",
# "Grant Thornton Sweden AB", "Deloitte." (the logo's full stop).
_FIRM_SIGNATURE = re.compile(r"^\s*(?:[A-ZÅÄÖ]\w+\s+)?(?:Sweden|Sverige)?\s*(?:AB)?\.?\s*$")
# "Rapporten är upprättad av Deloitte", "genomförd av EY": the author named before the byrå.
_FIRM_AUTHOR_BEFORE = re.compile(
    r"\b(?:utförd|utförts|genomförd|genomförts|upprättad|upprättats|skriven|författad|"
    r"sammanställd|framtagen)\s+av\s+$",
    re.IGNORECASE,
)


def _firm_name(match: re.Match[str]) -> str:
    index = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
    return _FIRMS[index][0]


def _detect_firm(text: str, header_lines: Sequence[str]) -> tuple[str | None, str | None]:
    """The byrå that wrote an audit report, and where that was read."""
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    from_header: set[str] = set()
    for line in header_lines:
        for m in _FIRM.finditer(line):
            scores[_firm_name(m)] += 5
            strong.add(_firm_name(m))
            from_header.add(_firm_name(m))
    for m in _FIRM.finditer(text):
        firm = _firm_name(m)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[max(0, m.start() - 40) : m.start()]
        if (
            _FIRM_AUTHOR_AFTER.match(text, m.end())
            or _FIRM_COPYRIGHT_BEFORE.search(text[line_start : m.start()])
            or _FIRM_AUTHOR_BEFORE.search(before)
        ):
            # "KPMG har av … revisorer fått i uppdrag", "© 2021 KPMG AB": the author.
            scores[firm] += 10
            strong.add(firm)
        elif not text[line_start : m.start()].strip() and _FIRM_SIGNATURE.match(
            text[m.end() : line_end]
        ):
            # A line of its own ("KPMG AB", "EY") is the signature under the report.
            scores[firm] += 5
            strong.add(firm)
        else:
            scores[firm] += 2 if m.start() < HEAD_CHARS else 1
    if not scores:
        return None, None
    firm = max(scores, key=lambda f: scores[f])
    if firm in from_header:
        return firm, SOURCE_HEADER
    return firm, SOURCE_TEXT if firm in strong else SOURCE_INFERRED


# ---------------------------------------------------------------------------- municipality

_AUDITORS_AFTER = re.compile(r"\s+(?:förtroendevalda\s+)?revisor", re.IGNORECASE)
_AUDITORS_BEFORE = re.compile(r"\b(?:revisor\w*|revisionen)\s+i\s+$", re.IGNORECASE)
_COMPARISON = re.compile(
    r"jämför|liknande\s+kommuner|kolada|riket|länets\s+kommuner|övriga\s+kommuner", re.IGNORECASE
)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # At most 300 characters either way: a search further out would only be cut back to that,
    # and searching a long text without blank lines to its ends is quadratic over its mentions.
    lo = max(
        text.rfind(". ", max(0, start - 300), start), text.rfind("\n\n", max(0, start - 300), start)
    )
    ahead = [
        i for i in (text.find(". ", end, end + 302), text.find("\n\n", end, end + 302)) if i >= 0
    ]
    hi = min(ahead) if ahead else len(text)
    return max(lo, start - 300, 0), min(hi, end + 300)


def _is_letterhead(text: str, m: Mention) -> bool:
    """Whether the mention stands on a line of its own ("Härnösands kommun" above "Datum")."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : m.start].strip() and not text[m.end : line_end].strip(" .,")


def _mention_weight(
    text: str,
    m: Mention,
    mentions: list[Mention],
    in_item: bool,
    starts: list[int] | None = None,
) -> tuple[float, bool]:
    """How much one mention says about whose document this is, and whether it settles it."""
    if m.matched.lower().endswith("s") and _AUDITORS_AFTER.match(text, m.end):
        return 8.0, True  # "Piteå kommuns revisorer": whose auditors commissioned the report
    if _AUDITORS_BEFORE.search(text[max(0, m.start - 60) : m.start]):
        return 8.0, True  # "de förtroendevalda revisorerna i Karlshamns kommun"
    if in_item and m.start < ITEM_HEAD_CHARS and _is_letterhead(text, m):
        return 5.0, True
    weight = 3.0 if m.start < HEAD_CHARS else 1.0
    lo, hi = _sentence_bounds(text, m.start, m.end)
    # Mentions come in text order: the ones in the sentence are a run, found by bisection.
    starts = [n.start for n in mentions] if starts is None else starts
    nearby = mentions[bisect_left(starts, lo) : bisect_left(starts, hi)]
    neighbours = {n.official_name for n in nearby}
    if len(neighbours) >= 3 or _COMPARISON.search(text[lo:hi]):
        # A row of kommuner, or a Kolada comparison, is about others as much as about this one.
        weight *= 0.2
    # In a packet item, a kommun or region named in the running text is usually a partner
    # ("avtal med Region Västernorrland"); the packet's own kommun is the better answer then.
    return weight, weight >= 3 and not in_item


def _detect_municipality(
    text: str, header_lines: Sequence[str], in_item: bool
) -> tuple[str | None, str | None, bool]:
    """The kommun or region the document belongs to, its source, and whether it is well founded."""
    scores: defaultdict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    strong: set[str] = set()
    from_header: set[str] = set()
    for line in header_lines:
        for m in find_municipalities(line):
            scores[m.official_name] += 10
            strong.add(m.official_name)
            from_header.add(m.official_name)
            first_seen.setdefault(m.official_name, -1)
    mentions = find_municipalities(text)
    starts = [m.start for m in mentions]
    for m in mentions:
        weight, settles = _mention_weight(text, m, mentions, in_item, starts)
        scores[m.official_name] += weight
        first_seen.setdefault(m.official_name, m.start)
        if settles:
            strong.add(m.official_name)
    if not scores:
        return None, None, False
    best = max(scores, key=lambda name: (scores[name], -first_seen[name]))
    logger.debug("municipality scores: %s", dict(scores))
    # Several mentions in the body found a kommun as well as one in the head does.
    founded = best in strong or (not in_item and scores[best] >= 3)
    source = SOURCE_HEADER if best in from_header else SOURCE_TEXT
    return best, source, founded


# ------------------------------------------------------------------------------- committee

_RECOMMEND = re.compile(
    r"\brekommend\w*\s+(?:vi\s+|revisionen\s+|revisorerna\s+)?"
    r"(?:därför\s+|även\s+|också\s+|dessutom\s+)?(?:att\s+|till\s+)?",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    r"\bgranskningen\s+(?:avser|omfattar|har\s+avgränsats\s+till|avgränsas\s+till|"
    r"riktar\s+sig\s+(?:främst\s+)?till)\s+(?:främst\s+|i\s+huvudsak\s+)?",
    re.IGNORECASE,
)


def _committee_at(text: str, pos: int) -> str | None:
    """The committee named right at ``pos`` in ``text``."""
    found = find_committees(text[pos : pos + 120])
    return found[0].name if found and found[0].start == 0 else None


def _audited_committee(text: str, title: str | None) -> str | None:
    """The nämnd an audit report is addressed to."""
    addressed = Counter(
        name for m in _RECOMMEND.finditer(text) if (name := _committee_at(text, m.end()))
    )
    if addressed:
        # Most recommendations go to the audited nämnd; the first one breaks ties.
        return addressed.most_common(1)[0][0]
    for m in _SCOPE.finditer(text):
        name = _committee_at(text, m.end())
        if name:
            return name
    if title:
        return normalise_committee(title)
    return None


# What may follow a committee's name on a line of a document's head ("Kommunstyrelsen",
# "Skolnämndens beslut", "Socialnämnden beslutar", "Socialnämndens protokoll").
_HEAD_COMMITTEE_TAIL = re.compile(
    r"\s*(?:beslut|beslutar|protokoll|protokollsutdrag|sammanträde)?\s*$", re.IGNORECASE
)


def _head_committee(lines: list[str]) -> str | None:
    """A committee named on a line of its own in a document's head."""
    for line in lines[:20]:
        bare = line.strip(" .:”\"'")
        found = find_committees(bare)
        if found and found[0].start == 0 and _HEAD_COMMITTEE_TAIL.fullmatch(bare, found[0].end):
            return found[0].name
    return None


def _most_mentioned_committee(text: str) -> str | None:
    counts = Counter(m.name for m in find_committees(text))
    # Kommunfullmäktige is named in nearly every document (its goals, its budget) and audited
    # by no revisionsbyrå; it wins only when no other committee is named.
    others = Counter({k: v for k, v in counts.items() if k not in {"Kommunfullmäktige"}})
    best = (others or counts).most_common(1)
    return best[0][0] if best else None


# ----------------------------------------------------------------------------------- title

_NUMBERED_HEADING = re.compile(r"^\d+(?:\.\d+)*\.?\s+[^\W\d_]")
# Lines where the body begins: a title is above them.
_STOP_LINES = re.compile(
    r"^(?:innehåll|innehållsförteckning|sammanfattning|förslag\s+till\s+beslut|beslut|"
    r"beskrivning\s+av\s+ärendet|ärendebeskrivning|inledning|bakgrund|att)\b|"
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
    r"\b(?:projektledare|uppdragsledare|kundansvarig|granskningsledare|verksamhetsrevisor)$",
    re.IGNORECASE,
)
# A title page may carry other lines in title style (a byrå's slogan, the running head of the
# pages that follow); the line that names the audit is the title.
_AUDIT_TITLE = re.compile(
    r"^(?:(?:fördjupad|grundläggande|översiktlig|uppföljande)\s+)?granskning\b|"
    r"^uppföljning\s+av\b|^förstudie\b",
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
    if _NOT_TITLE.search(line) or _date_line(line) or MONTH_YEAR.fullmatch(line):
        return True
    bare = line.strip(" .,:;”\"'")
    places = find_municipalities(bare)
    if places and sum(len(m.matched) for m in places) >= len(bare) - 2:
        return True  # the kommun's name on a line of its own
    committees = find_committees(bare)
    if committees and len(committees[0].matched) >= len(bare) - 2:
        return True  # the nämnd's name on a line of its own
    firm = _FIRM.match(bare)
    return bool(firm and _FIRM_SIGNATURE.match(bare[firm.end() :]))


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


# Abbreviations that stay in capitals when a title set in capitals is lowered.
_ACRONYMS = frozenset(
    {"LSS", "IFO", "HVB", "SOL", "HSL", "IVO", "BBIC", "IT", "EU", "KPMG", "EY", "PWC", "BDO"}
    | {"SKR", "LVU", "LVM", "LOU", "LOV", "MAS", "NPM", "SFS", "SOSFS", "HSLF", "OSL", "GDPR"}
)
_MIXED_CASE = {"SOL": "SoL", "PWC": "PwC"}


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


def _derived_title(text: str, doc_type: str) -> tuple[str | None, str]:
    """A title for a document that states none: what an audit says it audits, else its first
    heading that names more than a part of a document. Reported as derived."""
    head = text[:HEAD_CHARS]
    if doc_type in AUDIT_TYPES and (assignment := _ASSIGNMENT.search(head)):
        audited = assignment.group("object")
        if audited.lower().startswith("om "):
            return f"Granskning: {_shortened(audited[3:])}", "granskningens uppdrag"
        return f"Granskning av {_shortened(audited)}", "granskningens uppdrag"
    for line in _nonblank_lines(head)[: TOP_LINES * 4]:
        line = " ".join(line.split())
        if (heading := _NUMBERED_HEADING.match(line)) and len(line) <= _TITLE_CHARS:
            name = line[heading.end() - 1 :]
            if not _GENERIC_HEADING.match(name):
                return name, "första rubriken"
    return None, ""


# ------------------------------------------------------------------------------------ main


def detect_metadata(
    text: str,
    *,
    header_lines: Sequence[str] = (),
    item: ItemSpan | None = None,
    context: DetectedMetadata | None = None,
    properties: FileProperties | None = None,
) -> DetectedMetadata:
    """Read the metadata of one document from its cleaned text.

    ``header_lines`` are the running header lines cleaning removed; ``item`` the fields the
    packet splitter read from an item's head (used first when set); ``context`` the metadata of
    the whole packet, used for a packet item's missing kommun, nämnd and year; ``properties``
    the file's own title and creation date, used for a whole file's title and year when the
    text gives none.
    """
    header_lines = [" ".join(line.split()) for line in header_lines if line.strip()]
    lines = _nonblank_lines(text)
    sources: dict[str, str] = {}
    warnings: list[str] = []
    in_item = item is not None

    # title ---------------------------------------------------------------------------
    title = _title_from_lines(header_lines, last=False)
    if title:
        sources["title"] = SOURCE_HEADER
    elif item is not None and item.title:
        title, sources["title"] = " ".join(item.title.split()), SOURCE_ITEM
    else:
        # Blank lines matter for joining a title broken over lines, so read the raw lines.
        title = _title_from_lines(text.splitlines(), last=True)
        if title:
            sources["title"] = SOURCE_TEXT

    # doc type ------------------------------------------------------------------------
    if item is not None and item.doc_type in DOC_TYPES:
        doc_type, sources["doc_type"] = item.doc_type, SOURCE_ITEM
    elif _is_audit(text):
        follow_up = _is_follow_up(text, header_lines, title)
        doc_type = "uppföljande granskning" if follow_up else "granskningsrapport"
        sources["doc_type"] = SOURCE_TEXT
    elif cued := _cued_type(text, header_lines):
        doc_type, sources["doc_type"] = cued, SOURCE_TEXT
    else:
        doc_type = "annat"
        warnings.append("dokumenttyp kunde inte avgöras")

    # municipality --------------------------------------------------------------------
    municipality, source, founded = _detect_municipality(text, header_lines, in_item)
    if in_item and context is not None and context.municipality and not founded:
        # Every item of a packet belongs to the packet's kommun unless its head says otherwise.
        municipality, source = context.municipality, SOURCE_PACKET
    if municipality is None:
        warnings.append("kommun saknas i dokumentet")
    else:
        if source != SOURCE_PACKET and not founded:
            source = SOURCE_INFERRED
            warnings.append(f"kommun härledd från enstaka omnämnande i texten ({municipality})")
        sources["municipality"] = source

    # date and year -------------------------------------------------------------------
    date, year = None, None
    if iso := _top_date(header_lines):
        date, sources["date"] = iso, SOURCE_HEADER
    elif item is not None and item.date and (iso := parse_date(item.date)):
        date, sources["date"] = iso, SOURCE_ITEM
    elif (iso := _top_date(lines[:TOP_LINES])) or (iso := _signature_date(lines)):
        date, sources["date"] = iso, SOURCE_TEXT
    else:
        warnings.append("datum saknas i dokumentet")
    if date:
        year, sources["year"] = int(date[:4]), sources["date"]
    elif header_year := MONTH_YEAR.search("\n".join(header_lines)):
        year, sources["year"] = int(header_year.group(2)), SOURCE_HEADER
    elif cover_year := _cover_month_year(lines[:TOP_LINES]):
        # "Mars 2022" on the title page: the year is stated, the day is not.
        year, sources["year"] = cover_year, SOURCE_TEXT
    elif plan := _PLAN_YEAR.search(text):
        # "Uppdraget ingår i revisionsplanen för år 2023": the audit year, stated.
        year, sources["year"] = int(plan.group(1)), SOURCE_TEXT
    elif in_item and context is not None and context.year:
        year, sources["year"] = context.year, SOURCE_PACKET
        warnings.append(f"år hämtat från mötespaketet ({year})")
    elif labelled := _latest_labelled_year(text):
        year, sources["year"] = labelled, SOURCE_INFERRED
        warnings.append(f"år härlett från senaste daterade handling i texten ({year})")
    elif latest := _latest_past_year(text):
        year, sources["year"] = latest, SOURCE_INFERRED
        warnings.append(f"år härlett från senast nämnda år i texten ({year})")
    elif not in_item and properties is not None and properties.created:
        year, sources["year"] = int(properties.created[:4]), SOURCE_PROPERTIES
        warnings.append(f"år hämtat från filens egenskaper (skapad {properties.created})")
    else:
        warnings.append("år saknas i dokumentet")

    # committee -----------------------------------------------------------------------
    committee = None
    if item is not None and item.committee:
        committee = normalise_committee(item.committee) or " ".join(item.committee.split())
        sources["committee"] = SOURCE_ITEM
    elif doc_type in AUDIT_TYPES and (audited := _audited_committee(text, title)):
        committee, sources["committee"] = audited, SOURCE_TEXT
    elif head := _head_committee(lines):
        committee, sources["committee"] = head, SOURCE_ITEM if in_item else SOURCE_TEXT
    elif in_item and context is not None and context.committee:
        committee, sources["committee"] = context.committee, SOURCE_PACKET
    elif mentioned := _most_mentioned_committee(text):
        committee, sources["committee"] = mentioned, SOURCE_INFERRED
        warnings.append(f"nämnd härledd från mest omnämnda nämnd i texten ({committee})")
    else:
        warnings.append("nämnd saknas i dokumentet")

    # audit firm ----------------------------------------------------------------------
    audit_firm = None
    if doc_type in AUDIT_TYPES:
        audit_firm, source = _detect_firm(text, header_lines)
        if audit_firm is None:
            warnings.append("revisionsbyrå saknas i dokumentet")
        else:
            sources["audit_firm"] = source
            if source == SOURCE_INFERRED:
                warnings.append(f"revisionsbyrå härledd från omnämnande i texten ({audit_firm})")

    # A title derived from the text comes last, so that no other field is read from it.
    if title is None:
        title, derived_from = _derived_title(text, doc_type)
        if title:
            sources["title"] = SOURCE_INFERRED
            warnings.append(f"titel härledd ur {derived_from}")
        elif not in_item and properties is not None and properties.title:
            title, sources["title"] = properties.title, SOURCE_PROPERTIES
            warnings.append("titel hämtad från filens egenskaper")
        else:
            warnings.append("titel saknas i dokumentet; filnamnet visas i stället")

    metadata = DetectedMetadata(
        municipality=municipality,
        year=year,
        date=date,
        committee=committee,
        doc_type=doc_type,
        audit_firm=audit_firm,
        title=title,
        sources=sources,
        warnings=tuple(warnings),
    )
    logger.debug("detected metadata: %s", metadata)
    return metadata
