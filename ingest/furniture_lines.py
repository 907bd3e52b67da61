"""Lines that are page furniture by their shape, wherever they stand on a page.

Copyright, classification and protocol footers ("© 2021 KPMG AB …", "Document classification",
"Justerandes sign … Utdragsbestyrkande"), letterhead/address blocks, page markers ("Sida 1 av 8",
"Sida 1(2)", "9(32)") and bare page numbers. Pagination reads them to find where pages met;
cleaning removes them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from ingest.item_heads import is_letterhead_line

# Copyright, classification and protocol footers, in one expression.
_FOOTER = re.compile(
    r"^©\s*\d{4}\b|\ball rights reserved\b"
    r"|^document classification\b"
    r"|\b(?:justerandes\s+sign|utdragsbestyrkande)\b",
    re.IGNORECASE,
)
# A word every footer line holds, in lower case: lines without any of them are no footers.
_FOOTER_WORDS = ("©", "all rights reserved", "document classification", "justerandes")
_FOOTER_WORDS += ("utdragsbestyrkande",)
# Letters that case-insensitive matching takes for ASCII "i" and "s" but str.lower() keeps.
_FOLDS_TO_ASCII = ("ı", "ſ", "İ")
_ADDRESS_LABELS = {
    "postadress",
    "besöksadress",
    "leveransadress",
    "fakturaadress",
    "hemsida",
    "webbplats",
    "telefon",
    "telefax",
    "fax",
    "växel",
    "organisationsnr",
    "organisationsnummer",
    "org.nr",
    "orgnr",
    "e-post",
    "epost",
    "bankgiro",
    "plusgiro",
}
_LABEL_WORDS = tuple(sorted(_ADDRESS_LABELS))
_LABELLED_VALUE = re.compile(r"^(?P<label>[\w.-]+(?: [\w.-]+)?)\s*:\s*\S")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+46|\b0)\d{1,3}\s?-\s?\d{2}[\d ]{3,}")
_ORG_OR_GIRO = re.compile(r"^\d{6}-\d{4}$|^\d{3,4}-\d{4}$")
_POSTAL = re.compile(r"^\d{3}\s?\d{2}\s+[A-ZÅÄÖ]\S+$")
_STREET = re.compile(
    r"^[A-ZÅÄÖ][\wåäö ]*?(?:gatan|vägen|gränd|torget|allén|plan|backen|stigen|huset|platsen)"
    r"(?:\s+\d+\s*[A-Za-z]?)?$"
)
_PERSON = re.compile(r"^[A-ZÅÄÖ][a-zåäöé]+(?: [A-ZÅÄÖ][a-zåäöé-]+){1,3}$")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_SIDA_INLINE = re.compile(
    r"^(?P<prefix>.*?)\bSida\s+(?P<n>\d{1,3})\s*(?:av\s*|/\s*|\(\s*)(?P<m>\d{1,3})\)?$",
    re.IGNORECASE,
)
_SIDA_ALONE = re.compile(r"^Sida:?$", re.IGNORECASE)
_PAGE_OF = re.compile(r"^(?P<n>\d{1,3})\s*(?:\(\s*(?P<m>\d{1,3})\s*\)|/\s*(?P<m2>\d{1,3}))$")

_CLUSTER_GAP = 2


@dataclass(frozen=True)
class PageMarker:
    """A printed page marker spanning lines ``first``..``last`` (inclusive)."""

    first: int
    last: int
    number: int
    prefix: str = ""


# The longest footer seen is a byrå's legal notice of about 300 characters. A longer line that
# holds a footer's words is body text run together with it (a page extracted as one line, an
# OCR'd page): removing it would drop the text, so it stays.
FOOTER_MAX_CHARS = 400


def is_footer_line(line: str) -> bool:
    """Footer lines removed wherever they occur: copyright, classification, protocol footer."""
    line = line.strip()
    return len(line) <= FOOTER_MAX_CHARS and bool(_FOOTER.search(line))


def find_footer_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of the footer lines among ``lines`` (a page), in order."""
    return [i for i in _lines_holding(lines, _FOOTER_WORDS) if is_footer_line(lines[i])]


def _lines_holding(lines: Sequence[str], words: Sequence[str]) -> Sequence[int]:
    """Indexes of the lines that may hold one of ``words`` (lower case) in any letter case.

    One search of the lower-cased page instead of a case-insensitive expression on every
    line, which made cleaning a large file slow. It may list more lines than hold a word,
    never fewer: every line when the page has letters that case-insensitive matching treats
    specially.
    """
    text = "\n".join(lines)
    if any(letter in text for letter in _FOLDS_TO_ASCII):
        return range(len(lines))
    lower = text.lower()
    positions = []
    for word in words:
        found = lower.find(word)
        while found >= 0:
            positions.append(found)
            found = lower.find(word, found + 1)
    if not positions:
        return []
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    return sorted({bisect_right(starts, position) - 1 for position in positions})


def is_address_label(line: str) -> bool:
    """An address label alone ("Postadress", "Telefon E-post") or with its value after a colon
    ("Besöksadress: Rådhuset, Drottninggatan 5", "Telefon: 011-15 00 00")."""
    line = line.strip()
    labelled = _LABELLED_VALUE.match(line)
    if labelled:
        line = labelled["label"]
    words = line.split(None, 4)  # a fifth word is enough to rule a line out
    return 0 < len(words) <= 4 and all(w.lower() in _ADDRESS_LABELS for w in words)


def is_address_value(line: str) -> bool:
    """Values of a letterhead/address block: e-mail, web, phone, org.nr, postal address."""
    line = line.strip()
    return bool(
        _EMAIL.match(line)
        or _URL.match(line)
        or _PHONE.search(line)
        or _ORG_OR_GIRO.match(line)
        or _POSTAL.match(line)
        or _STREET.match(line)
        or is_letterhead_line(line)
    )


def is_page_label(line: str) -> bool:
    """A lone "Sida", the label of a page marker whose number is on another line."""
    return bool(_SIDA_ALONE.match(line.strip()))


def is_bare_page_number(line: str) -> bool:
    return bool(_BARE_NUMBER.match(line.strip()))


def find_page_markers(lines: Sequence[str]) -> list[PageMarker]:
    """Page markers: "Sida 2 av 8", "den 2 februari 2022 Sida 1 av 8", "Sida" + "1(2)", "9(32)"."""
    markers = []
    i = 0
    while i < len(lines):
        text = lines[i].strip()
        if len(text) > 5 and not (text[-1].isdecimal() or text[-1] == ")"):
            # Every marker but a lone "Sida" ends in its number: most lines are ruled out here.
            i += 1
            continue
        inline = _SIDA_INLINE.match(text)
        if inline and int(inline["n"]) <= int(inline["m"]):
            markers.append(PageMarker(i, i, int(inline["n"]), inline["prefix"].strip()))
        elif _SIDA_ALONE.match(text):
            marker = _marker_after_label(lines, i)
            if marker:
                markers.append(marker)
                i = marker.last
        else:
            page_of = _PAGE_OF.match(text)
            total = page_of and (page_of["m"] or page_of["m2"])
            if page_of and total and int(page_of["n"]) <= int(total):
                markers.append(PageMarker(i, i, int(page_of["n"])))
        i += 1
    return markers


def _marker_after_label(lines: Sequence[str], index: int) -> PageMarker | None:
    """ "Sida" alone, its number a line or two further down ("1(2)", "2/2", "3")."""
    for j in range(index + 1, min(index + 4, len(lines))):
        text = lines[j].strip()
        if not text:
            continue
        page_of = _PAGE_OF.match(text)
        if page_of:
            return PageMarker(index, j, int(page_of["n"]))
        if _BARE_NUMBER.match(text):
            return PageMarker(index, j, int(text))
        return None
    return None


def find_address_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Letterhead/address blocks (inclusive line ranges) holding at least two address labels."""
    blocks = []
    i = 0
    # Only a line holding a label word can start a block.
    for start in _lines_holding(lines, _LABEL_WORDS):
        if start < i or not is_address_label(lines[start]):
            continue
        first, last = extend_cluster(lines, start, is_address_member)
        labels = sum(is_address_label(lines[k]) for k in range(first, last + 1))
        if labels >= 2:
            blocks.append((first, last))
        i = last + 1
    return blocks


def is_address_member(lines: Sequence[str], index: int) -> bool:
    """A line of a letterhead/address block: a label, a value, or a name before its e-mail."""
    text = lines[index].strip()
    if is_address_label(text) or is_address_value(text):
        return True
    # A person's name belongs to the block when their e-mail follows.
    following = [t.strip() for t in lines[index + 1 : index + 4] if t.strip()]
    return bool(_PERSON.match(text) and following and _EMAIL.match(following[0]))


def extend_cluster(
    lines: Sequence[str], index: int, member: Callable[[Sequence[str], int], bool]
) -> tuple[int, int]:
    """Grow a cluster of member lines around ``index``, bridging short runs of blank lines."""
    first = last = index
    j, gap = index - 1, 0
    while j >= 0 and gap <= _CLUSTER_GAP:
        if not lines[j].strip():
            gap += 1
        elif member(lines, j):
            first, gap = j, 0
        else:
            break
        j -= 1
    j, gap = index + 1, 0
    while j < len(lines) and gap <= _CLUSTER_GAP:
        if not lines[j].strip():
            gap += 1
        elif member(lines, j):
            last, gap = j, 0
        else:
            break
        j += 1
    return first, last
