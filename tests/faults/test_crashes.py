"""A build killed at any step (SIGKILL), told to stop (SIGTERM) or interrupted (Ctrl-C) leaves the
index searchable and as it was; the next writer removes what a killed build left behind."""

from __future__ import annotations

import random
import signal
import time

import pytest

from index import layout
from index.searcher import Searcher
from tests.faults.conftest import leftovers, new_document, run_revsok, sources


@pytest.mark.slow
@pytest.mark.parametrize("point", layout.CRASH_POINTS)
def test_a_kill_at_any_step_of_a_build_leaves_a_searchable_index(point, data_dir, tmp_path):
    index_dir = data_dir / "index"
    before = sources(index_dir)
    extra = tmp_path / "nytt"
    new_document(extra, "gallivare-yttrande.txt", "hemtjänstens bemanning")

    killed = run_revsok(
        "ingest", str(extra), data_dir=data_dir, extra_env={layout.CRASH_ENV: point}
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # Killed after the switch, the new version is live; before it, the old one still is.
    expected = before | {"gallivare-yttrande.txt"} if point == "switched" else before
    assert sources(index_dir) == expected
    searcher = Searcher.load(index_dir)
    assert searcher.search("informationssäkerhet", k=3)

    again = run_revsok("ingest", str(extra), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert sources(index_dir) == before | {"gallivare-yttrande.txt"}
    assert leftovers(index_dir) == []


def _long_new_document(folder, seed: int):
    """A document whose passages no cache holds, so its build embeds for a few seconds."""
    rng = random.Random(seed)
    words = [
        "nämnden",
        "förvaltningen",
        "uppföljning",
        "kontroll",
        "rutiner",
        "brister",
        "åtgärder",
        "risker",
        "hemtjänst",
        "insatser",
        "beslut",
        "dokumentation",
        "verksamheten",
        "samverkan",
        "kvalitet",
    ]
    paragraphs = [
        " ".join(rng.choice(words) + str(rng.randint(0, 10**6)) for _ in range(60)) + "."
        for _ in range(40)
    ]
    path = folder / "lang.txt"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "Gällivare kommun\nSocialnämnden\nGranskning av rutiner\n\n" + "\n\n".join(paragraphs),
        encoding="utf-8",
    )
    return path


def _stop_while_building(data_dir, extra, signum):
    index_dir = data_dir / "index"
    versions_before = {p.name for p in index_dir.iterdir()}
    ingest = run_revsok("ingest", str(extra), data_dir=data_dir, background=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and ingest.poll() is None:
        if {p.name for p in index_dir.iterdir()} - versions_before:
            break  # the new version folder exists: the build is under way
        time.sleep(0.005)
    else:
        pytest.fail(f"the build never started: {ingest.communicate()[1]}")
    ingest.send_signal(signum)
    _, err = ingest.communicate(timeout=120)
    return ingest.returncode, err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_build_told_to_stop_removes_its_unfinished_version(signum, data_dir, tmp_path):
    index_dir = data_dir / "index"
    before = sources(index_dir)
    live = layout.live_version(index_dir)
    returncode, err = _stop_while_building(
        data_dir, _long_new_document(tmp_path / "nytt", seed=signum), signum
    )
    assert returncode == 130, err
    assert "avbrutet" in err and "Traceback" not in err
    assert layout.live_version(index_dir) == live
    assert sources(index_dir) == before
    assert leftovers(index_dir) == []
