"""OCR for PDF pages without a text layer: Tesseract (Swedish) through pytesseract, pages rendered
with pypdfium2.

Both are optional (``pip install 'revsok[ocr]'`` and the Debian packages tesseract-ocr and
tesseract-ocr-swe) and imported only when a page needs them; without them a scanned PDF is refused
with what to install, as before. Only the pages that lack text are OCR'd, one at a time, and each
result is cached by the SHA-256 of the rendered page image, so a re-ingest does not OCR again.

Before Tesseract sees a page, a 3×3 median filter takes out scanner grain and dust specks, which
break up Tesseract's global (Otsu) threshold into ragged glyphs and cost a noisy 200-dpi scan one
word in ten; and a page fed a degree or two askew is turned straight, since Tesseract reads a
tilted table or row of dashes as letters. A clean, straight render loses nothing by either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# A page with fewer non-space characters than this in its text layer has none worth the name
# (a stray page number or a scanner's stamp), and is OCR'd when it shows anything at all.
MIN_TEXT_CHARS = 20
OCR_DPI = 300
OCR_LANGUAGE = "swe"
# Part of the cache key: a change to what is done to a page before Tesseract reads it must not be
# answered with text read the old way.
PREPROCESSING = "median3+deskew"
INSTALL_HINT = "installera tesseract-ocr och tesseract-ocr-swe och pip install 'revsok[ocr]'"
NO_TEXT_LAYER = "PDF utan textlager (skannad bild) – behöver OCR"


class OcrUnavailable(Exception):
    """Tesseract, its Swedish data or the Python packages are missing; the message says which."""


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float | None  # mean word confidence, 0–100; None when no word was read


def has_text_layer(text: str) -> bool:
    return sum(1 for ch in text if not ch.isspace()) >= MIN_TEXT_CHARS


def _tesseract_data(image, language: str) -> dict[str, list]:
    """One Tesseract run over ``image``: its words with their places and confidences.

    The seam tests count calls through."""
    import pytesseract

    # Tesseract's OpenMP threads fight each other on a small machine (three times slower on two
    # cores); one page at a time on one thread is faster. A limit the user set is kept.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract.image_to_data(
        image, lang=language, config="--psm 3", output_type=pytesseract.Output.DICT
    )


# Paeth's exchange network for the median of nine: 19 min/max pairs over whole arrays, ten times
# faster than Pillow's MedianFilter on a 300-dpi page.
_MEDIAN_OF_NINE = (
    (1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3),
    (5, 8), (4, 7), (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2),
)  # fmt: skip


def _denoise(image):
    """``image`` in grayscale with each pixel the median of its 3×3 neighbourhood.

    Isolated specks and grain vanish while strokes two pixels wide or more keep their shape."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image.convert("L"))
    height, width = pixels.shape
    padded = np.pad(pixels, 1, mode="edge")
    v = [padded[i : i + height, j : j + width] for i in range(3) for j in range(3)]
    for a, b in _MEDIAN_OF_NINE:
        v[a], v[b] = np.minimum(v[a], v[b]), np.maximum(v[a], v[b])
    return Image.fromarray(v[4])


# The tilt of a page fed askew: searched within ±MAX_SKEW degrees in steps of SKEW_STEP; a page
# within MIN_SKEW of straight is left alone, as Tesseract reads it as well as a turned one.
MAX_SKEW = 5.0
SKEW_STEP = 0.1
MIN_SKEW = 0.2
# Text lines laid horizontal make the dark pixels' row histogram peaked; a tilt found must sharpen
# it this much over the page as it is, or the page (a picture, a few words) has no lines to go by.
MIN_SKEW_GAIN = 1.1


def _skew(image) -> float:
    """The angle in degrees (counter-clockwise) the text lines of ``image`` rise by, or 0.0.

    Projection profile on a quarter-size copy: the dark pixels' rows are sheared by each candidate
    angle instead of rotating the image, which takes milliseconds."""
    import numpy as np

    dark = np.asarray(image.reduce(4)) < 128
    ys, xs = np.nonzero(dark)
    if len(xs) < 500:
        return 0.0
    angles = np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP)
    scores = np.empty(len(angles))
    for i, angle in enumerate(angles):
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        scores[i] = (counts * counts).sum()
    best = int(np.argmax(scores))
    straight = scores[int(np.argmin(np.abs(angles)))]
    angle = float(angles[best])
    if best in (0, len(angles) - 1) or abs(angle) < MIN_SKEW:
        return 0.0
    return angle if scores[best] >= MIN_SKEW_GAIN * straight else 0.0


def _prepare(image):
    """``image`` as Tesseract reads it best: grayscale, denoised, straight."""
    from PIL import Image

    image = _denoise(image)
    angle = _skew(image)
    if angle:
        image = image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image


def _page_from_data(data: dict[str, list]) -> OcrPage:
    """Lines of words in Tesseract's reading order; paragraphs separated by a blank line."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data.get("text", [])):
        word = (word or "").strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(word)
        confidences.append(conf)
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    for (block, par, _line), words in lines.items():
        if previous is not None and previous != (block, par):
            parts.append("")
        parts.append(" ".join(words))
        previous = (block, par)
    text = "\n".join(parts)
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return OcrPage(text=text, confidence=confidence)


def check_available(language: str = OCR_LANGUAGE) -> None:
    """Raise ``OcrUnavailable`` naming what to install when OCR cannot run."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError as err:
        raise OcrUnavailable(f"Python-paketet {err.name} saknas") from err
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as err:
        raise OcrUnavailable("programmet tesseract saknas") from err
    except Exception as err:  # a broken install: the version or language query fails
        raise OcrUnavailable(f"tesseract går inte att köra ({type(err).__name__})") from err
    if language not in languages:
        raise OcrUnavailable(f"tesseract saknar språkdata '{language}'")


class OcrCache:
    """OCR results by page-image hash, in SQLite; ``None`` path keeps them in memory only."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        self._memory: dict[str, OcrPage] = {}
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS ocr (key TEXT PRIMARY KEY, record TEXT NOT NULL)")
        return db

    def get(self, key: str) -> OcrPage | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if self.path is None or not self.path.exists():
                return None
            try:
                with closing(self._connect()) as db:
                    row = db.execute("SELECT record FROM ocr WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as err:
                log.warning("OCR-cachen %s går inte att läsa: %s", self.path, err)
                return None
            if row is None:
                return None
            values = json.loads(row[0])
            page = OcrPage(text=values["text"], confidence=values.get("confidence"))
            self._memory[key] = page
            return page

    def put(self, key: str, page: OcrPage) -> None:
        with self._lock:
            self._memory[key] = page
            if self.path is None:
                return
            record = json.dumps({"text": page.text, "confidence": page.confidence})
            try:
                with closing(self._connect()) as db, db:
                    db.execute("INSERT OR REPLACE INTO ocr VALUES (?, ?)", (key, record))
            except sqlite3.Error as err:
                log.warning("OCR-cachen %s går inte att skriva: %s", self.path, err)


class OcrEngine:
    """Reads the pages of a PDF that lack a text layer."""

    def __init__(
        self, cache: OcrCache | None = None, language: str = OCR_LANGUAGE, dpi: int = OCR_DPI
    ):
        self.cache = cache or OcrCache()
        self.language = language
        self.dpi = dpi
        self._checked = False
        self._problem: OcrUnavailable | None = None

    def unavailable(self) -> OcrUnavailable | None:
        """Why OCR cannot run here, or None; asked once per engine."""
        if not self._checked:
            try:
                check_available(self.language)
            except OcrUnavailable as err:
                self._problem = err
            self._checked = True
        return self._problem

    def read_pages(self, path: Path, numbers: Sequence[int]) -> dict[int, OcrPage]:
        """OCR of the 1-based pages ``numbers`` of the PDF at ``path`` that show anything."""
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        results: dict[int, OcrPage] = {}
        document = pdfium.PdfDocument(str(path))
        try:
            for number in numbers:
                page = document[number - 1]
                try:
                    # A page with nothing drawn on it (a blank separator) has nothing to read.
                    shown = any(
                        obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT
                        for obj in page.get_objects(max_depth=3)
                    )
                    if not shown:
                        continue
                    image = page.render(scale=self.dpi / 72, grayscale=True).to_pil()
                finally:
                    page.close()
                results[number] = self.read_image(image)
        finally:
            document.close()
        return results

    def read_image(self, image) -> OcrPage:
        digest = hashlib.sha256()
        digest.update(f"{self.language}|{PREPROCESSING}|{image.mode}|{image.size}|".encode())
        digest.update(image.tobytes())
        key = digest.hexdigest()
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        page = _page_from_data(_tesseract_data(_prepare(image), self.language))
        self.cache.put(key, page)
        return page


_default: OcrEngine | None = None


def default_engine() -> OcrEngine:
    """An engine with an in-memory cache, for callers that name no cache file."""
    global _default
    if _default is None:
        _default = OcrEngine()
    return _default
