"""Clean pages and join them into one text with a span per page.

HTML fragments printed in the source ("<p>Nej. …</p>", "<ul style=…>") first become the plain
text they stand for (``ingest.markup``). Then removes page furniture: lines that recur near the
top or bottom of many pages, and lines that are furniture by their shape wherever they stand
(copyright and classification footers, page markers, protocol footers, letterhead/address blocks,
bare page numbers at a page's edge, a KPMG-style running header of kommun + report title +
date). Then repairs hyphenation at line ends and normalises whitespace. Head lines that the item
splitter reads are never dropped for recurring.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ingest.item_heads import (
    is_date_line,
    is_head_label,
    is_head_line,
    is_kommun_line,
    is_letterhead_line,
)
from ingest.markup import markup_to_text
from ingest.models import CleanedText, MarkedHeading, PageSpan, RawPage
from ingest.pagination import (
    find_address_blocks,
    find_footer_lines,
    find_page_markers,
    is_bare_page_number,
    is_page_label,
)

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\r]")
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"(?P<stem>.*[A-Za-zÅÄÖåäöÉéÜü0-9])-$")
_CONTINUATION = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü0-9]")
# A hyphen before these words marks a suspended compound ("missbruks- och beroendevård").
_SUSPENSION_WORDS = {"och", "eller", "samt", "respektive", "till", "som", "resp.", "el."}
# A table-of-contents entry: a title, a dot leader and a page number ("2.1 Bakgrund.......3").
_CONTENTS_ENTRY = re.compile(r"\S.*?(?:\.\s?){4,}\s*\d{1,3}$|\S.*?…{2,}\s*\d{1,3}$")
_CONTENTS_TITLE = re.compile(r"^(?:innehåll|innehållsförteckning|innehållsförteckning:)$", re.I)
# Typographic ligatures some PDFs map to their own code points instead of their letters.
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)

_EDGE_WINDOW = 3
_NUMBER_WINDOW = 2
_MIN_RECURRING_PAGES = 3
_MIN_RECURRING_SHARE = 0.2
_MIN_STRETCH_SHARE = 0.6
_MIN_STRETCH_PAGES = 4
_HEADER_TITLE_LINES = 2
# Recurring lines are page furniture only while they leave most of the text: a document whose
# every page is one repeated line is content, and dropping it all lost the document silently.
_MAX_RECURRING_SHARE = 0.8


@dataclass
class _Page:
    """One page while it is being cleaned: its lines and what is dropped or replaced."""

    lines: list[str]
    removed: dict[int, str] = field(default_factory=dict)
    replaced: dict[int, str] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    printed: str | None = None

    def kept(self) -> list[tuple[int, str]]:
        return [
            (i, self.replaced.get(i, line))
            for i, line in enumerate(self.lines)
            if i not in self.removed and line
        ]

    def first_kept(self, count: int) -> list[tuple[int, str]]:
        """``kept()[:count]``, without going through the whole page."""
        found: list[tuple[int, str]] = []
        for i, line in enumerate(self.lines):
            if len(found) == count:
                break
            if i not in self.removed and line:
                found.append((i, self.replaced.get(i, line)))
        return found

    def last_kept(self, count: int) -> list[tuple[int, str]]:
        """``kept()[-count:]``, without going through the whole page."""
        found: list[tuple[int, str]] = []
        for i in range(len(self.lines) - 1, -1, -1):
            if len(found) == count:
                break
            line = self.lines[i]
            if i not in self.removed and line:
                found.append((i, self.replaced.get(i, line)))
        return found[::-1]

    def remove(self, index: int, reason: str) -> None:
        self.removed.setdefault(index, reason)


def clean_pages(pages: Sequence[RawPage]) -> CleanedText:
    """Cleaned text of a source (pages joined by a blank line) and the span of every page."""
    work = [_Page(_normalise_lines(markup_to_text(page.text))) for page in pages]
    for page in work:
        _mark_furniture(page)
        _mark_contents(page)
    for page in work:
        _mark_split_marker(page)
        _mark_running_header(page)
    if len(work) > 1:
        _mark_edge_page_numbers(work)
    warnings = _mark_recurring(work)
    return replace(_join(pages, work), warnings=warnings)


def _normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    if line.lstrip().startswith("|"):
        # Markdown table rows keep their inner layout.
        return line.strip()
    return _SPACES.sub(" ", line).strip()


def _normalise_lines(text: str) -> list[str]:
    """The lines of a page, each as ``_normalise_line`` makes it, normalised page by page."""
    text = _INVISIBLE.sub("", text).translate(_LIGATURES)
    if "|" in text:
        return [_normalise_line(line) for line in text.split("\n")]
    # No table row on the page: spaces are collapsed in one pass over the whole page, and only
    # when there is something to collapse.
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


# --- Furniture by shape -----------------------------------------------------------------------


def _mark_furniture(page: _Page) -> None:
    lines = page.lines
    for i in find_footer_lines(lines):
        page.remove(i, "footer")
    for first, last in find_address_blocks(lines):
        for i in range(first, last + 1):
            if lines[i]:
                page.remove(i, "address")
    for marker in find_page_markers(lines):
        if page.printed is None:
            page.printed = str(marker.number)
        for i in range(marker.first, marker.last + 1):
            page.remove(i, "page marker")
        if marker.number == 1 and is_date_line(marker.prefix):
            # The date before "Sida 1 av 8" dates the document: keep it once.
            page.replaced[marker.first] = marker.prefix
            page.removed.pop(marker.first, None)


def _mark_contents(page: _Page) -> None:
    """A table of contents: its dot-leader entries and the title above them. Its lines are a
    list of headings with page numbers, which search would find instead of the sections."""
    entries = [
        i
        for i, line in enumerate(page.lines)
        if ("...." in line or ". . ." in line or "……" in line) and _CONTENTS_ENTRY.fullmatch(line)
    ]
    for i in entries:
        page.remove(i, "contents")
    if entries:
        titles = [i for i, _ in page.kept() if i < entries[0]]
        if titles and _CONTENTS_TITLE.match(page.lines[titles[-1]]):
            page.remove(titles[-1], "contents")


def _mark_split_marker(page: _Page) -> None:
    """A lone "Sida" at a page's edge: its number went to the neighbouring page."""
    for i, text in page.first_kept(1) + page.last_kept(1):
        if is_page_label(text):
            page.remove(i, "page marker")


def _mark_running_header(page: _Page) -> None:
    """A kommun line, a report title and a date at the top of a page (KPMG style)."""
    top = page.first_kept(_HEADER_TITLE_LINES + 2)
    if not top or not is_kommun_line(top[0][1]):
        return
    for n in range(1, _HEADER_TITLE_LINES + 1):
        if len(top) < n + 2 or not is_date_line(top[n + 1][1]):
            continue
        titles = [text for _, text in top[1 : n + 1]]
        if all(_is_title_line(text) for text in titles):
            for i, text in top[: n + 2]:
                page.remove(i, "running header")
                page.header.append(text)
            return


def _is_title_line(text: str) -> bool:
    if len(text) > 120:
        return False
    return not (is_head_label(text) or is_date_line(text) or is_letterhead_line(text))


def _mark_edge_page_numbers(pages: list[_Page]) -> None:
    """Bare numbers at a page's edge that are page numbers: beside a footer, or in sequence."""
    candidates = {p: found for p, page in enumerate(pages) if (found := _edge_numbers(page))}
    # Page p printing n and page q printing n + (q - p) vouch for each other.
    offsets = [int(found[0][1]) - p for p, found in candidates.items()]
    # Numbering that restarts after the front matter (the contents page prints 2, the summary
    # after it 1): once a run of pages vouches for a numbered foot, the last line of another
    # page that is a bare number is its page number too.
    numbered_feet = sum(offsets.count(offset) > 1 for offset in offsets) >= _MIN_RECURRING_PAGES
    for p, found in candidates.items():
        in_sequence = offsets.count(int(found[0][1]) - p) > 1
        last = pages[p].last_kept(1)
        for i, text in found:
            restarted = numbered_feet and bool(last) and last[0][0] == i
            if in_sequence or restarted or _beside_footer(pages[p], i):
                pages[p].remove(i, "page number")
                pages[p].printed = pages[p].printed or text


def _edge_numbers(page: _Page) -> list[tuple[int, str]]:
    edges = page.first_kept(1) + page.last_kept(_NUMBER_WINDOW)
    return [(i, text) for i, text in edges if is_bare_page_number(text)]


def _beside_footer(page: _Page, index: int) -> bool:
    """A number next to a copyright or classification footer (only blank lines between)."""
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(page.lines) and not page.lines[j]:
            j += step
        if 0 <= j < len(page.lines) and page.removed.get(j) == "footer":
            return True
    return False


# --- Furniture by recurrence ------------------------------------------------------------------


def _mark_recurring(pages: list[_Page]) -> tuple[str, ...]:
    """Drop lines that recur near the top or bottom of many pages (running heads and feet).

    Unless they would be most of the text: then they are kept, and a warning says so.
    """
    # Keyed by place as well as text: a running head stands at the same place on every page,
    # a line that merely recurs in the body lands at page edges by chance.
    seen: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
    marked: list[tuple[int, int]] = []
    for p, page in enumerate(pages):
        places = list(enumerate(page.first_kept(_EDGE_WINDOW)))
        last = page.last_kept(_EDGE_WINDOW)
        places += [(-1 - rank, item) for rank, item in enumerate(reversed(last))]
        for place, (i, text) in places:
            if not is_head_line(text):
                seen[(_recurrence_key(text), place)].append((p, i, text))
    for key, hits in seen.items():
        page_numbers = {p for p, _, _ in hits}
        if not _recurs(page_numbers, len(pages)) or not _numbers_follow_pages(hits):
            continue
        logger.debug("recurring line %r on %d pages", key, len(page_numbers))
        marked.extend((p, i) for p, i, _ in hits)
    # On a short page one line is near both edges, so it may be marked under two places.
    marked = sorted(set(marked))
    total = sum(len(text) for page in pages for _, text in page.kept()) or 1

    def share(lines: list[tuple[int, int]]) -> float:
        return sum(len(pages[p].lines[i]) for p, i in lines) / total

    if share(marked) > _MAX_RECURRING_SHARE:
        # Most of the text: keep the lines that change from page to page ("Avsnitt 3"), which
        # are more likely content, and drop only the ones repeated word for word.
        counts = Counter(pages[p].lines[i] for p, i in marked)
        marked = [(p, i) for p, i in marked if counts[pages[p].lines[i]] > 1]
    if share(marked) > _MAX_RECURRING_SHARE:
        return (
            f"{len(marked)} rader upprepas på sidorna som sidhuvud eller sidfot men är "
            f"{round(share(marked) * 100)} % av texten; de behölls som text",
        )
    for p, i in marked:
        pages[p].remove(i, "recurring")
    return ()


def _recurs(page_numbers: set[int], page_count: int) -> bool:
    """On enough pages of the file, or on most pages of the stretch where it occurs."""
    if len(page_numbers) < _MIN_RECURRING_PAGES:
        return False
    stretch = max(page_numbers) - min(page_numbers) + 1
    # A packet holds many documents: one document's running head covers only its own stretch.
    return len(page_numbers) >= _MIN_RECURRING_SHARE * page_count or (
        len(page_numbers) >= _MIN_STRETCH_PAGES
        and len(page_numbers) >= _MIN_STRETCH_SHARE * stretch
    )


def _recurrence_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _numbers_follow_pages(hits: list[tuple[int, int, str]]) -> bool:
    """Digits in a running line stay or grow page by page ("Sida 2 av 8"); totals do not."""
    numbers = [
        (p, int(found[0])) for p, _, text in sorted(hits) if (found := _DIGITS.findall(text))
    ]
    return all(a[1] <= b[1] for a, b in pairwise(numbers))


# --- Text repair ------------------------------------------------------------------------------


def repair_hyphenation(lines: list[str]) -> list[str]:
    """Join words broken at line ends; keep suspended compounds and hyphens after acronyms."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("-") and not line.startswith("|") and _HYPHENATED.match(line):
            j = _continuation_index(lines, i)
            joined = _join_hyphenated(line, lines[j]) if j is not None else None
            if joined is None:
                break
            line, i = joined, j
        out.append(line)
        i += 1
    return out


def _continuation_index(lines: list[str], index: int) -> int | None:
    """The next line, across at most one blank line (double-spaced PDF text)."""
    for j in (index + 1, index + 2):
        if j >= len(lines):
            return None
        if lines[j]:
            return j if _CONTINUATION.match(lines[j]) and not lines[j].startswith("|") else None
    return None


def _join_hyphenated(line: str, following: str) -> str | None:
    """``line`` (ending in a hyphen) joined with the next line, or None if they do not join."""
    stem = line[:-1]
    first_word = following.split()[0]
    if first_word.lower() in _SUSPENSION_WORDS:
        return f"{line} {following}"
    before, after = stem[-1], following[0]
    if before.isdigit() != after.isdigit():
        # "hälso-" before "4.2 Rubrik" is no broken word.
        return None
    last_word = stem.split()[-1] if stem.split() else stem
    if before.isupper() or before.isdigit() or after.isupper() or len(last_word) == 1:
        # "ASI-utredningar", "2023-2026", "Jämtland-Härjedalen", "e-post" keep their hyphen.
        return f"{line}{following}"
    return f"{stem}{following}"


def _collapse_blank_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


# --- Joining ----------------------------------------------------------------------------------


def _page_text(page: _Page) -> str:
    lines = [
        page.replaced.get(i, line) for i, line in enumerate(page.lines) if i not in page.removed
    ]
    return "\n".join(_collapse_blank_lines(repair_hyphenation(lines)))


def _place_headings(
    text: str, offset: int, headings: Sequence[MarkedHeading]
) -> list[MarkedHeading]:
    """The marked headings of a page, each with the offset of its line in the cleaned text; in
    order, each found after the one before. A heading whose line cleaning took away is dropped."""
    lines: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, line.strip()))
        position += len(line) + 1
    placed: list[MarkedHeading] = []
    index = 0
    for heading in headings:
        wanted = _SPACES.sub(" ", _INVISIBLE.sub("", heading.text)).strip()
        for i in range(index, len(lines)):
            if lines[i][1] == wanted:
                placed.append(replace(heading, text=wanted, start=offset + lines[i][0]))
                index = i + 1
                break
        else:
            logger.debug("marked heading %r not found in the cleaned text", wanted)
    return placed


def _join(raw_pages: Sequence[RawPage], pages: list[_Page]) -> CleanedText:
    parts: list[str] = []
    spans: list[PageSpan] = []
    headings: list[MarkedHeading] = []
    offset = 0
    for raw, page in zip(raw_pages, pages, strict=True):
        text = _page_text(page)
        if text and parts:
            offset += 2
        if raw.number is not None:
            # A source without pages (Word) gives no span: its passages have no page to cite.
            spans.append(PageSpan(raw.number, offset, offset + len(text), page.printed))
        if raw.headings:
            headings.extend(_place_headings(text, offset, raw.headings))
        if text:
            parts.append(text)
            offset += len(text)
    removed = tuple(
        page.lines[i]
        for page in pages
        for i in sorted(page.removed.keys() | page.replaced.keys())
        if page.lines[i]
    )
    # A report repeating its header block on every page states it once.
    header = tuple(dict.fromkeys(line for page in pages for line in page.header))
    logger.debug("cleaned %d pages, removed %d lines", len(pages), len(removed))
    return CleanedText("\n\n".join(parts), tuple(spans), removed, header, headings=tuple(headings))
