"""``revsok bench``: ingest, embedding, query latency and scale-up numbers. Prints, never asserts.

Scale-up to 100,000 and 1,000,000 chunks is generated from the real corpus by
``revsok.bench.scale_corpus``: mixtures of neighbouring real vectors with calibrated noise, texts of
real sentences, 290 kommuner over ten years (or, as a stress case, noisy copies). Embedding that
many chunks would take days on 2 cores. With ``load``, the search is also timed beside a running
ingest and with eight concurrent users (``revsok.bench.load``); with ``ray_address``, embedding
throughput per core here and on Ray tasks (``revsok.bench.ray_throughput``).

Reading a large text file (parsing, cleaning, sections and chunking, no embedding) is timed on a
report generated for the purpose (``revsok.bench.text``), written to a temporary folder.

Reading speed in pages per second is timed on the corpus PDFs, on Word copies of them and, when
asked for, on a scanned copy (``revsok.bench.reading``). With a cold embedding cache, the whole
ingest (reading in worker processes while this one embeds, then the index) is timed against
embedding the same chunks alone: reading should hide behind embedding. The printed text is
``revsok.bench.report_text``'s.
"""

from __future__ import annotations

import logging
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.builder import lexical_text, passage_text
from index.dense import DenseIndex, DenseSettings
from index.embedders import load_embedder
from index.embedding_cache import EmbeddingCache
from index.lexical import LexicalIndex
from index.searcher import Searcher
from ingest.chunking import TokenCounter
from ingest.collecting import collect_files
from ingest.options import IngestOptions
from ingest.pipeline import ingest_paths
from revsok.bench import DEFAULT_TEXT_MB
from revsok.bench.load import measure_concurrent_users, measure_under_ingest
from revsok.bench.reading import measure_reading, measure_text_ingest
from revsok.bench.report_text import format_report
from revsok.bench.scale_corpus import generate, scaled_searcher
from revsok.bench.timing import timed
from revsok.update import update_index

log = logging.getLogger(__name__)

# Queries the way revisorer search: keywords and full questions.
BENCH_QUERIES = (
    "rekommendationer om samverkan med regionen",
    "brister i kvalitetsledningssystemet",
    "kostnader för missbruksvård jämfört med liknande kommuner",
    "ej verkställda beslut",
    "patientsäkerhetsberättelse",
    "hur följer nämnden upp öppenvårdsinsatser",
    "intern kontroll",
    "budget i balans handlingsplan",
    "särskilt boende",
    "revisionsfrågor och revisionskriterier",
    "delegationsbeslut bistånd",
    "Är centrala arbetsprocesser och rutiner dokumenterade och fastställda?",
    "LSS personlig assistans utredningstider",
    "vilka metoder används i utredningen av missbruk",
    "uppföljning av verksamhetens kvalitet på gruppnivå",
    # Written the way revisorer narrow a search: kommun, year, nämnd.
    "Ragundas missbruksvård samverkan med regionen",
    "socialnämnden i Härnösand 2022 ekonomi i balans",
    "Piteå LSS rekommendationer 2023",
    "Karlshamns öppenvård uppföljning på individnivå",
)


# The load measurements (an ingest beside, eight users) run at this size and below.
LOAD_MAX_CHUNKS = 100_000


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _query_list(count: int) -> list[str]:
    return [BENCH_QUERIES[i % len(BENCH_QUERIES)] for i in range(count)]


def measure_corpus(paths: Sequence[Path], embedder_spec: str, queries: int) -> dict:
    embedder = load_embedder(embedder_spec)
    counter = TokenCounter()
    with tempfile.TemporaryDirectory(prefix="revsok-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        parsed = ingest_paths(paths, IngestOptions(), counter=counter)
        parse_seconds = time.perf_counter() - started

        started = time.perf_counter()
        report = update_index(
            paths,
            tmp_dir / "index",
            embedder,
            EmbeddingCache(tmp_dir / "cache.sqlite"),
            counter=counter,
        )
        total_seconds = time.perf_counter() - started
        build = report.build
        texts = [passage_text(c, True) for c in parsed.chunks]
        started = time.perf_counter()
        embedder.encode_passages(texts)
        pure_embed = time.perf_counter() - started

        searcher = Searcher.load(tmp_dir / "index", embedder=embedder)
        query_list = _query_list(queries)

        def search(query: str, mode: str) -> list:
            # The searcher caches query vectors; the latency must include embedding the query.
            searcher.forget_query_vectors()
            return searcher.search(query, k=10, mode=mode)

        latency = {
            mode: timed(lambda q, m=mode: search(q, m), query_list)
            for mode in ("bm25", "dense", "hybrid")
        }
        return {
            "chunks": build.chunks,
            "documents": len(report.ingest.documents),
            "ingest_seconds": {
                "parse_and_chunk": round(parse_seconds, 2),
                "embed": round(build.seconds_embed, 2),
                "index": round(build.seconds_index, 2),
                "total": round(total_seconds, 2),
            },
            "chunks_per_second": round(build.chunks / total_seconds, 2),
            "pure_embedding": {
                "seconds": round(pure_embed, 2),
                "chunks_per_second": round(len(texts) / pure_embed, 2),
            },
            "ingest_over_pure_embedding": round(total_seconds / pure_embed, 3),
            "query_latency": latency,
            "index_size_mb": round(_folder_size(tmp_dir / "index") / 1e6, 2),
            "peak_memory_mb": _peak_memory_mb(),
        }, searcher


def measure_scale(
    searcher: Searcher,
    size: int,
    queries: int,
    seed: int = 13,
    dense_settings: DenseSettings | None = None,
    *,
    corpus_kind: str = "realistic",
    load: bool = False,
) -> dict:
    """Latency and recall at ``size`` generated chunks (``revsok.bench.scale_corpus``:
    "realistic", or "copies" as the stress case); ``load`` adds the HNSW search beside an ingest
    and with eight concurrent users (``revsok.bench.load``)."""
    corpus = generate(searcher, size, seed, kind=corpus_kind)
    chunks = list(corpus.chunks)
    vectors = corpus.vectors
    started = time.perf_counter()
    lexical = LexicalIndex.build([lexical_text(c) for c in chunks])
    lexical_build = time.perf_counter() - started
    query_list = _query_list(queries)
    query_vectors = {q: searcher.embedder.encode_queries([q])[0] for q in set(query_list)}
    result: dict = {
        "chunks": size,
        "corpus": corpus_kind,
        "bm25_build_seconds": round(lexical_build, 2),
    }
    exact_tops: dict[str, list[int]] = {}
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        dense = DenseIndex.build(vectors, dense_settings or DenseSettings(), kind=kind)
        build_seconds = time.perf_counter() - started
        scaled = scaled_searcher(searcher, dense, lexical, chunks, corpus.documents)
        tops = {q: [row for row, _ in dense.search(v, 10)] for q, v in query_vectors.items()}
        entry = {
            "build_seconds": round(build_seconds, 2),
            **_dense_and_hybrid_latency(searcher, dense, scaled, query_list),
        }
        if kind == "flat":
            exact_tops = tops
        else:
            recall = [len(set(tops[q]) & set(exact_tops[q])) / 10 for q in tops]
            entry["recall_at_10_vs_exact"] = round(float(np.mean(recall)), 4)
            entry["ef_search"] = dense.settings.hnsw_ef_search
            if load:
                entry["hybrid_beside_ingest"] = measure_under_ingest(scaled, query_list)
                entry["hybrid_8_users"] = measure_concurrent_users(scaled, query_list, users=8)
        result[kind] = entry
        del dense
    result["bm25"] = timed(lambda q: lexical.search(q, 10), query_list)
    result["peak_memory_mb"] = _peak_memory_mb()
    return result


def _dense_and_hybrid_latency(
    searcher: Searcher, dense: DenseIndex, scaled: Searcher, query_list: list[str]
) -> dict:
    """Dense search alone and the whole hybrid search, each query embedded afresh."""

    def dense_only(q: str) -> list:
        # Query embedding is part of the latency, as in a real search.
        vector = searcher.embedder.encode_queries([q])[0]
        return dense.search(vector, 10)

    def hybrid(q: str) -> list:
        # The whole search as users run it: query understanding, the kommun's own candidate
        # pool, fusion, boosts, copies folded; the query embedded afresh each time.
        scaled.forget_query_vectors()
        return scaled.search(q, k=10)

    return {"dense": timed(dense_only, query_list), "hybrid": timed(hybrid, query_list)}


def measure_cold_ingest(paths: Sequence[Path], embedder_spec: str, workers: Sequence[int]) -> dict:
    """The whole ingest into an empty index with an empty embedding cache, for each count of
    reading ``workers``, against embedding the same chunks alone.

    The files are given one by one, not as folders, so that a folder's shipped embeddings
    (``index.embedding_seed``) are not imported: every chunk is embedded.
    """
    embedder = load_embedder(embedder_spec)
    counter = TokenCounter()
    files = collect_files(paths)[0]
    parsed = ingest_paths(files, IngestOptions(), counter=counter)
    texts = [passage_text(c, True) for c in parsed.chunks]
    embedder.encode_passages(texts[:2])  # load the model outside the measurement
    started = time.perf_counter()
    embedder.encode_passages(texts)
    pure = time.perf_counter() - started
    runs = []
    for count in workers:
        with tempfile.TemporaryDirectory(prefix="revsok-bench-cold-") as tmp:
            started = time.perf_counter()
            report = update_index(
                files,
                Path(tmp) / "index",
                embedder,
                EmbeddingCache(Path(tmp) / "cache.sqlite"),
                counter=counter,
                workers=count,
            )
            seconds = time.perf_counter() - started
        runs.append(
            {
                "workers": count,
                "seconds": round(seconds, 2),
                "embed_seconds": round(report.build.seconds_embed, 2),
                "embedded": report.build.embedded,
                "over_pure_embedding": round(seconds / pure, 3),
                # Against the embedding inside the same run: unmoved by a load that changes
                # between the runs on a shared machine.
                "over_own_embedding": round(seconds / max(report.build.seconds_embed, 1e-9), 3),
            }
        )
    return {
        "files": len(files),
        "chunks": len(texts),
        "pure_embedding_seconds": round(pure, 2),
        "runs": runs,
    }


def run_benchmark(
    paths: Sequence[Path],
    settings,
    scales: Sequence[int],
    queries: int,
    text_sizes: Sequence[float] = DEFAULT_TEXT_MB,
    *,
    search: bool = True,
    ocr_pages: int = 0,
    cold_workers: Sequence[int] = (),
    corpus_kind: str = "realistic",
    load: bool = False,
    ray_address: str | None = None,
    startup: Sequence[int] = (),
) -> dict:
    """``search=False`` leaves out the corpus search, scale-up and text measurements;
    ``cold_workers`` (reading worker counts) adds the cold-cache ingest against embedding."""
    report: dict = {}
    if search:
        corpus, searcher = measure_corpus(paths, settings.embedder, queries)
        dense_settings = DenseSettings(hnsw_ef_search=settings.hnsw_ef_search)
        report["corpus"] = corpus
        report["scale"] = [
            measure_scale(
                searcher,
                n,
                queries,
                dense_settings=dense_settings,
                corpus_kind=corpus_kind,
                load=load and n <= LOAD_MAX_CHUNKS,
            )
            for n in scales
        ]
        if startup:
            from revsok.bench.scale import bench_queries
            from revsok.bench.startup import measure_startup

            report["startup"] = [
                measure_startup(searcher, n, bench_queries(queries), dense=dense_settings)
                for n in startup
            ]
        if ray_address is not None:
            from revsok.bench.ray_throughput import measure_ray_throughput

            report["ray"] = measure_ray_throughput(searcher, address=ray_address)
    report["reading"] = measure_reading(paths, ocr_pages)
    if cold_workers:
        report["cold_ingest"] = measure_cold_ingest(paths, settings.embedder, cold_workers)
    if search:
        # Last, so that the corpus and scale-up report their own peak memory.
        report["text_ingest"] = [measure_text_ingest(size) for size in text_sizes]
    report["text"] = format_report(report)
    return report
