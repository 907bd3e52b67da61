"""The real corpus prepared for the realistic scale-up generator (``revsok.bench.scale_corpus``).

``Basis`` holds what mixing needs: each real chunk's nearest neighbours, a factor giving noise
with the real vectors' covariance, the real texts split into sentences (with their kommun
mentions) and the real documents in reading order. ``Basis.plan`` picks each generated row's
anchor, partners and weights; ``Basis.vectors_for`` mixes their vectors and adds the noise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from threadpoolctl import ThreadpoolController

from ingest.models import Chunk
from ingest.places import find_municipalities, load_places

YEARS = 10
BLOCK_ROWS = 20_000
# Nämnder a kommun's audits are addressed to; a generated document that does not keep its
# template's nämnd gets one of these.
COMMITTEES = (
    "Kommunstyrelsen",
    "Socialnämnden",
    "Barn- och utbildningsnämnden",
    "Vård- och omsorgsnämnden",
    "Bygg- och miljönämnden",
    "Tekniska nämnden",
    "Kultur- och fritidsnämnden",
    "Individ- och familjenämnden",
    "Överförmyndarnämnden",
    "Kommunfullmäktige",
)

# Generation and calibration are many modest matrix products; on a busy two-core machine BLAS
# threads spinning between them made them (and the tests) several times slower than one thread.
_BLAS = ThreadpoolController()

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"'(«»—–•\-\dA-ZÅÄÖÉ])")
_KIND_WORD = re.compile(r"(?i)(kommun|stad)")


def one_blas_thread():
    """A context in which BLAS runs on a single thread."""
    return _BLAS.limit(limits=1, user_api="blas")


@dataclass(frozen=True)
class MixtureSettings:
    """How a realistic vector is mixed. ``noise`` None: calibrated on the real vectors."""

    parts: int = 3
    neighbourhood: int = 64
    concentration: float = 1.0
    noise: float | None = None
    # Rows stray from their mixture by different amounts (log-normal factor, median 1): some are
    # near-repeats, as boilerplate is across documents, some wander off. Widens the NN spread.
    noise_spread: float = 0.3


class Plan(NamedTuple):
    """Per row: the mixed real chunks (anchor first), their weights and the generated document."""

    parts: np.ndarray  # int32 [size, parts]
    weights: np.ndarray  # float32 [size, parts]
    doc: np.ndarray  # int32 [size]
    templates: np.ndarray  # int32 [docs]: the real document each generated one copies


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk, whitespace collapsed (PDF lines break mid-sentence).

    A chunk window starts and ends anywhere: a first piece starting in lower case and a last one
    without closing punctuation are fragments and dropped, unless nothing else is left.
    """
    pieces = [p for p in _SENTENCE_END.split(" ".join(text.split())) if p]
    whole = pieces[:]
    if pieces and not pieces[0][:1].isupper() and not pieces[0][:1].isdigit():
        pieces = pieces[1:]
    if pieces and pieces[-1][-1:] not in ".!?:;)":
        pieces = pieces[:-1]
    return pieces or whole


class Basis:
    """The real corpus prepared for mixing: neighbours, noise factor, sentences, documents."""

    def __init__(self, chunks: Sequence[Chunk], vectors: np.ndarray, settings: MixtureSettings):
        if len(chunks) != len(vectors) or len(chunks) < 3:
            raise ValueError(f"need ≥ 3 chunks with one vector each, got {len(chunks)}")
        self.chunks = list(chunks)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.settings = settings
        self.noise = settings.noise or 0.0
        n = len(self.vectors)
        self.parts = max(1, min(settings.parts, n))
        width = max(1, min(settings.neighbourhood, n - 1))
        self.neighbours = np.empty((n, width), dtype=np.int32)
        for start in range(0, n, 2048):
            similarity = self.vectors[start : start + 2048] @ self.vectors.T
            rows = np.arange(len(similarity))
            similarity[rows, rows + start] = -np.inf
            nearest = np.argpartition(-similarity, width - 1, axis=1)[:, :width]
            self.neighbours[start : start + len(similarity)] = nearest
        # g @ factor with g ~ N(0, I) is Gaussian with the real vectors' covariance; through the
        # SVD the factor has at most ``dim`` rows, however large the real corpus.
        centred = self.vectors - self.vectors.mean(0)
        _, singular, axes = np.linalg.svd(centred, full_matrices=False)
        self.factor = (axes * (singular / np.sqrt(n))[:, None]).astype(np.float32)
        self._sentences(self.chunks)
        self._documents(self.chunks)

    def _sentences(self, chunks: list[Chunk]) -> None:
        index: dict[str, int] = {}
        per_chunk = []
        for chunk in chunks:
            ids = [index.setdefault(s, len(index)) for s in split_sentences(chunk.text)]
            per_chunk.append(ids or [index.setdefault(chunk.text, len(index))])
        self.sentences = list(index)
        self.sentence_lengths = [len(s) for s in self.sentences]
        self.chunk_sentences = per_chunk
        self.chunk_lengths = [len(" ".join(c.text.split())) for c in chunks]
        # Kommun mentions, as (start, end, tail after the kind word), to put the new kommun in.
        self.mentions: dict[int, list[tuple[int, int, str]]] = {}
        for number, sentence in enumerate(self.sentences):
            found = []
            for mention in find_municipalities(sentence):
                kind_word = _KIND_WORD.search(mention.matched)
                if mention.kind == "kommun" and kind_word:
                    found.append((mention.start, mention.end, mention.matched[kind_word.end() :]))
            if found:
                self.mentions[number] = found

    def _documents(self, chunks: list[Chunk]) -> None:
        by_doc: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            by_doc.setdefault(chunk.doc_id, []).append(row)
        self.doc_rows = [
            np.array(sorted(rows, key=lambda r: chunks[r].chunk_index), dtype=np.int32)
            for rows in by_doc.values()
        ]
        self.doc_sizes = np.array([len(rows) for rows in self.doc_rows], dtype=np.int64)
        last = max((c.year for c in chunks if c.year), default=2024)
        self.years = np.arange(last - YEARS + 1, last + 1, dtype=np.int32)
        self.kommuner = [p.official_name for p in load_places() if p.kind == "kommun"]
        self.committees = list(COMMITTEES)

    def plan(self, size: int, rng: np.random.Generator) -> Plan:
        """Documents copied from templates until ``size`` rows; each row's mixture."""
        templates = np.empty(0, dtype=np.int32)
        while self.doc_sizes[templates].sum() < size:
            more = max(16, int(1.2 * size / self.doc_sizes.mean()))
            templates = np.concatenate([templates, rng.integers(0, len(self.doc_rows), more)])
        ends = np.cumsum(self.doc_sizes[templates])
        docs = int(np.searchsorted(ends, size)) + 1
        templates = templates[:docs].astype(np.int32)
        anchors = np.concatenate([self.doc_rows[t] for t in templates])[:size]
        doc = np.repeat(np.arange(docs, dtype=np.int32), self.doc_sizes[templates])[:size]
        parts = np.empty((size, self.parts), dtype=np.int32)
        parts[:, 0] = anchors
        width = self.neighbours.shape[1]
        for j in range(1, self.parts):
            parts[:, j] = self.neighbours[anchors, rng.integers(0, width, size)]
        weights = rng.dirichlet([self.settings.concentration] * self.parts, size)
        # The anchor weighs most, so the metadata and section it lends describe the mixture.
        weights = -np.sort(-weights, axis=1)
        return Plan(parts, weights.astype(np.float32), doc, templates)

    def vectors_for(self, plan: Plan, noise: float, rng: np.random.Generator) -> np.ndarray:
        size = len(plan.doc)
        out = np.empty((size, self.vectors.shape[1]), dtype=np.float32)
        rank = len(self.factor)
        for start in range(0, size, BLOCK_ROWS):
            stop = min(size, start + BLOCK_ROWS)
            parts, weights = plan.parts[start:stop], plan.weights[start:stop]
            block = np.einsum("rp,rpd->rd", weights, self.vectors[parts])
            if noise:
                scale = noise * rng.lognormal(0.0, self.settings.noise_spread, stop - start)
                gauss = rng.standard_normal((stop - start, rank), dtype=np.float32)
                block += scale.astype(np.float32)[:, None] * (gauss @ self.factor)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            out[start:stop] = block
        return out
