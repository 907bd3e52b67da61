"""Split plain text (.txt/.md) into pages.

Form feeds are page breaks when present. Text extracted from PDFs without them still shows
where its pages met: a footer block (page number, "© 2021 KPMG AB …", "Document
classification", "Justerandes sign … Utdragsbestyrkande", a tjänsteskrivelse's address block)
ends a page; a header with a page marker ("Sida 1 av 8", "Sida 1(2)", "9(32)") or a document
word (TJÄNSTESKRIVELSE …) starts one. Pages split at line boundaries, so joining their texts
with "\\n" gives back the input. The furniture lines themselves are recognised by
``ingest.furniture_lines``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ingest.furniture_lines import (
    PageMarker,
    extend_cluster,
    find_address_blocks,
    find_footer_lines,
    find_page_markers,
    is_address_label,
    is_address_member,
    is_address_value,
    is_bare_page_number,
    is_footer_line,
)
from ingest.item_heads import doc_word, is_head_block_line, is_head_label, is_letterhead_line
from ingest.models import RawPage

logger = logging.getLogger(__name__)

_ORIENTATION_WINDOW = 3
_RUNNING_LINE_CHARS = 100
_MIN_RUNNING_REPEATS = 3
_HEAD_BLOCK_LINES = 8


def split_text_pages(text: str) -> list[RawPage]:
    """Pages of a plain-text source, numbered 1.. in order; one page when no boundary shows."""
    if "\f" in text:
        parts = text.split("\f")
        if len(parts) > 1 and not parts[-1].strip():
            parts = parts[:-1]
        return [RawPage(i + 1, part) for i, part in enumerate(parts)]
    lines = text.split("\n")
    boundaries = _boundaries(lines)
    starts = [0, *boundaries]
    ends = [*boundaries, len(lines)]
    pages = [
        RawPage(n + 1, "\n".join(lines[a:b]))
        for n, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]
    logger.debug("split %d lines into %d pages", len(lines), len(pages))
    return pages


def _boundaries(lines: Sequence[str]) -> list[int]:
    """Line indexes where a new page starts, keeping only those that close a page with content."""
    markers = find_page_markers(lines)
    marker_lines = {i for m in markers for i in range(m.first, m.last + 1)}
    headers = [m for m in markers if _is_header_marker(lines, m)]
    footers = [m for m in markers if m not in headers]
    candidates = _footer_boundaries(lines, footers, marker_lines)
    candidates += _numbered_furniture_boundaries(lines)
    header_lines = {i for m in headers for i in range(m.first, m.last + 1)}
    candidates += _header_boundaries(lines, headers, header_lines)
    kept: list[int] = []
    last = 0
    for boundary in sorted(set(candidates)):
        if 0 < boundary < len(lines) and _has_content(lines, last, boundary, marker_lines):
            kept.append(boundary)
            last = boundary
    return kept


def _footer_boundaries(
    lines: Sequence[str], footers: list[PageMarker], marker_lines: set[int]
) -> list[int]:
    """A page ends after each footer block; the next page starts at the next non-blank line."""
    footer_lines = {m.first for m in footers}
    core = sorted(set(find_footer_lines(lines)) | footer_lines)

    def member(lines: Sequence[str], index: int) -> bool:
        text = lines[index]
        return (
            index in marker_lines
            or is_footer_line(text)
            or is_bare_page_number(text)
            or is_address_member(lines, index)
        )

    ends = [_trim_letterhead(lines, *extend_cluster(lines, i, member)) for i in core]
    ends += [_trim_letterhead(lines, *block) for block in find_address_blocks(lines)]
    return [b for b in (_next_nonblank(lines, end) for end in ends) if b is not None]


def _numbered_furniture_boundaries(lines: Sequence[str]) -> list[int]:
    """A page ends after a bare page number standing beside a running line.

    Text taken from a PDF without page breaks still shows where pages met: a running head or
    foot ("Deloitte.", "Linköpings kommun" + the report's title) recurs line for line beside a
    page number that grows by one each time. A number counts only in such a sequence of at
    least three, so list numbers and table cells do not end pages.
    """
    counts: dict[str, int] = {}
    for line in lines:
        text = line.strip()
        if text and len(text) <= _RUNNING_LINE_CHARS and not is_bare_page_number(text):
            counts[text] = counts.get(text, 0) + 1

    def running(index: int) -> bool:
        return counts.get(lines[index].strip(), 0) >= _MIN_RUNNING_REPEATS

    found: list[tuple[int, int]] = []  # (line of the number, the number)
    for i, line in enumerate(lines):
        if not is_bare_page_number(line):
            continue
        before = _nonblank_indexes(lines, i, -1, 1)
        after = _nonblank_indexes(lines, i, +1, 1)
        if any(running(j) for j in before + after):
            found.append((i, int(line.strip())))
    in_sequence = [
        (i, n)
        for k, (i, n) in enumerate(found)
        if (k > 0 and found[k - 1][1] == n - 1) or (k + 1 < len(found) and found[k + 1][1] == n + 1)
    ]
    if len(in_sequence) < _MIN_RUNNING_REPEATS:
        return []
    return [b for b in (_next_nonblank(lines, i) for i, _ in in_sequence) if b is not None]


def _trim_letterhead(lines: Sequence[str], first: int, last: int) -> int:
    """Last line of a footer block; a kommun line after it opens the next page's header."""
    while last > first and (is_letterhead_line(lines[last]) or not lines[last].strip()):
        last -= 1
    return last


def _header_boundaries(
    lines: Sequence[str], headers: list[PageMarker], header_lines: set[int]
) -> list[int]:
    """A page starts at the head block of a header page marker or of a document word."""
    anchors = [m.first for m in headers]
    anchors += [i for i, line in enumerate(lines) if doc_word(line)]
    return [_head_block_start(lines, i, header_lines) for i in anchors]


def _is_header_marker(lines: Sequence[str], marker: PageMarker) -> bool:
    """A marker next to Datum/Dnr/document words is a header; elsewhere it closes a page."""
    before = _nonblank_indexes(lines, marker.first, -1, _ORIENTATION_WINDOW)
    after = _nonblank_indexes(lines, marker.last, +1, _ORIENTATION_WINDOW)
    if any(is_address_label(lines[i]) for i in after):
        return False
    if any(is_head_label(lines[i]) for i in before):
        return True
    # A head only after the marker opens this page only if nothing but furniture precedes it;
    # otherwise the marker closes the previous document's last page.
    furniture_before = all(
        is_footer_line(lines[i]) or is_address_label(lines[i]) or is_address_value(lines[i])
        for i in before
    )
    return furniture_before and any(is_head_label(lines[i]) for i in after)


def _nonblank_indexes(lines: Sequence[str], index: int, step: int, limit: int) -> list[int]:
    found, j = [], index + step
    while 0 <= j < len(lines) and len(found) < limit:
        if lines[j].strip():
            found.append(j)
        j += step
    return found


def _head_block_start(lines: Sequence[str], index: int, header_lines: set[int]) -> int:
    """Walk back from a header anchor over the lines of its head block (TJÄNSTESKRIVELSE …)."""
    start = index
    for i in _nonblank_indexes(lines, index, -1, _HEAD_BLOCK_LINES):
        if not (i in header_lines or is_head_block_line(lines[i])):
            break
        start = i
    return start


def _next_nonblank(lines: Sequence[str], index: int) -> int | None:
    found = _nonblank_indexes(lines, index, +1, 1)
    return found[0] if found else None


def _has_content(lines: Sequence[str], start: int, end: int, marker_lines: set[int]) -> bool:
    """Whether lines[start:end] hold anything besides head, marker and footer lines."""
    for i in range(start, end):
        text = lines[i].strip()
        if not text or i in marker_lines:
            continue
        if is_footer_line(text) or is_head_block_line(text) or is_address_value(text):
            continue
        if is_address_label(text) or is_bare_page_number(text):
            continue
        return True
    return False
