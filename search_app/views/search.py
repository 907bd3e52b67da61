"""Sök: one question, an extractive answer with numbered citations, and the cited passages."""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from search_app.core import html_blocks
from search_app.core.exporting import ExportContext, ExportItem
from search_app.core.facets import count_by_municipality, count_by_year
from search_app.core.markdown_literal import literal
from search_app.ui import resources
from search_app.ui.cards import render_answer, render_hits
from search_app.ui.exports import export_buttons
from search_app.ui.query_chips import query_chips
from search_app.ui.recommendations import search_page_block
from search_app.ui.search_form import (
    describe_filters,
    dropped_parts,
    filter_widgets,
    publish,
    query_box,
)

# Facets count the hits among this many best passages, not just the ones shown.
FACET_DEPTH = 50
PREFIX = "sok"

st.title("Sök i granskningar och protokoll")
searcher = resources.searcher()
options = resources.options(searcher)
query = query_box(
    PREFIX, "Fråga eller sökord", "t.ex. rekommendationer om samverkan med regionen", options
)
state = replace(filter_widgets(PREFIX, options), query=query, ignore=dropped_parts(PREFIX, query))
publish(state)

if not query:
    st.info(
        f"Sök bland {len(searcher.documents)} dokument ({len(searcher.chunks)} passager) från "
        f"{len(options.municipalities)} kommuner. Skriv en fråga på svenska, som "
        "”brister i kvalitetsledningssystemet”, och avgränsa med filtren till vänster."
    )
    st.stop()

# What the search read out of the query (kommun, år, …), as chips the user can remove or filter by.
query_chips(PREFIX, searcher.interpret(query, state.ignore), state, options)
with st.spinner("Söker …"):
    started = time.perf_counter()
    found = searcher.search(
        query,
        k=max(state.k, FACET_DEPTH),
        filters=state.filters,
        mode=state.mode,
        ignore=state.ignore,
    )
    elapsed = time.perf_counter() - started
hits = found[: state.k]
if found.truncated_from:
    st.caption(
        f"Frågan var {found.truncated_from} tecken lång; bara de första "
        f"{len(found.interpretation.query)} användes."
    )

if not hits:
    search_page_block(query, state.filters, searcher)
    # Filter values are the index's nämnder and byråer, read from documents: literal text.
    active = literal(describe_filters(state))
    st.warning(
        "Inga träffar"
        + (f" med filtren ({active}). Ta bort något filter och sök igen." if active else ".")
    )
    st.stop()

st.caption(
    f"{len(hits)} passager visas · {elapsed * 1000:.0f} ms · "
    f"{literal(describe_filters(state)) or 'inga filter'}"
)
main, side = st.columns([3, 1])
with side:
    st.html(html_blocks.facet_bars("Träffar per kommun", count_by_municipality(found)))
    st.html(html_blocks.facet_bars("Träffar per år", count_by_year(found)))
    st.caption(f"Räknat bland de {len(found)} bästa passagerna.")
with main:
    # A question for recommendations gets the recommendation records first, then the passages.
    search_page_block(query, state.filters, searcher)
    # A weak match does not answer the question: it is shown, marked, but never quoted as an answer.
    strong = [hit for hit in hits if not hit.weak]
    if strong:
        render_answer(strong, query, searcher)
    else:
        st.info(
            "Ingen bra träff: alla passager nedan är svaga träffar, långt från frågan i betydelse. "
            "Formulera frågan med andra ord, eller ta bort en del av frågan eller ett filter."
        )
    context = ExportContext(
        title="Sök", query=query, mode=state.mode, filters=describe_filters(state)
    )
    export_buttons([ExportItem(hit) for hit in hits], context, key=PREFIX)
    render_hits(hits, query, searcher)
