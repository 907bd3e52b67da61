"""Chips for the parts of a query the search understood, weak-match marks and "även i" lines."""

from __future__ import annotations

from dataclasses import replace

from index.models import Filters, SearchHit, chunk_citation
from index.query_understanding import interpret
from search_app.core.facets import FilterOptions
from search_app.core.html_blocks import copies_line, hit_header, no_good_match
from search_app.core.query_chips import (
    FilterChange,
    chip_label,
    covered_by_filters,
    filter_change,
)
from search_app.core.url_state import SearchState

OPTIONS = FilterOptions(
    municipalities=("Härnösands kommun", "Piteå kommun", "Ragunda kommun"),
    years=(2021, 2022, 2023),
    committees=("Kommunstyrelsen", "Socialnämnden"),
    doc_types=("granskningsrapport", "protokoll"),
    section_kinds=("bedömning", "slutsats/rekommendationer"),
    audit_firms=("KPMG",),
)


def parts(query: str) -> dict[str, object]:
    return {p.kind: p for p in interpret(query).recognised}


def test_chips_say_what_was_read_and_as_what():
    found = parts("socialnämnden Ragunda 2022 rekommendationer protokoll")
    assert chip_label(found["kommun"]) == "Kommun: Ragunda kommun"
    assert chip_label(found["år"]) == "År: 2022"
    assert chip_label(found["nämnd"]) == "Nämnd: Socialnämnden"
    assert chip_label(found["avsnitt"]) == "Avsnitt: slutsats/rekommendationer"
    assert chip_label(found["dokumenttyp"]) == "Dokumenttyp: protokoll"


def test_a_chip_becomes_the_sidebar_filter_it_names_added_to_those_chosen():
    found = parts("socialnämnden i Ragunda 2022")
    chosen = SearchState(filters=Filters(municipalities=("Piteå kommun",)))
    assert filter_change(found["kommun"], chosen, OPTIONS) == FilterChange(
        "kommun", ("Piteå kommun", "Ragunda kommun")
    )
    assert filter_change(found["år"], chosen, OPTIONS) == FilterChange("ar", (2022, 2022))
    assert filter_change(found["nämnd"], chosen, OPTIONS) == FilterChange(
        "namnd", ("Socialnämnden",)
    )


def test_a_year_range_open_at_one_end_becomes_the_slider_to_the_edge():
    found = parts("uppföljning sedan 2022")
    assert filter_change(found["år"], SearchState(), OPTIONS) == FilterChange("ar", (2022, 2023))
    assert covered_by_filters(found["år"], SearchState(filters=Filters(year_from=2022)), OPTIONS)
    assert not covered_by_filters(
        found["år"], SearchState(filters=Filters(year_from=2021)), OPTIONS
    )


def test_a_part_the_index_has_no_value_for_can_only_be_removed():
    found = parts("hemtjänst i Kiruna 2019")
    assert filter_change(found["kommun"], SearchState(), OPTIONS) is None
    assert filter_change(found["år"], SearchState(), OPTIONS) is None
    assert not covered_by_filters(found["kommun"], SearchState(), OPTIONS)


def test_a_chip_the_filters_already_cover_is_not_needed():
    found = parts("Ragunda missbruk 2022")
    assert not covered_by_filters(found["kommun"], SearchState(), OPTIONS)
    assert covered_by_filters(
        found["kommun"], SearchState(filters=Filters(municipalities=("Ragunda kommun",))), OPTIONS
    )
    assert covered_by_filters(
        found["år"], SearchState(filters=Filters(year_from=2022, year_to=2022)), OPTIONS
    )
    assert not covered_by_filters(
        found["år"], SearchState(filters=Filters(year_from=2022)), OPTIONS
    )


def test_dropped_chips_travel_in_the_url():
    state = SearchState(query="Ragunda missbruk 2022", ignore=("kommun:Ragunda kommun", "år:2022"))
    params = state.to_params()
    assert params["ignorera"] == ["kommun:Ragunda kommun", "år:2022"]
    assert SearchState.from_params(params) == state


def test_a_weak_hit_is_marked_and_a_strong_one_is_not(corpus_searcher):
    chunk = corpus_searcher.chunks[0]
    weak = SearchHit(chunk=chunk, rank=3, score=0.1, retrievers=("dense",), weak=True)
    assert "svag träff" in hit_header(weak)
    assert "svag träff" not in hit_header(replace(weak, weak=False))


def test_copies_are_cited_like_hits_and_escaped(corpus_searcher):
    chunks = corpus_searcher.chunks
    other = next(c for c in chunks if c.source_id != chunks[0].source_id)
    copy = replace(other, title='<img src=x onerror="alert(1)"> Rapport & svar')
    # The next window of the same section reads as the hit's own citation: it is not listed.
    neighbour = chunks[0]
    hit = SearchHit(
        chunk=chunks[0], rank=1, score=1.0, retrievers=("bm25",), copies=(copy, neighbour, copy)
    )
    cited = chunk_citation(copy)
    assert cited == SearchHit(chunk=copy, rank=0, score=0, retrievers=()).citation()
    assert hit.also_in() == [cited]
    line = copies_line(hit)
    assert line.startswith('<div class="rs-copies"><span class="rs-copies-label">Även i:</span>')
    assert "<img" not in line and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in line
    assert "Rapport &amp; svar" in line
    assert copies_line(replace(hit, copies=())) == ""


def test_no_good_match_names_the_kommun_escaped():
    assert "Ingen bra träff i Ragunda kommun" in no_good_match("Ragunda kommun")
    assert "<b>" not in no_good_match("<b>X</b>")


def test_the_stylesheet_is_one_style_element():
    # st.html sanitizes its input: a stray "<" in the CSS (even in a comment) drops all of it.
    from search_app.ui.style import _CSS

    assert _CSS.count("<") == 2 and _CSS.strip().startswith("<style>")
