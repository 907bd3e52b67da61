"""CI gate: retrieval quality on the sample corpus must not fall below the recorded baseline."""

import json
from pathlib import Path

from eval.evalset import load_eval_set
from eval.runner import evaluate

BASELINE = Path(__file__).resolve().parents[2] / "eval" / "baseline.json"


def test_hybrid_quality_holds_the_baseline(corpus_searcher):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    report = evaluate(corpus_searcher, load_eval_set(), modes=("bm25", "dense", "hybrid"))
    assert report["unmatched_evidence"] == []
    tolerance = baseline["tolerance"]
    for mode in ("bm25", "dense", "hybrid"):
        scores = report["modes"][mode]["overall"]
        for metric in ("recall@10", "mrr@10"):
            floor = baseline["modes"][mode][metric] - tolerance
            assert scores[metric] >= floor, f"{mode} {metric} {scores[metric]:.3f} < {floor:.3f}"


def test_cli_eval_writes_reports_and_compares(corpus_index, tmp_path, monkeypatch, capsys):
    from revsok.cli import main

    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path))
    assert main(["eval", "--index", str(corpus_index), "--modes", "bm25", "--save", "bas"]) == 0
    out = capsys.readouterr().out
    assert "| bm25 |" in out and "Recall@10" in out
    for suffix in ("json", "md", "png"):
        assert (tmp_path / "eval" / f"bas.{suffix}").is_file()
    assert (
        main(
            [
                "eval",
                "--index",
                str(corpus_index),
                "--modes",
                "bm25",
                "--compare",
                "bas",
                "--export",
                str(tmp_path / "export"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Jämförelse med sparad körning" in out and "+0.000" in out
    qrels = (tmp_path / "export" / "qrels.trec").read_text(encoding="utf-8").splitlines()
    assert qrels and all(len(line.split()) == 4 for line in qrels)
    assert (tmp_path / "export" / "beir" / "qrels" / "test.tsv").is_file()
