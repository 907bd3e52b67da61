"""An extractive answer: the retrieved sentences that best match the query, each with its source.

Nothing is generated. Each sentence is copied from a passage (only whitespace is normalised) and
carries the number of the passage card it came from, so every claim in the answer can be checked
against the passage and, through its citation, against the page of the source document.

A report and the meeting packet that answers it often say the same thing in near-identical words
("Vi bedömer dock att …" / "De bedömer dock att …"). Such a sentence is quoted once, where it ranks
best, and carries the citations of the other places that say it ("även i").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import Match, SequenceMatcher

from index.models import SearchHit, chunk_citation
from index.ranking import neighbours
from ingest.models import Chunk

Tokenize = Callable[[str], list[str]]

MAX_PASSAGES = 5
MAX_SENTENCES = 3
MAX_PER_PASSAGE = 2
MIN_CHARS = 30
MAX_CHARS = 450
# A lower-ranked passage must match clearly better to beat a higher-ranked one.
RANK_DECAY = 0.2
# Two sentences say the same when this share of the longer one's words stand in both, in order
# (a changed pronoun or inflection)…
SAME_WORDS = 0.8
# … or when this share of the shorter one's words stand, in order, in the longer (it is quoted).
SAME_QUOTED = 0.85
_WORD_RE = re.compile(r"\w+")
# How many words before and after a quoted sentence may still turn it.
_REACH = 3
# Words that turn what a sentence says: two sentences that differ in one of them, or in a number,
# say different things however many words they share ("har säkerställt" / "inte har säkerställt",
# "senast den 31 mars" / "senast den 25 februari").
_TURNING_WORDS = frozenset(
    word
    for group in (
        "inte ej icke ingen inget inga aldrig utan saknas saknar delvis huvudsak viss vissa helt",
        "ja nej bristfällig bristfälliga bristfälligt tillräcklig tillräckligt tillräckliga",
        "otillräcklig otillräckligt otillräckliga ändamålsenlig ändamålsenligt ändamålsenliga",
    )
    for word in group.split()
)

# A line that starts a list item; PDF text breaks lines mid-sentence, so only these (and headings)
# keep their line break as a boundary.
_BULLET_RE = re.compile(r"^\s*(?:[—–•*▪-]|\d{1,2}[.)])\s+")
# "4.2.1 Bedömning", "5 Slutsats och rekommendationer": a numbered heading on its own line.
_HEADING_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ][^.!?]{0,80}$")
# A sentence ends at . ! or ? followed by space and a capital, digit, quote or dash. "t.ex. att"
# and "3.2" do not end one: the first is followed by a lowercase letter, the second by no space.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"”'(«A-ZÅÄÖÉÜ0-9—–])")
# The bar between two cells of a pipe-table row.
_CELL_RE = re.compile(r"\s*\|\s*")
_TERMINAL = (".", "!", "?", ".”", '."', "?”")


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    ref: int  # the number of the passage card, 1-based
    score: float
    also_in: tuple[str, ...] = ()  # citations of other places that say (nearly) the same


def near_duplicate(a: str, b: str) -> bool:
    """Do two sentences say the same in (nearly) the same words?

    Their words are aligned in order: most words of the longer one in common ("Vi bedömer dock
    att …" / "De bedömer dock att …"), or most words of the shorter one standing in the longer (a
    sentence quoted inside another). Never when a word that differs, inside the aligned stretch,
    is a negation, a grade ("delvis", "i huvudsak") or a number: "har säkerställt" and "inte har
    säkerställt" share all but one word and say the opposite."""
    a_words, b_words = _WORD_RE.findall(a.casefold()), _WORD_RE.findall(b.casefold())
    short, long = sorted((a_words, b_words), key=len)
    if not short:
        return False
    needed = min(SAME_WORDS * len(long), SAME_QUOTED * len(short))
    if sum((Counter(short) & Counter(long)).values()) < needed:
        return False  # most pairs end here, without an alignment
    blocks = [
        block
        for block in SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
        if block.size
    ]
    matched = sum(block.size for block in blocks)
    if matched >= SAME_WORDS * len(long):
        differing = _unmatched(short, blocks, "a") + _unmatched(long, blocks, "b")
    elif matched >= SAME_QUOTED * len(short):
        # The longer sentence's own words around the quote do not count, only those inside it,
        # and a negation or grade just before or after it ("nämnden inte | har säkerställt …").
        start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
        inside = long[start:end]
        shifted = [Match(0, block.b - start, block.size) for block in blocks]
        beside = long[max(0, start - _REACH) : start] + long[end : end + _REACH]
        differing = _unmatched(short, blocks, "a") + _unmatched(inside, shifted, "b")
        differing += [word for word in beside if word in _TURNING_WORDS and word not in short]
    else:
        return False
    # A number is a word that starts with a digit ("31", "2022"); "f01isatt" is a misread word.
    return not any(word in _TURNING_WORDS or word[0].isdigit() for word in differing)


def _unmatched(words: list[str], blocks: Sequence[Match], side: str) -> list[str]:
    covered = set()
    for block in blocks:
        start = block.a if side == "a" else block.b
        covered.update(range(start, start + block.size))
    return [word for i, word in enumerate(words) if i not in covered]


def segments(text: str) -> list[str]:
    """The text's list items, paragraphs and table cells as one-line strings, headings dropped.

    A sentence never runs from one cell of a pipe table ("| Fråga? | Nej. Det saknas … |") into
    the next."""
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
    joined = (" ".join(" ".join(block).split()) for block in blocks if block)
    return [cell for segment in joined for cell in _CELL_RE.split(segment) if cell]


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
    per_passage: dict[int, int] = {}
    for score, position, order, sentence in candidates:
        if len(chosen) == max_sentences:
            break
        # The same sentence in a lower-ranked place (the summary and the conclusion, the report
        # and the packet quoting it) is not quoted again; its place is listed under "även i".
        if any(near_duplicate(sentence, other[3]) for other in chosen):
            continue
        if per_passage.get(position, 0) >= MAX_PER_PASSAGE:
            continue
        per_passage[position] = per_passage.get(position, 0) + 1
        chosen.append((score, position, order, sentence))
    chosen.sort(key=lambda c: (c[1], c[2]))
    # Every passage shown (and every copy folded into one), with its sentences, read once.
    passages = [
        (chunk, sentences(chunk.text)) for hit in hits for chunk in (hit.chunk, *hit.copies)
    ]
    return [
        AnswerSentence(
            text=sentence,
            ref=hits[position].rank,
            score=round(score, 4),
            also_in=_also_in(sentence, hits[position], passages),
        )
        for score, position, _order, sentence in chosen
    ]


def _also_in(
    sentence: str, own: SearchHit, passages: Sequence[tuple[Chunk, list[str]]]
) -> tuple[str, ...]:
    """Citations of the other passages (hits and the copies folded into them) that hold a
    near-duplicate of ``sentence``, in rank order. Not the quoted passage itself, nor the
    overlapping window next to it in its section: those are the same place."""
    own_citation = own.citation()
    places: dict[str, None] = {}
    for chunk, found in passages:
        if chunk.chunk_id == own.chunk.chunk_id or neighbours(chunk, own.chunk):
            continue
        citation = chunk_citation(chunk)
        if citation == own_citation or citation in places:
            continue
        if any(near_duplicate(sentence, other) for other in found):
            places[citation] = None
    return tuple(places)
