"""Över tid: how often a question is answered per år, and the best passages of each year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pandas as pd
import streamlit as st

from search_app.core.exporting import ExportContext, ExportItem
from search_app.core.markdown_literal import literal
from search_app.ui import resources
from search_app.ui.cards import render_hits
from search_app.ui.exports import export_buttons
from search_app.ui.query_chips import query_chips
from search_app.ui.search_form import (
    describe_filters,
    dropped_parts,
    filter_widgets,
    publish,
    query_box,
)

PREFIX = "tid"
DEPTH = 50
PER_YEAR = 3

st.title("Följ en fråga över tid")
searcher = resources.searcher()
options = resources.options(searcher)
query = query_box(PREFIX, "Fråga", "t.ex. ekonomi i balans", options)
state = replace(filter_widgets(PREFIX, options), query=query, ignore=dropped_parts(PREFIX, query))
publish(state)

if not query:
    st.info(
        "Skriv en fråga för att se hur ofta den besvaras år för år och vilka passager som är "
        "bäst varje år. Välj kommuner under Filter för att följa just dem."
    )
    st.stop()

query_chips(PREFIX, searcher.interpret(query, state.ignore), state, options)
with st.spinner("Söker …"):
    found = searcher.search(
        query, k=DEPTH, filters=state.filters, mode=state.mode, ignore=state.ignore
    )
by_year = defaultdict(list)
for hit in found:
    by_year[hit.chunk.year].append(hit)
dated = sorted(year for year in by_year if year)
if not dated:
    st.warning("Inga träffar med årtal för den här frågan och de valda filtren.")
    st.stop()

counts = pd.DataFrame(
    {
        "År": [str(year) for year in dated],
        "Träffar": [len(by_year[year]) for year in dated],
    }
).set_index("År")
st.subheader("Träffar per år")
st.bar_chart(counts, x_label="År", y_label="Antal passager")
st.caption(
    f"Bland de {len(found)} bästa passagerna för frågan"
    + (f" ({literal(describe_filters(state))})" if describe_filters(state) else "")
    + (f"; {len(by_year[None])} saknar årtal." if by_year.get(None) else ".")
)

items = [ExportItem(hit, group=str(year)) for year in dated for hit in by_year[year][:PER_YEAR]]
context = ExportContext(
    title="Över tid", query=query, mode=state.mode, filters=describe_filters(state)
)
export_buttons(items, context, key=PREFIX)
for year in reversed(dated):
    st.subheader(f"{year} · {len(by_year[year])} träffar")
    render_hits(by_year[year][:PER_YEAR], query, searcher, compact=True)
