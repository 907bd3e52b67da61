"""Read a source file into raw pages: PDFs page by page with pypdf, text files split where the text
shows page boundaries, Word documents (.docx, ``ingest.word``) as one page without a number and
with the headings their styles mark. .doc, .odt and .rtf are converted to .docx with LibreOffice
when ``soffice`` is installed, else refused with what to do. Every way a file can be unreadable
becomes an ``UnreadableSource`` that names the file and the reason, so one bad file never stops an
ingest."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from ingest.models import FileProperties, RawPage
from ingest.ocr import INSTALL_HINT, NO_TEXT_LAYER, OcrEngine, default_engine, has_text_layer
from ingest.pagination import split_text_pages
from ingest.pdftext import page_text
from ingest.word import WordError, read_docx

log = logging.getLogger(__name__)

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md"})
WORD_SUFFIXES = frozenset({".docx"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | WORD_SUFFIXES
# Word-processor formats read only through a conversion to .docx with LibreOffice.
CONVERTIBLE_SUFFIXES = frozenset({".doc", ".odt", ".rtf"})
CONVERT_TIMEOUT_SECONDS = 120
# An OLE compound file: an old .doc, or a .docx locked with a password (Word encrypts into one).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableSource(Exception):
    """A source file that cannot be ingested; the message is meant for the user."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SourceFile:
    path: Path
    content_hash: str
    kind: str  # "pdf", "text" or "docx"
    pages: tuple[RawPage, ...]
    properties: FileProperties = field(default_factory=FileProperties)
    # What reading left out without failing the file (pages OCR could not read): warning lines.
    warnings: tuple[str, ...] = ()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, ocr: OcrEngine | None = None) -> SourceFile:
    """``ocr`` reads PDF pages without a text layer (default: an engine with a memory cache)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES | CONVERTIBLE_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnreadableSource(path, f"okänd filtyp '{suffix or '(ingen)'}' (stöds: {supported})")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableSource(path, f"kan inte läsas: {err.strerror or err}") from err
    if not data:
        raise UnreadableSource(path, "tom fil (0 byte)")
    properties = FileProperties()
    warnings: list[str] = []
    if suffix in PDF_SUFFIXES:
        pages = _read_pdf(path, ocr, warnings)
        kind = "pdf"
    elif suffix in WORD_SUFFIXES or suffix in CONVERTIBLE_SUFFIXES:
        docx = data if suffix in WORD_SUFFIXES else _converted_to_docx(path)
        page, properties = _read_word(path, docx)
        pages = [page]
        kind = "docx"
    else:
        pages = _read_text(path, data)
        kind = "text"
    return SourceFile(
        path=path,
        content_hash=content_hash(data),
        kind=kind,
        pages=tuple(pages),
        properties=properties,
        warnings=tuple(warnings),
    )


def _read_word(path: Path, data: bytes) -> tuple[RawPage, FileProperties]:
    if data.startswith(_OLE_MAGIC):
        raise UnreadableSource(
            path,
            "lösenordsskyddad .docx eller en äldre .doc med fel filändelse; "
            "spara en olåst kopia som .docx eller PDF",
        )
    try:
        document = read_docx(data)
    except WordError as err:
        raise UnreadableSource(path, str(err)) from err
    if not document.page.text.strip():
        raise UnreadableSource(path, "Word-dokumentet innehåller ingen text")
    return document.page, document.properties


def _converted_to_docx(path: Path) -> bytes:
    """``path`` (.doc, .odt, .rtf) converted to .docx by LibreOffice, when it is installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableSource(
            path,
            f"filtypen {path.suffix.lower()} läses inte; spara som .docx eller PDF "
            "(eller installera LibreOffice, så konverteras filen)",
        )
    with tempfile.TemporaryDirectory(prefix="revsok-docx-") as folder:
        # A profile of its own: a LibreOffice already open for the user would take the job.
        command = [
            soffice,
            f"-env:UserInstallation=file://{Path(folder, 'profile').as_posix()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            folder,
            str(path),
        ]
        try:
            subprocess.run(
                command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS, check=True
            )
            return (Path(folder) / f"{path.stem}.docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as err:
            raise UnreadableSource(
                path,
                f"LibreOffice kunde inte konvertera filen till .docx ({type(err).__name__}); "
                "spara som .docx eller PDF",
            ) from err


def _read_text(path: Path, data: bytes) -> list[RawPage]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UnreadableSource(
            path,
            f"texten är inte UTF-8 (ogiltig byte 0x{data[err.start]:02x} "
            f"vid position {err.start}); "
            "spara filen som UTF-8",
        ) from err
    if not text.strip():
        raise UnreadableSource(path, "filen innehåller ingen text")
    return split_text_pages(text)


_PASSWORD = "lösenordsskyddad (krypterad PDF); spara en olåst kopia"


def _read_pdf(
    path: Path, ocr: OcrEngine | None = None, warnings: list[str] | None = None
) -> list[RawPage]:
    try:
        reader = PdfReader(path)
        # Many PDFs are encrypted only against editing, with an empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableSource(path, _PASSWORD)
        texts = [page_text(page) for page in reader.pages]
    except UnreadableSource:
        raise
    except FileNotDecryptedError as err:
        raise UnreadableSource(path, _PASSWORD) from err
    except DependencyError as err:
        raise UnreadableSource(
            path, f"krypterad PDF som kräver paketet cryptography ({err}): pip install cryptography"
        ) from err
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as err:
        # pypdf signals a damaged file through several exception types; all mean the same here.
        raise UnreadableSource(
            path, f"trasig eller ogiltig PDF ({type(err).__name__}: {err})"
        ) from err
    if not texts:
        raise UnreadableSource(path, "PDF utan sidor")
    pages = [RawPage(number=i, text=t) for i, t in enumerate(texts, start=1)]
    missing = [page.number for page in pages if not has_text_layer(page.text)]
    if missing:
        pages = _with_ocr(path, pages, missing, ocr or default_engine(), warnings)
    if not any(page.text.strip() for page in pages):
        raise UnreadableSource(path, NO_TEXT_LAYER)
    return pages


def _with_ocr(
    path: Path,
    pages: list[RawPage],
    missing: list[int],
    engine: OcrEngine,
    warnings: list[str] | None = None,
) -> list[RawPage]:
    """``pages`` with those numbered ``missing`` (no text layer) read by OCR, when it can run.

    Pages OCR cannot read in a file that has text elsewhere are named in ``warnings``: the file
    is ingested, and the reader is told which pages are not searchable."""
    warnings = warnings if warnings is not None else []
    numbers = ", ".join(map(str, missing))
    problem = engine.unavailable()
    if problem is not None:
        if not any(page.text.strip() for page in pages):
            raise UnreadableSource(path, f"{NO_TEXT_LAYER}: {INSTALL_HINT} ({problem})")
        warnings.append(f"PDF-sidor utan textlager lästes inte ({numbers}): {INSTALL_HINT}")
        return pages
    try:
        read = engine.read_pages(path, missing)
    except Exception as err:  # pdfium and Tesseract fail in their own ways; the file alone fails
        log.debug("OCR av %s misslyckades", path, exc_info=True)
        if not any(page.text.strip() for page in pages):
            raise UnreadableSource(
                path, f"{NO_TEXT_LAYER}, men OCR misslyckades ({type(err).__name__}: {err})"
            ) from err
        warnings.append(
            f"OCR misslyckades för PDF-sidor utan textlager ({numbers}): "
            f"{type(err).__name__}: {err}"
        )
        return pages
    if not any(page.text.strip() for page in [*pages, *read.values()]):
        raise UnreadableSource(path, f"{NO_TEXT_LAYER}, men OCR fann ingen läsbar text")
    unread = [n for n in missing if n not in read or not read[n].text.strip()]
    drawn = [n for n in unread if n in read]  # a blank page is not worth a warning
    if drawn:
        warnings.append(f"OCR fann ingen läsbar text på PDF-sida {', '.join(map(str, drawn))}")
    return [
        RawPage(
            number=page.number,
            text=read[page.number].text,
            headings=page.headings,
            ocr=True,
            ocr_confidence=read[page.number].confidence,
        )
        if page.number in read and read[page.number].text.strip()
        else page
        for page in pages
    ]
