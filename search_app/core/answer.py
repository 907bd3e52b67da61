"""An extractive answer: the retrieved sentences that best match the query, each with its source.

Nothing is generated. Each sentence is copied from a passage (only whitespace is normalised) and
carries the number of the passage card it came from, so every claim in the answer can be checked
against the passage and, through its citation, against the page of the source document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.models import SearchHit

Tokenize = Callable[[str], list[str]]

MAX_PASSAGES = 5
MAX_SENTENCES = 3
MAX_PER_PASSAGE = 2
MIN_CHARS = 30
MAX_CHARS = 450
# A lower-ranked passage must match clearly better to beat a higher-ranked one.
RANK_DECAY = 0.2

# A line that starts a list item; PDF text breaks lines mid-sentence, so only these (and headings)
# keep their line break as a boundary.
_BULLET_RE = re.compile(r"^\s*(?:[—–•*▪-]|\d{1,2}[.)])\s+")
# "4.2.1 Bedömning", "5 Slutsats och rekommendationer": a numbered heading on its own line.
_HEADING_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ][^.!?]{0,80}$")
# A sentence ends at . ! or ? followed by space and a capital, digit, quote or dash. "t.ex. att"
# and "3.2" do not end one: the first is followed by a lowercase letter, the second by no space.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"”'(«A-ZÅÄÖÉÜ0-9—–])")
_TERMINAL = (".", "!", "?", ".”", '."', "?”")


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    ref: int  # the number of the passage card, 1-based
    score: float


def segments(text: str) -> list[str]:
    """The text's list items and paragraphs as one-line strings, headings dropped."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            continue
        if _HEADING_RE.match(line):
            blocks.append([])
            continue
        if _BULLET_RE.match(line) and blocks[-1]:
            blocks.append([])
        blocks[-1].append(line.strip())
    return [" ".join(" ".join(block).split()) for block in blocks if block]


def sentences(text: str) -> list[str]:
    """Complete sentences of a passage, in order.

    A passage is cut out of a longer text, so its first sentence may begin mid-way (lowercase
    start) and its last may stop mid-way (no end mark): those fragments are left out.
    """
    found: list[str] = []
    for segment in segments(text):
        found.extend(part.strip() for part in _SENTENCE_END_RE.split(segment) if part.strip())
    if found and found[0][:1].islower():
        found = found[1:]
    if found and not found[-1].endswith(_TERMINAL):
        found = found[:-1]
    return found


def build_answer(
    query: str,
    hits: Sequence[SearchHit],
    tokenize: Tokenize,
    *,
    max_sentences: int = MAX_SENTENCES,
) -> list[AnswerSentence]:
    """The sentences of the top passages that share most terms with the query, best passages first.

    A sentence scores the share of the query's distinct terms it contains, discounted by the rank
    of its passage. Queries of three or more terms need two of them in a sentence, so that one
    common word alone does not make an answer.
    """
    query_terms = {t for t in tokenize(query) if len(t) > 1}
    if not query_terms:
        return []
    needed = 2 if len(query_terms) >= 3 else 1
    candidates: list[tuple[float, int, int, str]] = []
    for position, hit in enumerate(hits[:MAX_PASSAGES]):
        for order, sentence in enumerate(sentences(hit.chunk.text)):
            if not MIN_CHARS <= len(sentence) <= MAX_CHARS:
                continue
            matched = len(query_terms & set(tokenize(sentence)))
            if matched < needed:
                continue
            score = matched / len(query_terms) / (1 + RANK_DECAY * position)
            candidates.append((score, position, order, sentence))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[tuple[float, int, int, str]] = []
    seen: list[str] = []
    per_passage: dict[int, int] = {}
    for score, position, order, sentence in candidates:
        if len(chosen) == max_sentences:
            break
        key = sentence.casefold()
        # Reports repeat a recommendation in the summary and the conclusion: quote it once.
        if any(key in other or other in key for other in seen):
            continue
        if per_passage.get(position, 0) >= MAX_PER_PASSAGE:
            continue
        per_passage[position] = per_passage.get(position, 0) + 1
        seen.append(key)
        chosen.append((score, position, order, sentence))
    chosen.sort(key=lambda c: (c[1], c[2]))
    return [
        AnswerSentence(text=sentence, ref=hits[position].rank, score=round(score, 4))
        for score, position, _order, sentence in chosen
    ]
