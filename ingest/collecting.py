"""Which files an ingest reads under the paths it is given, and the names they are shown by.

Folders are walked in a stable order; hidden entries, metadata overrides, embedding seeds and
folders marked with ``.revsokignore`` are left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ingest.models import IngestProblem
from ingest.overrides import is_override_file

log = logging.getLogger(__name__)

IGNORE_MARKER = ".revsokignore"


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[IngestProblem]]:
    """Files to ingest under ``paths``, in a stable order.

    Folders are walked recursively; hidden entries, metadata overrides, embedding seeds and
    folders holding a ``.revsokignore`` file are skipped. A path that does not exist is a
    problem, not a crash.
    """
    found: list[Path] = []
    problems: list[IngestProblem] = []
    visited: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path, visited, problems))
        else:
            problems.append(IngestProblem(str(path), "finns inte"))
    unique = list(dict.fromkeys(found))
    return unique, problems


def _walk(folder: Path, visited: set[Path], problems: list[IngestProblem]) -> list[Path]:
    """Files below ``folder``. A folder reached again through a symlink is walked once only
    (``ln -s . a`` would otherwise recurse forever); an unreadable folder is a problem, not a
    crash."""
    real = folder.resolve()
    if real in visited:
        log.info("hoppar över %s: mappen %s är redan genomgången", folder, real)
        return []
    visited.add(real)
    try:
        if (folder / IGNORE_MARKER).exists():
            log.info("hoppar över %s (%s)", folder, IGNORE_MARKER)
            return []
        entries = sorted(folder.iterdir())
    except OSError as err:
        problems.append(
            IngestProblem(display_path(folder), f"mappen kan inte läsas: {err.strerror or err}")
        )
        return []
    files: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files.extend(_walk(entry, visited, problems))
        elif entry.is_file() and not is_override_file(entry) and not is_embedding_seed(entry):
            files.append(entry)
    return files


def is_embedding_seed(path: Path) -> bool:
    """``embeddings.<embedder>.npz``: the shipped vectors of a folder's passages (written by
    ``index.embedding_seed``), not a document."""
    return path.name.startswith("embeddings.") and path.name.endswith(".npz")


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()
