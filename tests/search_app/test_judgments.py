import json

import pytest

from eval.evalset import load_eval_set, map_judgments
from search_app.core.judgments import append_judged_query, load_user_set


def test_judged_query_is_appended_and_maps_back_onto_the_same_chunks(tmp_path, corpus_searcher):
    path = tmp_path / "eval" / "egna-fragor.jsonl"
    hits = corpus_searcher.search("ej verkställda beslut", k=3)
    judged = [(hits[0].chunk, 2), (hits[1].chunk, 1), (hits[2].chunk, 0)]
    assert append_judged_query(path, "ej verkställda beslut", judged) == "egen-001"
    assert append_judged_query(path, "intern kontroll", [(hits[0].chunk, 2)]) == "egen-002"
    saved = load_eval_set(path)
    assert [q.id for q in saved] == ["egen-001", "egen-002"]
    mapped = map_judgments(saved[:1], corpus_searcher.chunks)[0]
    assert mapped.qrels[hits[0].chunk.chunk_id] == 2
    assert mapped.qrels[hits[1].chunk.chunk_id] == 1
    assert hits[2].chunk.chunk_id not in mapped.qrels
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["type"] == "egen"


def test_a_query_with_nothing_relevant_is_refused(tmp_path, corpus_searcher):
    path = tmp_path / "egna.jsonl"
    hit = corpus_searcher.search("budget", k=1)[0]
    with pytest.raises(ValueError, match="relevant"):
        append_judged_query(path, "budget", [(hit.chunk, 0)])
    assert load_user_set(path) == []
