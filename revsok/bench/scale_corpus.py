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
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from threadpoolctl import ThreadpoolController

from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.searcher import Searcher
from ingest.models import Chunk, DocumentRecord
from ingest.places import find_municipalities, load_places

KINDS = ("realistic", "copies")
YEARS = 10
BLOCK_ROWS = 20_000
# The copies generator exactly as the benchmark had it, so old and new numbers compare.
COPIES_NOISE = 0.04
COPIES_BLOCK = 50_000
# Nämnder a kommun's audits are addressed to; half of the generated documents keep their
# template's nämnd (their text is about its work), the rest get one of these.
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
KEEP_COMMITTEE = 0.5
# Spread of the kommuner's sizes (log-normal weights): some have several times the documents of
# others, as large kommuner have more nämnder and more granskningar.
KOMMUN_SIZE_SIGMA = 0.6

# Generation and calibration are many modest matrix products; on a busy two-core machine BLAS
# threads spinning between them made them (and the tests) several times slower than one thread.
_BLAS = ThreadpoolController()

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"'(«»—–•\-\dA-ZÅÄÖÉ])")
_KIND_WORD = re.compile(r"(?i)(kommun|stad)")


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


@dataclass(frozen=True)
class Calibration:
    """The noise scale chosen and how the generated NN distances then compare with the real."""

    noise: float
    real_median: float
    generated_median: float
    samples: int


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
    with _BLAS.limit(limits=1, user_api="blas"):
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


def nn_distances(vectors: np.ndarray, others: np.ndarray | None = None) -> np.ndarray:
    """Cosine distance from each row to its nearest row of ``others`` (itself excluded when
    ``others`` is None). Rows are normalised; blocks keep the similarity matrix small."""
    with _BLAS.limit(limits=1, user_api="blas"):
        return _nn_distances(vectors, others)


def _nn_distances(vectors: np.ndarray, others: np.ndarray | None) -> np.ndarray:
    own = others is None
    others = vectors if own else others
    out = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), 2048):
        block = vectors[start : start + 2048] @ others.T
        if own:
            rows = np.arange(len(block))
            block[rows, rows + start] = -np.inf
        out[start : start + len(block)] = 1.0 - block.max(axis=1)
    return out


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two ECDFs."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gap = np.searchsorted(a, points, side="right") / len(a) - np.searchsorted(
        b, points, side="right"
    ) / len(b)
    return float(np.abs(gap).max())


def calibrate(basis: Basis, samples: int = 4, seed: int = 0) -> Calibration:
    """The noise at which a generated corpus as large as the real one has the real median NN
    distance (bisection: more noise, farther neighbours). Fitting only the median leaves the
    shape of the distribution as a fair test of the generator.

    The samples have their own seed, so every size and seed of ``generate`` gets the same noise;
    each trial reuses the same draws (common random numbers), so the median rises smoothly with
    the noise and the bisection converges.
    """
    with _BLAS.limit(limits=1, user_api="blas"):
        return _calibrate(basis, samples, seed)


def _calibrate(basis: Basis, samples: int, seed: int) -> Calibration:
    n = len(basis.vectors)
    real = float(np.median(nn_distances(basis.vectors)))
    plans = [basis.plan(n, np.random.default_rng([seed, 10, i])) for i in range(samples)]

    def median_at(noise: float) -> float:
        medians = [
            np.median(nn_distances(basis.vectors_for(p, noise, np.random.default_rng([seed, 11]))))
            for p in plans
        ]
        return float(np.mean(medians))

    low, high = 0.0, 2.0
    if median_at(low) >= real:
        return Calibration(0.0, real, median_at(low), samples)
    while median_at(high) < real and high < 64:
        high *= 2
    for _ in range(12):
        middle = (low + high) / 2
        if median_at(middle) < real:
            low = middle
        else:
            high = middle
    noise = round((low + high) / 2, 4)
    return Calibration(noise, real, median_at(noise), samples)


class GeneratedChunks(Sequence[Chunk]):
    """The realistic corpus's chunks, each built when asked for from its row of the plan."""

    def __init__(self, basis: Basis, plan: Plan, rng: np.random.Generator):
        self.basis = basis
        self.plan = plan
        size, parts = plan.parts.shape
        docs = len(plan.templates)
        # Where in each part's sentences its run starts: another place for every row.
        counts = np.array([len(s) for s in basis.chunk_sentences], dtype=np.int64)
        self.starts = (rng.random((size, parts)) * counts[plan.parts]).astype(np.int32)
        weights = rng.lognormal(0.0, KOMMUN_SIZE_SIGMA, len(basis.kommuner))
        self.doc_kommun = rng.choice(len(basis.kommuner), docs, p=weights / weights.sum())
        self.doc_year = basis.years[rng.integers(0, len(basis.years), docs)]
        own = rng.random(docs) < KEEP_COMMITTEE
        other = rng.integers(0, len(basis.committees), docs)
        self.doc_committee = [
            basis.chunks[basis.doc_rows[t][0]].committee if keep else basis.committees[o]
            for t, keep, o in zip(plan.templates, own, other, strict=True)
        ]
        # Plain lists: indexing numpy arrays one element at a time costs more than the rest
        # of building a chunk.
        self._doc = plan.doc.tolist()
        self._doc_start = np.searchsorted(plan.doc, np.arange(docs)).tolist()
        self._years = self.doc_year.tolist()
        self._kommuner = [basis.kommuner[k] for k in self.doc_kommun]

    def __len__(self) -> int:
        return len(self.plan.doc)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self._chunk(r) for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._chunk(row)

    def __iter__(self) -> Iterator[Chunk]:
        return (self._chunk(r) for r in range(len(self)))

    def sentence_ids(self, row: int) -> list[int]:
        """Which of ``basis.sentences`` make row's text, in order."""
        basis = self.basis
        parts = self.plan.parts[row].tolist()
        weights = self.plan.weights[row].tolist()
        starts = self.starts[row].tolist()
        lengths = basis.sentence_lengths
        budget_total = basis.chunk_lengths[parts[0]]
        chosen: list[int] = []
        for j, part in enumerate(parts):
            own = basis.chunk_sentences[part]
            budget, used, count = weights[j] * budget_total, 0, len(own)
            for step in range(count):
                sentence = own[(starts[j] + step) % count]
                length = lengths[sentence]
                # Half a sentence over the budget is closer than half under it; the anchor
                # always gives at least one.
                if used + length / 2 > budget and (used or j):
                    break
                chosen.append(sentence)
                used += length + 1
        return chosen

    def text(self, row: int) -> str:
        return self._text(row, self._kommuner[self._doc[row]])

    def _text(self, row: int, kommun: str) -> str:
        sentences, mentions = self.basis.sentences, self.basis.mentions
        return "\n".join(
            _put_kommun(sentences[s], mentions[s], kommun) if s in mentions else sentences[s]
            for s in self.sentence_ids(row)
        )

    def _chunk(self, row: int) -> Chunk:
        anchor = self.basis.chunks[self.plan.parts[row, 0]]
        doc = self._doc[row]
        doc_id = f"g{doc:011d}"
        index = row - self._doc_start[doc]
        year = self._years[doc]
        kommun = self._kommuner[doc]
        text = self._text(row, kommun)
        return Chunk(
            chunk_id=f"{doc_id}-{index:04d}",
            doc_id=doc_id,
            source_id=doc_id,
            chunk_index=index,
            text=text,
            municipality=kommun,
            year=year,
            date=_with_year(anchor.date, year),
            committee=self.doc_committee[doc],
            doc_type=anchor.doc_type,
            audit_firm=anchor.audit_firm,
            title=anchor.title,
            case_number=anchor.case_number,
            paragraph=anchor.paragraph,
            section_number=anchor.section_number,
            section_title=anchor.section_title,
            section_kind=anchor.section_kind,
            heading_path=anchor.heading_path,
            pages=anchor.pages,
            printed_pages=anchor.printed_pages,
            source_file=f"scale/{doc_id}.pdf",
            content_hash=doc_id,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
            token_count=max(1, round(anchor.token_count * len(text) / max(1, len(anchor.text)))),
        )

    def documents(self) -> list[DocumentRecord]:
        basis, plan = self.basis, self.plan
        counts = np.bincount(plan.doc, minlength=len(plan.templates))
        records = []
        for doc, template in enumerate(plan.templates):
            first = basis.chunks[basis.doc_rows[template][0]]
            doc_id = f"g{doc:011d}"
            year = int(self.doc_year[doc])
            records.append(
                DocumentRecord(
                    doc_id=doc_id,
                    source_id=doc_id,
                    source_file=f"scale/{doc_id}.pdf",
                    item_index=None,
                    municipality=basis.kommuner[self.doc_kommun[doc]],
                    year=year,
                    date=_with_year(first.date, year),
                    committee=self.doc_committee[doc],
                    doc_type=first.doc_type,
                    audit_firm=first.audit_firm,
                    title=first.title,
                    case_number=first.case_number,
                    paragraph=first.paragraph,
                    page_start=first.pages[0] if first.pages else None,
                    page_end=None,
                    chunk_count=int(counts[doc]),
                )
            )
        return records


def _put_kommun(sentence: str, mentions: list[tuple[int, int, str]], kommun: str) -> str:
    for start, end, tail in reversed(mentions):
        sentence = sentence[:start] + kommun + tail + sentence[end:]
    return sentence


def _with_year(date: str | None, year: int) -> str | None:
    if not date or len(date) < 10:
        return date
    month_day = date[5:10]
    return f"{year}-{'02-28' if month_day == '02-29' else month_day}"


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
