import json

import pytest

from ingest.overrides import OverrideError, load_overrides


def test_sidecar_overrides_with_swedish_keys(tmp_path):
    doc = tmp_path / "rapport.pdf"
    doc.write_bytes(b"%PDF")
    (tmp_path / "rapport.pdf.meta.json").write_text(
        json.dumps({"kommun": "Åre kommun", "år": "2024", "nämnd": "Socialnämnden"}),
        encoding="utf-8",
    )
    assert load_overrides(doc) == {
        "municipality": "Åre kommun",
        "year": 2024,
        "committee": "Socialnämnden",
    }


def test_manifest_row_then_sidecar_on_top(tmp_path):
    doc = tmp_path / "protokoll.txt"
    doc.write_text("x", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "fil,kommun,byrå,år\nprotokoll.txt,Öckerö kommun,PwC,2020\nannan.txt,Mora kommun,,\n",
        encoding="utf-8",
    )
    (tmp_path / "protokoll.meta.json").write_text('{"year": 2021}', encoding="utf-8")
    assert load_overrides(doc) == {
        "municipality": "Öckerö kommun",
        "audit_firm": "PwC",
        "year": 2021,
    }


def test_bad_sidecar_names_the_file(tmp_path):
    doc = tmp_path / "rapport.pdf"
    doc.write_bytes(b"%PDF")
    sidecar = tmp_path / "rapport.pdf.meta.json"
    sidecar.write_text('{"kommun": "Åre", "färg": "blå"}', encoding="utf-8")
    with pytest.raises(OverrideError) as caught:
        load_overrides(doc)
    assert caught.value.path == sidecar
    assert "färg" in caught.value.reason
    sidecar.write_text("{inte json", encoding="utf-8")
    with pytest.raises(OverrideError, match="ogiltig JSON"):
        load_overrides(doc)


def test_no_overrides_is_empty(tmp_path):
    doc = tmp_path / "rapport.pdf"
    doc.write_bytes(b"%PDF")
    assert load_overrides(doc) == {}
