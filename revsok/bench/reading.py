"""Reading speed for ``revsok bench``: parsing, cleaning, sections and chunking, no embedding.

Pages per second are timed on the corpus PDFs, on Word copies of them (the same text, a page
break where a PDF page ends; their pages are the PDF's) and, when asked for, on a scanned copy
(pages rendered to images and OCR'd with a cold OCR cache). Megabytes per second are timed on one
large text report generated for the purpose (``revsok.bench.text``) in a temporary folder.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ingest.chunking import TokenCounter
from ingest.collecting import collect_files
from ingest.models import Chunk
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.pipeline import ingest_paths
from revsok.bench.text import GeneratedText, write_report


def measure_text_ingest(megabytes: float, counter: TokenCounter | None = None) -> dict:
    """Time ingesting one generated text file of about ``megabytes`` MB, without embedding.

    Also counts the generated sentences that no chunk holds: ingest must not drop text.
    """
    counter = counter or TokenCounter()
    counter("x")  # load the tokenizer outside the measurement; its word cache stays empty
    with tempfile.TemporaryDirectory(prefix="revsok-bench-text-") as tmp:
        path, generated = write_report(Path(tmp), megabytes)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        result = ingest_paths([path], IngestOptions(), counter=counter)
        seconds = time.perf_counter() - started
    return {
        "megabytes": round(size_mb, 2),
        "seconds": round(seconds, 2),
        "mb_per_second": round(size_mb / seconds, 2),
        "chunks": len(result.chunks),
        "sentences": len(generated.sentences),
        "sentences_missing": len(missing_sentences(generated, result.chunks)),
    }


def missing_sentences(generated: GeneratedText, chunks: Sequence[Chunk]) -> list[str]:
    """Generated sentences that no chunk holds (whitespace aside), in reading order.

    Chunks come in text order and every sentence lies within one paragraph, which the chunker
    never splits at this size: one pass through the chunks finds each sentence after the one
    before it.
    """
    joined = " ".join(" ".join(chunk.text.split()) for chunk in chunks)
    missing = []
    position = 0
    for sentence in generated.sentences:
        found = joined.find(" ".join(sentence.split()), position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found
    return missing


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _timed_reading(files: Sequence[Path], pages: int, counter: TokenCounter, ocr=None) -> dict:
    started = time.perf_counter()
    result = ingest_paths(files, IngestOptions(), counter=counter, ocr=ocr)
    seconds = time.perf_counter() - started
    failed = [p.source_file for p in result.problems if p.fatal]
    return {
        "files": len(files),
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 2),
        "chunks": len(result.chunks),
        "failed": failed,
    }


def _word_copy(pdf: Path, folder: Path) -> Path:
    """``pdf``'s text layer as a .docx: a paragraph per line, a page break per page."""
    from docx import Document
    from pypdf import PdfReader

    document = Document()
    for number, page in enumerate(PdfReader(pdf).pages):
        if number:
            document.add_page_break()
        for line in (page.extract_text() or "").splitlines():
            if line.strip():
                document.add_paragraph(line)
    path = folder / f"{pdf.stem}.docx"
    document.save(path)
    return path


def _scanned_copy(pdf: Path, folder: Path, pages: int, dpi: int = 200) -> Path:
    """The first ``pages`` pages of ``pdf`` as images only, as a scanner makes them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [
            document[i].render(scale=dpi / 72).to_pil().convert("RGB")
            for i in range(min(pages, len(document)))
        ]
    finally:
        document.close()
    path = folder / f"{pdf.stem}-skannad.pdf"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def measure_reading(paths: Sequence[Path], ocr_pages: int = 0) -> dict:
    """Pages per second read (parsed, cleaned, chunked; not embedded) in one process."""
    pdfs = [p for p in collect_files(paths)[0] if p.suffix.lower() == ".pdf"]
    counter = TokenCounter()
    counter("x")  # load the tokenizer outside the measurements
    pages = sum(_pdf_pages(p) for p in pdfs)
    report: dict = {"text_pdf": _timed_reading(pdfs, pages, counter)}
    with tempfile.TemporaryDirectory(prefix="revsok-bench-read-") as tmp:
        try:
            words = [_word_copy(p, Path(tmp)) for p in pdfs]
        except ImportError as err:
            report["docx"] = {"skipped": f"python-docx saknas ({err})"}
        else:
            report["docx"] = _timed_reading(words, pages, counter)
        if ocr_pages > 0 and pdfs:
            engine = OcrEngine()  # a cache in memory, empty: every page is OCR'd
            problem = engine.unavailable()
            if problem is not None:
                report["ocr"] = {"skipped": f"OCR kan inte köras: {problem}"}
            else:
                scan = _scanned_copy(pdfs[-1], Path(tmp), ocr_pages)
                report["ocr"] = _timed_reading([scan], _pdf_pages(scan), counter, engine)
    return report
