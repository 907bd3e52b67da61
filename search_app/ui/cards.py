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

# A long passage's window and its "Visa hela passagen": opened, the whole passage takes the
# window's place. The answer's "även i" is set small, like a note.
_CSS = """<style>
.rs-more > summary { cursor: pointer; color: #1f4e79; font-size: .8rem; font-weight: 600;
  margin-top: .3rem; }
.rs-more > .rs-text { margin-top: .3rem; }
.rs-more .rs-more-hide, .rs-more[open] .rs-more-show { display: none; }
.rs-more[open] .rs-more-hide { display: inline; }
.rs-window:has(+ .rs-more[open]) { display: none; }
.rs-answer-also { font-size: .8em; color: #6b7680; }
</style>"""


def render_hits(
    hits: Sequence[SearchHit],
    query: str,
    searcher: Searcher,
    *,
    compact: bool = False,
) -> None:
    """The hits as cards: a weak match is marked, copies are listed as "Även i". A long passage
    shows the window where the query words are (shorter when ``compact``), the whole passage a
    click away ("Visa hela passagen")."""
    st.html(_CSS)  # only style: Streamlit adds it to the page without taking room
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
                limit=COMPACT_CHARS if compact else html_blocks.CARD_CHARS,
                originals=originals,
            )
            st.html(body)
            if also := html_blocks.copies_line(hit):
                st.html(also)


def render_answer(hits: Sequence[SearchHit], query: str, searcher: Searcher) -> None:
    sentences = build_answer(query, hits, searcher.lexical.analyzer.tokenize)
    if sentences:
        st.html(_CSS)  # only style: Streamlit adds it to the page without taking room
        st.html(html_blocks.answer_block(sentences))
    else:
        st.caption(
            "Inget kort svar: ingen mening i de bästa passagerna delar tillräckligt många ord "
            "med frågan. Läs passagerna nedan."
        )
