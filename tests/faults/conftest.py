"""The fault suite's ground: a small real index (the other-kommun fixtures), copied for each test
so it can be crashed, damaged or raced without touching the session's corpus index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import layout

REPO = Path(__file__).resolve().parents[2]
OTHER_KOMMUNER = REPO / "tests" / "fixtures" / "other_kommuner"


def new_document(folder: Path, name: str, subject: str) -> Path:
    """A short tjänsteskrivelse from a kommun the small index does not hold."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "Gällivare kommun\nSocialförvaltningen\nTJÄNSTESKRIVELSE\nDatum 2023-04-12\n\n"
        f"Socialnämnden\n\nYttrande om {subject}\n\nBeskrivning av ärendet\n"
        f"Revisorerna har granskat {subject} och rekommenderar att nämnden följer upp arbetet "
        "systematiskt. Förvaltningen instämmer och redovisar en plan med tidsatta åtgärder, "
        "ansvariga chefer och uppföljning i nämndens internkontrollplan under hösten.\n",
        encoding="utf-8",
    )
    return path


def sources(index_dir: Path) -> set[str]:
    from index.chunk_store import read_documents

    return {Path(d.source_file).name for d in read_documents(layout.live_version(index_dir))}


def leftovers(index_dir: Path) -> list[str]:
    """Entries no live index needs: versions neither current nor previous, temporary pointers."""
    keep = {layout.CURRENT_FILE, layout.PREVIOUS_FILE}
    for pointer in keep:
        if (index_dir / pointer).is_file():
            keep = keep | {(index_dir / pointer).read_text(encoding="utf-8").strip()}
    return sorted(p.name for p in index_dir.iterdir() if p.name not in keep)


def run_revsok(*args: str, data_dir: Path, extra_env: dict | None = None, **popen):
    """``revsok ARGS`` in a fresh process, as a user or a service manager would start it."""
    env = {**os.environ, "REVSOK_DATA_DIR": str(data_dir), **(extra_env or {})}
    command = [sys.executable, "-m", "revsok.cli", *args]
    if popen.pop("background", False):
        return subprocess.Popen(
            command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(
        command, env=env, cwd=REPO, capture_output=True, text=True, timeout=600, **popen
    )


@pytest.fixture(scope="session")
def small_library(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small-library")
    for text in OTHER_KOMMUNER.glob("*.txt"):
        shutil.copy(text, folder / text.name)
    return folder


@pytest.fixture(scope="session")
def small_index(tmp_path_factory, small_library, default_embedder, embedding_cache_path):
    from index.embedding_cache import EmbeddingCache
    from revsok.update import update_index

    index_dir = tmp_path_factory.mktemp("small-index") / "index"
    update_index([small_library], index_dir, default_embedder, EmbeddingCache(embedding_cache_path))
    return index_dir


@pytest.fixture
def data_dir(tmp_path, small_index, embedding_cache_path) -> Path:
    """A data folder of this test's own: a copy of the small index and of the embedding cache."""
    data = tmp_path / "data"
    shutil.copytree(small_index, data / "index")
    if embedding_cache_path.exists():
        shutil.copy(embedding_cache_path, data / "embedding-cache.sqlite")
    return data
