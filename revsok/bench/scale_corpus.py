"""Scale-up corpora for the benchmark: 100,000 or 1,000,000 chunks made from the few hundred real
ones, since embedding that many would take days on two cores.

Two generators:

``realistic`` keeps the real corpus's geometry. Every generated chunk is modelled on a real chunk,
its *anchor*, taken in reading order from a real document chosen as the template of a generated
document. Its vector is a convex mixture of the anchor and ``parts - 1`` real chunks among the
anchor's ``neighbourhood`` nearest (Dirichlet weights, the anchor's the largest), plus Gaussian
noise with the real vectors' own covariance (so the noise stays in the directions the embedder
uses) and a per-row log-normal scale (some rows near-repeats, some farther out), re-normalised.

The noise scale is calibrated (``calibrate``) at the real corpus's density: a generated sample as
large as the real corpus must have the real median nearest-neighbour cosine distance. A million
rows are far denser than 600, so their NN distances are smaller, as they would be in a real
corpus of that size; what can be compared with reality is the same-size sample. Only the median
is fitted: the rest of that distribution, the distance from real queries to their nearest
generated vector, and the spread of random pairs are then checks (``nn_report``,
``scripts/scale_corpus_report.py``).

Its text is real sentences: the anchor's and its partners' texts split into sentences, a run of
each part's sentences in proportion to its weight, as long as the anchor's text, so text and
vector share a topic and BM25 sees the real vocabulary. A kommun the sentence names becomes the
generated document's. Kommun (the 290 of ``ingest/data/places.csv``, unevenly sized), year (ten
years up to the corpus's last) and nämnd are drawn per document; title, document type, byrå,
sections and pages come from the template. Chunks are built on access from a few integers per
row (about 40 µs each), so a million of them cost tens of MB, not gigabytes; ``list()`` them
when every chunk is read several times (about 2.3 kB a chunk).

``copies`` is the old generator, kept as a stress case: the real vectors repeated in order with
N(0, 0.04) noise per dimension, and the real chunks repeated. In 384 dimensions that noise is as
long as the vector it is added to (a copy keeps cosine ~0.79 with its original), so every vector
is about equally far from all others: a hard case for HNSW, and nothing like a real corpus.

The realistic generator's parts: ``revsok.bench.scale_basis`` (the real corpus prepared, each row's
mixture and its vector), ``revsok.bench.scale_calibration`` (the noise, fitted on nearest-neighbour
distances) and ``revsok.bench.scale_chunks`` (texts and metadata).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.searcher import Searcher
from ingest.models import Chunk, DocumentRecord
from revsok.bench.scale_basis import Basis, MixtureSettings, one_blas_thread
from revsok.bench.scale_calibration import Calibration, calibrate, ks_statistic, nn_distances
from revsok.bench.scale_chunks import GeneratedChunks

KINDS = ("realistic", "copies")
# The copies generator exactly as the benchmark had it, so old and new numbers compare.
COPIES_NOISE = 0.04
COPIES_BLOCK = 50_000


class ScaleCorpus(NamedTuple):
    vectors: np.ndarray  # float32 [size, dim], rows of norm 1
    chunks: Sequence[Chunk]  # row i is the chunk of vector i
    documents: list[DocumentRecord]
    calibration: Calibration | None


def generate(
    source,
    size: int,
    seed: int = 13,
    kind: str = "realistic",
    settings: MixtureSettings | None = None,
) -> ScaleCorpus:
    """``size`` chunks and vectors made from ``source``: a Searcher, or (chunks, vectors)."""
    with one_blas_thread():
        return _generate(source, size, seed, kind, settings)


def _generate(
    source, size: int, seed: int, kind: str, settings: MixtureSettings | None
) -> ScaleCorpus:
    chunks, vectors, documents = _unpack(source)
    if kind == "copies":
        rows = [chunks[i % len(chunks)] for i in range(size)]
        return ScaleCorpus(copies_vectors(vectors, size, seed), rows, list(documents), None)
    if kind != "realistic":
        raise ValueError(f"unknown generator {kind!r}; choose one of {KINDS}")
    basis = Basis(chunks, vectors, settings or MixtureSettings())
    calibration = None
    if basis.settings.noise is None:
        calibration = calibrate(basis)
        basis.noise = calibration.noise
    plan = basis.plan(size, np.random.default_rng([seed, 1]))
    generated = basis.vectors_for(plan, basis.noise, np.random.default_rng([seed, 2]))
    rows = GeneratedChunks(basis, plan, np.random.default_rng([seed, 3]))
    return ScaleCorpus(generated, rows, rows.documents(), calibration)


def _unpack(source) -> tuple[Sequence[Chunk], np.ndarray, Sequence[DocumentRecord]]:
    if hasattr(source, "dense"):
        return source.chunks, source.dense.vectors, source.documents
    chunks, vectors = source
    return chunks, vectors, ()


def copies_vectors(base: np.ndarray, size: int, seed: int) -> np.ndarray:
    """The old scale-up: row i is base row i mod n plus N(0, 0.04) per dimension, re-normalised.

    Same random stream as the benchmark's ``_scaled_vectors`` with ``default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((size, base.shape[1]), dtype=np.float32)
    for start in range(0, size, COPIES_BLOCK):
        stop = min(size, start + COPIES_BLOCK)
        rows = np.arange(start, stop) % len(base)
        block = base[rows] + rng.normal(0, COPIES_NOISE, (stop - start, base.shape[1])).astype(
            np.float32
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:stop] = block
    return out


def nn_report(
    real: np.ndarray, generated: dict[str, np.ndarray], queries: np.ndarray | None = None
) -> dict:
    """NN-distance distributions, real vs each generated set of the real corpus's size.

    ``self``: each vector's nearest other vector in its own set. ``query``: each real query's
    nearest vector, in the real set and in each generated set. KS against the real distribution.
    """
    quantiles = (0.05, 0.25, 0.5, 0.75, 0.95)
    own = {"real": nn_distances(real)} | {k: nn_distances(v) for k, v in generated.items()}
    report: dict = {"self": {}, "query": {}}
    for name, values in own.items():
        report["self"][name] = {
            "quantiles": np.quantile(values, quantiles).round(4).tolist(),
            "ks": round(ks_statistic(own["real"], values), 3),
            "values": values,
        }
    if queries is not None:
        sets = {"real": real} | generated
        near = {k: nn_distances(queries, v) for k, v in sets.items()}
        for name, values in near.items():
            report["query"][name] = {
                "quantiles": np.quantile(values, quantiles).round(4).tolist(),
                "ks": round(ks_statistic(near["real"], values), 3),
                "values": values,
            }
    report["quantile_levels"] = list(quantiles)
    return report


def scaled_searcher(
    searcher: Searcher,
    dense: DenseIndex,
    lexical: LexicalIndex,
    chunks: Sequence[Chunk],
    documents: Sequence,
) -> Searcher:
    """A searcher over generated rows, with the real index's settings and embedder."""
    scaled = Searcher(
        path=searcher.path,
        config=searcher.config,
        chunks=list(chunks),
        documents=list(documents),
        dense=dense,
        lexical=lexical,
        embedder=searcher.embedder,
        fusion=searcher.fusion,
        ranking=searcher.ranking,
    )
    scaled._columns()
    return scaled
