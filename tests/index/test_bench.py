"""The benchmark's scale-up measures what it says: real query embeddings, exact vs approximate."""

from __future__ import annotations

from index.bench import format_report, measure_scale
from index.dense import DenseSettings


def test_scale_up_reports_latency_per_index_kind_and_hnsw_recall(corpus_searcher):
    result = measure_scale(
        corpus_searcher, 3_000, queries=6, dense_settings=DenseSettings(hnsw_ef_search=40)
    )
    assert result["chunks"] == 3_000
    for kind in ("flat", "hnsw"):
        for mode in ("dense", "hybrid"):
            timing = result[kind][mode]
            assert 0 < timing["p50_ms"] <= timing["p95_ms"]
    # Perturbed copies of real vectors: the graph finds most, not necessarily all, exact neighbours.
    assert 0.3 <= result["hnsw"]["recall_at_10_vs_exact"] <= 1.0
    assert "recall_at_10_vs_exact" not in result["flat"]
    assert result["hnsw"]["ef_search"] == 40
    assert 0 <= result["bm25"]["p50_ms"] <= result["bm25"]["p95_ms"]


def test_forgetting_query_vectors_makes_the_next_search_embed_again(corpus_searcher, monkeypatch):
    calls: list[list[str]] = []
    encode = corpus_searcher.embedder.encode_queries

    def counting(queries):
        calls.append(list(queries))
        return encode(queries)

    monkeypatch.setattr(corpus_searcher.embedder, "encode_queries", counting)
    query = "uppföljning av intern kontroll i bygg- och miljönämnden"
    corpus_searcher.forget_query_vectors()
    corpus_searcher.search(query, k=3, mode="dense")
    corpus_searcher.search(query, k=3, mode="dense")
    assert len(calls) == 1  # cached within a session, as the app relies on
    corpus_searcher.forget_query_vectors()
    corpus_searcher.search(query, k=3, mode="dense")
    assert len(calls) == 2


def test_report_text_names_every_measured_number():
    report = {
        "corpus": {
            "chunks": 10,
            "documents": 2,
            "ingest_seconds": {"parse_and_chunk": 1.0, "embed": 2.0, "index": 0.5, "total": 3.5},
            "chunks_per_second": 2.86,
            "pure_embedding": {"seconds": 1.9, "chunks_per_second": 5.26},
            "ingest_over_pure_embedding": 1.842,
            "query_latency": {
                m: {"p50_ms": 1.0, "p95_ms": 2.0} for m in ("bm25", "dense", "hybrid")
            },
            "index_size_mb": 0.1,
            "peak_memory_mb": 100.0,
        },
        "scale": [],
    }
    text = format_report(report)
    assert "10 chunkar" in text and "1.842" in text and "hybrid p50 1.0 p95 2.0" in text
