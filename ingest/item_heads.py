"""The vocabulary of an item's head in a meeting packet: date and Dnr lines, committee and kommun
lines, letterheads, capitalised document words (TJÄNSTESKRIVELSE, SAMMANTRÄDESPROTOKOLL …).

Item splitting reads heads with it; pagination reuses it to tell a page header from a footer, and
cleaning to never drop a head line.
"""

from __future__ import annotations

import re

from ingest.vocabulary import (
    ANSWER_NOUN,
    ANSWER_TO,
    COMMITTEE_GENITIVE,
    COMMITTEE_NOUN,
    ISO_DATE,
    ITEM_DATE_LABEL,
    LONG_DATE,
)

# A line that states a date and nothing else ("2022-03-28", "den 2 februari 2022").
_DATE_LINE = re.compile(rf"^(?:den\s+)?(?:{ISO_DATE.pattern}|{LONG_DATE.pattern})$", re.IGNORECASE)

# Capitalised document words that open a document page; the value is the item type they imply.
DOC_WORDS = {
    "TJÄNSTESKRIVELSE": "tjänsteskrivelse",
    "SAMMANTRÄDESPROTOKOLL": "protokoll",
    "PROTOKOLL": "protokoll",
    "PROTOKOLLSUTDRAG": "protokoll",
    "UTDRAG UR PROTOKOLL": "protokoll",
    "DELEGATIONSBESLUT": "delegationslista",
    "ORDFÖRANDEBESLUT": "annat",
    "KALLELSE": "annat",
    "YTTRANDE": "annat",
}
DATE_LABEL = re.compile(rf"^(?:{ITEM_DATE_LABEL})\b:?\s*(.*)$")
DNR_LABEL = re.compile(r"^(?:Dnr|Diarienr|Diarienummer)\b[.:]?\s*(.*)$", re.IGNORECASE)
# "SOC/2022-000030", "2022/311", "KS 2023/0456", "VON-2022-311": a registry prefix may stand
# before the number with a slash, a hyphen or a space. Law references ("SOSFS 2011:9") are no Dnr.
_CASE_NUMBER = re.compile(
    r"^(?!(?:SFS|SOSFS|HSLF)\b)(?:[A-ZÅÄÖ]{1,8}\s?[/\s-]\s?)?\d{2,4}[-/:.]\d{1,6}(?:[-/:.]\d{1,6})?$"
)
PARAGRAPH = re.compile(r"^§\s*(\d{1,4})\b(?:\s+Dnr[.:]?\s*(\S+(?:\s+\S+)?))?")
_COMMITTEE_LINE = re.compile(
    r"^(?:[A-ZÅÄÖ][a-zåäö]+- och [a-zåäö]+|[A-ZÅÄÖ][a-zåäö]*)"
    r"(?:nämnden|nämnd|styrelsen|fullmäktige)(?:s arbetsutskott|s utskott)?$"
)
_KOMMUN_LINE = re.compile(
    r"^(?:[A-ZÅÄÖ][\wåäö-]* ){1,2}(?:kommun|stad)$|^Region(?: [A-ZÅÄÖ][\wåäö-]+){1,3}$"
)
# "Socialförvaltningen", "Vård- och omsorgsförvaltningen", "Kultur-, fritids- och tekniskt kontor".
_OFFICE_LINE = re.compile(
    r"^(?:[A-ZÅÄÖ][\wåäö]*-(?:,? [a-zåäö]+-)*,? (?:och|samt) )?"
    r"[A-ZÅÄÖa-zåäö][\wåäö-]*(?:förvaltningen|förvaltning|kontoret)$"
)
# Who wrote or answers for a document: a label of its head, never its title.
PERSON_LABEL = re.compile(
    r"^(?:Handläggare|Handläggande tjänsteperson|Kontaktperson|Föredragande|Ansvarig tjänsteperson"
    r"|Vår referens|Er referens|Referens|Upprättad av|Skriven av)\b:?",
    re.IGNORECASE,
)
CAPS_LINE = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖ ]{2,40}$")
PROPOSAL = re.compile(r"^Förslag till beslut\b:?$")
# Lines that end a head: the body of the document starts here.
BODY_START = re.compile(
    r"^(?:Förslag till beslut|Beslut|Beskrivning av ärendet|Sammanfattning|Ärendet|Bakgrund"
    r"|Inledning|Yttranden|Yrkanden|Ärendebeskrivning|Beslutsunderlag)\b:?\s*$"
    rf"|^(\S+(?:{COMMITTEE_GENITIVE}|utskottets)) beslut\b"
    r"|^Ordförandens beslut\b|^(\S+) ordförande beslutar\b"
)
DECIDES = re.compile(
    r"^(\S+) ordförande beslutar\b"
    rf"|\bföreslår (\S+{COMMITTEE_NOUN}) (?:att )?besluta"
)
DELEGATION = re.compile(r"^(?:Anmälan av )?Delegationsbeslut\b", re.IGNORECASE)
_REPORT_NOUN = (
    r"(?:berättelse|årsredovisning|delårsrapport|årsrapport|tertialrapport|månadsrapport"
    r"|verksamhetsrapport|budgetuppföljning|ekonomisk uppföljning|bokslut)"
)
REPORT_TITLE = re.compile(rf"^\w*{_REPORT_NOUN}(?:\s+\d{{4}}.*|\s+[–-]\s+.+)?$", re.IGNORECASE)
REPORT_IN_TITLE = re.compile(rf"\w*{_REPORT_NOUN}", re.IGNORECASE)
FIRST_SECTION = re.compile(r"^1\.?\s+[A-ZÅÄÖ][^.]{2,60}$")
ANSWER_TITLE = re.compile(
    r"^(?:Yttrande\b"
    rf"|\S+{COMMITTEE_GENITIVE} {ANSWER_NOUN} {ANSWER_TO}\b)"
)
LIST_HEADER = re.compile(r"^(?:Bilagor|Bilaga\b|Beslutsunderlag|Handlingar)", re.IGNORECASE)


def doc_word(line: str) -> str | None:
    """The capitalised document word a line consists of, e.g. "TJÄNSTESKRIVELSE"."""
    word = " ".join(line.split())
    return word if word in DOC_WORDS else None


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line.strip()))


def is_committee_line(line: str) -> bool:
    return bool(_COMMITTEE_LINE.match(line.strip()))


def is_case_number(value: str) -> bool:
    value = value.strip()
    return bool(_CASE_NUMBER.match(value)) and not ISO_DATE.fullmatch(value)


def case_number_in(value: str) -> str | None:
    """The Dnr at the start of ``value`` ("KS 2023/0456 …", "SOC/2022-000030"), or None."""
    words = value.split()
    for count in (2, 1):
        if len(words) >= count and is_case_number(candidate := " ".join(words[:count])):
            return candidate
    return None


def is_head_label(line: str) -> bool:
    """Labels that only occur in a document head: Datum, Dnr, document words."""
    line = line.strip()
    return bool(DATE_LABEL.match(line) or DNR_LABEL.match(line) or doc_word(line))


def is_kommun_line(line: str) -> bool:
    """A line naming only a kommun or region ("Härnösands kommun", "Region Västernorrland")."""
    return bool(_KOMMUN_LINE.match(line.strip()))


def is_letterhead_line(line: str) -> bool:
    """Kommun and förvaltning lines of a letterhead ("Härnösands kommun", "Socialförvaltningen")."""
    line = line.strip()
    return bool(_KOMMUN_LINE.match(line) or _OFFICE_LINE.match(line))


def _is_head_field(line: str) -> bool:
    """A label, date, Dnr or committee line: what every item head is made of."""
    return bool(
        is_head_label(line) or is_date_line(line) or is_case_number(line) or is_committee_line(line)
    )


def is_head_line(line: str) -> bool:
    """Lines the item splitter reads; cleaning must never drop them as repeated furniture."""
    line = line.strip()
    return bool(
        _is_head_field(line)
        or PARAGRAPH.match(line)
        or PROPOSAL.match(line)
        or DELEGATION.match(line)
    )


def is_head_block_line(line: str) -> bool:
    """Lines that may stand in a head block above its first label (walked over backwards)."""
    line = line.strip()
    return bool(_is_head_field(line) or is_letterhead_line(line) or CAPS_LINE.match(line))
