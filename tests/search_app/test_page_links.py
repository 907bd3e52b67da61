"""Every passage of the sample corpus is cited by one page convention, and its PDF link opens the
page that holds its first words."""

from __future__ import annotations

import re
from functools import cache

from pypdf import PdfReader

from index.models import chunk_citation
from search_app.core.citations import page_label, pdf_page


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w]+", " ", text).casefold().split()


@cache
def _pdf_pages(path: str) -> tuple[str, ...]:
    return tuple(" ".join(_words(page.extract_text() or "")) for page in PdfReader(path).pages)


def _opens_on(chunk, pages: tuple[str, ...], page: int) -> bool:
    here = pages[page - 1]
    following = pages[page] if page < len(pages) else ""
    opening = " ".join(_words(chunk.text)[:5])
    found = f"{here} {following}".find(opening)
    if found >= 0:
        return found < len(here)  # the passage starts on this page, not on the next
    # Cleaning moves a document's head lines (a letterhead, a date) and PDF extraction glues
    # some words: then most of the first distinct words must still stand on the page.
    first = list(dict.fromkeys(w for w in _words(chunk.text) if len(w) > 3))[:8]
    present = set(here.split())
    return sum(w in present for w in first) >= 0.75 * len(first)


def test_every_pdf_link_opens_the_page_that_holds_the_passage(corpus_result):
    chunks = [c for c in corpus_result.chunks if c.source_file.endswith(".pdf")]
    assert len(chunks) > 500
    wrong = [
        (c.chunk_id, pdf_page(c))
        for c in chunks
        if not _opens_on(c, _pdf_pages(c.source_file), pdf_page(c))
    ]
    assert wrong == []


def test_a_citation_gives_the_printed_page_or_the_pdf_page_never_both(corpus_result):
    for chunk in corpus_result.chunks:
        label = page_label(chunk)
        assert label == chunk_citation(chunk).rsplit(" · ", 1)[-1]
        assert label.startswith("s. ") != label.startswith("PDF-s. ")
        assert "PDF-sida" not in label and "(" not in label
    # The first page of this report prints no number; the next prints 5. A passage starting on
    # the first page used to be cited "s. 5 (PDF-sida 1)".
    on_first_page = [
        c
        for c in corpus_result.chunks
        if c.source_file.endswith("harnosand-2021-uppfoljande-granskning-insatser-for-vuxna.pdf")
        and c.pages[0] == 1
    ]
    assert any(len(c.pages) > 1 for c in on_first_page)
    assert {page_label(c) for c in on_first_page} <= {"PDF-s. 1", "PDF-s. 1–2"}
