import json

import pytest

from ingest import store
from revsok.cli import main
from tests.conftest import SEEDS


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ragunda.txt").write_text(SEEDS["ragunda"].read_text(encoding="utf-8"), "utf-8")
    return docs


def test_ingest_then_inspect(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "1 dokument" in printed and "0 fel" in printed
    assert (out / store.CHUNKS_FILE).is_file()

    assert main(["inspect", str(out)]) == 0
    listing = capsys.readouterr().out
    assert "Ragunda kommun" in listing and "Kommunstyrelsen" in listing

    assert main(["inspect", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["documents"][0]["municipality"] == "Ragunda kommun"
    assert payload["report"]["settings"]["chunk_size"] == 300


def test_bad_file_gives_a_line_and_exit_code_one(folder, tmp_path, capsys):
    (folder / "tom.pdf").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "FEL: " in captured.err and "tom.pdf: tom fil" in captured.err
    assert "1 fel" in captured.out
    assert store.read_documents(out)  # the good file was still written


def test_chunk_settings_are_recorded_and_validated(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        main(
            [
                "ingest",
                str(folder),
                "--out",
                str(out),
                "--chunk-size",
                "120",
                "--chunk-overlap",
                "20",
                "--quiet",
            ]
        )
        == 0
    )
    report = store.read_report(out)
    assert report["settings"]["chunk_size"] == 120
    assert report["settings"]["chunk_overlap"] == 20
    assert max(c.token_count for c in store.read_chunks(out)) <= 120
    assert main(["ingest", str(folder), "--out", str(out), "--chunk-overlap", "500"]) == 2
    assert "chunk_overlap" in capsys.readouterr().err


def test_inspect_without_ingest_says_what_to_do(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "saknas")]) == 2
    assert "revsok ingest" in capsys.readouterr().err
