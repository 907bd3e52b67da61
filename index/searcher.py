"""Search an index: filters first, then BM25, dense or both fused. The API the CLI and app share."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import layout
from index.chunk_store import read_chunks, read_documents
from index.dense import DenseIndex, DenseSettings
from index.embedders import Embedder, load_embedder
from index.hybrid import FusionSettings, fuse
from index.lexical import LexicalIndex
from index.models import MODES, Filters, SearchHit
from ingest.models import Chunk, DocumentRecord
from ingest.places import normalise_committee, resolve_place

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 256


class IndexMismatch(Exception):
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


@dataclass
class Searcher:
    path: Path
    config: dict
    chunks: list[Chunk]
    documents: list[DocumentRecord]
    dense: DenseIndex
    lexical: LexicalIndex
    embedder: Embedder
    fusion: FusionSettings

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Searcher:
        version = layout.live_version(Path(index_dir))
        config = layout.read_config(version)
        built_with = config["embedder"]["name"]
        if embedder is None:
            embedder = load_embedder(built_with)
        elif embedder.name != built_with:
            raise IndexMismatch(
                f"Indexet i {index_dir} är byggt med embeddern '{built_with}', men frågor skulle "
                f"kodas med '{embedder.name}'. Sök med samma embedder, eller bygg om indexet "
                f"med 'revsok ingest --replace --embedder {embedder.name} …'."
            )
        if embedder.dimension != config["embedder"]["dimension"]:
            raise IndexMismatch(
                f"Indexet har dimension {config['embedder']['dimension']}, embeddern "
                f"{embedder.dimension}"
            )
        dense_settings = DenseSettings(
            **{k: v for k, v in config["dense"].items() if k in DenseSettings.__dataclass_fields__}
        )
        searcher = cls(
            path=version,
            config=config,
            chunks=read_chunks(version),
            documents=read_documents(version),
            dense=DenseIndex.load(version, dense_settings, config["dense"]["kind"]),
            lexical=LexicalIndex.load(version),
            embedder=embedder,
            fusion=FusionSettings(**config["fusion"]),
        )
        searcher._columns()
        return searcher

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
        # The app re-runs one query with other filters, pages and modes; embed it once.
        cache = self.__dict__.setdefault("_query_vectors", OrderedDict())
        if query in cache:
            cache.move_to_end(query)
            return cache[query]
        vector = self.embedder.encode_queries([query])[0]
        cache[query] = vector
        if len(cache) > QUERY_CACHE_SIZE:
            cache.popitem(last=False)
        return vector

    def forget_query_vectors(self) -> None:
        """Drop the embedded-query cache, so the next search embeds its query again."""
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

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        fusion: FusionSettings | None = None,
    ) -> list[SearchHit]:
        if mode not in MODES:
            raise ValueError(f"okänt sökläge '{mode}' (välj {', '.join(MODES)})")
        query = query.strip()
        if not query or k <= 0:
            return []
        fusion = fusion or self.fusion
        allowed = self.allowed_rows(filters)
        depth = k if mode != "hybrid" else max(fusion.depth, k)
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.lexical.search(query, depth, allowed)
        if mode in ("dense", "hybrid"):
            rankings["dense"] = self.dense.search(self.query_vector(query), depth, allowed)
        fused = rankings[mode] if mode != "hybrid" else fuse(rankings, fusion)
        positions = {
            name: {row: (rank, score) for rank, (row, score) in enumerate(ranking, start=1)}
            for name, ranking in rankings.items()
        }
        hits = []
        for rank, (row, score) in enumerate(fused[:k], start=1):
            found_by = {name: pos[row] for name, pos in positions.items() if row in pos}
            hits.append(
                SearchHit(
                    chunk=self.chunks[row],
                    rank=rank,
                    score=float(score),
                    retrievers=tuple(found_by),
                    retriever_ranks={name: r for name, (r, _) in found_by.items()},
                    retriever_scores={name: float(s) for name, (_, s) in found_by.items()},
                )
            )
        return hits
