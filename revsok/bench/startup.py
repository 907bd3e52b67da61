"""Start-up and memory of a large index: ``Searcher.load`` timed in a fresh process.

``measure_startup`` writes a generated corpus (``revsok.bench.scale_corpus``, the realistic
generator) as a real index folder, with the files an ingest writes: vectors and the dense index
chosen for the size, BM25, the chunk store and its filter columns. It then starts a new Python
process (``python -m revsok.bench.startup FOLDER``) that loads the embedder and the index and
searches, and reports

- seconds to load the embedder, and to load the index (``Searcher.load``),
- the process's resident memory before the index is loaded, after, and after the searches, and
  its peak,
- hybrid latency (the query embedded each time), the very first search apart (its pages are not
  yet read in), unfiltered and filtered to one kommun holding about 0.3 % of the rows.

A fresh process, because the memory of the process that generated the corpus says nothing of
what loading costs. Prints nothing and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index import layout
from index.builder import describe, write_search_files
from index.dense import DenseSettings
from index.index_config import IndexCounts
from index.index_settings import IndexSettings
from index.searcher import Searcher
from revsok.bench.scale import KOMMUN_SHARE, K
from revsok.bench.timing import percentiles, samples_ms


def measure_startup(
    searcher: Searcher,
    size: int,
    queries: list[str],
    *,
    seed: int = 13,
    dense: DenseSettings | None = None,
    folder: Path | None = None,
) -> dict:
    """Write ``size`` generated chunks as an index and measure loading it in a new process."""
    from revsok.bench import scale_corpus

    with tempfile.TemporaryDirectory(prefix="revsok-startup-") as scratch:
        index_dir = Path(folder or scratch)
        started = time.perf_counter()
        corpus = scale_corpus.generate(searcher, size, seed, kind="realistic")
        generated = time.perf_counter() - started
        started = time.perf_counter()
        settings = IndexSettings(dense=dense or DenseSettings())
        version = layout.new_version(index_dir)
        built_dense, lexical = write_search_files(
            version, corpus.chunks, corpus.documents, corpus.vectors, settings
        )
        counts = IndexCounts(len(corpus.chunks), len(corpus.documents), 0)
        describe(searcher.embedder, settings, counts, built_dense, lexical).write(version)
        layout.activate(index_dir, version)
        written = time.perf_counter() - started
        del corpus, built_dense, lexical
        result = _measure_in_new_process(index_dir, queries)
        result |= {
            "chunks": size,
            "generate_seconds": round(generated, 1),
            "write_seconds": round(written, 1),
            "index_mb": round(_folder_bytes(version) / 2**20),
        }
    return result


def _measure_in_new_process(index_dir: Path, queries: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as listed:
        json.dump(queries, listed, ensure_ascii=False)
        listed.flush()
        done = subprocess.run(
            [sys.executable, "-m", "revsok.bench.startup", str(index_dir), listed.name],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    if done.returncode != 0:
        raise RuntimeError(f"inläsningsmätningen misslyckades:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _memory_mb() -> dict[str, int]:
    """This process's resident memory in MB: all of it (rss), its own (anon: heap, arrays read
    into memory) and mapped index files (file: pages the kernel may drop and read again), and
    the peak."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file", "VmHWM": "peak"}
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name = line.split(":", 1)[0]
        if name in fields:
            found[fields[name]] = round(int(line.split()[1]) / 1024)
    return found


def _kommun(searcher: Searcher) -> str:
    """The kommun whose share of the rows is closest to KOMMUN_SHARE."""
    column = searcher._by_field["municipalities"]
    counts = np.bincount(column.array[column.array >= 0], minlength=len(column.values))
    share = counts / max(1, len(searcher.chunks))
    return column.values[int(np.argmin(np.abs(share - KOMMUN_SHARE)))]


def _searches(searcher: Searcher, queries: list[str], filters=None) -> dict:
    """Each query searched afresh (embedded again), timed; and how many got fewer than K hits.
    No warm-up: the first pass after load is what it measures."""
    short: list[str] = []

    def run(query: str) -> None:
        searcher.forget_query_vectors()
        if len(searcher.search(query, k=K, filters=filters)) < K:
            short.append(query)

    return percentiles(samples_ms(run, queries)) | {"short_of_k": len(short)}


def _measure(index_dir: Path, queries: list[str]) -> dict:
    """Run in the new process: load, search, and report time and memory."""
    from index.embedders import load_embedder
    from index.index_config import IndexConfig
    from index.models import Filters

    result = {"memory_start_mb": _memory_mb()}
    config = IndexConfig.read(layout.live_version(index_dir))
    started = time.perf_counter()
    embedder = load_embedder(config.embedder_name)
    embedder.encode_queries(["uppvärmning"])  # a model loads lazily: load it here
    result["embedder_seconds"] = round(time.perf_counter() - started, 2)
    result["memory_before_load_mb"] = _memory_mb()
    started = time.perf_counter()
    searcher = Searcher.load(index_dir, embedder)
    result["load_seconds"] = round(time.perf_counter() - started, 2)
    result["memory_after_load_mb"] = _memory_mb()
    result["dense_kind"] = searcher.dense.kind
    started = time.perf_counter()
    searcher.search(queries[0], k=K)
    result["first_search_ms"] = round((time.perf_counter() - started) * 1000, 1)
    # The first pass reads the index's pages from the mapped files; the second finds them there.
    result["hybrid_first_pass"] = _searches(searcher, queries)
    result["hybrid"] = _searches(searcher, queries)
    kommun = _kommun(searcher)
    result["kommun_share"] = round(
        float(np.mean(searcher.allowed_rows(Filters(municipalities=(kommun,))))), 4
    )
    result["hybrid_kommun"] = _searches(searcher, queries, Filters(municipalities=(kommun,)))
    result["memory_after_searches_mb"] = _memory_mb()
    result["searches"] = 1 + 3 * len(queries)
    return result


def format_lines(entry: dict) -> list[str]:
    e = entry
    before, loaded, searched = (
        e["memory_before_load_mb"],
        e["memory_after_load_mb"],
        e["memory_after_searches_mb"],
    )
    first, warm, kommun = e["hybrid_first_pass"], e["hybrid"], e["hybrid_kommun"]
    return [
        f"Start av ett index med {e['chunks']:,} chunkar".replace(",", " ")
        + f" ({e['dense_kind']}, {e['index_mb']} MB på disk; genererat {e['generate_seconds']} s,"
        f" skrivet {e['write_seconds']} s):",
        f"  Searcher.load {e['load_seconds']} s (embeddern därtill {e['embedder_seconds']} s)",
        f"  minne (MB, eget + mappade indexfiler): före inläsningen {before['anon']} + "
        f"{before['file']}, efter {loaded['anon']} + {loaded['file']}, efter "
        f"{e['searches']} sökningar {searched['anon']} + {searched['file']}; topp "
        f"{searched['peak']}",
        f"  första sökningen {e['first_search_ms']} ms; hybrid första varvet p50 "
        f"{first['p50_ms']} p95 {first['p95_ms']} ms, andra varvet p50 {warm['p50_ms']} p95 "
        f"{warm['p95_ms']} ms; en kommun ({e['kommun_share']:.1%} av raderna) p50 "
        f"{kommun['p50_ms']} p95 {kommun['p95_ms']} ms, {kommun['short_of_k']} frågor med "
        f"färre än {K} träffar",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="ladda ett index och mät tid och minne")
    parser.add_argument("index", type=Path)
    parser.add_argument("queries", type=Path, help="JSON-lista med frågor")
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text(encoding="utf-8"))
    print(json.dumps(_measure(args.index, queries), ensure_ascii=False))


if __name__ == "__main__":
    main()
