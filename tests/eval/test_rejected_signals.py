"""The rejected-signal experiment measures what it says, on the real corpus, and leaves the
searcher as it found it."""

from types import SimpleNamespace

from eval.rejected_signals import (
    LexicalCoverage,
    SparseRetriever,
    with_bm25,
    with_coverage,
    with_feedback,
)
from index import hybrid
from index.builder import lexical_text
from index.searcher import Searcher


def test_coverage_is_the_weighted_share_of_query_words_the_passage_holds(corpus_searcher):
    coverage = LexicalCoverage(corpus_searcher)
    row = next(
        i for i, c in enumerate(corpus_searcher.chunks) if "kvalitetsledningssystem" in c.text
    )
    assert coverage.of("kvalitetsledningssystem", [(row, 1.0)]) == 1.0
    assert coverage.of("zqxvbrakpelt", [(row, 1.0)]) == 0.0
    half = coverage.of("kvalitetsledningssystem zqxvbrakpelt", [(row, 1.0)])
    assert 0.0 < half < 1.0


def test_the_patches_last_only_for_their_runs(corpus_searcher):
    weights, vector = hybrid.retriever_weights, Searcher.query_vector
    coverage = LexicalCoverage(corpus_searcher)
    with with_coverage(coverage, 0.4), with_feedback(0.5, 3):
        assert hybrid.retriever_weights is not weights
        assert len(corpus_searcher.search("brister i kvalitetsledningssystemet", k=5)) == 5
    assert hybrid.retriever_weights is weights
    assert Searcher.query_vector is vector


def test_sparse_latent_terms_find_a_passage_by_its_own_text(corpus_result):
    chunks = corpus_result.chunks[:6]
    sparse = SparseRetriever(SimpleNamespace(chunks=chunks), embed_context=False)
    for row in (1, 4):
        assert sparse.ranking(chunks[row].text, 6)[0][0] == row


def test_bm25_is_rebuilt_with_the_settings_asked_for(corpus_searcher):
    query = "uppföljning av rekommendationer"
    texts = [lexical_text(chunk) for chunk in corpus_searcher.chunks]
    same = with_bm25(corpus_searcher, texts, 1.5, 0.75)
    assert same.lexical.search(query, 10) == corpus_searcher.lexical.search(query, 10)
    other = with_bm25(corpus_searcher, texts, 0.9, 0.4)
    assert (other.lexical.params["k1"], other.lexical.config()["b"]) == (0.9, 0.4)
    assert corpus_searcher.lexical.params == {"method": "lucene", "k1": 1.5, "b": 0.75}
    assert other.lexical.search(query, 10) != same.lexical.search(query, 10)
    assert len(other.search(query, k=5)) == 5
    assert corpus_searcher.lexical.params["k1"] == 1.5
