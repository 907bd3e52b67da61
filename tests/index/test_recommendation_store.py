"""Recommendations stored with the index: written by the build, loaded, filtered and searched."""

from __future__ import annotations

import shutil

import pytest

from index import layout
from index.index_config import IndexConfig
from index.models import Filters
from recommendations import extract_records
from recommendations.store import (
    RECORDS_FILE,
    VECTORS_FILE,
    RecommendationStore,
    asks_for_recommendations,
    load_records,
)

HARNOSAND = "Härnösands kommun"


@pytest.fixture(scope="module")
def store(corpus_index):
    return RecommendationStore.load(corpus_index)


def test_build_writes_records_in_sync_with_chunks(corpus_index, corpus_result, store):
    version = layout.live_version(corpus_index)
    assert (version / RECORDS_FILE).is_file() and (version / VECTORS_FILE).is_file()
    assert store.stored
    assert store.vectors.shape[0] == len(store.records.recommendations)
    fresh = extract_records(corpus_result.documents, corpus_result.chunks)
    assert load_records(corpus_index) == fresh
    assert IndexConfig.read(version).counts.recommendations == len(fresh.recommendations)


def test_filters(store):
    assert len(store.recommendations(Filters(municipalities=("Ragunda kommun",)))) == 4
    assert len(store.recommendations(Filters(municipalities=(HARNOSAND,)), earlier=True)) == 5
    assert (
        len(store.recommendations(Filters(municipalities=("härnösands kommun",), year_to=2019)))
        == 5
    )
    samverkan = store.recommendations(Filters(year_from=2020, year_to=2024), topic="samverkan")
    assert {r.municipality for r in samverkan} == {"Härnösands kommun", "Karlshamns kommun"}
    assert len(store.recommendations(Filters(committees=("kommunstyrelsen",)))) == 4
    # A renamed nämnd: the Karlshamn recommendations are addressed to both names.
    assert (
        len(store.recommendations(Filters(committees=("omsorgs- och arbetsmarknadsnämnden",)))) == 5
    )
    assert store.recommendations(topic="finns inte") == []


def test_links_resolve_to_answers_and_findings(store):
    quality = store.recommendations(
        Filters(municipalities=(HARNOSAND,)), earlier=False, topic="kvalitet"
    )[0]
    answers = store.answers_for(quality.rec_id)
    assert answers and answers[0].answer.source.year == 2022
    earlier = store.earlier_versions(quality.rec_id)
    assert [r.earlier_year for r in earlier] == [2019]
    assert store.follow_ups(earlier[0].rec_id)


def test_search_lexical_and_semantic(store, default_embedder):
    lexical = store.search("samverkan med regionen")
    assert "samverkan med regionen" in lexical[0].recommendation.text.casefold()
    semantic = store.search("samarbete med psykiatrin i regionen", embedder=default_embedder, k=3)
    assert semantic and all(hit.semantic is not None for hit in semantic)
    assert any("regionen" in hit.recommendation.text for hit in semantic)
    filtered = store.search("uppföljning", filters=Filters(municipalities=("Piteå kommun",)))
    assert filtered and {h.recommendation.municipality for h in filtered} == {"Piteå kommun"}


def test_search_uses_an_already_embedded_query(store, default_embedder, monkeypatch):
    query = "samarbete med psykiatrin i regionen"
    vector = default_embedder.encode_queries([query])[0]
    expected = store.search(query, embedder=default_embedder, k=3)

    def refuse(queries):
        raise AssertionError("the query was embedded again")

    monkeypatch.setattr(default_embedder, "encode_queries", refuse)
    given = store.search(query, embedder=default_embedder, k=3, query_vector=vector)
    assert given == expected


def test_asks_for_recommendations():
    assert asks_for_recommendations("vilka rekommendationer om samverkan 2020–2024")
    assert asks_for_recommendations("Vad rekommenderade revisorerna socialnämnden?")
    assert asks_for_recommendations("socialnämndens svar på granskningen")
    assert not asks_for_recommendations("kostnader för missbruksvård i Ragunda")


def test_index_without_records_extracts_them_on_load(corpus_index, tmp_path, store):
    old = tmp_path / "old-index"
    shutil.copytree(layout.live_version(corpus_index), old)
    (old / RECORDS_FILE).unlink()
    (old / VECTORS_FILE).unlink()
    loaded = RecommendationStore.load(old)
    assert not loaded.stored
    assert loaded.records == store.records
