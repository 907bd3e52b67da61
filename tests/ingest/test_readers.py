import pytest

from ingest.readers import UnreadableSource, read_source
from tests.ingest.pdf_factory import encrypted_pdf, image_only_pdf, text_pdf


def test_pdf_is_read_page_by_page(tmp_path):
    pdf = text_pdf(tmp_path / "rapport.pdf", ["Första sidan om nämnden", "Andra sidan § 26"])
    source = read_source(pdf)
    assert source.kind == "pdf"
    assert [p.number for p in source.pages] == [1, 2]
    assert "Första sidan om nämnden" in source.pages[0].text
    assert "§ 26" in source.pages[1].text
    assert len(source.content_hash) == 64


def test_text_file_keeps_swedish_characters(tmp_path):
    path = tmp_path / "anteckning.txt"
    path.write_text("Revisorerna i Härnösands kommun granskade öppenvården.", encoding="utf-8")
    source = read_source(path)
    assert source.kind == "text"
    assert "Härnösands" in source.pages[0].text


def _write(folder, name, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "zero-byte": (lambda d: _write(d, "tom.pdf", b""), "tom fil"),
    "unknown-extension": (lambda d: _write(d, "x.xlsx", b"PK\x03\x04"), "okänd filtyp"),
    "corrupt-pdf": (
        lambda d: _write(d, "trasig.pdf", b"%PDF-1.7\nnot a pdf body"),
        "trasig eller ogiltig PDF",
    ),
    "no-text-layer": (lambda d: image_only_pdf(d / "skannad.pdf"), "behöver OCR"),
    "encrypted": (
        lambda d: encrypted_pdf(d / "last.pdf", text_pdf(d / "o.pdf", ["Hemlig text"])),
        "krypterad PDF",
    ),
    "latin1": (
        lambda d: _write(d, "latin1.txt", "Granskning av nämnden".encode("latin-1")),
        "inte UTF-8",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_the_file_and_the_reason(tmp_path, case):
    make, reason = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(UnreadableSource) as caught:
        read_source(path)
    assert caught.value.path == path
    assert reason in caught.value.reason
    assert path.name in str(caught.value)
