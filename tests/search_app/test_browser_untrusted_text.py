"""Untrusted text is text: what a document says about itself is shown as the characters it is.

A report's title, its nämnd and byrå come from documents nobody here wrote. Streamlit reads
captions, messages, expander titles and widget labels as markdown, with KaTeX between dollar
signs and links in brackets, and the cards are HTML. A document whose title, nämnd and byrå are
``**x** $y$ [l](javascript:z) <b>`` is indexed (tests/fixtures/untrusted/: the title is in the
text, the nämnd and byrå in its metadata file beside it, as a manifest compiled from elsewhere
could carry them), and every page is opened in a real browser: the string must be on screen as
text, and nothing may be made of it: no bold, no maths, no link, no <b> element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.search_app.browser_app import (
    FIRST_RESULT_MS,
    IDLE,
    MAIN,
    RESULT_MS,
    require_browser,
    running_app,
    settle,
    url,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PLANTED = "**x** $y$ [l](javascript:z) <b>"
HOSTILE = REPO / "tests" / "fixtures" / "untrusted"
# A second kommun, so that Jämför has two columns and the filters two values.
ORDINARY = REPO / "tests/fixtures/recommendations" / "kalmar-2024-grant-thornton-samverkan.txt"
ORSA, KALMAR = "Orsa kommun", "Kalmar kommun"
QUERY = "matsvinn i skolköken"

# What markdown, KaTeX or HTML would have made of the planted string, anywhere in the app. The
# app itself never writes <b>, so any <b> element is one the document opened.
MARKUP_FROM_PLANTED = r"""() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const found = [];
    const where = el => {
        const box = el.closest('[data-testid]');
        return (box ? box.dataset.testid + ': ' : '') + el.parentElement.outerHTML.slice(0, 200);
    };
    for (const el of app.querySelectorAll('.katex, math')) found.push('KaTeX ' + where(el));
    for (const el of app.querySelectorAll('a')) {
        const href = (el.getAttribute('href') || '').trim().toLowerCase();
        if (href.startsWith('javascript:') || el.textContent.trim() === 'l') {
            found.push('länk ' + where(el));
        }
    }
    for (const el of app.querySelectorAll('b')) found.push('<b> ' + where(el));
    for (const el of app.querySelectorAll('strong, em, del, s')) {
        const text = el.textContent.trim();
        if (text === 'x' || text === 'y' || text.includes('javascript')) {
            found.push('<' + el.tagName.toLowerCase() + '> ' + where(el));
        }
    }
    return found;
}"""


SHOWN_AT_LEAST = """([text, times]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.innerText.split(text).length - 1 >= times;
}"""


@pytest.fixture(scope="module")
def untrusted_index(tmp_path_factory, default_embedder, embedding_cache_path, token_counter):
    """The hostile report and an ordinary one, indexed as `revsok ingest` would."""
    require_browser()
    from index.embedding_cache import EmbeddingCache
    from revsok.update import update_index

    index_dir = tmp_path_factory.mktemp("untrusted-index") / "index"
    update_index(
        [HOSTILE, ORDINARY],
        index_dir,
        default_embedder,
        EmbeddingCache(embedding_cache_path),
        counter=token_counter,
    )
    return index_dir


@pytest.fixture(scope="module")
def hostile_recommendation(untrusted_index, default_embedder) -> str:
    """The rec_id of the hostile report's first recommendation; checks what was planted."""
    from index.searcher import Searcher
    from recommendations.store import RecommendationStore

    searcher = Searcher.load(untrusted_index, embedder=default_embedder)
    (document,) = [d for d in searcher.documents if d.municipality == ORSA]
    # What the test relies on: ingest kept the planted string in every field it was put in.
    assert PLANTED in (document.title or "")
    assert document.committee == PLANTED
    assert document.audit_firm == PLANTED
    store = RecommendationStore.load(searcher.path)
    planted = [r for r in store.records.recommendations if r.municipality == ORSA]
    assert planted, "rekommendationerna i den fientliga rapporten lästes inte ut"
    return planted[0].rec_id


@pytest.fixture(scope="module")
def untrusted_app(untrusted_index, tmp_path_factory) -> Iterator[str]:
    log_dir = tmp_path_factory.mktemp("untrusted-app")
    settings = {"REVSOK_DATA_DIR": str(log_dir / "data")}
    with running_app(untrusted_index, log_dir, settings=settings) as base:
        yield base


@pytest.fixture
def page(chromium_browser, untrusted_app):
    context = chromium_browser.new_context(
        base_url=untrusted_app, viewport={"width": 1400, "height": 1000}, locale="sv-SE"
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(page, address: str, ready: str) -> None:
    """Open ``address``, wait for the text ``ready`` and the end of the run, open every expander."""
    from playwright.sync_api import expect

    page.goto(address)
    expect(page.locator(MAIN).get_by_text(ready).first).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
    open_expanders(page)


def idle(page) -> None:
    page.wait_for_function(IDLE, timeout=RESULT_MS)


def open_expanders(page) -> None:
    # Streamlit draws an expander's content when it is opened. One in a tab not shown cannot be.
    closed = page.locator(f"{MAIN} details:not([open]) > summary:visible")
    for _ in range(closed.count()):
        closed.first.click()
    idle(page)


def assert_plain(page, where: str, *, at_least: int = 1) -> None:
    """The planted string is on screen as text, and nothing on the page was made of it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            SHOWN_AT_LEAST, arg=[PLANTED, at_least], timeout=RESULT_MS, polling=250
        )
    except PlaywrightTimeout:
        shown = page.locator('[data-testid="stApp"]').inner_text().count(PLANTED)
        pytest.fail(f"{where}: {PLANTED!r} syns {shown} gånger som text, inte {at_least}")
    made = page.evaluate(MARKUP_FROM_PLANTED)
    assert not made, f"{where}: dokumenttext blev formatering:\n" + "\n".join(made)


def test_search_page(page):
    visit(page, url("/", q=QUERY, namnd=PLANTED, byra=PLANTED), "Granskning av")
    assert_plain(page, "Sök med nämnd- och byråfilter")
    # The filters, as the caption above the cards states them.
    caption = page.locator(f"{MAIN} [data-testid='stCaptionContainer']").first.inner_text()
    assert f"nämnd: {PLANTED}; byrå: {PLANTED}" in caption

    visit(page, url("/", q=f"rekommendationer om {QUERY}"), "Granskning av")
    recs = page.locator(f"{MAIN} .rs-recs")
    assert PLANTED in recs.inner_text()
    assert_plain(page, "Sök med rekommendationer")

    # No passage has both Kalmar and the planted nämnd: the warning names the filters.
    visit(page, url("/", q=QUERY, kommun=KALMAR, namnd=PLANTED), "Inga träffar med filtren")
    assert_plain(page, "Sök utan träffar")


def test_compare_page(page):
    visit(page, url("/jamfor", q=QUERY, kommun=[ORSA, KALMAR]), "Granskning av")
    assert_plain(page, "Jämför kommuner")
    visit(page, url("/jamfor", q=QUERY, kommun=[ORSA, KALMAR], namnd=PLANTED), "Granskning av")
    assert_plain(page, "Jämför kommuner med nämndfilter")


def test_over_time_page(page):
    visit(page, url("/over-tid", q=QUERY, namnd=PLANTED), "Bland de")
    assert_plain(page, "Över tid med nämndfilter", at_least=2)


def test_documents_page(page):
    from playwright.sync_api import expect

    visit(page, "/dokument", "Lägg till PDF:er")
    # The table is drawn on a canvas; the ingest warnings name the document by its title.
    assert_plain(page, "Dokument")

    # An upload's error names the file as it was called on the user's disk.
    uploader = page.locator(f"{MAIN} [data-testid='stFileUploader']")
    uploader.locator("input[type=file]").set_input_files(
        {"name": f"{PLANTED}.pdf", "mimeType": "application/pdf", "buffer": b"ingen pdf"}
    )
    # The uploader lists the file (its name shortened in the middle) once it is on the server.
    remove = uploader.get_by_role("button", name=f"Remove {PLANTED}.pdf", exact=True)
    expect(remove).to_be_visible(timeout=RESULT_MS)
    page.get_by_role("button", name="Läs in").click()
    error = page.locator(f"{MAIN} [data-testid='stAlertContentError']")
    expect(error).to_contain_text("ingen PDF", timeout=RESULT_MS)
    idle(page)
    assert f"{PLANTED}.pdf: filen är ingen PDF" in error.inner_text()
    assert_plain(page, "Dokument, fel vid uppladdning")


def test_recommendations_page(page, hostile_recommendation):
    address = url("/rekommendationer", q=PLANTED, namnd=PLANTED, rek=hostile_recommendation)
    visit(page, address, "Var rekommendationen står")
    # The caption states the query and the nämnd filter; the detail, the report it comes from;
    # the verdicts, each report by its title.
    captions = page.locator(f"{MAIN} [data-testid='stCaptionContainer']").all_inner_texts()
    captions = " ".join(captions)
    assert f"för ”{PLANTED}”" in captions and f"nämnd: {PLANTED}" in captions
    assert_plain(page, "Rekommendationer med detalj", at_least=3)

    visit(
        page,
        url("/rekommendationer", kommun=KALMAR, namnd=PLANTED),
        "Inga rekommendationer med filtren",
    )
    assert_plain(page, "Rekommendationer utan träffar")


def test_evaluation_page(page):
    from playwright.sync_api import expect

    visit(page, "/utvardering", "Kör evalmängden")
    page.get_by_role("tab", name="Bedöm en egen fråga").click()
    box = page.get_by_label("Fråga att bedöma")
    box.fill(QUERY)
    box.press("Enter")
    expect(page.locator(MAIN).get_by_text(re.compile(r"passager bedömda"))).to_be_visible(
        timeout=RESULT_MS
    )
    idle(page)
    assert_plain(page, "Utvärdering, bedöm en fråga")
