"""BM25 over the real sample corpus: known answers, compound gain, filters, save → load."""

import json

import numpy as np
import pytest

from index.lexical import META_FILE, LexicalIndex, LexicalIndexError
from ingest.analysis import SwedishAnalyzer


@pytest.fixture(scope="module")
def chunks(corpus_result):
    return corpus_result.chunks


@pytest.fixture(scope="module")
def texts(chunks):
    return [c.text for c in chunks]


@pytest.fixture(scope="module")
def lexical(texts):
    return LexicalIndex.build(texts, SwedishAnalyzer())


@pytest.fixture(scope="module")
def lexical_unsplit(texts):
    return LexicalIndex.build(texts, SwedishAnalyzer(split_compounds=False))


def _rows(hits):
    return [row for row, _ in hits]


def test_hits_are_ranked_positive_and_at_most_k(lexical):
    hits = lexical.search("uppföljning av rekommendationer", 10)
    assert len(hits) == 10
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_missbruksvard_finds_the_ragunda_report(lexical, chunks):
    top5 = [chunks[row] for row in _rows(lexical.search("missbruksvård", 5))]
    assert any("ragunda" in c.source_file for c in top5)


def test_compound_query_finds_passages_with_only_the_parts(lexical, lexical_unsplit, texts):
    def only_parts(rows):
        # Says "ledningssystem" but never the whole compound "kvalitetsledningssystem".
        return [
            r
            for r in rows
            if "ledningssystem" in texts[r].lower()
            and "kvalitetsledningssystem" not in texts[r].lower()
        ]

    split = _rows(lexical.search("kvalitetsledningssystemet", 20))
    unsplit = _rows(lexical_unsplit.search("kvalitetsledningssystemet", 20))
    assert len(only_parts(split)) >= 3
    assert only_parts(unsplit) == []
    # Exact compounds still rank first: the compound's own token is the rarest one.
    assert "kvalitetsledningssystem" in texts[split[0]].lower()


@pytest.mark.parametrize(
    ("query", "relevant"),
    [
        ("missbruksvård", ("missbruk", "vård")),
        ("äldreboende", ("äldre", "boende")),
        ("kvalitetsledningssystemet", ("ledningssystem",)),
    ],
)
def test_splitting_compounds_finds_more_relevant_passages(
    lexical, lexical_unsplit, texts, query, relevant
):
    def found(index):
        hits = _rows(index.search(query, 20))
        return sum(all(w in texts[r].lower() for w in relevant) for r in hits)

    assert found(lexical) == 20
    # Unsplit, only passages with the exact compound match at all: 8, 17 and 19 of them here.
    assert len(lexical_unsplit.search(query, 1000)) < 20
    assert found(lexical_unsplit) < found(lexical)


def test_filter_applies_before_ranking(lexical, chunks):
    pitea = np.array(["pitea" in c.source_file for c in chunks])
    query = "verksamheten"
    unfiltered = _rows(lexical.search(query, 10))
    # Filtering afterwards would leave nothing: no Piteå passage is in the unfiltered top 10.
    assert not any(pitea[r] for r in unfiltered)
    filtered = lexical.search(query, 10, allowed=pitea)
    assert len(filtered) == 10
    assert all(pitea[r] for r in _rows(filtered))


def test_filter_with_few_matches_returns_only_matching_allowed_rows(lexical, chunks):
    pitea = np.array(["pitea" in c.source_file for c in chunks])
    hits = lexical.search("missbruksvård", 1000, allowed=pitea)
    assert 0 < len(hits) < pitea.sum()
    assert all(pitea[r] and s > 0 for r, s in hits)
    # bm25s' own retrieve with the same weight_mask ranks the same rows, then pads the list with
    # score-0 rows from outside the filter; those must never come back from search().
    retrieved = lexical._bm25.retrieve(
        [lexical.analyzer.tokenize("missbruksvård")], k=10, weight_mask=pitea, show_progress=False
    )
    positive = retrieved.scores[0] > 0
    assert retrieved.documents[0][positive].tolist() == _rows(hits)[: positive.sum()]
    assert not all(pitea[retrieved.documents[0][~positive]])


def test_edge_cases(lexical, chunks):
    assert lexical.search("och att som", 10) == []  # stopwords only
    assert lexical.search("xyzzyq", 10) == []
    assert lexical.search("missbruksvård", 0) == []
    assert lexical.search("missbruksvård", 10, np.zeros(len(chunks), dtype=bool)) == []
    with pytest.raises(ValueError, match="boolean mask"):
        lexical.search("vård", 10, np.ones(3, dtype=bool))
    everything = lexical.search("vård", 100_000)
    assert 0 < len(everything) < len(chunks)


def test_save_load_gives_identical_results(lexical, chunks, tmp_path):
    lexical.save(tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.config() == lexical.config()
    mask = np.array(["harnosand" in c.source_file for c in chunks])
    for query in ("missbruksvård", "kvalitetsledningssystemet", "SOSFS 2011:9", "äldreboende"):
        assert loaded.search(query, 15) == lexical.search(query, 15)
        assert loaded.search(query, 15, mask) == lexical.search(query, 15, mask)


def test_config_records_analyzer_settings(lexical, lexical_unsplit):
    config = lexical.config()
    assert config["name"] == "bm25"
    assert config["rows"] == lexical.size
    assert config["analyzer"]["split_compounds"] is True
    assert lexical_unsplit.config()["analyzer"]["split_compounds"] is False
    json.dumps(config)


def test_load_refuses_other_format(lexical, tmp_path):
    lexical.save(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text(encoding="utf-8"))
    (tmp_path / META_FILE).write_text(json.dumps({**meta, "format_version": 0}), encoding="utf-8")
    with pytest.raises(LexicalIndexError, match="bygg om"):
        LexicalIndex.load(tmp_path)
    with pytest.raises(LexicalIndexError, match="saknas"):
        LexicalIndex.load(tmp_path / "nothing")
    (tmp_path / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "lexical-bm25.indptr.npy").unlink()
    with pytest.raises(LexicalIndexError, match="går inte att läsa"):
        LexicalIndex.load(tmp_path)


def test_empty_corpus_builds_saves_and_finds_nothing(tmp_path):
    for texts in ([], ["", "och att"]):
        index = LexicalIndex.build(texts, SwedishAnalyzer())
        index.save(tmp_path)
        assert LexicalIndex.load(tmp_path).search("vård", 5) == []


def test_synthetic_compound_ranking():
    texts = [
        "Nämnden följer upp missbruksvården varje år.",  # exact compound
        "Vård för personer med missbruk ges i öppenvård.",  # only the parts
        "Personer med missbruk erbjuds stöd, missbruk och vård följs.",  # parts again
        "Budgeten för gator och parker.",  # unrelated
    ]
    index = LexicalIndex.build(texts, SwedishAnalyzer())
    rows = _rows(index.search("missbruksvård", 10))
    assert rows[0] == 0
    assert set(rows) == {0, 1, 2}
    unsplit = LexicalIndex.build(texts, SwedishAnalyzer(split_compounds=False))
    assert _rows(unsplit.search("missbruksvård", 10)) == [0]
