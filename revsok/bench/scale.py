"""Which dense index at which corpus size: flat, HNSW and IVF measured on a generated corpus.

``measure_dense_scale`` generates ``size`` chunks with ``revsok.bench.scale_corpus`` (the realistic
generator: real geometry, real sentences, kommuner and years spread over Sweden), builds BM25 over
their texts once, and for each dense configuration reports

- recall@10 of the dense search against exact search (``faiss.knn``, computed once),
- dense search latency (the index alone, the query already embedded),
- hybrid latency through a ``Searcher`` over the generated rows, the query embedded each time,
- the same hybrid search filtered to one kommun holding about 0.3 % of the rows, to ten of the
  years (most of the rows) and to one year, and whether each query got k hits,
- build seconds, the index's size as FAISS writes it and the process's memory growth.

Configurations that differ only in how they are searched (HNSW ``efSearch``, IVF ``nprobe``) share
one build. Prints nothing and asserts nothing: the caller formats ``format_table``'s rows.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import faiss
import numpy as np

from index.builder import lexical_text
from index.dense import DenseIndex, DenseSettings
from index.lexical import LexicalIndex
from index.models import Filters
from index.searcher import Searcher
from revsok.bench import scale_corpus
from revsok.bench.timing import percentiles
from revsok.bench.timing import timed as timed_ms

log = logging.getLogger(__name__)

EVAL_QUERIES = Path(__file__).resolve().parents[2] / "eval" / "queries.jsonl"
K = 10
# The share of rows the kommun filter should keep: a median kommun of 290 at a million chunks.
KOMMUN_SHARE = 0.003
# Search settings: varying them needs no new build.
_SEARCH_FIELDS = ("hnsw_ef_search", "ivf_nprobe", "ivf_rescore")


@dataclass(frozen=True)
class DenseConfig:
    name: str
    kind: str
    settings: DenseSettings = field(default_factory=DenseSettings)

    def build_key(self) -> tuple:
        base = replace(self.settings, **{f: getattr(DenseSettings(), f) for f in _SEARCH_FIELDS})
        return (self.kind, base)


def hnsw(m: int, ef_construction: int, ef_search: int) -> DenseConfig:
    settings = DenseSettings(
        hnsw_m=m, hnsw_ef_construction=ef_construction, hnsw_ef_search=ef_search
    )
    return DenseConfig(f"HNSW M{m} efC{ef_construction} ef{ef_search}", "hnsw", settings)


def ivf(nlist: int, nprobe: int, encoding: str = "flat", pq_m: int = 48) -> DenseConfig:
    settings = DenseSettings(
        ivf_nlist=nlist, ivf_nprobe=nprobe, ivf_encoding=encoding, ivf_pq_m=pq_m
    )
    label = {"flat": "IVF-Flat", "sq8": "IVF-SQ8", "pq": f"IVF-PQ{pq_m}"}[encoding]
    return DenseConfig(f"{label} nlist{nlist} nprobe{nprobe}", "ivf", settings)


FLAT = DenseConfig("flat (exakt)", "flat")


def bench_queries(limit: int | None = None) -> list[str]:
    """The benchmark's queries, then the evaluation set's, without repeats."""
    from revsok.bench.benchmark import (
        BENCH_QUERIES,  # bench imports this module's neighbours; import late
    )

    queries = list(BENCH_QUERIES)
    if EVAL_QUERIES.exists():
        with EVAL_QUERIES.open(encoding="utf-8") as lines:
            queries += [json.loads(line)["query"] for line in lines if line.strip()]
    queries = list(dict.fromkeys(queries))
    return queries[:limit] if limit else queries


def measure_dense_scale(
    searcher: Searcher,
    size: int,
    configs: Sequence[DenseConfig],
    queries: Sequence[str],
    seed: int = 13,
    *,
    latency_queries: int = 60,
    lexical: LexicalIndex | None = None,
    hybrid: bool = True,
    on_entry: Callable[[dict], None] | None = None,
) -> dict:
    """Recall, latency, filtered latency, build time and memory of each of ``configs`` over
    ``size`` generated rows. ``queries`` all count for recall; the first ``latency_queries`` are
    timed. ``lexical``: a BM25 index already built over this size and seed's texts (building it
    takes minutes at a million rows). ``hybrid=False`` measures the dense index alone, without
    the chunks and BM25 a searcher needs (at 3,000,000 rows they would not fit in memory).
    ``on_entry`` sees each configuration's entry when done."""
    started = time.perf_counter()
    corpus = scale_corpus.generate(searcher, size, seed, kind="realistic")
    vectors = corpus.vectors
    result: dict = {"chunks": size, "seed": seed, "generate_seconds": _since(started)}
    chunks: list = []
    if hybrid:
        chunks = list(corpus.chunks)
        lexical = _bm25(chunks, lexical, result)

    query_vectors = np.asarray(searcher.embedder.encode_queries(list(queries)), dtype=np.float32)
    started = time.perf_counter()
    _, exact = faiss.knn(query_vectors, vectors, K, metric=faiss.METRIC_INNER_PRODUCT)
    result["exact_seconds"] = _since(started)
    timed = list(queries[:latency_queries])
    result["queries"] = {"recall": len(queries), "timed": len(timed)}
    filters = {}
    if hybrid:
        result["bm25"] = timed_ms(lambda q: lexical.search(q, K), timed)
        filters = _filters(chunks)
        result["filters"] = {name: share for name, (_, share) in filters.items()}
    entries = []
    for key, group in _grouped(configs).items():
        built, cost = _built(vectors, key[0], group[0].settings)
        for config in group:
            dense = _searched_as(built, config.settings)
            entry = {"name": config.name, "kind": config.kind, **cost}
            entry |= _dense_entry(dense, query_vectors, exact, len(timed))
            if hybrid:
                entry |= _hybrid_entry(
                    searcher, chunks, corpus.documents, dense, lexical, timed, filters
                )
            log.info("%s", entry)
            if on_entry:
                on_entry(entry)
            entries.append(entry)
        del built, dense
    result["configs"] = entries
    return result


def _bm25(chunks: list, lexical: LexicalIndex | None, result: dict) -> LexicalIndex:
    """``lexical`` if given, else BM25 built over the chunks' texts (timed into ``result``)."""
    if lexical is None:
        started = time.perf_counter()
        lexical = LexicalIndex.build([lexical_text(c) for c in chunks])
        result["bm25_build_seconds"] = _since(started)
    if lexical.size != len(chunks):
        raise ValueError(f"the BM25 index has {lexical.size} rows, not {len(chunks)}")
    return lexical


def _built(vectors: np.ndarray, kind: str, settings: DenseSettings) -> tuple[DenseIndex, dict]:
    """The index, and what building it cost: seconds, its size as written, memory growth."""
    rss = _rss_bytes()
    started = time.perf_counter()
    built = DenseIndex.build(vectors, settings, kind=kind)
    build_seconds = _since(started)
    memory = _rss_bytes() - rss
    cost = {
        "build_seconds": build_seconds,
        "index_bytes": _written_bytes(built.index),
        "rss_growth_bytes": memory,
    }
    return built, cost


def _grouped(configs: Sequence[DenseConfig]) -> dict[tuple, list[DenseConfig]]:
    groups: dict[tuple, list[DenseConfig]] = {}
    for config in configs:
        groups.setdefault(config.build_key(), []).append(config)
    return groups


def _searched_as(built: DenseIndex, settings: DenseSettings) -> DenseIndex:
    """``built``'s graph or lists, searched with ``settings``'s efSearch or nprobe."""
    if built.kind == "ivf":
        built.index.nprobe = min(settings.ivf_nprobe, built.index.nlist)
    return DenseIndex(built.vectors, built.index, settings)


def _dense_entry(
    dense: DenseIndex, query_vectors: np.ndarray, exact: np.ndarray, timed: int
) -> dict:
    samples, recalls = [], []
    dense.search(query_vectors[0], K)  # first touch of the index's pages is not a query's cost
    for number, vector in enumerate(query_vectors):
        started = time.perf_counter()
        hits = dense.search(vector, K)
        elapsed = (time.perf_counter() - started) * 1000
        if number < timed:
            samples.append(elapsed)
        recalls.append(len({row for row, _ in hits} & set(exact[number].tolist())) / K)
    return {"recall_at_10": round(float(np.mean(recalls)), 4), "dense": percentiles(samples)}


def _hybrid_entry(
    searcher: Searcher,
    chunks: list,
    documents: list,
    dense: DenseIndex,
    lexical: LexicalIndex,
    queries: Sequence[str],
    filters: dict[str, tuple[Filters, float]],
) -> dict:
    scaled = scale_corpus.scaled_searcher(searcher, dense, lexical, chunks, documents)
    entry: dict = {}
    for name, (where, _) in {"hybrid": (None, 1.0), **filters}.items():
        short: list[str] = []

        def run(query: str, where=where, short=short) -> None:
            # The whole search as users run it, the query embedded afresh each time.
            scaled.forget_query_vectors()
            hits = scaled.search(query, k=K, filters=where)
            if len(hits) < K:
                short.append(query)

        entry[name] = timed_ms(run, queries) | {"short_of_k": len(short)}
    return entry


def _filters(chunks: list) -> dict[str, tuple[Filters, float]]:
    """A kommun with about KOMMUN_SHARE of the rows, most of the years, and one year."""
    size = len(chunks)
    kommuner = Counter(c.municipality for c in chunks)
    kommun, count = min(kommuner.items(), key=lambda kv: (abs(kv[1] / size - KOMMUN_SHARE), kv[0]))
    years = Counter(c.year for c in chunks if c.year)
    ordered = sorted(years)
    many = ordered[: max(1, round(0.7 * len(ordered)))]
    one = ordered[len(ordered) // 2]
    return {
        "kommun": (Filters(municipalities=(kommun,)), count / size),
        "år_många": (
            Filters(year_from=many[0], year_to=many[-1]),
            sum(years[y] for y in many) / size,
        ),
        "år_ett": (Filters(year_from=one, year_to=one), years[one] / size),
    }


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _written_bytes(index: faiss.Index) -> int:
    """The index's size as saved: its vectors or codes, lists or graph."""
    with tempfile.TemporaryDirectory(prefix="revsok-dense-") as tmp:
        path = Path(tmp) / "index.faiss"
        faiss.write_index(index, str(path))
        return path.stat().st_size


def format_table(result: dict) -> str:
    """The entries as a Markdown table, Swedish headings."""
    if "filters" not in result:
        return _dense_table(result)
    filters = result["filters"]
    head = (
        "| index | recall@10 | dense p50/p95 ms | hybrid p50/p95 ms | "
        f"kommun ({filters['kommun']:.2%}) p50/p95 ms | år ({filters['år_många']:.0%}) "
        f"p50/p95 ms | ett år ({filters['år_ett']:.0%}) p50/p95 ms | bygge s | index MB | "
        "RSS-ökning MB |"
    )
    lines = [head, "|" + "---|" * 10]
    for e in result["configs"]:
        cells = [e["name"], f"{e['recall_at_10']:.3f}", _pair(e["dense"]), _pair(e["hybrid"])]
        for name in ("kommun", "år_många", "år_ett"):
            short = e[name]["short_of_k"]
            cells.append(_pair(e[name]) + (f" ({short} < k)" if short else ""))
        lines.append("| " + " | ".join(cells + _build_cells(e)) + " |")
    return "\n".join(lines)


def _dense_table(result: dict) -> str:
    lines = ["| index | recall@10 | dense p50/p95 ms | bygge s | index MB | RSS-ökning MB |"]
    lines.append("|" + "---|" * 6)
    for e in result["configs"]:
        cells = [e["name"], f"{e['recall_at_10']:.3f}", _pair(e["dense"]), *_build_cells(e)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _build_cells(entry: dict) -> list[str]:
    """Build seconds, the index's size and the memory it took, as table cells."""
    return [
        f"{entry['build_seconds']:.0f}",
        f"{entry['index_bytes'] / 1e6:.0f}",
        f"{entry['rss_growth_bytes'] / 1e6:.0f}",
    ]


def _pair(entry: dict) -> str:
    return f"{entry['p50_ms']:.1f} / {entry['p95_ms']:.1f}"
