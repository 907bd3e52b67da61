"""``serve_originals``: the original PDFs are not masked, so the app can run without them.

Off, no page links to a PDF and nothing is copied into the folder Streamlit serves; citations
keep their pages. On (the default), the cards link to the page of the PDF they quote.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("streamlit")

from recommendations.store import RecommendationStore
from search_app.ui import resources
from tests.search_app.apptest_pages import html_text, run_page

QUERY = "rekommendationer om samverkan med regionen"
PDF_LINK = re.compile(r'<a class="rs-pdf" href="app/static/pdf/')


@pytest.fixture
def static_dir(monkeypatch, tmp_path):
    """The folder the app publishes PDFs into, empty, and no PDFs remembered from other tests."""
    folder = tmp_path / "static"
    monkeypatch.setattr(resources, "STATIC_DIR", folder)
    resources._published.clear()
    yield folder
    resources._published.clear()


def test_by_default_cards_link_to_the_page_of_the_original(app_env, static_dir):
    body = html_text(run_page("search.py", q=QUERY))
    assert PDF_LINK.search(body)
    assert any((static_dir / "pdf").glob("*.pdf"))


def test_without_originals_no_link_and_nothing_is_published(app_env, static_dir, monkeypatch):
    monkeypatch.setenv("REVSOK_SERVE_ORIGINALS", "0")
    app = run_page("search.py", q=QUERY)
    body = html_text(app)
    assert "Öppna PDF" not in body and "app/static/pdf" not in body
    # No "the PDF is gone" note either: the PDF is there, the app only does not serve it.
    assert "finns inte längre" not in body
    assert not static_dir.exists()
    # Every card still says which page it quotes.
    cards = re.findall(r'<div class="rs-links">(.*?)</div>', body)
    assert cards and all(re.search(r"(?:s\.|PDF-sida) \d+", card) for card in cards)
    citations = [block.value for block in app.code]
    assert citations and all(re.search(r"(?:s\.|PDF-s\.) \d+", c) for c in citations)


def test_without_originals_a_recommendation_shows_its_pages_without_links(
    app_env, static_dir, monkeypatch, corpus_index
):
    rec = next(
        r
        for r in RecommendationStore.load(corpus_index).records.recommendations
        if r.locations and r.locations[0].pages
    )
    monkeypatch.setenv("REVSOK_SERVE_ORIGINALS", "0")
    app = run_page("recommendations.py", rek=rec.rec_id)
    assert "Var rekommendationen står" in " ".join(block.value for block in app.markdown)
    body = html_text(app)
    assert "Öppna PDF" not in body and "app/static/pdf" not in body
    assert rec.locations[0].page_label() in body
    assert not static_dir.exists()
