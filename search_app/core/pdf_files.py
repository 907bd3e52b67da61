"""Publish the indexed PDFs where Streamlit serves static files, so a card can open its page.

Streamlit serves only files under ``<folder of app.py>/static`` (``server.enableStaticServing``),
and refuses symlinks that lead out of it. So each indexed PDF is hard-linked (or, across file
systems, copied) to ``static/pdf/<source_id>.pdf``. The name is the SHA-256 of the file's bytes,
which ingest records as ``source_id``: a published file can never show other content than the
one that was indexed, and several app processes can publish into the same folder safely.

An index records each source by the path it had relative to where ingest ran ("corpus/x.pdf").
The app may run elsewhere, so the file is looked for under a few roots and accepted only if its
bytes still hash to the indexed ``source_id``; a file changed since ingest gets no link rather
than a link to the wrong page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.models import DocumentRecord
from search_app.core.citations import PDF_FOLDER

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def find_source(source_file: str, source_id: str, roots: Sequence[Path]) -> Path | None:
    """The file on disk that holds exactly the indexed bytes, or None."""
    recorded = Path(source_file)
    candidates = [recorded] if recorded.is_absolute() else [root / recorded for root in roots]
    for candidate in dict.fromkeys(candidates):
        try:
            if candidate.is_file() and file_sha256(candidate) == source_id:
                return candidate
        except OSError as err:
            log.warning("kan inte läsa %s: %s", candidate, err)
    return None


def _place(source: Path, target: Path) -> None:
    # Link or copy to a temporary name first, then rename: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    os.close(handle)
    os.unlink(temporary)
    try:
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def publish_pdfs(
    documents: Iterable[DocumentRecord], static_dir: Path, roots: Sequence[Path]
) -> dict[str, str]:
    """source_id → file name under ``static/pdf/`` for every indexed PDF that could be found."""
    folder = static_dir / PDF_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    published: dict[str, str] = {}
    sources = {d.source_id: d.source_file for d in documents}
    for source_id, source_file in sorted(sources.items()):
        if not source_file.lower().endswith(".pdf"):
            continue
        name = f"{source_id}.pdf"
        target = folder / name
        # A hard link shares its bytes with the source: if that was edited in place, the
        # published file changed too and must be replaced.
        if target.is_file() and file_sha256(target) == source_id:
            published[source_id] = name
            continue
        target.unlink(missing_ok=True)
        found = find_source(source_file, source_id, roots)
        if found is None:
            log.warning("%s finns inte (med samma innehåll) under %s", source_file, roots)
            continue
        _place(found, target)
        published[source_id] = name
    log.info("%d av %d källfiler publicerade i %s", len(published), len(sources), folder)
    return published


def search_roots(*extra: Path) -> list[Path]:
    """Where a relative source path may be relative to: the working folder, the repository."""
    repository = Path(__file__).resolve().parents[2]
    return list(dict.fromkeys(p.resolve() for p in (Path.cwd(), *extra, repository)))
