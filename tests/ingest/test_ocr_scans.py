"""OCR of scans as an office scanner makes them: fed a degree or two askew, grainy, specked.

Corpus pages are rasterised at 200 and 300 dpi, tilted and noised with a fixed seed, and read back
through the real reader; the words must match the text layer (word-level F1, order-insensitive,
≥ 0.97) and the metadata (kommun, år, nämnd) must come out as from the text PDF. The default run
reads two pages, the hardest variant; the full grid over several reports is marked slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.ocr import OcrCache, OcrEngine, _denoise, _prepare, _skew
from ingest.pipeline import ingest_paths
from ingest.readers import read_source
from tests.conftest import CORPUS
from tests.ingest.scans import Scanner, scan
from tests.ingest.test_ocr import CORPUS_PDF, MIN_F1, PAGES, _require_ocr, word_f1

METADATA = ("municipality", "year", "committee")

# Covers (kommun, nämnd, år, a table of contents) and pages of running text from three reports.
GRID_PAGES = {
    "ragunda-2022-granskning-missbruksvard": (1, 2),
    "pitea-2023-granskning-lss": (1, 4),
    "karlshamn-2023-granskning-oppenvardsinsatser": (1, 6),
}
GRID = [
    Scanner(dpi, angle, noisy)
    for dpi in (200, 300)
    for angle, noisy in ((1.5, False), (0.0, True), (-1.5, True))
]


def _render(pdf: Path, number: int, dpi: int = 300):
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(pdf))
    try:
        return document[number - 1].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()


def _text_subset(source: Path, target: Path, pages: tuple[int, ...]) -> Path:
    reader = PdfReader(source)
    writer = PdfWriter()
    for n in pages:
        writer.add_page(reader.pages[n - 1])
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def _metadata(result) -> list[tuple]:
    return [tuple(getattr(d, f) for f in METADATA) for d in result.documents]


def _check(source: Path, pages: tuple[int, ...], scanner: Scanner, folder: Path, engine) -> None:
    scanned = scan(source, folder / f"{source.stem}-{scanner.name}.pdf", pages, scanner)
    expected = [page.extract_text() for page in PdfReader(source).pages]
    read = read_source(scanned, engine)
    assert [p.number for p in read.pages] == list(range(1, len(pages) + 1))
    for page, number in zip(read.pages, pages, strict=True):
        assert page.ocr
        score = word_f1(page.text, expected[number - 1])
        print(f"{scanner.name} {source.stem} s. {number}: F1 {score:.4f}, {page.ocr_confidence}")
        assert score >= MIN_F1, (scanner.name, source.stem, number, score)
    text = ingest_paths([_text_subset(source, folder / "text.pdf", pages)], ocr=engine)
    from_scan = ingest_paths([scanned], ocr=engine)  # the engine's cache spares a second OCR
    assert _metadata(text) and all(v is not None for row in _metadata(text) for v in row)
    assert _metadata(from_scan) == _metadata(text)


def test_a_tilted_noisy_200_dpi_scan_reads_as_the_text_layer(tmp_path):
    _require_ocr()
    engine = OcrEngine(OcrCache())
    _check(CORPUS_PDF, PAGES, Scanner(200, -1.5, noisy=True), tmp_path, engine)


@pytest.mark.slow
@pytest.mark.parametrize("scanner", GRID, ids=lambda s: s.name)
def test_scans_of_several_reports_read_as_their_text_layers(tmp_path, scanner):
    _require_ocr()
    engine = OcrEngine(OcrCache())
    for report, pages in GRID_PAGES.items():
        _check(CORPUS / f"{report}.pdf", pages, scanner, tmp_path, engine)


@pytest.mark.parametrize("angle", [-2.0, -1.5, 0.7, 1.5, 3.0])
def test_the_tilt_of_a_page_is_found(angle):
    from PIL import Image

    page = _render(CORPUS_PDF, 2)
    tilted = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert _skew(tilted) == pytest.approx(angle, abs=0.15)
    assert _skew(_prepare(tilted)) == 0.0  # turned straight


def test_a_straight_or_empty_page_is_left_as_it_is():
    from PIL import Image

    page = _render(CORPUS_PDF, 2)
    assert _skew(page) == 0.0
    assert _prepare(page).size == page.size
    assert _skew(Image.new("L", (2480, 3508), 255)) == 0.0


def test_denoising_takes_out_specks_and_keeps_strokes():
    import numpy as np
    from PIL import Image

    pixels = np.full((60, 60), 255, dtype=np.uint8)
    pixels[10:50, 20:23] = 0  # a stroke three pixels wide
    pixels[5, 5] = pixels[40, 50] = 0  # dust
    pixels[30, 21] = 255  # a dropout inside the stroke
    cleaned = np.asarray(_denoise(Image.fromarray(pixels)))
    assert cleaned[5, 5] == cleaned[40, 50] == 255
    assert (cleaned[11:49, 20:23] == 0).all()
    assert cleaned.shape == pixels.shape
