"""Build an index folder from chunks: embeddings (through the cache), FAISS, BM25, chunk store.

Everything is written into a new version folder; only when all files are complete is it made live.
The caller holds the index's writer lock (``revsok.update.update_index`` does).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index import layout
from index.chunk_store import write_store
from index.chunk_table import ChunkColumns
from index.config_sections import ChunkingConfig, IngestReport, LexicalConfig
from index.dense import DenseIndex
from index.embedder_contract import Embedder
from index.embedding_cache import EmbeddingCache, embed_passages
from index.index_config import IndexConfig, IndexCounts
from index.index_settings import IndexSettings
from index.lexical import LexicalIndex
from ingest.analysis import SwedishAnalyzer
from ingest.models import Chunk, DocumentRecord

log = logging.getLogger(__name__)


# Writes more files into a version being built: (version, chunks, documents, embedder, cache) ->
# the number of records written.
VersionExtras = Callable[
    [Path, Sequence[Chunk], Sequence[DocumentRecord], Embedder, EmbeddingCache], int
]


@dataclass(frozen=True)
class BuildReport:
    path: Path
    chunks: int
    embedded: int
    cached: int
    seconds_embed: float
    seconds_index: float


def passage_text(chunk: Chunk, embed_context: bool) -> str:
    """What the embedder sees: the chunk, optionally led by its title and heading path.

    The heading path tells the model what a passage under "4.2.1 Bedömning" is about when the
    passage itself never names its subject.
    """
    if not embed_context:
        return chunk.text
    context = [part for part in (chunk.title, chunk.heading_path_text) if part]
    return "\n".join([*context, chunk.text])


def lexical_text(chunk: Chunk) -> str:
    # Titles and headings carry the words auditors search for ("missbruksvård", "Samverkan",
    # "Bedömning"); indexing them with the chunk raised BM25 nDCG@10 on the eval set (README).
    return "\n".join(part for part in (chunk.title, chunk.heading_path_text, chunk.text) if part)


def write_search_files(
    version: Path,
    chunks: Sequence[Chunk],
    documents: Sequence[DocumentRecord],
    vectors: np.ndarray,
    settings: IndexSettings,
) -> tuple[DenseIndex, LexicalIndex]:
    """What a search reads, written into ``version``: vectors and the dense index, BM25, the
    chunk store and its filter columns."""
    dense = DenseIndex.build(vectors, settings.dense)
    dense.save(version)
    analyzer = SwedishAnalyzer(split_compounds=settings.split_compounds)
    lexical = LexicalIndex.build([lexical_text(c) for c in chunks], analyzer)
    lexical.save(version)
    write_store(version, chunks, documents)
    ChunkColumns.of(chunks).save(version)
    return dense, lexical


def describe(
    embedder: Embedder,
    settings: IndexSettings,
    counts: IndexCounts,
    dense: DenseIndex,
    lexical: LexicalIndex,
    *,
    chunking: ChunkingConfig | None = None,
    ingest_report: IngestReport | None = None,
) -> IndexConfig:
    """The config of a version whose files ``write_search_files`` wrote."""
    return IndexConfig(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        embedder_name=embedder.name,
        dimension=embedder.dimension,
        counts=counts,
        chunking=chunking,
        embed_context=settings.embed_context,
        dense_kind=dense.kind,
        dense=settings.dense,
        lexical=LexicalConfig.of(lexical.config()),
        fusion=settings.fusion,
        ranking=settings.ranking,
        ingest_report=ingest_report,
    )


def build_index(
    index_dir: Path,
    chunks: Sequence[Chunk],
    documents: Sequence[DocumentRecord],
    embedder: Embedder,
    cache: EmbeddingCache,
    settings: IndexSettings | None = None,
    *,
    ingest_settings: ChunkingConfig | None = None,
    ingest_report: IngestReport | None = None,
    show_progress: bool = False,
    extras: VersionExtras | None = None,
) -> BuildReport:
    """Build a new version of the index in ``index_dir`` and make it live. ``extras`` writes what
    else a version holds (the recommendations extracted from these chunks) and says how many
    records it wrote."""
    settings = settings or IndexSettings()
    version = layout.new_version(index_dir)
    try:
        layout.crash_point("version-created")
        started = time.perf_counter()
        texts = [passage_text(c, settings.embed_context) for c in chunks]
        vectors, embedded = embed_passages(embedder, texts, cache, show_progress=show_progress)
        seconds_embed = time.perf_counter() - started

        started = time.perf_counter()
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), embedder.dimension)
        dense, lexical = write_search_files(version, chunks, documents, vectors, settings)
        records = extras(version, chunks, documents, embedder, cache) if extras else 0
        seconds_index = time.perf_counter() - started

        layout.crash_point("files-written")
        describe(
            embedder,
            settings,
            IndexCounts(len(chunks), len(documents), records),
            dense,
            lexical,
            chunking=ingest_settings,
            ingest_report=ingest_report,
        ).write(version)
        layout.crash_point("config-written")
        layout.activate(index_dir, version)
    except BaseException:
        layout.discard(version)
        raise
    return BuildReport(
        path=version,
        chunks=len(chunks),
        embedded=embedded,
        cached=len(chunks) - embedded,
        seconds_embed=seconds_embed,
        seconds_index=seconds_index,
    )
