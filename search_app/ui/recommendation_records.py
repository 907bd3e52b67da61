"""A recommendation's detail and each report's verdicts on screen, every record beside the
passage and the PDF page of the loaded index it points into.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from index.searcher import Searcher
from recommendations import Location, Recommendation
from recommendations.models import heading
from recommendations.store import RecommendationStore
from search_app.core import recommendation_blocks as blocks
from search_app.core.markdown_literal import literal
from search_app.core.recommendations import (
    RecommendationState,
    method_label,
    question_rows,
    report_assessments,
)
from search_app.ui import resources
from search_app.ui.recommendations import CHOICE_KEY, PREFIX

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
    _locations(rec, sources)
    _answers(rec, store, sources)
    _follow_ups(rec, store, sources)


def _locations(rec: Recommendation, sources: _Sources) -> None:
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


def _answers(rec: Recommendation, store: RecommendationStore, sources: _Sources) -> None:
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


def _follow_ups(rec: Recommendation, store: RecommendationStore, sources: _Sources) -> None:
    """What follow-up audits found, and the earlier recommendations this one repeats."""
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
