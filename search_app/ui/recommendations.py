"""Recommendations on screen: the page's filters, table, detail and verdicts, and the Sök block.

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
from recommendations import Location, Recommendation
from recommendations.models import heading
from recommendations.store import (
    RecommendationStore,
    RecordsError,
    asks_for_recommendations,
)
from search_app.core import recommendation_blocks as blocks
from search_app.core.exporting import ExportContext, file_stem
from search_app.core.markdown_literal import literal
from search_app.core.recommendations import (
    EARLIER_CHOICES,
    EARLIER_LABELS,
    TABLE_COLUMNS,
    Listed,
    RecommendationOptions,
    RecommendationState,
    accepted_by,
    method_label,
    question_rows,
    report_assessments,
    search_page_filters,
    short_label,
    table_rows,
    to_csv,
    to_xlsx,
)
from search_app.ui import resources
from search_app.ui.exports import XLSX_MIME
from search_app.ui.search_form import year_range
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
        "kommun": known(state.filters.municipalities, options.municipalities),
        "namnd": known(state.filters.committees, options.committees),
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
    sidebar = st.sidebar
    sidebar.subheader("Filter")
    # No "Select all": every value chosen is no filter, and Streamlit words the option in English.
    municipalities = sidebar.multiselect(
        "Kommun",
        options.municipalities,
        key=f"{PREFIX}-kommun",
        placeholder="Alla kommuner",
        select_all=False,
    )
    year_from, year_to = year_range(sidebar, options.years, f"{PREFIX}-ar", "rekommendationer")
    committees = sidebar.multiselect(
        "Nämnd",
        options.committees,
        key=f"{PREFIX}-namnd",
        placeholder="Alla nämnder",
        select_all=False,
    )
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
        filters=Filters(
            municipalities=tuple(municipalities),
            year_from=year_from,
            year_to=year_to,
            committees=tuple(committees),
        ),
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


# -- detail -----------------------------------------------------------------------------------


class _Sources:
    """Passages and PDF files of the loaded index, for records that point into it."""

    def __init__(self, searcher: Searcher):
        self.chunk = searcher.chunk_by_id
        self.documents = {d.doc_id: d.source_id for d in searcher.documents}
        self.published = resources.pdf_files(searcher)

    def pdf_file(self, doc_id: str | None, chunk_id: str | None = None) -> str | None:
        chunk = self.chunk(chunk_id) if chunk_id else None
        source_id = chunk.source_id if chunk else self.documents.get(doc_id or "")
        return self.published.get(source_id) if source_id else None

    def location_pdf(self, location: Location | None) -> str | None:
        if location is None:
            return None
        return self.pdf_file(location.doc_id, location.chunk_id)


def _open(rec_id: str) -> None:
    st.session_state[CHOICE_KEY] = rec_id


def _open_button(rec: Recommendation, key: str) -> None:
    st.button(
        "Öppna den rekommendationen",
        key=key,
        on_click=_open,
        args=(rec.rec_id,),
        icon=":material/arrow_forward:",
        type="tertiary",
    )


def render_detail(rec: Recommendation, store: RecommendationStore, searcher: Searcher) -> None:
    """A recommendation with its sources, the nämnd's answers, follow-ups and earlier versions."""
    sources = _Sources(searcher)
    st.html(blocks.recommendation_card(rec))
    st.code(heading(rec), language=None, wrap_lines=True)

    st.markdown("##### Var rekommendationen står")
    for number, location in enumerate(rec.locations):
        with st.container(border=True):
            st.html(blocks.location_line(location, sources.location_pdf(location)))
            chunk = sources.chunk(location.chunk_id)
            with st.expander("Källpassagen", expanded=number == 0):
                if chunk is None:
                    st.caption("Passagen finns inte i det inlästa indexet.")
                else:
                    st.html(blocks.passage(chunk.text, rec.text))

    st.markdown("##### Nämndens svar")
    answers = store.answers_for(rec.rec_id)
    if not answers:
        st.caption("Inget svar från nämnden på den här rekommendationen finns i korpusen.")
    for linked in answers:
        answer, link = linked.answer, linked.link
        method = method_label(link.method)
        with st.container(border=True):
            st.html(
                blocks.linked_record(
                    f"{answer.kind.capitalize()} · kopplat via {method}",
                    answer.citation(),
                    link.excerpt or answer.quoted or "",
                    sources.location_pdf(answer.location),
                    blocks.location_page(answer.location),
                )
            )
            with st.expander("Hela svaret"):
                st.html(blocks.passage(answer.text, link.excerpt or None))

    follow_ups = store.follow_ups(rec.rec_id)
    earlier = store.earlier_versions(rec.rec_id)
    st.markdown("##### Uppföljning")
    if not follow_ups and not earlier:
        st.caption("Ingen uppföljande granskning av rekommendationen finns i korpusen.")
    for number, link in enumerate(follow_ups):
        target = None if link.target_chunk else store.records.recommendation(link.target_id)
        if link.target_chunk:
            label = "Uppföljningens bedömning"
            chunk = sources.chunk(link.target_chunk)
            pdf = sources.pdf_file(chunk.doc_id if chunk else None, link.target_chunk)
            page = chunk.pages[0] if chunk and chunk.pages else None
        else:
            label = "Samma rekommendation" if link.kind == "samma rekommendation" else "Uppföljs av"
            location = target.locations[0] if target and target.locations else None
            pdf, page = sources.location_pdf(location), blocks.location_page(location)
        with st.container(border=True):
            st.html(blocks.linked_record(label, link.citation, link.excerpt, pdf, page))
            if target is not None:
                _open_button(target, key=f"{PREFIX}-uppf-{number}")
    for number, older in enumerate(earlier):
        location = older.locations[0] if older.locations else None
        with st.container(border=True):
            st.html(
                blocks.linked_record(
                    f"Tidigare rekommendation ({older.earlier_year or 'år okänt'})",
                    older.citation(),
                    older.text,
                    sources.location_pdf(location),
                    blocks.location_page(location),
                )
            )
            _open_button(older, key=f"{PREFIX}-tidigare-{number}")


# -- verdicts ---------------------------------------------------------------------------------


def render_assessments(
    store: RecommendationStore, state: RecommendationState, searcher: Searcher
) -> None:
    """Each report's overall verdict and its answers per revisionsfråga (kommun and år apply)."""
    st.divider()
    st.subheader("Bedömningar per rapport")
    assessments = report_assessments(
        store.verdicts(),
        store.question_answers(),
        state.filters,
    )
    if not assessments:
        st.caption("Inga rapporter med sammanfattande bedömning för de valda filtren.")
        return
    sources = _Sources(searcher)
    overview = pd.DataFrame(
        [
            {
                "Kommun": a.source.municipality or "",
                "År": str(a.source.year or ""),
                "Rapport": a.title,
                "Bedömning": a.verdict.level if a.verdict else "",
                "Revisionsfrågor": len(a.questions),
                "Källhänvisning": a.verdict.citation() if a.verdict else a.source.citation(),
            }
            for a in assessments
        ]
    )
    st.dataframe(overview, hide_index=True, width="stretch")
    for assessment in assessments:
        verdict = assessment.verdict
        level = verdict.level if verdict else "ingen sammanfattande bedömning"
        label = (
            f"{assessment.source.municipality or '(kommun okänd)'} "
            f"{assessment.source.year or ''} · {assessment.title} — {level}"
        )
        with st.expander(literal(label)):
            location = verdict.locations[0] if verdict and verdict.locations else None
            pdf = sources.location_pdf(location) or sources.pdf_file(assessment.source.doc_id)
            st.html(blocks.verdict_block(verdict, assessment.title, pdf))
            if assessment.questions:
                st.dataframe(
                    pd.DataFrame(question_rows(assessment.questions)),
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "Revisionsfråga": st.column_config.TextColumn(width="large"),
                        "Underlag": st.column_config.TextColumn(width="large"),
                    },
                )
            else:
                st.caption("Rapporten besvarar inga revisionsfrågor som kunde läsas ut.")


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
    found = store.search(
        query,
        embedder=searcher.embedder,
        k=SEARCH_PAGE_LIMIT * 4,
        query_vector=searcher.query_vector(query),  # embedded once, for the passages too
        **search_page_filters(filters),
    )
    hits = [hit for hit in found if accepted_by(hit.recommendation, filters)][:SEARCH_PAGE_LIMIT]
    if not hits:
        if store.records.recommendations:
            st.caption("Ingen rekommendation matchar frågan med de valda filtren.")
        return
    hits = [replace(hit, rank=rank) for rank, hit in enumerate(hits, start=1)]
    st.html(blocks.search_page_block(hits, [hit.recommendation.citation() for hit in hits]))
