"""The vocabulary documents are read with, in one place.

- Dates: month names and their abbreviations, the separators PDF text and Word put between year,
  month and day, the date patterns built from them, the labels a date stands under, and the years
  documents speak of. Metadata detection, packet-item splitting, query understanding and the
  recommendations read dates and years with these.
- Audit firms (byråer): their names and how reports write them (``data/audit_firms.csv``).
- Committees and answers: the endings of a committee's name ("-nämnden", "-styrelsens") and the
  words of a nämnd's answer to an audit, as pieces the head, item and recommendation patterns
  are built from.
- Word lists kept as data files (``word_list``): here the agencies that look like committees, in
  ``recommendations/data`` the verbs a recommendation opens with and its generic words.

Committees and places are read from ``data/places.csv`` by ``ingest.places``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data")

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
# Longest first, so "januari" is not read as "jan" followed by "uari".
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# PDF text and Word documents write the date separators as hyphen, en dash, em dash or minus.
DATE_SEPARATOR = r"\s?[-–—‑−/]\s?"
ISO_DATE = re.compile(
    rf"(?<![\d:])((?:19|20)\d\d){DATE_SEPARATOR}(\d{{1,2}}){DATE_SEPARATOR}(\d{{1,2}})(?!\d)"
)
# "2 februari 2022", "1:a mars 2021", "12 okt. 2020"
LONG_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?::[ae])?\s+({MONTH_NAMES})\.?\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"\b({MONTH_NAMES})\.?\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
# A year from 1980 to 2049: the years audit documents and questions speak of. Other four-digit
# numbers are amounts, case numbers or law references.
RECENT_YEAR = r"(?:19[89]\d|20[0-4]\d)"
YEAR = re.compile(rf"(?<!\d)({RECENT_YEAR})(?!\d)")

# The labels a document's date stands under ("Datum: 2022-03-28", "Upprättad 12 mars 2021").
_ITEM_DATE_LABELS = ("datum", "sammanträdesdatum", "beslutsdatum")
_DATE_LABELS = (*_ITEM_DATE_LABELS, "mötesdatum", "daterad", "upprättad")
# Any of them, in any case: the date of a report or item, read by metadata detection.
DATE_LABEL = "|".join(_DATE_LABELS)
# The packet splitter reads only the capitalised labels a packet item's head opens with: in a
# head, "Upprättad av" names the writer, not a date, and a label written otherwise is no head.
ITEM_DATE_LABEL = "|".join(label.capitalize() for label in _ITEM_DATE_LABELS)


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int
    end: int


def iso_date(year: str | int, month: str | int, day: str | int) -> str | None:
    """YYYY-MM-DD, or None for a day that does not exist (2022-02-30)."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text`` ("2022–03-28", "den 2 februari 2022"), in order."""
    found = []
    for m in ISO_DATE.finditer(text):
        iso = iso_date(m.group(1), m.group(2), m.group(3))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    for m in LONG_DATE.finditer(text):
        iso = iso_date(m.group(3), MONTHS[m.group(2).lower()], m.group(1))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO, e.g. "2022–03-28" or "den 2 februari 2022"."""
    found = find_dates(text)
    return found[0].iso if found else None


# -- Committees and their answers, as pieces of regular expressions ----------------------------
# The word a committee's name ends in: "socialnämnden", "kommunstyrelsen", "kommunfullmäktige".
COMMITTEE_NOUN = r"(?:nämnden|styrelsen|fullmäktige)"
# The same in the genitive: "socialnämndens svar", "kommunstyrelsens beslut".
COMMITTEE_GENITIVE = r"(?:nämndens|styrelsens|fullmäktiges)"
# One word of a name, hyphen included: "omsorgs-", "socialnämnden".
NAME_WORD = r"[\wåäöÅÄÖ-]+"
# What a nämnd gives an audit, and the word before what it answers: "svar på", "yttrande över".
ANSWER_NOUN = r"(?:svar|yttrande)"
ANSWER_TO = r"(?:på|över|avseende)"
# Whose audit it is: "revisionens skrivelse", "revisorernas granskning".
AUDITORS_GENITIVE = r"(?:revisionens|revisorernas)"


def word_list(path: Path) -> frozenset[str]:
    """The words of a word-list file: separated by spaces or lines; ``#`` starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def _audit_firms() -> tuple[tuple[str, str], ...]:
    with (DATA / "audit_firms.csv").open(encoding="utf-8", newline="") as rows:
        return tuple((row["name"], row["pattern"]) for row in csv.DictReader(rows))


# (name, regular expression): the name a report's byrå is shown by, and how reports write it.
AUDIT_FIRMS = _audit_firms()
