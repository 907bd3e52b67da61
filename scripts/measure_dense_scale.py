"""Which dense index at which size: ``revsok.bench.scale.measure_dense_scale`` from the shell.

Generates SIZE chunks with the realistic generator and measures each configuration's recall@10
against exact search, latency, build time, size and memory; with hybrid (the default) also the
whole search with BM25 and filters. ``--dense-only`` leaves out the chunks and BM25, which at
3,000,000 rows do not fit in this machine's memory. Each entry is printed as JSON when done (a
long run that is stopped keeps what it measured), then the Markdown table:

    .venv/bin/python scripts/measure_dense_scale.py --index /tmp/x450 --size 3000000 --dense-only
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.searcher import Searcher  # noqa: E402
from revsok.bench.scale import (  # noqa: E402
    FLAT,
    bench_queries,
    format_table,
    hnsw,
    ivf,
    measure_dense_scale,
)

# The default over 250,000 rows first, then its neighbours, HNSW (slowest to build) last.
CONFIGS = (
    ivf(4096, 128, "sq8"),
    ivf(8192, 128, "sq8"),
    ivf(8192, 256, "sq8"),
    ivf(4096, 128),
    FLAT,
    hnsw(32, 80, 256),
    hnsw(32, 80, 512),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="the sample corpus's index")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--dense-only", action="store_true")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    searcher = Searcher.load(args.index)
    result = measure_dense_scale(
        searcher,
        args.size,
        CONFIGS,
        bench_queries(),
        args.seed,
        hybrid=not args.dense_only,
        on_entry=lambda entry: print(json.dumps(entry, ensure_ascii=False), flush=True),
    )
    print(json.dumps({k: v for k, v in result.items() if k != "configs"}, ensure_ascii=False))
    print(format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
