"""Recommendations on screen: the page's filters, table and downloads, and the Sök block (the
detail and the verdicts: ``recommendation_records``).

The page's state lives in its widgets and the URL (``core.recommendations.RecommendationState``):
on a first run the widgets take their values from the URL, then the widgets lead and the URL
follows, as on the other pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from index.models import Filters
from index.searcher import Searcher
from recommendations.filtering import RECOMMENDATION_FIELDS
from recommendations.store import (
    RecommendationStore,
    RecordsError,
    asks_for_recommendations,
)
from search_app.core import recommendation_blocks as blocks
from search_app.core.exporting import ExportContext, file_stem
from search_app.core.markdown_literal import literal
from search_app.core.recommendation_exports import to_csv, to_xlsx
from search_app.core.recommendations import (
    EARLIER_CHOICES,
    EARLIER_LABELS,
    TABLE_COLUMNS,
    Listed,
    RecommendationOptions,
    RecommendationState,
    short_label,
    table_rows,
)
from search_app.ui import resources
from search_app.ui.exports import XLSX_MIME
from search_app.ui.search_form import filter_choices, filter_seeds
from search_app.ui.url_params import current_params, known, publish_params, seed_widgets, year_seed

PREFIX = "rek"
CHOICE_KEY = f"{PREFIX}-valj"
TABLE_KEY = f"{PREFIX}-tabell"
SHOWN_KEY = f"{PREFIX}-visade"
SEARCH_PAGE_LIMIT = 5


# -- filters and URL ----------------------------------------------------------------------------


def url_state() -> RecommendationState:
    return RecommendationState.from_params(current_params())


def _seed(state: RecommendationState, options: RecommendationOptions) -> None:
    seeds: dict[str, object] = {
        "q": state.query,
        **filter_seeds(state.filters, options, RECOMMENDATION_FIELDS),
        "amne": known(state.topics, options.topics),
        "tidigare": state.earlier,
        "valj": state.selected,
    }
    if years := year_seed(options.years, state.filters.year_from, state.filters.year_to):
        seeds["ar"] = years
    seed_widgets(PREFIX, seeds)


def filter_widgets(options: RecommendationOptions) -> RecommendationState:
    """The search box and the sidebar filters; returns what they describe (no selection yet)."""
    _seed(url_state(), options)
    query = st.text_input(
        "Sök bland rekommendationerna",
        key=f"{PREFIX}-q",
        placeholder="t.ex. samverkan med regionen",
        help="Rangordnar rekommendationerna efter ord och betydelse (inbäddningar).",
    ).strip()
    filters = filter_choices(PREFIX, options, RECOMMENDATION_FIELDS, "rekommendationer")
    sidebar = st.sidebar
    topics = sidebar.multiselect(
        "Ämne", options.topics, key=f"{PREFIX}-amne", placeholder="Alla ämnen", select_all=False
    )
    earlier = sidebar.radio(
        "Tidigare rekommendationer",
        EARLIER_CHOICES,
        key=f"{PREFIX}-tidigare",
        format_func=EARLIER_LABELS.__getitem__,
        help="Tidigare rekommendationer är de som en uppföljande granskning citerar från en "
        "äldre granskning; året är då den äldre granskningens.",
    )
    return RecommendationState(
        query=query,
        filters=filters,
        topics=tuple(topics),
        earlier=earlier,
    )


def publish(state: RecommendationState) -> None:
    """Write the page's state, the open recommendation included, into the URL."""
    publish_params(state.to_params())


# -- table and selection ----------------------------------------------------------------------


def _picked_in_table() -> None:
    """A row clicked in the table opens that recommendation (the list below follows)."""
    event = st.session_state.get(TABLE_KEY)
    rows = event["selection"]["rows"] if event else []
    shown = st.session_state.get(SHOWN_KEY, [])
    if rows and rows[0] < len(shown):
        st.session_state[CHOICE_KEY] = shown[rows[0]]


def recommendation_table(items: Sequence[Listed], store: RecommendationStore) -> str | None:
    """The list as a table and a chooser; returns the rec_id whose detail is open, if any."""
    rows = table_rows(items, store)
    shown = [item.recommendation.rec_id for item in items]
    st.session_state[SHOWN_KEY] = shown
    columns = list(TABLE_COLUMNS) + (["Poäng"] if rows and "Poäng" in rows[0] else [])
    chosen = st.session_state.get(CHOICE_KEY)
    # A recommendation opened by a link shows as the table's selected row too (first run only).
    default = {"selection": {"rows": [shown.index(chosen)]}} if chosen in shown else None
    st.dataframe(
        pd.DataFrame(rows, columns=columns),
        hide_index=True,
        width="stretch",
        key=TABLE_KEY,
        on_select=_picked_in_table,
        selection_mode="single-row",
        selection_default=default,
        column_config={
            "Rekommendation": st.column_config.TextColumn(width="large"),
            "Källhänvisning": st.column_config.TextColumn(width="medium"),
            "Svar": st.column_config.NumberColumn(help="Svar från nämnden kopplade hit"),
            "Uppföljning": st.column_config.NumberColumn(
                help="Vad en uppföljande granskning fann om rekommendationen"
            ),
        },
    )
    # The chosen recommendation stays choosable when the filters no longer list it (a link).
    chosen = st.session_state.get(CHOICE_KEY)
    if chosen and chosen not in shown and store.records.recommendation(chosen) is None:
        st.session_state[CHOICE_KEY] = chosen = None
    ids = shown + ([chosen] if chosen and chosen not in shown else [])
    labels = {rec_id: short_label(store.records.recommendation(rec_id)) for rec_id in ids}
    return st.selectbox(
        "Visa en rekommendation",
        ids,
        index=None,
        key=CHOICE_KEY,
        format_func=labels.__getitem__,
        placeholder="Välj en rad i tabellen eller här …",
    )


def export_buttons(
    items: Sequence[Listed], store: RecommendationStore, state: RecommendationState
) -> None:
    if not items:
        return
    context = ExportContext(
        title="Rekommendationer",
        query=state.query,
        mode="ord + betydelse" if state.query else "ingen fråga (alla som filtren ger)",
        filters=state.describe(),
    )
    stem = file_stem(replace(context, query=f"rekommendationer {state.query}"))
    left, right = st.columns(2)
    left.download_button(
        "Exportera CSV",
        to_csv(items, store),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{PREFIX}-csv",
        width="stretch",
    )
    right.download_button(
        "Exportera Excel",
        to_xlsx(items, store, context),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{PREFIX}-xlsx",
        width="stretch",
    )


# -- the Sök page -----------------------------------------------------------------------------


def search_page_block(query: str, filters: Filters, searcher: Searcher) -> None:
    """On the Sök page, when the question asks for recommendations: the best matching records."""
    if not asks_for_recommendations(query):
        return
    try:
        store = resources.recommendations(searcher)
    except RecordsError as err:
        st.caption(f"Rekommendationerna kan inte visas: {literal(err)}")
        return
    hits = store.search(
        query,
        embedder=searcher.embedder,
        k=SEARCH_PAGE_LIMIT,
        query_vector=searcher.query_vector(query),  # embedded once, for the passages too
        filters=filters,
    )
    if not hits:
        if store.records.recommendations:
            st.caption("Ingen rekommendation matchar frågan med de valda filtren.")
        return
    st.html(blocks.search_page_block(hits, [hit.recommendation.citation() for hit in hits]))
