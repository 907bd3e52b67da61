"""Search an index: filters first, then BM25, dense or both fused. The API the CLI and app share."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import layout
from index.candidates import dense_ranking, lexical_ranking, soft_rows
from index.chunk_store import read_documents
from index.chunk_table import ChunkColumns, ChunkTable
from index.dense import DenseIndex
from index.embedder_contract import Embedder
from index.embedders import load_embedder
from index.file_lock import READ_LOCK
from index.hybrid import FusionSettings, fuse
from index.index_config import IndexConfig
from index.layout import IndexConfigError
from index.lexical import LexicalIndex
from index.models import (
    DEFAULT_K,
    FILTER_FIELDS,
    MAX_K,
    MAX_QUERY_CHARS,
    MODES,
    Filters,
    SearchHit,
    SearchResults,
)
from index.query_understanding import Interpretation, interpret
from index.ranking import (
    RankingSettings,
    boost,
    group,
    neighbours,
    scanned_for,
    trigrams,
    with_neighbours,
)
from index.title_index import TitleIndex
from ingest.models import Chunk, DocumentRecord
from ingest.places import official_name
from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 256
# Word trigrams of passages seen by recent searches (for folding copies together).
SHINGLE_CACHE_ROWS = 20_000
# A load retried after this many version switches in a row gives up (a build takes seconds).
LOAD_ATTEMPTS = 5


# ``Filters`` names the fields in the plural (a user picks several kommuner), a chunk singular.
_FILTER_NAMES = {f.name: f.chunk_field for f in FILTER_FIELDS}


class IndexMismatch(IndexProblem):
    """The index was built with another embedder than the one offered for querying it."""


@dataclass
class Searcher:
    path: Path
    config: IndexConfig
    # A ChunkTable when loaded from disk; the benchmarks hand in plain lists.
    chunks: Sequence[Chunk]
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
                chunks=ChunkTable(version),
                documents=read_documents(version),
                dense=DenseIndex.load(version, config.dense, config.dense_kind),
                lexical=LexicalIndex.load(version, mmap=True),
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
        columns = getattr(self.chunks, "columns", None)
        if columns is None:
            columns = ChunkColumns.of(self.chunks)
        self._years = columns.years
        self._row_fields = columns
        self._by_field = {plural: columns.fields[name] for plural, name in _FILTER_NAMES.items()}

    def field_values(self) -> dict[str, tuple]:
        """Every value the index holds for each filter field (years included), unsorted."""
        values: dict[str, tuple] = {
            name: self._by_field[plural].present() for plural, name in _FILTER_NAMES.items()
        }
        values["year"] = tuple(int(y) for y in np.unique(self._years) if y > 0)
        return values

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        if isinstance(self.chunks, ChunkTable):
            return self.chunks.by_id(chunk_id)
        return next((c for c in self.chunks if c.chunk_id == chunk_id), None)

    def _prefetch(self, rows, *, beside: bool = False) -> None:
        """Read the chunks of ``rows`` (``beside``: and the windows next to them) in one go."""
        if isinstance(self.chunks, ChunkTable):
            rows = list(rows)
            if beside:
                rows = [
                    r for row in rows for r in (row - 1, row, row + 1) if 0 <= r < len(self.chunks)
                ]
            self.chunks.prefetch(rows)

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
        municipalities = self._by_field["municipalities"]
        code = municipalities.codes.get(name.casefold())
        if code is not None:
            return municipalities.values[code]
        return official_name(name)

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

    def _about_documents(self, query: str) -> frozenset[str]:
        """Documents whose title the query mostly repeats: the cap on one document lifts."""
        wanted = set(self.lexical.analyzer.tokenize(query))
        if not wanted:
            return frozenset()
        if "_titles" not in self.__dict__:
            self._titles = TitleIndex.of(self.documents, self.lexical.analyzer.tokenize)
        return self._titles.about(wanted)

    def _neighbours(self, row: int) -> tuple[int, ...]:
        """The windows before and after ``row`` in the same section (rows are in reading order)."""
        return tuple(
            other
            for other in (row - 1, row + 1)
            if 0 <= other < len(self.chunks) and neighbours(self.chunks[row], self.chunks[other])
        )

    def _shingles(self, row: int) -> frozenset:
        cache = self.__dict__.setdefault("_shingle_cache", OrderedDict())
        grams = cache.get(row)
        if grams is None:
            grams = cache[row] = trigrams(self.chunks[row].text)
            if len(cache) > SHINGLE_CACHE_ROWS:
                cache.popitem(last=False)
        return grams

    def interpret(self, query: str, ignore: Sequence[str] = ()) -> Interpretation:
        """How ``search`` will understand ``query``: the same cut query, the same parts."""
        return interpret(_bounded(query)[0], ignore)

    def search(
        self,
        query: str,
        k: int = DEFAULT_K,
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
        lexical_query = interpretation.stripped_query(ranking.strip_lexical)
        dense_query = lexical_query if ranking.strip_dense else query
        allowed = self.allowed_rows(filters)
        soft = soft_rows(interpretation, allowed, self._row_fields)
        depth = max(fusion.depth, k)
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = lexical_ranking(self.lexical, lexical_query, depth, allowed, soft)
        vector = None
        if mode in ("dense", "hybrid"):
            vector = self.query_vector(dense_query)
            rankings["dense"] = dense_ranking(self.dense, vector, depth, allowed, soft)
        fused = rankings[mode] if mode != "hybrid" else fuse(rankings, fusion)
        if ranking.neighbour_weight:
            self._prefetch((row for row, _ in fused), beside=True)
        fused = with_neighbours(fused, self._neighbours, ranking.neighbour_weight)
        # Boosting reads metadata only: from the columns, so no candidate's chunk is decoded.
        ranked = boost(fused, self._row_fields, interpretation, ranking)
        self._prefetch(row for row, _ in ranked[: scanned_for(k)])
        about = self._about_documents(lexical_query)
        groups = group(ranked, self.chunks, k, ranking, about, self._shingles)
        hits = self._hits(groups, rankings, vector, ranking.weak_below)
        return SearchResults(hits, interpretation, truncated_from)

    def _hits(
        self,
        groups: Sequence,
        rankings: dict[str, list[tuple[int, float]]],
        vector: np.ndarray | None,
        weak_below: float,
    ) -> list[SearchHit]:
        """The shown passages, each with where each retriever ranked it and how close in meaning
        it is to the query."""
        positions = {
            name: {row: (rank, score) for rank, (row, score) in enumerate(ranking, start=1)}
            for name, ranking in rankings.items()
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
                    weak=similarity is not None and similarity < weak_below,
                )
            )
        return hits


def _bounded(query: str) -> tuple[str, int]:
    """The query stripped and cut to MAX_QUERY_CHARS at a word; its length when it was cut, else
    0. Reading places out of a 100,000-character query alone took over a second."""
    query = query.strip()
    if len(query) <= MAX_QUERY_CHARS:
        return query, 0
    cut = query[:MAX_QUERY_CHARS]
    return cut.rsplit(" ", 1)[0] or cut, len(query)
