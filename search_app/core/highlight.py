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


def highlight(text: str, terms: Iterable[str], tokenize: Tokenize) -> str:
    """``text`` escaped for HTML, with each word whose terms meet ``terms`` wrapped in <mark>."""
    wanted = frozenset(terms)
    if not wanted:
        return html.escape(text)
    parts: list[str] = []
    position = 0
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        if len(word) < 2 or wanted.isdisjoint(tokenize(word)):
            continue
        parts.append(html.escape(text[position : match.start()]))
        parts.append(f"<mark>{html.escape(word)}</mark>")
        position = match.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def excerpt(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary and marked with " …"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"
