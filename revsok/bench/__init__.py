"""Benchmarks: ingest, search latency, scale, load and start-up, printed by ``revsok bench``."""

# What ``revsok bench`` measures when not told otherwise: the index sizes scaled up to (chunks)
# and the sizes of the generated text file whose reading is timed (MB). Here rather than in
# ``revsok.bench.benchmark``, so that ``revsok --help`` can show them without its imports.
DEFAULT_SCALES = (100_000, 1_000_000)
DEFAULT_TEXT_MB = (50.0,)
