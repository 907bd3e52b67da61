"""CI gate: retrieval quality on the held-out split must not fall below the recorded baseline.

The gate reads only the ``test`` split, which no tunable was chosen on, so it measures what a
change does to unseen queries rather than how well it fits the dev queries.
"""

import json
from pathlib import Path

from eval.evalset import load_eval_set
from eval.runner import evaluate

BASELINE = Path(__file__).resolve().parents[2] / "eval" / "baseline.json"


def test_quality_on_the_held_out_split_holds_the_baseline(corpus_searcher):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert baseline["split"] == "test"
    report = evaluate(
        corpus_searcher, load_eval_set(), modes=tuple(baseline["modes"]), split="test"
    )
    assert report["unmatched_evidence"] == []
    tolerance = baseline["tolerance"]
    for mode in baseline["modes"]:
        scores = report["modes"][mode]["overall"]
        for metric in ("recall@10", "mrr@10"):
            floor = baseline["modes"][mode][metric] - tolerance
            assert scores[metric] >= floor, f"{mode} {metric} {scores[metric]:.3f} < {floor:.3f}"


def test_cli_eval_writes_reports_and_compares(corpus_index, tmp_path, monkeypatch, capsys):
    from revsok.cli import main

    monkeypatch.setenv("REVSOK_DATA_DIR", str(tmp_path))
    assert (
        main(
            [
                "eval",
                "--index",
                str(corpus_index),
                "--modes",
                "bm25,hybrid,bm25-plain",
                "--split",
                "dev",
                "--save",
                "bas",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "| bm25 |" in out and "Recall@10" in out and "(del: dev)" in out
    assert "| hybrid − bm25-plain | MRR@10 |" in out
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
                "--split",
                "dev",
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
