"""What the browser tests share: starting `revsok app` on an index, and waiting for a page.

Used by test_browser.py and test_browser_untrusted_text.py; the ``chromium_browser`` fixture is in
conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import urlencode

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

STARTUP_TIMEOUT_S = 90
# Reading the sample corpus when `revsok app` finds no index (embeddings come from the cache).
INGEST_TIMEOUT_S = 120
# The first search of a server loads the index and the embedder.
FIRST_RESULT_MS = 90_000
RESULT_MS = 60_000

MAIN = '[data-testid="stMain"]'

# The app is idle: connected, its script not running, and no element left over from a run
# (Streamlit marks those stale until the run that replaces them ends).
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning'
        && document.querySelector('[data-stale="true"]') === null;
}"""

CARDS_DRAWN = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (main === null) return false;
    // Cards inside a closed expander (weak hits kept out of sight) are not drawn until opened.
    const shown = el => { const d = el.closest('details'); return d === null || d.open; };
    const cards = [...main.querySelectorAll('.rs-head')].filter(shown).length;
    const cited = [...main.querySelectorAll('[data-testid="stCode"]')]
        .filter(shown).filter(code => code.innerText.trim() !== '').length;
    return cited === cards;
}"""


# ------------------------------------------------------------------------------- the server


def require_browser() -> None:
    """Skip without chromium or Playwright; fail instead when REVSOK_REQUIRE_BROWSER=1 (CI)."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} saknas (installera Debians paket chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright är inte installerat (pip install -e '.[dev]')"
    if problem is None:
        return
    if os.environ.get("REVSOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"REVSOK_REQUIRE_BROWSER=1 men webbläsartesterna kan inte köras: {problem}")
    pytest.skip(problem)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_app(
    index_dir: Path,
    log_dir: Path,
    *,
    ingest: bool = False,
    settings: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """`revsok app` as the README starts it, on ``index_dir`` and a free loopback port; yields its
    address and stops it (and so its Streamlit server, which it becomes) afterwards.

    With ``ingest`` it reads the sample corpus into ``index_dir`` first when there is no index
    there; ``settings`` are extra environment variables (``REVSOK_…``)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = log_dir / "revsok-app.log"
    env = dict(
        os.environ,
        # Others edit the repository while the tests run: no file watching, no reruns on save.
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
        STREAMLIT_SERVER_RUN_ON_SAVE="false",
        **(settings or {}),
    )
    command = [sys.executable, "-m", "revsok.cli", "app"] + ([] if ingest else ["--no-ingest"])
    command += ["--index", str(Path(index_dir).resolve()), "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S + (INGEST_TIMEOUT_S if ingest else 0)
        while not _healthy(f"{base}/_stcore/health"):
            if process.poll() is not None:
                pytest.fail(
                    f"revsok app avslutades med kod {process.returncode}:\n"
                    + log_path.read_text(errors="replace")[-4000:]
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Appen svarade inte på {base}/_stcore/health inom {STARTUP_TIMEOUT_S} s:\n"
                    + log_path.read_text(errors="replace")[-4000:]
                )
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    # Stopping `revsok app` stops the server: nothing is left listening on the port.
    assert not _healthy(f"{base}/_stcore/health"), "Streamlit-servern lever kvar efter revsok app"


# ------------------------------------------------------------------------------------- helpers


def url(path: str, **params: str | list[str]) -> str:
    return f"{path}?{urlencode(params, doseq=True)}" if params else path


def settle(page, timeout: float = RESULT_MS) -> None:
    """Wait for the run to end and for every card to show its citation: Streamlit draws code
    blocks with a component it loads lazily, a moment after the rest of the card."""
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_function(CARDS_DRAWN, timeout=timeout)


def open_results(page, address: str) -> None:
    """Open an address and wait until its cards are on screen and the run has ended."""
    from playwright.sync_api import expect

    page.goto(address)
    expect(page.locator(".rs-head").first).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
