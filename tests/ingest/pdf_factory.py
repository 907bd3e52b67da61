"""Make real PDFs in a test's tmp_path: good ones with text, and each kind of bad one."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with one page per string, in a core font (Latin-1 covers å, ä, ö and §)."""
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        for line in text.split("\n"):
            pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path) -> Path:
    """A scanned-looking PDF: drawing but no text layer."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(
    path: Path, source: Path, password: str = "hemligt", algorithm: str | None = None
) -> Path:
    """``source`` encrypted; ``password=""`` locks only editing, as many published PDFs do."""
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password="ägare", algorithm=algorithm)
    with path.open("wb") as handle:
        writer.write(handle)
    return path
