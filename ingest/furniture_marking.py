"""Mark the page furniture on pages being cleaned, for cleaning to leave out.

Furniture by shape, wherever it stands (``ingest.furniture_lines``): copyright and classification
footers, page markers, letterhead/address blocks, a table of contents, bare page numbers at a
page's edge, a KPMG-style running header of kommun + report title + date. Furniture by
recurrence: lines that recur near the top or bottom of many pages, unless they would be most of
the text. Head lines that the item splitter reads are never dropped for recurring.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.furniture_lines import (
    find_address_blocks,
    find_footer_lines,
    find_page_markers,
    is_bare_page_number,
    is_page_label,
)
from ingest.item_heads import (
    is_date_line,
    is_head_label,
    is_head_line,
    is_kommun_line,
    is_letterhead_line,
)

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")
# A table-of-contents entry: a title, a dot leader and a page number ("2.1 Bakgrund.......3").
_CONTENTS_ENTRY = re.compile(r"\S.*?(?:\.\s?){4,}\s*\d{1,3}$|\S.*?…{2,}\s*\d{1,3}$")
_CONTENTS_TITLE = re.compile(r"^(?:innehåll|innehållsförteckning|innehållsförteckning:)$", re.I)

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
class CleaningPage:
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


def mark_furniture(pages: list[CleaningPage]) -> tuple[str, ...]:
    """Mark the furniture on ``pages``; a warning for recurring lines kept as text."""
    for page in pages:
        _mark_footers_and_markers(page)
        _mark_contents(page)
    for page in pages:
        _mark_split_marker(page)
        _mark_running_header(page)
    if len(pages) > 1:
        _mark_edge_page_numbers(pages)
    return _mark_recurring(pages)


# --- Furniture by shape -----------------------------------------------------------------------


def _mark_footers_and_markers(page: CleaningPage) -> None:
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


def _mark_contents(page: CleaningPage) -> None:
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


def _mark_split_marker(page: CleaningPage) -> None:
    """A lone "Sida" at a page's edge: its number went to the neighbouring page."""
    for i, text in page.first_kept(1) + page.last_kept(1):
        if is_page_label(text):
            page.remove(i, "page marker")


def _mark_running_header(page: CleaningPage) -> None:
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


def _mark_edge_page_numbers(pages: list[CleaningPage]) -> None:
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


def _edge_numbers(page: CleaningPage) -> list[tuple[int, str]]:
    edges = page.first_kept(1) + page.last_kept(_NUMBER_WINDOW)
    return [(i, text) for i, text in edges if is_bare_page_number(text)]


def _beside_footer(page: CleaningPage, index: int) -> bool:
    """A number next to a copyright or classification footer (only blank lines between)."""
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(page.lines) and not page.lines[j]:
            j += step
        if 0 <= j < len(page.lines) and page.removed.get(j) == "footer":
            return True
    return False


# --- Furniture by recurrence ------------------------------------------------------------------


def _mark_recurring(pages: list[CleaningPage]) -> tuple[str, ...]:
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
