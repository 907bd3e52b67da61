"""Jämför kommuner: one question, one column per kommun with its best passages side by side."""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from search_app.core import html_blocks
from search_app.core.exporting import ExportContext, ExportItem
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

PREFIX = "jamfor"
MAX_COLUMNS = 4
PER_COLUMN = 5

st.title("Jämför kommuner")
searcher = resources.searcher()
options = resources.options(searcher)
query = query_box(PREFIX, "Fråga", "t.ex. uppföljning av insatser", options)
state = replace(filter_widgets(PREFIX, options), query=query, ignore=dropped_parts(PREFIX, query))
publish(state)
if query:
    query_chips(PREFIX, searcher.interpret(query, state.ignore), state, options)

if len(state.filters.municipalities) < 2:
    st.info(
        f"Välj två till {MAX_COLUMNS} kommuner under Filter till vänster; varje kommun får en "
        "egen kolumn med sina bästa passager."
    )
    st.stop()
if len(state.filters.municipalities) > MAX_COLUMNS:
    st.warning(f"Högst {MAX_COLUMNS} kommuner jämförs; de första {MAX_COLUMNS} visas.")
if not query:
    st.info("Skriv en fråga för att jämföra kommunerna.")
    st.stop()

chosen = state.filters.municipalities[:MAX_COLUMNS]
results = {}
with st.spinner("Söker …"):
    for municipality in chosen:
        filters = replace(state.filters, municipalities=(municipality,))
        results[municipality] = searcher.search(
            query, k=min(state.k, PER_COLUMN), filters=filters, mode=state.mode, ignore=state.ignore
        )

items = [ExportItem(hit, group=name) for name, hits in results.items() for hit in hits]
context = ExportContext(
    title="Jämför kommuner", query=query, mode=state.mode, filters=describe_filters(state)
)
export_buttons(items, context, key=PREFIX)
for column, (municipality, hits) in zip(st.columns(len(results)), results.items(), strict=True):
    with column:
        st.html(f'<div class="rs-colhead">{html.escape(municipality)}</div>')
        if hits and all(hit.weak for hit in hits):
            # Weak matches do not answer the question: say so instead of filling the column.
            st.html(html_blocks.no_good_match(municipality))
            with st.expander("Visa svaga träffar ändå"):
                render_hits(hits, query, searcher)
        elif hits:
            render_hits(hits, query, searcher, compact=True)
        else:
            st.caption("Inga passager från den här kommunen med de valda filtren.")
