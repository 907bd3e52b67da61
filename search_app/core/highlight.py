"""Document text as safe HTML, with the words that match the query marked.

Every character of document text goes through ``html.escape``: a passage that contains markup
("<script>", "<b>") is shown as the characters it is, never rendered. Only the ``<mark>`` tags
added here are HTML.

A word is marked when the search's own analyzer gives it a term the query also has, so
"regionen" matches a query for "region" and "missbruksvården" one for "missbruk", just as BM25
matched them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

Tokenize = Callable[[str], list[str]]

# Words as the analyzer sees them, plus law references ("2011:9") kept whole.
_WORD_RE = re.compile(r"\d+(?::\d+)+|[^\W_]+")


def casefold_words(text: str) -> list[str]:
    """A plain tokenizer for when no analyzer is at hand: lowercased words."""
    return [w.casefold() for w in _WORD_RE.findall(text)]


def query_terms(query: str, tokenize: Tokenize) -> frozenset[str]:
    # One-letter terms ("9" of "2011:9", "s" of "s. 4") would mark half the text.
    return frozenset(t for t in tokenize(query) if len(t) > 1)


def matches(text: str, terms: Iterable[str], tokenize: Tokenize) -> list[tuple[int, int]]:
    """The spans of the words in ``text`` whose terms meet ``terms``: what ``highlight`` marks."""
    wanted = frozenset(terms)
    if not wanted:
        return []
    return [
        match.span()
        for match in _WORD_RE.finditer(text)
        if len(match.group(0)) >= 2 and not wanted.isdisjoint(tokenize(match.group(0)))
    ]


def highlight(text: str, terms: Iterable[str], tokenize: Tokenize) -> str:
    """``text`` escaped for HTML, with each word whose terms meet ``terms`` wrapped in <mark>."""
    parts: list[str] = []
    position = 0
    for start, end in matches(text, terms, tokenize):
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


# Where a window may start: a line's start, or a sentence's after its end mark ("t.ex. att" is
# no sentence start: a lower-case word follows).
_START_RE = re.compile(r"(?:(?<=\n)|(?<=[.!?:;])\s+)(?=[^\sa-zåäöéü])")
_SPACE_RE = re.compile(r"\s")


def best_window(text: str, terms: Iterable[str], tokenize: Tokenize, size: int) -> tuple[int, int]:
    """The stretch of about ``size`` characters of ``text`` that holds most query-word matches
    (ties: more distinct words, then the earlier stretch), cut at word boundaries.

    It opens at the text's start when the matches fit there, else at a line or sentence start
    close enough before the first match. ``(0, len(text))`` when the text is no longer.
    """
    if len(text) <= size:
        return 0, len(text)
    found = matches(text, terms, tokenize)
    if not found:
        return 0, _end_at_word(text, size, 0)
    best: tuple[int, int, int] = (0, 0, 0)  # matches, distinct words, -first match
    first = last = j = 0
    for i, (window_start, _) in enumerate(found):
        j = max(j, i)
        while j + 1 < len(found) and found[j + 1][1] <= window_start + size:
            j += 1
        words = {text[a:b].casefold() for a, b in found[i : j + 1]}
        key = (j - i + 1, len(words), -i)
        if key > best:
            best, first, last = key, i, j
    span_start, span_end = found[first][0], found[last][1]
    earliest = span_end - size  # the window must still reach the last match
    if earliest <= 0:
        return 0, _end_at_word(text, size, span_end)
    starts = [m.end() for m in _START_RE.finditer(text, earliest, span_start + 1)]
    to_the_end = [s for s in starts if s + size >= len(text)]
    if to_the_end:
        start = to_the_end[0]  # the window runs to the text's end: open it as early as it can
    elif starts:
        start = starts[-1]  # the sentence of the first match
    else:
        middle = (earliest + span_start) // 2
        start = _start_at_word(text, max(middle, len(text) - size), span_start)
    return start, _end_at_word(text, start + size, span_end)


def _start_at_word(text: str, position: int, latest: int) -> int:
    """``position``, moved on to the start of a word (never past ``latest``)."""
    position = max(0, position)
    if position == 0 or text[position - 1].isspace():
        return position
    space = _SPACE_RE.search(text, position, latest)
    return space.end() if space else latest


def _end_at_word(text: str, position: int, earliest: int) -> int:
    """``position``, moved back to the end of a word (never before ``earliest``)."""
    if position >= len(text):
        return len(text)
    if text[position].isspace():
        return position
    cut = max(text.rfind(" ", earliest, position), text.rfind("\n", earliest, position))
    return cut if cut > earliest else max(earliest, position)
