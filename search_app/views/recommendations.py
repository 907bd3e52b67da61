"""Rekommendationer: every recommendation in the index, filtered and searched, with its sources,
the nämnd's answers, follow-ups, and each report's verdicts."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from recommendations.store import RecordsError
from search_app.core.markdown_literal import literal
from search_app.core.recommendations import listed, recommendation_options
from search_app.ui import resources
from search_app.ui.recommendation_records import render_assessments, render_detail
from search_app.ui.recommendations import (
    export_buttons,
    filter_widgets,
    publish,
    recommendation_table,
)

st.title("Rekommendationer")
searcher = resources.searcher()
try:
    store = resources.recommendations(searcher)
except RecordsError as err:
    resources.show_error(err, "Rekommendationerna kan inte läsas")
    st.stop()

every = store.records.recommendations
if not every:
    st.info(
        "Indexet innehåller inga rekommendationer. De läses ut ur granskningsrapporternas "
        "sammanfattning och slutsats när PDF:erna läses in; lägg till rapporter under Dokument "
        "eller med `revsok ingest`."
    )
    st.stop()

state = filter_widgets(recommendation_options(every))
candidates = store.recommendations(**state.store_filters())
if state.query:
    with st.spinner("Söker …"):
        # The searcher keeps the embedded query, so reruns (a row picked, a filter) reuse it.
        hits = store.search(
            state.query,
            embedder=searcher.embedder,
            k=len(candidates),
            query_vector=searcher.query_vector(state.query),
            **state.store_filters(),
        )
    items = listed(hits=hits)
else:
    items = listed(candidates)

earlier = sum(item.recommendation.earlier for item in items)
# The filters name nämnder from the documents and the query comes from the URL: literal text.
described = literal(state.describe())
query = literal(state.query)
if not store.stored:
    st.caption(
        "Indexet byggdes före rekommendationerna: de togs fram ur passagerna nu. Kör "
        "`revsok ingest` igen för att spara dem (och deras inbäddningar) med indexet."
    )
if not candidates:
    st.warning(
        f"Inga rekommendationer med filtren ({described}). Ta bort något filter."
        if described
        else "Inga rekommendationer."
    )
elif not items:
    st.warning(
        f"Ingen av de {len(candidates)} rekommendationerna"
        + (f" med filtren ({described})" if described else "")
        + f" matchar ”{query}”. Pröva andra ord."
    )
else:
    st.caption(
        f"{len(items)} av {len(every)} rekommendationer"
        + (f" ({earlier} tidigare, citerade i uppföljningar)" if earlier else "")
        + (f", bäst matchande först för ”{query}”" if state.query else "")
        + f" · {described or 'inga filter'}. Markera en rad för att se källan, nämndens svar "
        "och uppföljningen."
    )

selected = recommendation_table(items, store) if items else None
publish(replace(state, selected=selected))
export_buttons(items, store, state)

if selected:
    rec = store.records.recommendation(selected)
    if rec is not None:
        st.subheader("Rekommendationen")
        render_detail(rec, store, searcher)

render_assessments(store, state, searcher)
