from index.models import Filters
from search_app.core.url_state import MAX_K, SearchState


def test_a_search_survives_the_round_trip_through_the_url():
    state = SearchState(
        query="brister i kvalitetsledningssystemet",
        filters=Filters(
            municipalities=("Piteå kommun", "Härnösands kommun"),
            year_from=2021,
            year_to=2023,
            committees=("Socialnämnden",),
            section_kinds=("bedömning",),
        ),
        mode="bm25",
        k=20,
    )
    params = state.to_params()
    assert params["kommun"] == ["Piteå kommun", "Härnösands kommun"]
    assert SearchState.from_params(params) == state


def test_defaults_are_left_out_of_the_url():
    assert SearchState(query="intern kontroll").to_params() == {"q": "intern kontroll"}


def test_hand_edited_values_that_make_no_sense_are_ignored():
    state = SearchState.from_params(
        {"q": "x", "fran": "tjugo", "lage": "magisk", "antal": "100000", "kommun": ["", " "]}
    )
    assert state.filters.year_from is None
    assert state.mode == "hybrid"
    assert state.k == MAX_K
    assert state.filters.municipalities == ()
