"""The query's recognised parts as chips under the search box: remove one, or make it a filter.

Removing puts the part's key among the page's dropped parts (and so in the URL's ``ignorera=``);
making it a filter sets the sidebar widget, after which the filter covers the part and its chip
is no longer shown. Both happen in button callbacks, which run before the widgets of the next run.
"""

from __future__ import annotations

import html

import streamlit as st

from index.query_understanding import Interpretation
from search_app.core.facets import FilterOptions
from search_app.core.markdown_literal import literal
from search_app.core.query_chips import (
    YEAR_WIDGET,
    FilterChange,
    chip_label,
    covered_by_filters,
    filter_change,
)
from search_app.core.url_state import SearchState
from search_app.ui.search_form import DROPPED

CAPTION = (
    "Delarna väger in i rangordningen, filtrerar inte. ✕ tar bort en del ur sökningen, "
    "Filtrera gör den till ett filter."
)


def _drop(prefix: str, key: str) -> None:
    dropped = list(st.session_state.get(f"{prefix}-{DROPPED}", []))
    if key not in dropped:
        dropped.append(key)
    st.session_state[f"{prefix}-{DROPPED}"] = dropped


def _restore(prefix: str) -> None:
    st.session_state[f"{prefix}-{DROPPED}"] = []


def _make_filter(prefix: str, change: FilterChange) -> None:
    value = change.value if change.widget == YEAR_WIDGET else list(change.value)
    st.session_state[f"{prefix}-{change.widget}"] = value


def query_chips(
    prefix: str, interpretation: Interpretation, state: SearchState, options: FilterOptions
) -> None:
    """One chip per recognised part the filters do not already cover; nothing when there is none."""
    shown = [p for p in interpretation.recognised if not covered_by_filters(p, state, options)]
    if not shown and not interpretation.ignored:
        return
    with st.container(horizontal=True, key=f"{prefix}-chips", vertical_alignment="center"):
        for part in shown:
            with st.container(
                border=True,
                horizontal=True,
                key=f"{prefix}-chip-{part.key}",
                width="content",
                vertical_alignment="center",
                gap="small",
            ):
                st.html(
                    f'<span class="rs-qchip" title="{html.escape(part.matched)}">'
                    f"{html.escape(chip_label(part))}</span>",
                    width="content",
                )
                st.button(
                    "✕",
                    key=f"{prefix}-ta-bort-{part.key}",
                    help=f"Ta bort: sök utan ”{literal(part.matched)}” som {part.kind}",
                    on_click=_drop,
                    args=(prefix, part.key),
                    type="tertiary",
                )
                change = filter_change(part, state, options)
                if change is not None:
                    st.button(
                        "Filtrera",
                        key=f"{prefix}-filtrera-{part.key}",
                        help="Gör till filter: visa bara sådana passager",
                        on_click=_make_filter,
                        args=(prefix, change),
                        type="tertiary",
                    )
        if interpretation.ignored:
            st.button(
                f"Ta tillbaka borttagna ({len(interpretation.ignored)})",
                key=f"{prefix}-ta-tillbaka",
                help="Använd alla delar av frågan igen",
                on_click=_restore,
                args=(prefix,),
                type="tertiary",
                icon=":material/undo:",
            )
    if shown:
        st.caption(CAPTION)
