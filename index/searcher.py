"""Search an index: filters first, then BM25, dense or both fused. The API the CLI and app share."""

from __future__ import annotations

import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import layout
from index.chunk_store import read_chunks, read_documents
from index.dense import EXACT_SUBSET_LIMIT, DenseIndex
from index.embedders import Embedder, load_embedder
from index.file_lock import READ_LOCK
from index.hybrid import FusionSettings, fuse
from index.index_config import IndexConfig
from index.layout import IndexConfigError
from index.lexical import LexicalIndex
from index.models import MAX_K, MAX_QUERY_CHARS, MODES, Filters, SearchHit, SearchResults
from index.query_understanding import Interpretation, interpret
from index.ranking import (
    RankingSettings,
    boost,
    group,
    neighbours,
    trigrams,
    with_neighbours,
)
from ingest.models import Chunk, DocumentRecord
from ingest.places import normalise_committee, resolve_place
from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 256
# A load retried after this many version switches in a row gives up (a build takes seconds).
LOAD_ATTEMPTS = 5
# How much deeper the whole index is searched to find a large kommun's own best passages.
SOFT_POOL_WIDENING = 4


class IndexMismatch(IndexProblem):
    """The index was built with another embedder than the one offered for querying it."""


class _Column:
    """One categorical metadata field as integer codes, so a filter is one vectorised test."""

    def __init__(self, values: Sequence[str | None]):
        self.codes: dict[str, int] = {}
        self.array = np.fromiter(
            (self.codes.setdefault(v.casefold(), len(self.codes)) if v else -1 for v in values),
            dtype=np.int32,
            count=len(values),
        )

    def mask(self, allowed: Sequence[str]) -> np.ndarray:
        wanted = [self.codes[a.casefold()] for a in allowed if a.casefold() in self.codes]
        return np.isin(self.array, np.array(wanted, dtype=np.int32))


@dataclass(frozen=True)
class _TitleIndex:
    """Distinct document titles as token sets: which titles hold a token, each title's size and
    the documents that carry it."""

    postings: dict[str, list[int]]
    sizes: list[int]
    documents: list[list[str]]


@dataclass
class Searcher:
    path: Path
    config: IndexConfig
    chunks: list[Chunk]
    documents: list[DocumentRecord]
    dense: DenseIndex
    lexical: LexicalIndex
    embedder: Embedder
    fusion: FusionSettings
    ranking: RankingSettings = field(default_factory=RankingSettings)

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Searcher:
        """The live version of ``index_dir``, checked: counts, dimensions and files agree.

        A build may switch versions while this loads. The version read stays until the next
        switch; should a second switch remove it mid-load, the load starts over from ``CURRENT``.
        """
        index_dir = Path(index_dir)
        for attempt in range(1, LOAD_ATTEMPTS + 1):
            pointer = layout.current_name(index_dir)
            try:
                return cls._load_version(index_dir, layout.live_version(index_dir), embedder)
            except IndexProblem:
                if attempt == LOAD_ATTEMPTS or layout.current_name(index_dir) == pointer:
                    raise
                log.info("Indexet bytte version under inläsningen; läser om %s", index_dir)
        raise AssertionError("unreachable")

    @classmethod
    def _load_version(cls, index_dir: Path, version: Path, embedder: Embedder | None) -> Searcher:
        config = IndexConfig.read(version)
        if embedder is None:
            embedder = load_embedder(config.embedder_name)
        elif embedder.name != config.embedder_name:
            raise IndexMismatch(
                f"Indexet i {index_dir} är byggt med embeddern '{config.embedder_name}', men "
                f"frågor skulle kodas med '{embedder.name}'. Sök med samma embedder, eller bygg "
                f"om indexet med 'revsok ingest --replace --embedder {embedder.name} …'."
            )
        if embedder.dimension != config.dimension:
            raise IndexMismatch(
                f"Indexet har dimension {config.dimension}, embeddern {embedder.dimension}"
            )
        with READ_LOCK:
            searcher = cls(
                path=version,
                config=config,
                chunks=read_chunks(version),
                documents=read_documents(version),
                dense=DenseIndex.load(version, config.dense, config.dense_kind),
                lexical=LexicalIndex.load(version),
                embedder=embedder,
                fusion=config.fusion,
                ranking=config.ranking,
            )
        searcher._check_counts()
        searcher._columns()
        return searcher

    def _check_counts(self) -> None:
        """Every part of the version has the rows and dimension its config records."""
        config = self.config
        expected = config.counts.chunks
        found = {
            "chunkar i chunks.sqlite": len(self.chunks),
            "vektorer i vectors.npy": self.dense.size,
            "rader i BM25-indexet": self.lexical.size,
        }
        wrong = [f"{n} {what}" for what, n in found.items() if n != expected]
        if len(self.documents) != config.counts.documents:
            wrong.append(f"{len(self.documents)} dokument (config: {config.counts.documents})")
        if self.dense.size and self.dense.vectors.shape[1] != config.dimension:
            wrong.append(f"vektorer med dimension {self.dense.vectors.shape[1]}")
        if wrong:
            raise IndexConfigError(
                f"Indexet i {self.path} hänger inte ihop: config.json säger {expected} chunkar "
                f"med dimension {config.dimension}, men där finns {', '.join(wrong)}. Bygg om "
                "det med 'revsok ingest --replace …'."
            )

    def _columns(self) -> None:
        chunks = self.chunks
        self._years = np.array([c.year or 0 for c in chunks], dtype=np.int32)
        self._by_field = {
            "municipalities": _Column([c.municipality for c in chunks]),
            "committees": _Column([c.committee for c in chunks]),
            "doc_types": _Column([c.doc_type for c in chunks]),
            "section_kinds": _Column([c.section_kind for c in chunks]),
            "audit_firms": _Column([c.audit_firm for c in chunks]),
        }

    def query_vector(self, query: str) -> np.ndarray:
        # The app re-runs one query with other filters, pages and modes; embed it once. The app's
        # sessions share this searcher from several threads, so the cache is locked.
        lock = self.__dict__.setdefault("_query_lock", threading.Lock())
        with lock:
            cache = self.__dict__.setdefault("_query_vectors", OrderedDict())
            if query in cache:
                cache.move_to_end(query)
                return cache[query]
        vector = self.embedder.encode_queries([query])[0]
        with lock:
            cache = self.__dict__.setdefault("_query_vectors", OrderedDict())
            cache[query] = vector
            if len(cache) > QUERY_CACHE_SIZE:
                cache.popitem(last=False)
        return vector

    def forget_query_vectors(self) -> None:
        """Drop the embedded-query cache, so the next search embeds its query again."""
        with self.__dict__.setdefault("_query_lock", threading.Lock()):
            self.__dict__.pop("_query_vectors", None)

    def resolve_municipality(self, name: str) -> str:
        """The indexed form of a kommun a user names: "Piteå" → "Piteå kommun"."""
        indexed = {c.municipality.casefold(): c.municipality for c in self.chunks if c.municipality}
        if name.casefold() in indexed:
            return indexed[name.casefold()]
        place = resolve_place(name)
        return place.official_name if place else name

    def resolve_committee(self, name: str) -> str:
        return normalise_committee(name) or name

    def allowed_rows(self, filters: Filters | None) -> np.ndarray | None:
        """Boolean mask of rows the filters accept; None when nothing is filtered."""
        if filters is None or filters.is_empty():
            return None
        mask = np.ones(len(self.chunks), dtype=bool)
        for name, column in self._by_field.items():
            values = getattr(filters, name)
            if values:
                mask &= column.mask(values)
        if filters.year_from is not None:
            mask &= self._years >= filters.year_from
        if filters.year_to is not None:
            mask &= (self._years <= filters.year_to) & (self._years > 0)
        return mask

    def _soft_rows(
        self, interpretation: Interpretation, allowed: np.ndarray | None
    ) -> np.ndarray | None:
        """Rows of the kommun and years the query names, to widen the candidate pool with.

        Without this, a query naming Ragunda could only reorder the best passages of the whole
        index; Ragunda's own best passages must be candidates too. None when nothing applies.
        """
        kommuner = interpretation.values("kommun")
        has_years = bool(interpretation.of_kind("år"))
        if not kommuner and not has_years:
            return None
        mask = np.ones(len(self.chunks), dtype=bool) if allowed is None else allowed.copy()
        if kommuner:
            mask &= self._by_field["municipalities"].mask(kommuner)
        if has_years:
            low, high = interpretation.year_range
            if low is not None:
                mask &= self._years >= low
            if high is not None:
                mask &= (self._years <= high) & (self._years > 0)
        return mask if mask.any() else None

    def _dense_within(self, vector: np.ndarray, depth: int, rows: np.ndarray) -> list:
        """The best ``depth`` dense hits among ``rows``.

        A small set is scanned exactly. A large one (one kommun is most of the index) is served
        by a deeper search of the whole index, kept to the set: a graph search restricted by a
        selector to most of a large index is many times slower and adds little.
        """
        if np.count_nonzero(rows) <= EXACT_SUBSET_LIMIT:
            return self.dense.search(vector, depth, rows)
        deeper = self.dense.search(vector, depth * SOFT_POOL_WIDENING)
        return [(row, score) for row, score in deeper if rows[row]][:depth]

    def _about_documents(self, query: str) -> frozenset[str]:
        """Documents whose title the query mostly repeats: the cap on one document lifts."""
        wanted = set(self.lexical.analyzer.tokenize(query))
        if not wanted:
            return frozenset()
        titles = self._title_index()
        # Counting, per distinct title, the query tokens it holds through a token → titles map
        # touches only titles sharing a token with the query. Comparing the query with every
        # document's title took 22 ms a search at 400,000 generated chunks.
        shared = Counter()
        for token in wanted:
            shared.update(titles.postings.get(token, ()))
        return frozenset(
            doc_id
            for group, count in shared.items()
            if count >= max(2, 0.6 * titles.sizes[group])
            for doc_id in titles.documents[group]
        )

    def _title_index(self) -> _TitleIndex:
        if "_titles" not in self.__dict__:
            by_tokens: dict[frozenset[str], list[str]] = {}
            seen: set[str] = set()
            for chunk in self.chunks:
                if chunk.title and chunk.doc_id not in seen:
                    seen.add(chunk.doc_id)
                    tokens = frozenset(self.lexical.analyzer.tokenize(chunk.title))
                    if tokens:
                        by_tokens.setdefault(tokens, []).append(chunk.doc_id)
            postings: dict[str, list[int]] = {}
            for group, tokens in enumerate(by_tokens):
                for token in tokens:
                    postings.setdefault(token, []).append(group)
            self._titles = _TitleIndex(
                postings=postings,
                sizes=[len(tokens) for tokens in by_tokens],
                documents=list(by_tokens.values()),
            )
        return self._titles

    def _neighbours(self, row: int) -> tuple[int, ...]:
        """The windows before and after ``row`` in the same section (rows are in reading order)."""
        return tuple(
            other
            for other in (row - 1, row + 1)
            if 0 <= other < len(self.chunks) and neighbours(self.chunks[row], self.chunks[other])
        )

    def _shingles(self, row: int) -> frozenset:
        cache = self.__dict__.setdefault("_shingle_cache", {})
        if row not in cache:
            cache[row] = trigrams(self.chunks[row].text)
        return cache[row]

    def interpret(self, query: str, ignore: Sequence[str] = ()) -> Interpretation:
        """How ``search`` will understand ``query``: the same cut query, the same parts."""
        return interpret(_bounded(query)[0], ignore)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        fusion: FusionSettings | None = None,
        ranking: RankingSettings | None = None,
        *,
        understand: bool = True,
        ignore: Sequence[str] = (),
    ) -> SearchResults:
        """The top ``k`` distinct passages for ``query``, with how the query was understood.

        ``understand`` reads kommun, years, nämnd, document type and section out of the query and
        uses them as ranking signals; ``ignore`` names recognised parts (chip keys) to leave out.
        """
        if mode not in MODES:
            raise ValueError(f"okänt sökläge '{mode}' (välj {', '.join(MODES)})")
        if not 1 <= k <= MAX_K:
            raise ValueError(f"antal träffar (k) måste vara 1–{MAX_K}, inte {k}")
        query, truncated_from = _bounded(query)
        interpretation = interpret(query, ignore) if understand else Interpretation(query)
        if not query:
            return SearchResults([], interpretation)
        fusion = fusion or self.fusion
        ranking = ranking or self.ranking
        allowed = self.allowed_rows(filters)
        soft = self._soft_rows(interpretation, allowed)
        lexical_query = interpretation.stripped_query(ranking.strip_lexical)
        dense_query = lexical_query if ranking.strip_dense else query
        depth = max(fusion.depth, k)
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.lexical.search(lexical_query, depth, allowed)
            if soft is not None:
                rankings["bm25"] = _union(
                    rankings["bm25"], self.lexical.search(lexical_query, depth, soft)
                )
        vector = None
        if mode in ("dense", "hybrid"):
            vector = self.query_vector(dense_query)
            rankings["dense"] = self.dense.search(vector, depth, allowed)
            if soft is not None:
                rankings["dense"] = _union(
                    rankings["dense"], self._dense_within(vector, depth, soft)
                )
        fused = rankings[mode] if mode != "hybrid" else fuse(rankings, fusion)
        fused = with_neighbours(fused, self._neighbours, ranking.neighbour_weight)
        ranked = boost(fused, self.chunks, interpretation, ranking)
        groups = group(
            ranked,
            self.chunks,
            k,
            ranking,
            self._about_documents(lexical_query),
            self._shingles,
        )
        positions = {
            name: {row: (rank, score) for rank, (row, score) in enumerate(ranking_, start=1)}
            for name, ranking_ in rankings.items()
        }
        hits = []
        for rank, item in enumerate(groups, start=1):
            row = item.row
            found_by = {name: pos[row] for name, pos in positions.items() if row in pos}
            similarity = None if vector is None else float(self.dense.vectors[row] @ vector)
            hits.append(
                SearchHit(
                    chunk=self.chunks[row],
                    rank=rank,
                    score=float(item.score),
                    retrievers=tuple(found_by),
                    retriever_ranks={name: r for name, (r, _) in found_by.items()},
                    retriever_scores={name: float(s) for name, (_, s) in found_by.items()},
                    copies=tuple(self.chunks[c] for c in item.copies),
                    similarity=similarity,
                    weak=similarity is not None and similarity < ranking.weak_below,
                )
            )
        return SearchResults(hits, interpretation, truncated_from)


def _bounded(query: str) -> tuple[str, int]:
    """The query stripped and cut to MAX_QUERY_CHARS at a word; its length when it was cut, else
    0. Reading places out of a 100,000-character query alone took over a second."""
    query = query.strip()
    if len(query) <= MAX_QUERY_CHARS:
        return query, 0
    cut = query[:MAX_QUERY_CHARS]
    return cut.rsplit(" ", 1)[0] or cut, len(query)


def _union(
    first: list[tuple[int, float]], second: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """Two rankings of one retriever (same scores, other masks) as one, best first."""
    scores = dict(first)
    for row, score in second:
        scores.setdefault(row, score)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
