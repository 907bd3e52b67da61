"""The search form: query, filters and mode as widgets, kept in step with the URL.

On a page's first run the widgets take their values from the URL (a shared or bookmarked search);
after that the widgets lead and the URL follows, so the address bar always holds the search on
screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import streamlit as st

from index.models import DEFAULT_K, FILTER_FIELDS, MODES, FilterField, Filters
from search_app.core.facets import FilterOptions
from search_app.core.url_state import MAX_K, SearchState
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
        **filter_seeds(state.filters, options),
        "lage": state.mode,
        "antal": state.k,
        # Not widgets: the chips the user removed, and the query they were removed from.
        DROPPED: list(state.ignore),
        DROPPED_FOR: state.query,
    }
    if years := year_seed(options.years, state.filters.year_from, state.filters.year_to):
        seeds["ar"] = years
    seed_widgets(prefix, seeds)


def filter_seeds(
    filters: Filters, options, fields: Sequence[FilterField] = FILTER_FIELDS
) -> dict[str, object]:
    """The widget seeds of the filter fields: under each field's URL parameter, the chosen values
    that ``options`` holds (the URL may name values the index no longer has)."""
    return {f.param: known(getattr(filters, f.name), getattr(options, f.name)) for f in fields}


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


@dataclass(frozen=True)
class _Choice:
    """How one filter of ``FILTER_FIELDS`` shows in the sidebar, besides its label."""

    placeholder: str  # what choosing nothing means
    format_func: Callable[[str], str] = str


_CHOICES = {
    "municipalities": _Choice("Alla kommuner"),
    "committees": _Choice("Alla nämnder"),
    "doc_types": _Choice("Alla typer"),
    "section_kinds": _Choice("Alla avsnitt", str.capitalize),
    "audit_firms": _Choice("Alla byråer"),
}


def filter_widgets(
    prefix: str,
    options: FilterOptions,
    *,
    municipalities: bool = True,
    advanced: bool = True,
) -> SearchState:
    """The filters in the sidebar; returns the search they describe (query set by the caller)."""
    _seed(prefix, url_state(), options)
    fields = [f for f in FILTER_FIELDS if f.name != "municipalities" or municipalities]
    filters = filter_choices(prefix, options, fields, "dokument")
    mode, k = "hybrid", DEFAULT_K
    if advanced:
        with st.sidebar.expander("Avancerat"):
            mode = st.radio(
                "Sökläge", MODES, key=f"{prefix}-lage", format_func=MODE_LABELS.__getitem__
            )
            k = st.number_input("Antal träffar", 1, MAX_K, key=f"{prefix}-antal", step=1)
    return SearchState(filters=filters, mode=mode, k=int(k))


def filter_choices(prefix: str, options, fields: Sequence[FilterField], what: str) -> Filters:
    """Under "Filter" in the sidebar: a multiselect for each of ``fields`` over the values in
    ``options``, and the år slider right after the kommun; returns the filters chosen."""
    sidebar = st.sidebar
    sidebar.subheader("Filter")
    chosen: dict[str, tuple[str, ...]] = {}
    for f in FILTER_FIELDS:
        if f in fields:
            chosen[f.name] = _multiselect(sidebar, prefix, f, getattr(options, f.name))
        if f.name == "municipalities":
            year_from, year_to = year_range(sidebar, options.years, f"{prefix}-ar", what)
    return Filters(year_from=year_from, year_to=year_to, **chosen)


def _multiselect(
    sidebar, prefix: str, field: FilterField, values: Sequence[str]
) -> tuple[str, ...]:
    """One filter's multiselect; its key after the prefix is the filter's URL parameter."""
    choice = _CHOICES[field.name]
    # No "Select all" (select_all=False): a filter with every value chosen is no filter, and
    # Streamlit words the option in English.
    return tuple(
        sidebar.multiselect(
            field.label.capitalize(),
            values,
            key=f"{prefix}-{field.param}",
            placeholder=choice.placeholder,
            format_func=choice.format_func,
            select_all=False,
        )
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
