import pytest

from tests.search_app.browser_app import CHROMIUM, CHROMIUM_ARGS, require_browser


@pytest.fixture
def app_env(monkeypatch, corpus_index, tmp_path):
    """The app pointed at the indexed sample corpus and a data folder of its own."""
    monkeypatch.setenv("REVSOK_INDEX_DIR", str(corpus_index))
    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def all_hits_weak(app_env, monkeypatch):
    """The app's cached searcher, set to mark every passage with a similarity as a weak match."""
    from dataclasses import replace

    from search_app.ui import resources

    loaded = resources.searcher()
    monkeypatch.setattr(loaded, "ranking", replace(loaded.ranking, weak_below=1.0))
    return loaded


@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's chromium through Playwright, for the browser tests of one module."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
