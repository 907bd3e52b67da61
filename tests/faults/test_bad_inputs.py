"""Every bad input of the fault table in one folder, through `revsok ingest` in its own process:
each bad file is named on one line of its own, the good ones are indexed, nothing crashes and
nothing disappears without a word."""

from __future__ import annotations

import os
import re
import shutil
import sys

import pytest

from index import layout
from index.searcher import Searcher
from tests.faults.conftest import new_document, run_revsok, sources
from tests.ingest.pdf_factory import encrypted_pdf, image_only_pdf, text_pdf

REPORT = (
    "Granskning av hemtjänsten\n\n1. Sammanfattning\nRevisorerna har granskat om socialnämnden "
    "har en ändamålsenlig styrning av hemtjänsten. Vår sammanfattande bedömning är att nämnden "
    "delvis har en tillräcklig styrning, men att uppföljningen av beviljad tid brister."
)
# Written as the fault round wrote them (with century; without separator), but with check digits
# that hold, so they are personnummer.
PERSONAL_NUMBERS = ("198506157745", "8507168857")


def test_a_folder_of_bad_inputs_names_each_one_and_indexes_the_rest(data_dir, tmp_path):
    folder = tmp_path / "blandat"
    good = new_document(folder, "gallivare-yttrande.txt", "hemtjänstens bemanning")
    plain = text_pdf(tmp_path / "original.pdf", [REPORT])
    encrypted_pdf(folder / "aes-låst.pdf", plain, password="hemligt", algorithm="AES-128")
    encrypted_pdf(folder / "aes-tomt.pdf", plain, password="", algorithm="AES-256")
    text_pdf(folder / "upprepad.pdf", ["Beslut enligt delegation: bistånd beviljat"] * 6)
    image_only_pdf(folder / "skannad.pdf")
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF body")
    (folder / "tom.txt").write_text("", encoding="utf-8")
    (folder / "rad\nbrytning.txt").write_text("Protokoll.\n§ 1 Nämnden beslutar.", "utf-8")
    (folder / f"klient-{PERSONAL_NUMBERS[1]}.txt").write_text(
        f"Socialnämnden\nÄrendet gäller klienten {PERSONAL_NUMBERS[0]} som ansökt om bistånd.",
        encoding="utf-8",
    )
    (folder / "a").symlink_to(".")
    (folder / "b").symlink_to(folder)

    run = run_revsok("ingest", str(folder), data_dir=data_dir)
    assert "Traceback" not in run.stderr
    assert run.returncode == 1  # some files failed, the others are indexed
    lines = run.stderr.splitlines()

    def about(name):
        return [line for line in lines if f"/{name}: " in line]

    for failed in ("aes-låst.pdf", "skannad.pdf", "trasig.pdf", "tom.txt"):
        assert len(about(failed)) == 1 and about(failed)[0].startswith("FEL: "), run.stderr
    assert "lösenordsskyddad" in about("aes-låst.pdf")[0]
    # A file's warnings stand on one line: "varning: …/upprepad.pdf: … behölls som text; …".
    assert len(about("upprepad.pdf")) == 1 and "behölls som text" in about("upprepad.pdf")[0]
    assert all(re.match(r"(FEL|varning|dubblett): |Inläst|Index", line) for line in lines), lines
    # The newline in a file name is written as \n: the file's lines stay whole.
    assert not any(line.startswith("brytning.txt") for line in lines)

    indexed = sources(data_dir / "index")
    assert {good.name, "aes-tomt.pdf", "upprepad.pdf", "rad\nbrytning.txt"} <= indexed
    assert not {"aes-låst.pdf", "trasig.pdf", "tom.txt"} & indexed

    version = layout.live_version(data_dir / "index")
    stored = b"".join(p.read_bytes() for p in version.iterdir() if p.is_file())
    for number in PERSONAL_NUMBERS:
        assert number.encode() not in stored
        hits = Searcher.load(data_dir / "index").search(number, k=5, mode="bm25")
        assert not any(number in hit.chunk.text for hit in hits)


def _zip_named_docx(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/not-a-document.txt", "ingen document.xml här")
    return path


def _fel_lines(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"/{name}: " in line]


def _bad_word_and_scan_folder(folder):
    folder.mkdir(parents=True)
    # Word saves a password-protected .docx as an OLE compound file, like an old .doc.
    (folder / "lösenord.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "trasig.docx").write_bytes(b"PK\x03\x04 avbruten nedladdning")
    _zip_named_docx(folder / "fel-paket.docx")
    image_only_pdf(folder / "tom-skanning.pdf")
    return new_document(folder, "gallivare-svar.txt", "hemtjänstens nattbemanning")


@pytest.mark.parametrize("tesseract", ["installerat", "saknas"])
def test_bad_word_files_and_scans_each_get_a_fel_line_and_the_old_index_stays(
    data_dir, tmp_path, tesseract
):
    if tesseract == "installerat" and shutil.which("tesseract") is None:
        pytest.skip("tesseract saknas här")
    before = sources(data_dir / "index")
    good = _bad_word_and_scan_folder(tmp_path / "inkorg")
    # Without tesseract on PATH the scan cannot be read; the error names what to install.
    env = {"PATH": os.path.dirname(sys.executable)} if tesseract == "saknas" else None
    run = run_revsok("ingest", str(tmp_path / "inkorg"), data_dir=data_dir, extra_env=env)
    assert "Traceback" not in run.stderr
    assert run.returncode == 1, run.stderr
    lines = {
        name: _fel_lines(run.stderr, name)
        for name in ("lösenord.docx", "trasig.docx", "fel-paket.docx", "tom-skanning.pdf")
    }
    for name, found in lines.items():
        assert len(found) == 1 and found[0].startswith("FEL: "), (name, run.stderr)
    assert "lösenordsskyddad" in lines["lösenord.docx"][0]
    assert "trasig eller ogiltig .docx" in lines["trasig.docx"][0]
    assert ".docx" in lines["fel-paket.docx"][0]
    scan = lines["tom-skanning.pdf"][0]
    if tesseract == "saknas":
        assert "tesseract-ocr-swe" in scan and "programmet tesseract saknas" in scan
    else:
        assert "OCR fann ingen läsbar text" in scan
    # The good file joins the index; everything indexed before is still there.
    assert sources(data_dir / "index") == before | {good.name}
    hits = Searcher.load(data_dir / "index").search("nattbemanning i hemtjänsten", k=3)
    assert hits and hits[0].chunk.source_file.endswith(good.name)
