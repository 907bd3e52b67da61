"""The shipped defaults are what the dev-split tuning chose; the tuning read no test query."""

import json
from dataclasses import asdict
from pathlib import Path

from eval.evalset import load_eval_set, split_of
from index.hybrid import FusionSettings
from index.ranking import RankingSettings
from ingest.options import IngestOptions

TUNING = Path(__file__).resolve().parents[2] / "eval" / "tuning.json"


def test_code_defaults_are_what_the_tuning_chose():
    chosen = json.loads(TUNING.read_text(encoding="utf-8"))["chosen"]
    assert asdict(FusionSettings()) == chosen["fusion"]
    ranking = asdict(RankingSettings())
    ranking["strip_lexical"] = list(ranking["strip_lexical"])
    assert ranking == chosen["ranking"]
    chunk_sizes = {"300": (300, 50), "450": (450, 75)}
    options = IngestOptions()
    assert (options.chunk_size, options.chunk_overlap) == chunk_sizes[chosen["index"]]


def test_the_tuning_saw_only_dev_queries():
    result = json.loads(TUNING.read_text(encoding="utf-8"))
    dev = [q for q in load_eval_set() if split_of(q.id) == "dev"]
    assert result["split"] == "dev"
    # Every dev query with evidence in the index is scored; no test query could have been.
    assert result["queries"] <= len(dev)
    assert result["cross_validated"]["queries"] == result["queries"]


def test_cross_validation_folds_are_fixed_and_cover_dev():
    from eval.tuning import FOLDS, fold_of

    folds = {fold_of(q.id) for q in load_eval_set()}
    assert folds == set(range(FOLDS))
