"""Uploaded PDFs into the index: checked, saved under ``<data_dir>/uploads/``, ingested.

Ingest goes through ``revsok.update.update_index``, the code path of ``revsok ingest``, with the
chunk, analysis and fusion settings the index was built with, so an uploaded document is chunked
and searched exactly like the rest. Each file that cannot be used gets its own message; the others
are ingested all the same.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.config_sections import ChunkingConfig
from index.embedding_cache import EmbeddingCache
from index.index_config import IndexConfig
from index.index_settings import IndexSettings
from index.searcher import Searcher
from ingest.collecting import display_path
from ingest.ocr import OcrCache, OcrEngine
from ingest.options import IngestOptions
from ingest.readers import content_hash
from revsok.update import UpdateReport, update_index

log = logging.getLogger(__name__)

MAX_UPLOAD_MB = 50
_PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class FileError:
    name: str
    reason: str


@dataclass(frozen=True)
class UploadOutcome:
    saved: tuple[Path, ...]
    errors: tuple[FileError, ...]
    documents: int = 0
    chunks: int = 0


def safe_file_name(name: str) -> str:
    """The base name with only letters, digits, '.', '-' and '_': no path can be smuggled in."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    stem, _, suffix = base.rpartition(".")
    stem = re.sub(r"[^\w.-]+", "-", stem if suffix else base).strip(".-_") or "dokument"
    return f"{stem[:120]}.pdf"


def check_upload(upload: Upload, known_sources: dict[str, str]) -> str | None:
    """Why this file cannot be ingested, or None. ``known_sources``: source_id → source file."""
    if not upload.name.lower().endswith(".pdf"):
        return "bara PDF-filer kan laddas upp"
    if not upload.data:
        return "filen är tom"
    if len(upload.data) > MAX_UPLOAD_MB * 1024 * 1024:
        return f"filen är större än {MAX_UPLOAD_MB} MB"
    if not upload.data.startswith(_PDF_MAGIC):
        return "filen är ingen PDF (den börjar inte med %PDF-)"
    existing = known_sources.get(content_hash(upload.data))
    if existing:
        return f"samma innehåll finns redan i indexet eller uppladdningen ({existing})"
    return None


def index_settings(config: IndexConfig) -> tuple[IngestOptions, IndexSettings]:
    """The settings an index was built with, read back from its config.json."""
    options = (config.chunking or ChunkingConfig()).options()
    settings = IndexSettings(
        embed_context=config.embed_context,
        split_compounds=config.lexical.analyzer.split_compounds,
        dense=config.dense,
        fusion=config.fusion,
        ranking=config.ranking,
    )
    return options, settings


def ingest_uploads(
    uploads: Sequence[Upload],
    searcher: Searcher,
    index_dir: Path,
    folder: Path,
    embedding_cache: Path,
    ocr_cache: Path | None = None,
) -> UploadOutcome:
    """Check ``uploads``, save them in ``folder`` and ingest them into ``index_dir``.

    The loaded searcher is only read (for its settings and embedder); the caller loads the new
    index version afterwards.
    """
    known = {d.source_id: d.source_file for d in searcher.documents}
    folder.mkdir(parents=True, exist_ok=True)
    errors: list[FileError] = []
    saved: list[Path] = []
    for upload in uploads:
        reason = check_upload(upload, known)
        if reason:
            errors.append(FileError(upload.name, reason))
            continue
        path = folder / safe_file_name(upload.name)
        path.write_bytes(upload.data)
        known[content_hash(upload.data)] = display_path(path)
        saved.append(path)
    if not saved:
        return UploadOutcome((), tuple(errors))
    options, settings = index_settings(searcher.config)
    report: UpdateReport = update_index(
        saved,
        index_dir,
        searcher.embedder,
        EmbeddingCache(embedding_cache),
        options,
        settings,
        ocr=OcrEngine(OcrCache(ocr_cache)),
    )
    names = {display_path(p): p for p in saved}
    failed: set[Path] = set()
    for problem in report.ingest.problems:
        if problem.fatal and problem.source_file in names:
            errors.append(FileError(names[problem.source_file].name, problem.reason))
            failed.add(names[problem.source_file])
    for duplicate in report.ingest.duplicates:
        if duplicate.source_file in names:
            errors.append(
                FileError(
                    names[duplicate.source_file].name, f"dubblett av {duplicate.duplicate_of}"
                )
            )
    for path in failed:
        # A file ingest rejected would only be rejected again by a later 'revsok ingest'.
        path.unlink(missing_ok=True)
    ingested = tuple(p for p in saved if p not in failed)
    log.info("uppladdat: %d filer inlästa, %d fel", len(ingested), len(errors))
    return UploadOutcome(
        ingested, tuple(errors), len(report.ingest.documents), len(report.ingest.chunks)
    )
