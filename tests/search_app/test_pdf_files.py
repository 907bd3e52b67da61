"""PDF links: the indexed file is published under its content hash, and only if unchanged."""

from __future__ import annotations

import shutil

from pypdf import PdfReader

from eval.evalset import normalise
from search_app.core.citations import pdf_href, pdf_page
from search_app.core.pdf_files import file_sha256, publish_pdfs, search_roots
from tests.conftest import REPO


def test_every_corpus_pdf_is_published_and_the_cited_page_holds_the_passage(
    tmp_path, corpus_searcher
):
    published = publish_pdfs(corpus_searcher.documents, tmp_path, search_roots(REPO))
    assert len(published) == len({d.source_id for d in corpus_searcher.documents})
    hit = corpus_searcher.search("revisionsfrågor och revisionskriterier", k=1)[0]
    name = published[hit.chunk.source_id]
    page = pdf_page(hit.chunk)
    assert pdf_href(name, page).endswith(f"/pdf/{name}#page={page}")
    reader = PdfReader(tmp_path / "pdf" / name)
    opening = normalise(hit.chunk.text)[:80]
    assert opening in normalise(reader.pages[page - 1].extract_text())


def test_a_source_changed_since_ingest_gets_no_link(tmp_path, corpus_searcher):
    root = tmp_path / "elsewhere"
    documents = [d for d in corpus_searcher.documents if d.source_file.endswith(".pdf")]
    first = documents[0]
    moved = root / first.source_file
    moved.parent.mkdir(parents=True)
    shutil.copyfile(REPO / first.source_file, moved)
    moved.write_bytes(moved.read_bytes() + b"\n% edited\n")
    published = publish_pdfs([first], tmp_path / "static", [root])
    assert published == {}
    shutil.copyfile(REPO / first.source_file, moved)
    published = publish_pdfs([first], tmp_path / "static", [root])
    assert file_sha256(tmp_path / "static" / "pdf" / published[first.source_id]) == first.source_id
