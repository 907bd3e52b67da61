"""Render the sample corpus texts (corpus/src/*.txt) as PDFs in corpus/.

The seed documents exist only as text extracted from their original PDFs. Rendering them back
to PDF, with a page break wherever the text shows a page boundary (the same rule ingest uses for
text files), lets the real PDF path — pypdf, page numbers, printed page numbers — run end to end.

    python scripts/build_corpus_pdfs.py            # all of corpus/src → corpus/
    python scripts/build_corpus_pdfs.py --out DIR  # elsewhere (tests use this)

Needs fpdf2 (``pip install -e .[corpus]``) and a Unicode TrueType font: DejaVu Sans is looked up in
the usual places (Debian: ``apt-get install fonts-dejavu-core``) or named with REVSOK_PDF_FONT.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
sys.path.insert(0, str(REPO))

from ingest.pagination import split_text_pages  # noqa: E402

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
FONT_SIZE = 10
LINE_HEIGHT = 5


def find_font() -> Path:
    configured = os.environ.get("REVSOK_PDF_FONT")
    candidates = [configured] if configured else list(FONT_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit(
        "Hittar inget Unicode-typsnitt (DejaVuSans.ttf). Installera fonts-dejavu-core "
        "eller ange en TTF-fil med REVSOK_PDF_FONT."
    )


def render_pdf(text: str, target: Path, font: Path, title: str) -> int:
    """Write ``text`` as a PDF at ``target``; returns the number of PDF pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("revsok")
    # A fixed date keeps the bytes, and so the content hash, the same on every build.
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=FONT_SIZE)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(20, 15, 20)
    for page in split_text_pages(text):
        pdf.add_page()
        for line in page.text.split("\n"):
            # multi_cell wraps long lines; an empty line still advances one line.
            pdf.multi_cell(0, LINE_HEIGHT, line.rstrip() or " ", new_x="LMARGIN", new_y="NEXT")
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    return pdf.pages_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=CORPUS / "src")
    parser.add_argument("--out", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    font = find_font()
    sources = sorted(args.src.glob("*.txt"))
    if not sources:
        raise SystemExit(f"Inga .txt-filer i {args.src}")
    for source in sources:
        target = args.out / f"{source.stem}.pdf"
        pages = render_pdf(source.read_text(encoding="utf-8"), target, font, source.stem)
        print(f"{target} ({pages} sidor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
