"""OCR of PDF pages without a text layer (Tesseract, Swedish).

The tests that run Tesseract are skipped when it, its Swedish data or pytesseract/pypdfium2 are
missing, unless ``REVSOK_REQUIRE_OCR=1`` (CI), where they fail instead. Pages of a corpus report are
rasterised into an image-only PDF and read back; the OCR text is compared with the text layer of the
same page by word-level F1, order-insensitive.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from index.chunk_store import _record
from ingest import ocr as ocr_module
from ingest.models import Chunk
from ingest.ocr import INSTALL_HINT, OcrCache, OcrEngine, OcrUnavailable, check_available
from ingest.pipeline import ingest_paths
from ingest.readers import UnreadableSource, read_source
from tests.ingest.pdf_factory import image_only_pdf

CORPUS_PDF = Path(__file__).parents[2] / "corpus" / "ragunda-2022-granskning-missbruksvard.pdf"
PAGES = (1, 2)  # the cover (kommun, nämnd, år) and a page of running text
MIN_F1 = 0.97


def _require_ocr() -> None:
    try:
        check_available()
    except OcrUnavailable as err:
        reason = f"OCR kan inte köras: {err} ({INSTALL_HINT})"
        if os.environ.get("REVSOK_REQUIRE_OCR") == "1":
            pytest.fail(f"REVSOK_REQUIRE_OCR=1 men {reason}")
        pytest.skip(reason)


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def word_f1(found: str, expected: str) -> float:
    a, b = _words(found), _words(expected)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _scan(path: Path, pages: tuple[int, ...], dpi: int) -> Path:
    """``pages`` of the corpus PDF as an image-only PDF, rasterised at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(CORPUS_PDF))
    try:
        images = [document[n - 1].render(scale=dpi / 72).to_pil().convert("RGB") for n in pages]
    finally:
        document.close()
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def _text_subset(path: Path, pages: tuple[int, ...]) -> Path:
    """``pages`` of the corpus PDF with their text layer."""
    reader = PdfReader(CORPUS_PDF)
    writer = PdfWriter()
    for n in pages:
        writer.add_page(reader.pages[n - 1])
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Scans at 200 and 300 dpi and one OCR engine whose cache the tests share."""
    _require_ocr()
    folder = tmp_path_factory.mktemp("ocr")
    engine = OcrEngine(OcrCache(folder / "ocr-cache.sqlite"))
    scans = {dpi: _scan(folder / f"skannad-{dpi}.pdf", PAGES, dpi) for dpi in (200, 300)}
    return folder, engine, scans


@pytest.mark.parametrize("dpi", [200, 300])
def test_ocr_text_matches_the_text_layer(shared, dpi):
    _folder, engine, scans = shared
    expected = [page.extract_text() for page in PdfReader(CORPUS_PDF).pages]
    source = read_source(scans[dpi], engine)
    assert [p.number for p in source.pages] == list(PAGES)
    for page in source.pages:
        assert page.ocr
        assert page.ocr_confidence is not None and 80 <= page.ocr_confidence <= 100
        score = word_f1(page.text, expected[page.number - 1])
        print(f"{dpi} dpi, sida {page.number}: F1 {score:.4f}, säkerhet {page.ocr_confidence}")
        assert score >= MIN_F1, (dpi, page.number, score)


def test_chunks_of_an_ocr_read_pdf_are_marked(shared):
    _folder, engine, scans = shared
    result = ingest_paths([scans[300]], ocr=engine)
    assert not result.failed, result.problems
    assert result.chunks
    assert all(c.ocr and c.ocr_confidence is not None for c in result.chunks)


def test_metadata_from_the_ocr_read_pdf_equals_the_text_pdf(shared):
    folder, engine, scans = shared
    text = ingest_paths([_text_subset(folder / "text.pdf", PAGES)], ocr=engine)
    scanned = ingest_paths([scans[300]], ocr=engine)
    fields = ("municipality", "year", "committee")
    expected = [tuple(getattr(d, f) for f in fields) for d in text.documents]
    found = [tuple(getattr(d, f) for f in fields) for d in scanned.documents]
    assert expected and all(all(v is not None for v in row) for row in expected)
    assert found == expected
    assert not any(c.ocr for c in text.chunks)


def _mixed(folder: Path) -> Path:
    """Page 1 with its text layer, page 2 a scan."""
    scan = PdfReader(_scan(folder / "bild.pdf", (2,), 200))
    writer = PdfWriter()
    writer.add_page(PdfReader(CORPUS_PDF).pages[0])
    writer.add_page(scan.pages[0])
    path = folder / "blandad.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_mixed_pdf_ocrs_only_its_image_page_and_the_cache_spares_a_second_run(
    tmp_path, monkeypatch
):
    _require_ocr()
    path = _mixed(tmp_path)
    calls: list[object] = []
    real = ocr_module._tesseract_data

    def counting(image, language):
        calls.append(image.size)
        return real(image, language)

    monkeypatch.setattr(ocr_module, "_tesseract_data", counting)
    cache_file = tmp_path / "ocr-cache.sqlite"
    first = ingest_paths([path], ocr=OcrEngine(OcrCache(cache_file)))
    assert len(calls) == 1
    source = read_source(path, OcrEngine(OcrCache(cache_file)))
    assert [p.ocr for p in source.pages] == [False, True]
    assert "Ragunda" in source.pages[0].text
    assert len(calls) == 1  # a new engine, the same cache file: no second Tesseract run
    second = ingest_paths([path], ocr=OcrEngine(OcrCache(cache_file)))
    assert len(calls) == 1
    assert [c.text for c in second.chunks] == [c.text for c in first.chunks]
    assert all(not c.ocr for c in first.chunks if c.pages == (1,))
    assert all(c.ocr for c in first.chunks if 2 in c.pages)
    assert any(c.pages == (1,) for c in first.chunks) and any(2 in c.pages for c in first.chunks)


class _Missing(OcrEngine):
    def unavailable(self):
        return OcrUnavailable("programmet tesseract saknas")


def test_without_tesseract_a_scan_is_refused_with_what_to_install(tmp_path):
    with pytest.raises(UnreadableSource) as caught:
        read_source(image_only_pdf(tmp_path / "skannad.pdf"), _Missing())
    assert "PDF utan textlager (skannad bild) – behöver OCR" in caught.value.reason
    assert "tesseract-ocr-swe" in caught.value.reason
    assert "revsok[ocr]" in caught.value.reason


def test_without_tesseract_the_rest_of_the_ingest_goes_on(tmp_path):
    image_only_pdf(tmp_path / "skannad.pdf")
    (tmp_path / "anteckning.txt").write_text(
        "Revisorerna i Ragunda kommun granskade missbruksvården under 2022.", encoding="utf-8"
    )
    result = ingest_paths([tmp_path], ocr=_Missing())
    assert [p.source_file.rsplit("/", 1)[-1] for p in result.problems if p.fatal] == ["skannad.pdf"]
    assert result.chunks and not any(c.ocr for c in result.chunks)


def test_chunks_stored_before_ocr_still_load():
    chunk = Chunk(
        chunk_id="a-0000",
        doc_id="a",
        source_id="s",
        chunk_index=0,
        text="text",
        municipality=None,
        year=None,
        date=None,
        committee=None,
        doc_type="annat",
        audit_firm=None,
        title=None,
        case_number=None,
        paragraph=None,
        section_number=None,
        section_title=None,
        section_kind="annat",
        heading_path=(),
        pages=(1,),
        printed_pages=(),
        source_file="a.pdf",
        content_hash="s",
        text_hash="t",
        token_count=1,
    )
    old = {k: v for k, v in asdict(chunk).items() if k not in ("ocr", "ocr_confidence")}
    loaded = _record(Chunk, json.dumps(old))
    assert loaded == chunk
    assert loaded.ocr is False and loaded.ocr_confidence is None
    marked = asdict(chunk) | {"ocr": True, "ocr_confidence": 93.5}
    assert _record(Chunk, json.dumps(marked)).ocr_confidence == 93.5


def test_without_tesseract_a_mixed_pdf_keeps_its_text_pages_and_names_the_unread_one(tmp_path):
    path = _mixed(tmp_path)  # page 1 has a text layer, page 2 is an image
    result = ingest_paths([path], ocr=_Missing())
    assert not [p for p in result.problems if p.fatal]
    assert result.chunks and all(c.pages == (1,) for c in result.chunks)
    warnings = [p.reason for p in result.problems if not p.fatal]
    assert any("PDF-sidor utan textlager lästes inte (2)" in w for w in warnings), warnings
    assert any("tesseract-ocr-swe" in w for w in warnings)
