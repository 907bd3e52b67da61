"""Read a source file into raw pages: PDFs page by page with pypdf, text files split where the text
shows page boundaries. Every way a file can be unreadable becomes an ``UnreadableSource`` that names
the file and the reason, so one bad file never stops an ingest."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from ingest.models import RawPage
from ingest.pagination import split_text_pages

log = logging.getLogger(__name__)

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES


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
    kind: str  # "pdf" or "text"
    pages: tuple[RawPage, ...]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path) -> SourceFile:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnreadableSource(path, f"okänd filtyp '{suffix or '(ingen)'}' (stöds: {supported})")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableSource(path, f"kan inte läsas: {err.strerror or err}") from err
    if not data:
        raise UnreadableSource(path, "tom fil (0 byte)")
    if suffix in PDF_SUFFIXES:
        pages = _read_pdf(path)
        kind = "pdf"
    else:
        pages = _read_text(path, data)
        kind = "text"
    return SourceFile(path=path, content_hash=content_hash(data), kind=kind, pages=tuple(pages))


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


def _read_pdf(path: Path) -> list[RawPage]:
    try:
        reader = PdfReader(path)
        # Many PDFs are encrypted only against editing, with an empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableSource(path, _PASSWORD)
        texts = [page.extract_text() or "" for page in reader.pages]
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
    if not any(t.strip() for t in texts):
        raise UnreadableSource(path, "PDF utan textlager (skannad bild) – behöver OCR")
    return [RawPage(number=i, text=t) for i, t in enumerate(texts, start=1)]
