"""The search form: query, filters and mode as widgets, kept in step with the URL.

On a page's first run the widgets take their values from the URL (a shared or bookmarked search);
after that the widgets lead and the URL follows, so the address bar always holds the search on
screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from index.models import MODES, Filters
from search_app.core.facets import FilterOptions
from search_app.core.url_state import DEFAULT_K, MAX_K, SearchState
from search_app.ui.url_params import current_params, known, publish_params, seed_widgets, year_seed

MODE_LABELS = {
    "hybrid": "Hybrid (ord + betydelse)",
    "bm25": "Ordmatchning (BM25)",
    "dense": "Semantisk (inbäddningar)",
}


# Session keys (after the page's prefix) of the removed chips and of the query they belong to.
DROPPED = "ignorera"
DROPPED_FOR = "ignorera-q"


def url_state() -> SearchState:
    return SearchState.from_params(current_params())


def _seed(prefix: str, state: SearchState, options: FilterOptions) -> None:
    seeds: dict[str, object] = {
        "q": state.query,
        "kommun": known(state.filters.municipalities, options.municipalities),
        "namnd": known(state.filters.committees, options.committees),
        "typ": known(state.filters.doc_types, options.doc_types),
        "avsnitt": known(state.filters.section_kinds, options.section_kinds),
        "byra": known(state.filters.audit_firms, options.audit_firms),
        "lage": state.mode,
        "antal": state.k,
        # Not widgets: the chips the user removed, and the query they were removed from.
        DROPPED: list(state.ignore),
        DROPPED_FOR: state.query,
    }
    if years := year_seed(options.years, state.filters.year_from, state.filters.year_to):
        seeds["ar"] = years
    seed_widgets(prefix, seeds)


def query_box(prefix: str, label: str, placeholder: str, options: FilterOptions) -> str:
    _seed(prefix, url_state(), options)
    return st.text_input(label, key=f"{prefix}-q", placeholder=placeholder).strip()


def dropped_parts(prefix: str, query: str) -> tuple[str, ...]:
    """Keys of the query's recognised parts the user removed (a shared link brings them along).

    They belong to the query they were removed from: a new query starts with every part in use.
    """
    keys, belongs_to = f"{prefix}-{DROPPED}", f"{prefix}-{DROPPED_FOR}"
    if st.session_state.get(belongs_to) != query:
        st.session_state[keys] = []
        st.session_state[belongs_to] = query
    return tuple(st.session_state.get(keys, ()))


def filter_widgets(
    prefix: str,
    options: FilterOptions,
    *,
    municipalities: bool = True,
    advanced: bool = True,
) -> SearchState:
    """The filters in the sidebar; returns the search they describe (query set by the caller)."""
    _seed(prefix, url_state(), options)
    sidebar = st.sidebar
    sidebar.subheader("Filter")
    # No "Select all" (select_all=False): a filter with every value chosen is no filter, and
    # Streamlit words the option in English.
    chosen_municipalities: list[str] = []
    if municipalities:
        chosen_municipalities = sidebar.multiselect(
            "Kommun",
            options.municipalities,
            key=f"{prefix}-kommun",
            placeholder="Alla kommuner",
            select_all=False,
        )
    year_from, year_to = year_range(sidebar, options.years, f"{prefix}-ar", "dokument")
    committees = sidebar.multiselect(
        "Nämnd",
        options.committees,
        key=f"{prefix}-namnd",
        placeholder="Alla nämnder",
        select_all=False,
    )
    doc_types = sidebar.multiselect(
        "Dokumenttyp",
        options.doc_types,
        key=f"{prefix}-typ",
        placeholder="Alla typer",
        select_all=False,
    )
    section_kinds = sidebar.multiselect(
        "Avsnitt",
        options.section_kinds,
        key=f"{prefix}-avsnitt",
        placeholder="Alla avsnitt",
        format_func=str.capitalize,
        select_all=False,
    )
    audit_firms = sidebar.multiselect(
        "Byrå",
        options.audit_firms,
        key=f"{prefix}-byra",
        placeholder="Alla byråer",
        select_all=False,
    )
    mode, k = "hybrid", DEFAULT_K
    if advanced:
        with sidebar.expander("Avancerat"):
            mode = st.radio(
                "Sökläge", MODES, key=f"{prefix}-lage", format_func=MODE_LABELS.__getitem__
            )
            k = st.number_input("Antal träffar", 1, MAX_K, key=f"{prefix}-antal", step=1)
    return SearchState(
        filters=Filters(
            municipalities=tuple(chosen_municipalities),
            year_from=year_from,
            year_to=year_to,
            committees=tuple(committees),
            doc_types=tuple(doc_types),
            section_kinds=tuple(section_kinds),
            audit_firms=tuple(audit_firms),
        ),
        mode=mode,
        k=int(k),
    )


def publish(state: SearchState) -> None:
    """Write the search into the URL."""
    publish_params(state.to_params())


def describe_filters(state: SearchState) -> str:
    """The active filters in words, for exports and empty states."""
    return state.filters.describe()


def with_query(state: SearchState, query: str) -> SearchState:
    return replace(state, query=query)


def year_range(sidebar, years: Sequence[int], key: str, what: str) -> tuple[int | None, int | None]:
    """An år slider over ``years``; an end left at the edge of the range is no limit (None)."""
    if len(years) > 1:
        low, high = years[0], years[-1]
        start, end = sidebar.slider("År", low, high, key=key)
        return (start if start > low else None), (end if end < high else None)
    if years:
        sidebar.caption(f"År: alla {what} är från {years[0]}.")
    return None, None
