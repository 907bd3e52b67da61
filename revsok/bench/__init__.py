"""Benchmarks: ingest, search latency, scale, load and start-up, printed by ``revsok bench``."""
