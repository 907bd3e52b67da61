"""The benchmark's scale-up measures what it says: real query embeddings, exact vs approximate."""

from __future__ import annotations

from index.dense import DenseSettings
from revsok.bench.benchmark import measure_scale
from revsok.bench.reading import measure_text_ingest
from revsok.bench.report_text import format_report
from revsok.bench.text import generate_report


def test_scale_up_reports_latency_per_index_kind_and_hnsw_recall(corpus_searcher):
    result = measure_scale(
        corpus_searcher, 3_000, queries=6, dense_settings=DenseSettings(hnsw_ef_search=40)
    )
    assert result["chunks"] == 3_000 and result["corpus"] == "realistic"
    for kind in ("flat", "hnsw"):
        for mode in ("dense", "hybrid"):
            timing = result[kind][mode]
            assert 0 < timing["p50_ms"] <= timing["p95_ms"]
    # Generated from the real vectors: the graph finds most, not necessarily all, exact neighbours.
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


_CORPUS = {
    "chunks": 10,
    "documents": 2,
    "ingest_seconds": {"parse_and_chunk": 1.0, "embed": 2.0, "index": 0.5, "total": 3.5},
    "chunks_per_second": 2.86,
    "pure_embedding": {"seconds": 1.9, "chunks_per_second": 5.26},
    "ingest_over_pure_embedding": 1.842,
    "query_latency": {m: {"p50_ms": 1.0, "p95_ms": 2.0} for m in ("bm25", "dense", "hybrid")},
    "index_size_mb": 0.1,
    "peak_memory_mb": 100.0,
}


def test_report_text_names_every_measured_number():
    report = {
        "corpus": _CORPUS,
        "scale": [],
        "text_ingest": [
            {
                "megabytes": 51.96,
                "seconds": 20.5,
                "mb_per_second": 2.53,
                "chunks": 48891,
                "sentences": 391749,
                "sentences_missing": 0,
            }
        ],
    }
    text = format_report(report)
    assert "10 chunkar" in text and "1.842" in text and "hybrid p50 1.0 p95 2.0" in text
    assert (
        "Inläsning av text (tolkning + chunkning): 51.96 MB på 20.5 s = 2.53 MB/s (48891 chunkar)"
        in text
    )
    assert "VARNING" not in text
    report["text_ingest"][0]["sentences_missing"] = 3
    assert "VARNING: 3 av 391749 genererade meningar finns inte i någon chunk" in format_report(
        report
    )


def test_text_ingest_is_timed_on_a_generated_report_and_keeps_every_sentence(token_counter):
    result = measure_text_ingest(1.0, token_counter)
    assert 1.0 <= result["megabytes"] < 1.1
    assert result["seconds"] > 0 and result["mb_per_second"] > 0
    assert result["chunks"] > 500
    # Every sentence of the generated report is in some chunk: ingest dropped no text.
    assert result["sentences"] > 5000
    assert result["sentences_missing"] == 0
    line = format_report({"corpus": _CORPUS, "scale": [], "text_ingest": [result]})
    assert (
        f"Inläsning av text (tolkning + chunkning): {result['megabytes']:g} MB på "
        f"{result['seconds']:g} s = {result['mb_per_second']:g} MB/s" in line
    )


def test_generated_report_reads_like_an_extracted_audit_report():
    report = generate_report(0.2)
    assert report.text == generate_report(0.2).text  # the same seed gives the same text
    assert generate_report(0.2, seed=14).text != report.text
    assert 0.2e6 <= len(report.text.encode("utf-8")) < 0.25e6
    pages = report.text.split("\f")
    assert len(pages) > 50 and all(f"Sida {n} av {len(pages)}" in p for n, p in enumerate(pages, 1))
    head = pages[0].splitlines()
    assert head[0].endswith("kommun") and head[2] == "Granskningsrapport"
    assert "2.2 Syfte och revisionsfrågor" in report.text and "\nBedömning\n" in report.text
    # Sentences vary: cleaning's removal of repeated lines is not what the benchmark measures.
    assert len(set(report.sentences)) > 0.9 * len(report.sentences)


def test_concurrent_users_each_embed_and_search(corpus_searcher, monkeypatch):
    from revsok.bench.load import measure_concurrent_users

    embedded: list[str] = []
    encode = corpus_searcher.embedder.encode_queries

    def counting(queries):
        embedded.extend(queries)
        return encode(queries)

    monkeypatch.setattr(corpus_searcher.embedder, "encode_queries", counting)
    queries = ["intern kontroll", "Ragundas missbruksvård", "särskilt boende"]
    result = measure_concurrent_users(corpus_searcher, queries, users=3)
    # Every search embeds its query afresh (a warm-up, then 3 users × 3 queries).
    assert len(embedded) == 1 + 9
    assert result["n"] == 9 and result["users"] == 3
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert "_query_vectors" not in corpus_searcher.__dict__ or all(
        q not in corpus_searcher.__dict__["_query_vectors"] for q in queries
    )
