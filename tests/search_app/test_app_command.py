"""``revsok app`` ingests the corpus when there is no index, then starts Streamlit."""

from __future__ import annotations

from pathlib import Path

from index import layout
from revsok import app_command, cli
from tests.conftest import SEEDS


def test_streamlit_is_started_on_loopback_with_static_serving():
    command = app_command.streamlit_command("127.0.0.1", 8765)
    flags = dict(zip(command[5::2], command[6::2], strict=False))
    assert command[4] == str(app_command.APP) and Path(command[4]).is_file()
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--server.port"] == "8765"
    assert flags["--server.enableStaticServing"] == "true"


def test_without_originals_streamlit_serves_no_static_files():
    command = app_command.streamlit_command("127.0.0.1", 8765, serve_originals=False)
    flags = dict(zip(command[5::2], command[6::2], strict=False))
    assert flags["--server.enableStaticServing"] == "false"


def test_app_ingests_the_corpus_first_when_there_is_no_index(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pitea.txt").write_text(SEEDS["pitea"].read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path / "data"))
    started = {}
    monkeypatch.setattr(
        app_command,
        "run_app",
        lambda host, port, index_dir, **_: started.update(index=index_dir) or 0,
    )
    assert cli.main(["app", "--corpus", str(corpus), "--port", "8765"]) == 0
    assert layout.exists(tmp_path / "data" / "index")
    assert started["index"] == tmp_path / "data" / "index"
    assert "läser in" in capsys.readouterr().out

    # With an index in place, the app starts without ingesting again.
    started.clear()
    assert cli.main(["app", "--corpus", str(tmp_path / "saknas")]) == 0
    assert started["index"] == tmp_path / "data" / "index"


def test_app_without_index_or_corpus_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["app", "--corpus", str(tmp_path / "saknas")]) == 2
    assert "revsok ingest" in capsys.readouterr().err
