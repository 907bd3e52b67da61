"""Clean pages and join them into one text with a span per page.

HTML fragments printed in the source ("<p>Nej. …</p>", "<ul style=…>") first become the plain
text they stand for (``ingest.markup``). Then removes the page furniture that
``ingest.furniture_marking`` marks: lines that recur near the top or bottom of many pages, and
lines that are furniture by their shape wherever they stand (copyright and classification
footers, page markers, protocol footers, letterhead/address blocks, bare page numbers at a page's
edge, a KPMG-style running header of kommun + report title + date). Then repairs hyphenation at
line ends and normalises whitespace. Head lines that the item splitter reads are never dropped for
recurring.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.furniture_marking import CleaningPage, mark_furniture
from ingest.markup import markup_to_text
from ingest.models import CleanedText, MarkedHeading, PageSpan, RawPage

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\r]")
_HYPHENATED = re.compile(r"(?P<stem>.*[A-Za-zÅÄÖåäöÉéÜü0-9])-$")
_CONTINUATION = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü0-9]")
# A hyphen before these words marks a suspended compound ("missbruks- och beroendevård").
_SUSPENSION_WORDS = {"och", "eller", "samt", "respektive", "till", "som", "resp.", "el."}
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


def clean_pages(pages: Sequence[RawPage]) -> CleanedText:
    """Cleaned text of a source (pages joined by a blank line) and the span of every page."""
    work = [CleaningPage(_normalise_lines(markup_to_text(page.text))) for page in pages]
    warnings = mark_furniture(work)
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


def _page_text(page: CleaningPage) -> str:
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


def _join(raw_pages: Sequence[RawPage], pages: list[CleaningPage]) -> CleanedText:
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
