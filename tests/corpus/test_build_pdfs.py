"""The committed corpus PDFs are what scripts/build_corpus_pdfs.py makes from corpus/src."""

import importlib.util

from pypdf import PdfReader

from tests.conftest import CORPUS, CORPUS_SRC, REPO, SEEDS


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_corpus_pdfs", REPO / "scripts" / "build_corpus_pdfs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page_texts(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def test_committed_pdfs_match_a_fresh_build(tmp_path):
    builder = _load_builder()
    assert builder.main(["--src", str(CORPUS_SRC), "--out", str(tmp_path)]) == 0
    for source in sorted(CORPUS_SRC.glob("*.txt")):
        fresh = _page_texts(tmp_path / f"{source.stem}.pdf")
        committed = _page_texts(CORPUS / f"{source.stem}.pdf")
        assert fresh == committed, (
            f"{source.stem}.pdf är inaktuell: kör scripts/build_corpus_pdfs.py"
        )


def test_page_breaks_follow_the_text_and_swedish_survives():
    from ingest.pagination import split_text_pages

    for name, source in SEEDS.items():
        text = source.read_text(encoding="utf-8")
        pdf_pages = _page_texts(CORPUS / f"{source.stem}.pdf")
        assert len(pdf_pages) >= len(split_text_pages(text)), name
    harnosand = _page_texts(CORPUS / f"{SEEDS['harnosand'].stem}.pdf")
    joined = "\n".join(harnosand)
    assert "Härnösands kommuns revisorer" in joined
    # The header block that the text shows after the page-5 footer opens a new PDF page.
    assert any(page.lstrip().startswith("Härnösands kommun") for page in harnosand[1:])
