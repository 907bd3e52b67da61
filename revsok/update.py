"""Ingest paths into an index: build it, or update the part of it that lies under those paths.

Documents from other paths stay as they are. Under the given paths, a file whose bytes are unchanged
is not parsed again (when the chunk settings are the same) and its chunks are not embedded again
(the embedding cache knows them); a changed file is re-ingested and a removed one drops out.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import layout
from index.builder import BuildReport, build_index
from index.chunk_store import read_chunks, read_documents
from index.config_sections import ChunkingConfig, IngestReport
from index.embedder_contract import Embedder
from index.embedding_cache import EmbeddingCache
from index.embedding_seed import import_seeds
from index.index_config import IndexConfig
from index.index_settings import IndexSettings
from index.searcher import IndexMismatch
from ingest.chunking import TokenCounter
from ingest.collecting import display_path
from ingest.merging import IngestResult
from ingest.models import Chunk, DocumentRecord
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.pipeline import ingest_paths
from recommendations.store import write_recommendations
from revsok.local_embedding import LocalEmbedding

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateReport:
    ingest: IngestResult
    build: BuildReport | None
    kept_documents: int


def _under(source_file: str, roots: Sequence[str]) -> bool:
    return any(
        source_file == root or source_file.startswith(root.rstrip("/") + "/") for root in roots
    )


def update_index(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    cache: EmbeddingCache,
    options: IngestOptions | None = None,
    settings: IndexSettings | None = None,
    *,
    replace: bool = False,
    counter: TokenCounter | None = None,
    show_progress: bool = False,
    wait: bool = True,
    ocr: OcrEngine | None = None,
    workers: int = 0,
    ray_address: str | None = None,
) -> UpdateReport:
    """Ingest ``paths`` into the index, keeping documents from other paths; one writer at a time
    (``wait=False`` raises ``IndexBusy`` instead of waiting for another writer). ``ocr`` reads
    scanned PDF pages, with its cache. ``workers`` > 0 reads files in that many processes while
    this one embeds the chunks of the files already read (see ``ingest_paths``). ``ray_address``
    reads and embeds on a Ray cluster instead ("auto", an address, or "local"); the index is
    built and switched here, the same index a local ingest builds."""
    job = _Job(
        paths=list(paths),
        index_dir=Path(index_dir),
        embedder=embedder,
        cache=cache,
        options=options or IngestOptions(),
        settings=settings,
        replace=replace,
        counter=counter or TokenCounter(),
        show_progress=show_progress,
        ocr=ocr,
        workers=workers,
        ray_address=ray_address,
    )
    with layout.writer_lock(index_dir, wait=wait):
        return _update(job)


@dataclass(frozen=True)
class _Job:
    """One update, as ``update_index`` was asked for it."""

    paths: list[Path]
    index_dir: Path
    embedder: Embedder
    cache: EmbeddingCache
    options: IngestOptions
    settings: IndexSettings | None
    replace: bool
    counter: TokenCounter
    show_progress: bool
    ocr: OcrEngine | None
    workers: int
    ray_address: str | None

    @property
    def chunking(self) -> ChunkingConfig:
        """The chunk settings the new version records, and an old one must match to be reused."""
        return ChunkingConfig.of(self.options, self.counter.name)


@dataclass
class _Kept:
    """What the live index keeps: documents and chunks from other paths, and a way to reuse an
    unchanged file's parse (None when the chunk settings changed)."""

    documents: list[DocumentRecord] = dataclasses.field(default_factory=list)
    chunks: list[Chunk] = dataclasses.field(default_factory=list)
    reuse: object = None

    def keep(self, wanted: Callable[[DocumentRecord], bool]) -> None:
        """Keep only the ``wanted`` documents and their chunks."""
        self.documents = [d for d in self.documents if wanted(d)]
        ids = {d.doc_id for d in self.documents}
        self.chunks = [c for c in self.chunks if c.doc_id in ids]


def _update(job: _Job) -> UpdateReport:
    kept = _kept(job)
    # Before the ingest: what a folder's seed holds is not embedded while the files are read.
    import_seeds([p for p in job.paths if Path(p).is_dir()], job.cache, job.embedder.name)
    embedding = _embedding(job)
    try:
        result = ingest_paths(
            job.paths,
            job.options,
            counter=job.counter,
            show_progress=job.show_progress,
            reuse=kept.reuse,
            ocr=job.ocr,
            workers=job.workers,
            on_chunks=embedding,
            ray_address=job.ray_address,
        )
        embedding.finish()
    except BaseException:
        embedding.cancel()
        raise
    # A file under the paths that is still there was read again: its new parse replaces it.
    read_again = {d.source_id for d in result.documents}
    kept.keep(lambda d: d.source_id not in read_again)
    documents = kept.documents + list(result.documents)
    chunks = kept.chunks + list(result.chunks)
    if not chunks:
        return UpdateReport(result, None, len(kept.documents))
    build = build_index(
        job.index_dir,
        chunks,
        documents,
        job.embedder,
        job.cache,
        job.settings,
        ingest_settings=job.chunking,
        ingest_report=_report(result),
        show_progress=job.show_progress,
        extras=write_recommendations,
    )
    return UpdateReport(result, embedding.counted(build, chunks), len(kept.documents))


def _kept(job: _Job) -> _Kept:
    """The live index's documents outside ``job.paths``; nothing with ``replace``."""
    if not layout.exists(job.index_dir) or job.replace:
        return _Kept()
    version = layout.live_version(job.index_dir)
    config = IndexConfig.read(version)
    if config.embedder_name != job.embedder.name:
        raise IndexMismatch(
            f"Indexet i {job.index_dir} är byggt med '{config.embedder_name}', inte "
            f"'{job.embedder.name}': bygg om det med --replace, eller välj den embeddern."
        )
    old_docs, old_chunks = read_documents(version), read_chunks(version)
    roots = [display_path(p) for p in job.paths]
    kept = _Kept(old_docs, old_chunks)
    kept.keep(lambda d: not _under(d.source_file, roots))
    if config.chunking == job.chunking:
        kept.reuse = _reuse_table(old_docs, old_chunks)
    return kept


def _embedding(job: _Job):
    """Embeds each file's chunks while later files are read: here, or on the Ray cluster."""
    embed_context = (job.settings or IndexSettings()).embed_context
    if job.ray_address is not None:
        from revsok.ray_embedding import RayEmbedding  # Ray is imported only when asked for

        return RayEmbedding(job.embedder, job.cache, embed_context, job.ray_address)
    return LocalEmbedding(job.embedder, job.cache, embed_context)


def _reuse_table(docs: Sequence[DocumentRecord], chunks: Sequence[Chunk]):
    docs_by_source: dict[str, list[DocumentRecord]] = defaultdict(list)
    chunks_by_source: dict[str, list[Chunk]] = defaultdict(list)
    for doc in docs:
        docs_by_source[doc.source_id].append(doc)
    for chunk in chunks:
        chunks_by_source[chunk.source_id].append(chunk)

    def reuse(content_hash: str):
        if content_hash not in docs_by_source:
            return None
        return docs_by_source[content_hash], chunks_by_source[content_hash]

    return reuse


def _report(result: IngestResult) -> IngestReport:
    return IngestReport(
        files=result.files_seen,
        files_reused=result.files_reused,
        documents=len(result.documents),
        chunks=len(result.chunks),
        problems=result.problems,
        duplicates=result.duplicates,
    )
