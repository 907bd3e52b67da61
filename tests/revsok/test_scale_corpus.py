"""The benchmark's scale-up corpus: real geometry, real sentences, metadata spread over Sweden.

The vectors are the sample corpus's real embeddings (the shipped seed file), so the geometry test
is about the embedder's real geometry; the chunks around them are small made-up documents whose
sentences are easy to trace.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ingest.models import Chunk
from ingest.places import load_places
from revsok.bench import scale_corpus
from revsok.bench.scale_basis import MixtureSettings
from revsok.bench.scale_calibration import ks_statistic, nn_distances
from revsok.bench.scale_corpus import generate

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DOC_SIZE = 20
TOPICS = ("missbruksvård", "LSS", "intern kontroll", "ekonomi", "placerade barn", "hemtjänst")


def _chunk(row: int, text: str) -> Chunk:
    doc = row // DOC_SIZE
    return Chunk(
        chunk_id=f"d{doc:03d}-{row % DOC_SIZE:04d}",
        doc_id=f"d{doc:03d}",
        source_id=f"s{doc:03d}",
        chunk_index=row % DOC_SIZE,
        text=text,
        municipality="Ragunda kommun",
        year=2021 + doc % 3,
        date=f"{2021 + doc % 3}-03-{1 + doc % 28:02d}",
        committee="Socialnämnden",
        doc_type="granskningsrapport",
        audit_firm="KPMG",
        title=f"Granskning av {TOPICS[doc % len(TOPICS)]}",
        case_number=None,
        paragraph=None,
        section_number="2.1",
        section_title="Iakttagelser",
        section_kind="iakttagelser/resultat",
        heading_path=("2 Iakttagelser", "2.1 Iakttagelser"),
        pages=(3,),
        printed_pages=("3",),
        source_file=f"corpus/d{doc:03d}.pdf",
        content_hash=f"s{doc:03d}",
        text_hash=str(row),
        token_count=len(text) // 4,
    )


def _text(row: int, rng: np.random.Generator) -> str:
    topic = TOPICS[(row // DOC_SIZE) % len(TOPICS)]
    sentences = [
        f"Nämnden har i fråga {row}.{i} om {topic} brister som revisorerna\n"
        f"bedömer som {('små', 'betydande', 'allvarliga')[i % 3]}."
        for i in range(int(rng.integers(3, 9)))
    ]
    if row % 5 == 0:
        sentences.insert(1, f"Ragunda kommuns revisorer har granskat {topic} under år {row}.")
    # A window cut mid-sentence at both ends, as the chunker's windows are.
    return "brister i " + " ".join(sentences) + " Vidare konstaterar vi att"


@pytest.fixture(scope="module")
def source():
    with np.load(next(CORPUS.glob("embeddings.*.npz")), allow_pickle=False) as seed:
        vectors = seed["vectors"].astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rng = np.random.default_rng(3)
    chunks = [_chunk(row, _text(row, rng)) for row in range(len(vectors))]
    return chunks, vectors


@pytest.fixture(scope="module")
def basis(source):
    return scale_corpus.Basis(*source, MixtureSettings())


@pytest.fixture(scope="module")
def calibration(basis):
    return scale_corpus.calibrate(basis, samples=2)


@pytest.fixture(scope="module")
def settings(calibration):
    return MixtureSettings(noise=calibration.noise)


def test_vectors_are_normalised_and_the_seed_decides_them(source, settings):
    first = generate(source, 3_000, seed=5, settings=settings)
    again = generate(source, 3_000, seed=5, settings=settings)
    other = generate(source, 3_000, seed=6, settings=settings)
    assert first.vectors.shape == (3_000, 384) and first.vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(first.vectors, axis=1), 1.0, atol=1e-5)
    assert len(first.chunks) == 3_000
    assert np.array_equal(first.vectors, again.vectors)
    assert [first.chunks[i] for i in (0, 1234, -1)] == [again.chunks[i] for i in (0, 1234, -1)]
    assert not np.allclose(first.vectors, other.vectors)
    assert first.chunks[7].text != other.chunks[7].text


def test_metadata_spreads_over_the_kommuner_and_ten_years(source):
    # Metadata does not depend on the noise; without it the vectors are quick.
    corpus = generate(source, 40_000, seed=1, settings=MixtureSettings(noise=0.0))
    documents = corpus.documents
    kommuner = {p.official_name for p in load_places() if p.kind == "kommun"}
    rows = Counter()
    for document in documents:
        rows[document.municipality] += document.chunk_count
    assert len(kommuner) == 290
    assert set(rows) <= kommuner and len(rows) >= 270
    # Uneven like real kommuner, but no kommun holds a large share.
    assert max(rows.values()) < 0.04 * len(corpus.chunks)
    assert sorted(Counter(d.year for d in documents)) == list(range(2014, 2024))
    assert len(Counter(d.committee for d in documents)) >= 8
    assert sum(d.chunk_count for d in documents) == len(corpus.chunks)
    # Chunks: unique ids, their document's metadata, in reading order numbered from 0.
    head = corpus.chunks[:3_000]
    assert len({c.chunk_id for c in head}) == len(head)
    by_id = {d.doc_id: d for d in documents}
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in head:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
        document = by_id[chunk.doc_id]
        assert (chunk.municipality, chunk.year, chunk.committee) == (
            document.municipality,
            document.year,
            document.committee,
        )
        assert chunk.date.startswith(str(chunk.year))
    for doc in list(by_doc.values())[:-1]:
        assert [c.chunk_index for c in doc] == list(range(len(doc)))


def test_every_text_is_real_sentences_about_its_own_kommun(source, settings):
    chunks, _ = source
    real_text = " ".join(" ".join(c.text.split()) for c in chunks)
    corpus = generate(source, 2_000, seed=2, settings=settings)
    basis = corpus.chunks.basis
    renamed = 0
    for row in range(0, 2_000, 7):
        chunk = corpus.chunks[row]
        lines = chunk.text.split("\n")
        ids = corpus.chunks.sentence_ids(row)
        assert len(lines) == len(ids) >= 1
        for line, number in zip(lines, ids, strict=True):
            sentence = basis.sentences[number]
            assert sentence in real_text
            # The window's cut-off ends are not sentences and never used.
            assert not sentence.startswith("brister i") and "Vidare konstaterar" not in sentence
            if "Ragunda kommuns" in sentence:
                renamed += 1
                kommun = chunk.municipality
                assert line == sentence.replace("Ragunda kommun", kommun)
            else:
                assert line == sentence
    assert renamed > 10
    real_lengths = [len(" ".join(c.text.split())) for c in chunks]
    lengths = [len(corpus.chunks[r].text) for r in range(0, 2_000, 7)]
    assert 0.75 < np.median(lengths) / np.median(real_lengths) < 1.3


def test_text_comes_from_the_chunks_mixed_into_the_vector(source, settings):
    corpus = generate(source, 500, seed=4, settings=settings)
    plan, basis = corpus.chunks.plan, corpus.chunks.basis
    for row in range(0, 500, 11):
        mixed = set(plan.parts[row].tolist())
        used = {
            part
            for number in corpus.chunks.sentence_ids(row)
            for part in mixed
            if number in basis.chunk_sentences[part]
        }
        assert plan.parts[row, 0] in used and used <= mixed
        assert corpus.chunks[row].section_kind == basis.chunks[plan.parts[row, 0]].section_kind


def test_realistic_nearest_neighbours_match_the_real_corpus_and_copies_do_not(
    source, calibration, settings
):
    _, vectors = source
    real = nn_distances(vectors)
    assert calibration.generated_median == pytest.approx(calibration.real_median, rel=0.02)
    realistic = generate(source, len(vectors), seed=21, settings=settings).vectors
    copies = generate(source, len(vectors), seed=21, kind="copies").vectors
    ks_realistic = ks_statistic(real, nn_distances(realistic))
    ks_copies = ks_statistic(real, nn_distances(copies))
    assert ks_realistic < 0.2 < 0.9 < ks_copies
    # The spread of the whole corpus too: random pairs as similar as real ones.
    pairs = np.random.default_rng(0).integers(0, len(vectors), (2_000, 2))

    def pair_cosines(x):
        return np.einsum("pd,pd->p", x[pairs[:, 0]], x[pairs[:, 1]])

    assert abs(np.median(pair_cosines(realistic)) - np.median(pair_cosines(vectors))) < 0.03
    assert np.median(pair_cosines(copies)) < np.median(pair_cosines(vectors)) - 0.2


def test_copies_are_the_old_perturbed_replicas(source):
    chunks, vectors = source
    corpus = generate(source, 1_500, seed=13, kind="copies")
    assert corpus.chunks[700] is chunks[700 % len(chunks)]
    own = np.arange(1_500) % len(vectors)
    # In 384 dimensions the noise is as long as the vector: a copy keeps cosine ~0.79 with its
    # original, which is still (nearly always) its nearest real vector.
    assert 0.75 < np.mean(np.einsum("rd,rd->r", corpus.vectors, vectors[own])) < 0.83
    assert np.mean((corpus.vectors @ vectors.T).argmax(axis=1) == own) > 0.9
    rng = np.random.default_rng(13)
    expected = vectors[:3] + rng.normal(0, 0.04, (3, vectors.shape[1])).astype(np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(corpus.vectors[:3], expected, atol=1e-6)


def test_ks_statistic():
    a = np.arange(100, dtype=float)
    assert ks_statistic(a, a) == 0.0
    assert ks_statistic(a, a + 1000) == 1.0
    assert ks_statistic(a, a + 10) == pytest.approx(0.1)
