"""``revsok bench``: ingest, embedding, query latency and scale-up numbers. Prints, never asserts.

Scale-up to 100,000 and 1,000,000 chunks reuses the real corpus: its vectors are replicated with a
small random perturbation (re-normalised, so neighbourhoods stay realistic but not identical) and
its chunk texts are replicated for BM25. Embedding that many chunks would take hours on 2 cores.

Reading a large text file (parsing, cleaning, sections and chunking, no embedding) is timed on a
report generated for the purpose (``index.bench_text``), written to a temporary folder.
"""

from __future__ import annotations

import logging
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.bench_text import GeneratedText, write_report
from index.builder import lexical_text, passage_text
from index.dense import DenseIndex, DenseSettings
from index.embedders import load_embedder
from index.embedding_cache import EmbeddingCache
from index.lexical import LexicalIndex
from index.searcher import Searcher
from index.update import update_index
from ingest.chunking import TokenCounter
from ingest.models import Chunk
from ingest.pipeline import IngestOptions, ingest_paths

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


def _percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def _timed(run: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    run(queries[0])  # warm caches and lazy loads outside the measurement
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - started) * 1000)
    return _percentiles(samples)


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
            mode: _timed(lambda q, m=mode: search(q, m), query_list)
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


def _scaled_vectors(base: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((size, base.shape[1]), dtype=np.float32)
    for start in range(0, size, 50_000):
        stop = min(size, start + 50_000)
        rows = np.arange(start, stop) % len(base)
        block = base[rows] + rng.normal(0, 0.04, (stop - start, base.shape[1])).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:stop] = block
    return out


def measure_scale(
    searcher: Searcher,
    size: int,
    queries: int,
    seed: int = 13,
    dense_settings: DenseSettings | None = None,
) -> dict:
    rng = np.random.default_rng(seed)
    vectors = _scaled_vectors(searcher.dense.vectors, size, rng)
    texts = [lexical_text(searcher.chunks[i % len(searcher.chunks)]) for i in range(size)]
    started = time.perf_counter()
    lexical = LexicalIndex.build(texts)
    lexical_build = time.perf_counter() - started
    del texts
    query_list = _query_list(queries)
    query_vectors = {q: searcher.embedder.encode_queries([q])[0] for q in set(query_list)}
    result: dict = {"chunks": size, "bm25_build_seconds": round(lexical_build, 2)}
    exact_tops: dict[str, list[int]] = {}
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        dense = DenseIndex.build(vectors, dense_settings or DenseSettings(), kind=kind)
        build_seconds = time.perf_counter() - started

        def dense_only(q: str, index=dense) -> list:
            # Query embedding is part of the latency, as in a real search.
            vector = searcher.embedder.encode_queries([q])[0]
            return index.search(vector, 10)

        scaled = _scaled_searcher(searcher, dense, lexical, size)

        def hybrid(q: str, index=scaled) -> list:
            # The whole search as users run it: query understanding, the kommun's own candidate
            # pool, fusion, boosts, copies folded; the query embedded afresh each time.
            index.forget_query_vectors()
            return index.search(q, k=10)

        tops = {q: [row for row, _ in dense.search(v, 10)] for q, v in query_vectors.items()}
        entry = {
            "build_seconds": round(build_seconds, 2),
            "dense": _timed(dense_only, query_list),
            "hybrid": _timed(hybrid, query_list),
        }
        if kind == "flat":
            exact_tops = tops
        else:
            recall = [len(set(tops[q]) & set(exact_tops[q])) / 10 for q in tops]
            entry["recall_at_10_vs_exact"] = round(float(np.mean(recall)), 4)
            entry["ef_search"] = dense.settings.hnsw_ef_search
        result[kind] = entry
        del dense
    result["bm25"] = _timed(lambda q: lexical.search(q, 10), query_list)
    result["peak_memory_mb"] = _peak_memory_mb()
    return result


def _scaled_searcher(
    searcher: Searcher, dense: DenseIndex, lexical: LexicalIndex, size: int
) -> Searcher:
    """A searcher over ``size`` rows whose chunk i is corpus chunk i mod n (metadata included)."""
    chunks = [searcher.chunks[i % len(searcher.chunks)] for i in range(size)]
    scaled = Searcher(
        path=searcher.path,
        config=searcher.config,
        chunks=chunks,
        documents=searcher.documents,
        dense=dense,
        lexical=lexical,
        embedder=searcher.embedder,
        fusion=searcher.fusion,
        ranking=searcher.ranking,
    )
    scaled._columns()
    return scaled


def measure_text_ingest(megabytes: float, counter: TokenCounter | None = None) -> dict:
    """Time ingesting one generated text file of about ``megabytes`` MB, without embedding.

    Also counts the generated sentences that no chunk holds: ingest must not drop text.
    """
    counter = counter or TokenCounter()
    counter("x")  # load the tokenizer outside the measurement; its word cache stays empty
    with tempfile.TemporaryDirectory(prefix="revsok-bench-text-") as tmp:
        path, generated = write_report(Path(tmp), megabytes)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        result = ingest_paths([path], IngestOptions(), counter=counter)
        seconds = time.perf_counter() - started
    return {
        "megabytes": round(size_mb, 2),
        "seconds": round(seconds, 2),
        "mb_per_second": round(size_mb / seconds, 2),
        "chunks": len(result.chunks),
        "sentences": len(generated.sentences),
        "sentences_missing": len(missing_sentences(generated, result.chunks)),
    }


def missing_sentences(generated: GeneratedText, chunks: Sequence[Chunk]) -> list[str]:
    """Generated sentences that no chunk holds (whitespace aside), in reading order.

    Chunks come in text order and every sentence lies within one paragraph, which the chunker
    never splits at this size: one pass through the chunks finds each sentence after the one
    before it.
    """
    joined = " ".join(" ".join(chunk.text.split()) for chunk in chunks)
    missing = []
    position = 0
    for sentence in generated.sentences:
        found = joined.find(" ".join(sentence.split()), position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found
    return missing


def run_benchmark(
    paths: Sequence[Path],
    settings,
    scales: Sequence[int],
    queries: int,
    text_sizes: Sequence[float] = (50.0,),
) -> dict:
    corpus, searcher = measure_corpus(paths, settings.embedder, queries)
    dense_settings = DenseSettings(hnsw_ef_search=settings.hnsw_ef_search)
    scale = [measure_scale(searcher, n, queries, dense_settings=dense_settings) for n in scales]
    # Last, so that the corpus and scale-up report their own peak memory.
    text_ingest = [measure_text_ingest(size) for size in text_sizes]
    report = {"corpus": corpus, "scale": scale, "text_ingest": text_ingest}
    report["text"] = format_report(report)
    return report


def format_report(report: dict) -> str:
    c = report["corpus"]
    lines = [
        f"Korpus: {c['documents']} dokument, {c['chunks']} chunkar",
        "Ingest (s): " + ", ".join(f"{k} {v}" for k, v in c["ingest_seconds"].items()),
        f"Ingest: {c['chunks_per_second']} chunkar/s; ren inbäddning: "
        f"{c['pure_embedding']['chunks_per_second']} chunkar/s "
        f"({c['pure_embedding']['seconds']} s); kvot ingest/inbäddning "
        f"{c['ingest_over_pure_embedding']}",
        "Sökfördröjning (ms, inkl. frågeinbäddning): "
        + "; ".join(
            f"{mode} p50 {v['p50_ms']} p95 {v['p95_ms']}" for mode, v in c["query_latency"].items()
        ),
        f"Index på disk: {c['index_size_mb']} MB; toppminne {c['peak_memory_mb']} MB",
    ]
    for s in report["scale"]:
        lines.append(
            f"\n{s['chunks']:,} chunkar (BM25 byggd på {s['bm25_build_seconds']} s)".replace(
                ",", " "
            )
        )
        lines.append(f"  bm25: p50 {s['bm25']['p50_ms']} p95 {s['bm25']['p95_ms']} ms")
        for kind in ("flat", "hnsw"):
            e = s[kind]
            recall = e.get("recall_at_10_vs_exact")
            ef = f" efSearch {e['ef_search']}" if "ef_search" in e else ""
            lines.append(
                f"  {kind}{ef} "
                f"(byggd {e['build_seconds']} s): dense p50 {e['dense']['p50_ms']} "
                f"p95 {e['dense']['p95_ms']} ms; hybrid p50 {e['hybrid']['p50_ms']} "
                f"p95 {e['hybrid']['p95_ms']} ms"
                + (f"; recall@10 mot exakt {recall}" if recall is not None else "")
            )
        lines.append(f"  toppminne {s['peak_memory_mb']} MB")
    if report.get("text_ingest"):
        lines.append("")
    for t in report.get("text_ingest", []):
        lines.append(
            f"Inläsning av text (tolkning + chunkning): {t['megabytes']:g} MB på "
            f"{t['seconds']:g} s = {t['mb_per_second']:g} MB/s ({t['chunks']} chunkar)"
        )
        if t["sentences_missing"]:
            lines.append(
                f"  VARNING: {t['sentences_missing']} av {t['sentences']} genererade meningar "
                "finns inte i någon chunk"
            )
    return "\n".join(lines)
