"""Scanned-looking copies of corpus PDF pages: rasterised, optionally tilted and noisy.

The noise stands for an office scanner, not for damage: the sheet lies a degree or two askew,
the sensor adds grain, dust leaves specks, the optics soften edges a little, and the result is
stored as JPEG. A fixed seed makes every scan the same from run to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scanner:
    dpi: int
    angle: float = 0.0  # degrees, counter-clockwise
    noisy: bool = False
    seed: int = 2022

    @property
    def name(self) -> str:
        parts = [f"{self.dpi}dpi"]
        if self.angle:
            parts.append(f"rot{self.angle:+g}")
        if self.noisy:
            parts.append("brus")
        return "-".join(parts)


def _degrade(image, scanner: Scanner, page_index: int):
    import numpy as np
    from PIL import Image, ImageFilter

    gray = image.convert("L")
    if scanner.angle:
        gray = gray.rotate(
            scanner.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
        )
    if not scanner.noisy:
        return gray.convert("RGB")
    rng = np.random.default_rng(scanner.seed + page_index)
    # Edges soften in proportion to the sampling: a fraction of a pixel's blur at any dpi.
    gray = gray.filter(ImageFilter.GaussianBlur(radius=0.6 * scanner.dpi / 300))
    pixels = np.asarray(gray, dtype=np.float32)
    pixels = pixels + rng.normal(0.0, 12.0, pixels.shape)  # sensor grain
    specks = rng.random(pixels.shape)
    pixels[specks < 0.002] = 0.0  # dust
    pixels[specks > 0.998] = 255.0  # dropouts in the dark areas
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).convert("RGB")


def scan(source: Path, target: Path, pages: tuple[int, ...], scanner: Scanner) -> Path:
    """``pages`` (1-based) of the PDF ``source`` as an image-only PDF at ``target``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(source))
    try:
        images = [
            _degrade(document[n - 1].render(scale=scanner.dpi / 72).to_pil(), scanner, i)
            for i, n in enumerate(pages)
        ]
    finally:
        document.close()
    # Pillow stores RGB pages as JPEG in the PDF, as scanners do.
    images[0].save(
        target, save_all=True, append_images=images[1:], resolution=scanner.dpi, quality=85
    )
    return target
