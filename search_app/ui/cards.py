"""A passage as a card: title, copyable citation, heading path, marked text, PDF link."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from index.models import SearchHit
from index.searcher import Searcher
from search_app.core import html_blocks
from search_app.core.answer import build_answer
from search_app.core.highlight import query_terms
from search_app.ui.resources import pdf_files, serve_originals

COMPACT_CHARS = 420


def render_hits(
    hits: Sequence[SearchHit],
    query: str,
    searcher: Searcher,
    *,
    compact: bool = False,
) -> None:
    """The hits as cards: a weak match is marked, copies are listed as "Även i"; ``compact``
    shortens long passages (the whole one is behind an expander)."""
    tokenize = searcher.lexical.analyzer.tokenize
    terms = query_terms(query, tokenize)
    published = pdf_files(searcher)
    originals = serve_originals()
    for hit in hits:
        with st.container(border=True):
            st.html(html_blocks.hit_header(hit))
            st.code(hit.citation(), language=None, wrap_lines=True)
            body = html_blocks.hit_body(
                hit,
                terms,
                tokenize,
                published.get(hit.chunk.source_id),
                limit=COMPACT_CHARS if compact else None,
                originals=originals,
            )
            st.html(body)
            if also := html_blocks.copies_line(hit):
                st.html(also)
            if compact and len(hit.chunk.text) > COMPACT_CHARS:
                with st.expander("Hela passagen"):
                    st.html(html_blocks.hit_body(hit, terms, tokenize, None, links=False))


def render_answer(hits: Sequence[SearchHit], query: str, searcher: Searcher) -> None:
    sentences = build_answer(query, hits, searcher.lexical.analyzer.tokenize)
    if sentences:
        st.html(html_blocks.answer_block(sentences))
    else:
        st.caption(
            "Inget kort svar: ingen mening i de bästa passagerna delar tillräckligt många ord "
            "med frågan. Läs passagerna nedan."
        )
