"""`revsok ingest --ray` on a Ray cluster started on this machine (`ray start --head`, 2 CPUs):
the same index as a local ingest, a cold cache embedded on the cluster, a worker killed mid-run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.searcher import Searcher
from tests.conftest import CORPUS

ray = pytest.importorskip("ray")

REPO = Path(__file__).resolve().parents[2]
OTHER_KOMMUNER = REPO / "tests" / "fixtures" / "other_kommuner"
QUERIES = (
    "rekommendationer om samverkan med regionen",
    "Ragundas missbruksvård",
    "brister i kvalitetsledningssystemet",
    "socialnämnden i Härnösand 2022 ekonomi i balans",
)


def _ray_command() -> str:
    return str(Path(sys.executable).with_name("ray"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Ray head on this machine, as `ray start --head` makes one for a cluster; `--ray auto`
    finds it as it would on a cluster's head node."""
    markers = tmp_path_factory.mktemp("ray-crash-markers")
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
    env.pop("RAY_ADDRESS", None)
    start = [
        _ray_command(),
        "start",
        "--head",
        "--num-cpus=2",
        "--include-dashboard=false",
        "--disable-usage-stats",
    ]
    subprocess.run(start, env=env, check=True, capture_output=True, timeout=120)
    try:
        yield {"env": env, "markers": markers}
    finally:
        subprocess.run([_ray_command(), "stop", "--force"], env=env, capture_output=True)


def _ingest(paths, data_dir: Path, *extra: str, env: dict | None = None):
    run = subprocess.run(
        [sys.executable, "-m", "revsok.cli", "ingest", *map(str, paths), "--quiet", *extra],
        env={**(env or os.environ), "REVSOK_DATA_DIR": str(data_dir)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run


def _chunk_rows(searcher: Searcher) -> list[str]:
    return [json.dumps(c.__dict__, default=str, sort_keys=True) for c in searcher.chunks]


def _same_index(ours: Searcher, theirs: Searcher) -> None:
    assert [c.chunk_id for c in ours.chunks] == [c.chunk_id for c in theirs.chunks]
    assert _chunk_rows(ours) == _chunk_rows(theirs)
    np.testing.assert_allclose(ours.dense.vectors, theirs.dense.vectors, atol=1e-5)
    for query in QUERIES:
        ours_hits = [h.chunk.chunk_id for h in ours.search(query, k=10)]
        assert ours_hits == [h.chunk.chunk_id for h in theirs.search(query, k=10)], query


def test_ray_auto_builds_the_same_index_as_a_local_ingest(
    cluster, corpus_index, embedding_cache_path, tmp_path, default_embedder
):
    data = tmp_path / "data"
    data.mkdir()
    if embedding_cache_path.exists():
        shutil.copy(embedding_cache_path, data / "embedding-cache.sqlite")
    env = cluster["env"]
    run = _ingest([CORPUS], data, "--ray", "auto", env=env)
    assert run.returncode == 0, run.stderr
    on_ray = Searcher.load(data / "index", embedder=default_embedder)
    _same_index(on_ray, Searcher.load(corpus_index, embedder=default_embedder))


def test_a_cold_cache_is_embedded_on_the_cluster_as_it_would_be_here(
    cluster, tmp_path, default_embedder
):
    library = tmp_path / "bibliotek"
    library.mkdir()
    for text in sorted(OTHER_KOMMUNER.glob("*.txt"))[:3]:
        shutil.copy(text, library / text.name)
    env = cluster["env"]
    on_ray = _ingest([library], tmp_path / "ray-data", "--ray", "auto", env=env)
    here = _ingest([library], tmp_path / "local-data", "--workers", "0")
    assert on_ray.returncode == here.returncode == 0, on_ray.stderr + here.stderr
    # Both embedded every chunk themselves: nothing was cached before.
    assert " 0 från cachen" in on_ray.stdout and " 0 från cachen" in here.stdout
    _same_index(
        Searcher.load(tmp_path / "ray-data" / "index", embedder=default_embedder),
        Searcher.load(tmp_path / "local-data" / "index", embedder=default_embedder),
    )


def test_a_worker_killed_while_reading_is_retried_and_the_run_completes(
    cluster, tmp_path, default_embedder
):
    library = tmp_path / "bibliotek"
    library.mkdir()
    victim = sorted(OTHER_KOMMUNER.glob("*.txt"))[0]
    shutil.copy(victim, library / "krasch-mig.txt")
    env = {
        **cluster["env"],
        "REVSOK_CRASH_AT": "ray-read:krasch-mig.txt",
        "REVSOK_CRASH_MARKERS": str(cluster["markers"]),
    }
    run = _ingest([library], tmp_path / "data", "--ray", "auto", env=env)
    assert (cluster["markers"] / "krasch-mig.txt.crashed").exists()  # the worker did die
    assert run.returncode == 0, run.stderr
    assert "FEL" not in run.stderr
    searcher = Searcher.load(tmp_path / "data" / "index", embedder=default_embedder)
    assert {Path(d.source_file).name for d in searcher.documents} == {"krasch-mig.txt"}


def test_without_ray_nothing_imports_it(tmp_path):
    library = tmp_path / "bibliotek"
    library.mkdir()
    shutil.copy(sorted(OTHER_KOMMUNER.glob("*.txt"))[0], library / "a.txt")
    probe = (
        "import sys, runpy; sys.argv = ['revsok', 'ingest', sys.argv[1], '--quiet'];\n"
        "try:\n    runpy.run_module('revsok.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('RAY' if 'ray' in sys.modules else 'NO-RAY')"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(library)],
        env={**os.environ, "REVSOK_DATA_DIR": str(tmp_path / "data")},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.strip().endswith("NO-RAY"), run.stdout + run.stderr
