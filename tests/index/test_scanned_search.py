"""A scanned copy of a sample report is found by search, page cited, as its text twin is."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from index.embedding_cache import EmbeddingCache
from index.searcher import Searcher
from ingest.ocr import OcrCache, OcrEngine
from revsok.update import update_index
from tests.conftest import CORPUS, REPO
from tests.ingest.test_ocr import _require_ocr

pytestmark = pytest.mark.slow

REPORT = "ragunda-2022-granskning-missbruksvard"


def _scanned_copy(path, dpi=200):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(CORPUS / f"{REPORT}.pdf"))
    try:
        pages = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def _index(tmp_path, name, pdf, embedder, cache_path):
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(pdf, folder / pdf.name)
    shutil.copy(CORPUS / "pitea-2023-granskning-lss.pdf", folder)  # another report beside it
    engine = OcrEngine(OcrCache(tmp_path / "ocr-cache.sqlite"))
    update_index(
        [folder], tmp_path / f"index-{name}", embedder, EmbeddingCache(cache_path), ocr=engine
    )
    return Searcher.load(tmp_path / f"index-{name}", embedder)


def _queries():
    for line in (REPO / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        query = json.loads(line)
        documents = {j["document"] for j in query["judgments"]}
        if documents == {REPORT}:
            yield query["query"]


def test_the_scanned_report_answers_as_its_text_twin(
    tmp_path, default_embedder, embedding_cache_path
):
    _require_ocr()
    scan = _scanned_copy(tmp_path / f"{REPORT}.pdf")
    scanned = _index(tmp_path, "skannad", scan, default_embedder, embedding_cache_path)
    text = _index(
        tmp_path, "text", CORPUS / f"{REPORT}.pdf", default_embedder, embedding_cache_path
    )
    assert all(c.ocr for c in scanned.chunks if REPORT in c.source_file)
    queries = list(_queries())[:8]
    assert len(queries) >= 5
    same = 0
    for query in queries:
        from_scan = scanned.search(query, k=5)[0]
        from_text = text.search(query, k=5)[0]
        assert from_scan.chunk.source_file.endswith(f"{REPORT}.pdf")
        assert re.search(r"· (?:PDF-)?s\. \d+", from_scan.citation())  # a page is cited
        same += (from_scan.chunk.section_title, from_scan.chunk.pages[0]) == (
            from_text.chunk.section_title,
            from_text.chunk.pages[0],
        )
    # OCR text differs from the text layer in a few characters, which may move a close second
    # ahead; the cited section and page agree for nearly all of them.
    assert same >= len(queries) - 1
