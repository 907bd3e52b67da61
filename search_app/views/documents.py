"""Dokument: what is indexed, with metadata, chunk counts and ingest warnings; upload more PDFs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from revsok.errors import RevsokError
from search_app.core.facets import swedish_key
from search_app.core.markdown_literal import literal
from search_app.core.uploads import MAX_UPLOAD_MB, Upload, ingest_uploads
from search_app.ui import resources, style

st.title("Dokument i indexet")
searcher = resources.searcher()
documents = sorted(
    searcher.documents,
    key=lambda d: (
        swedish_key(d.municipality or "~"),
        -(d.year or 0),
        d.source_file,
        d.item_index or 0,
    ),
)
municipalities = sorted({d.municipality or "(okänd)" for d in documents}, key=swedish_key)
chosen = st.multiselect(
    "Visa kommun", municipalities, placeholder="Alla kommuner", select_all=False
)
shown = [d for d in documents if not chosen or (d.municipality or "(okänd)") in chosen]
warned = sum(1 for d in shown if d.warnings)
left, middle, right = st.columns(3)
left.metric("Dokument", len(shown))
middle.metric("Passager", sum(d.chunk_count for d in shown))
right.metric("Med varningar", warned)


def _pages(doc) -> str:
    if doc.printed_page_start:
        end = doc.printed_page_end or doc.printed_page_start
        return f"s. {doc.printed_page_start}" + (f"–{end}" if end != doc.printed_page_start else "")
    if doc.page_start:
        return f"PDF-s. {doc.page_start}–{doc.page_end or doc.page_start}"
    return ""


table = pd.DataFrame(
    [
        {
            "Kommun": d.municipality or "",
            "År": str(d.year or ""),
            "Datum": d.date or "",
            "Nämnd": d.committee or "",
            "Typ": d.doc_type,
            "Byrå": d.audit_firm or "",
            "Titel": d.title or "",
            "Dnr": d.case_number or "",
            "§": d.paragraph or "",
            "Sidor": _pages(d),
            "Passager": d.chunk_count,
            "Varningar": len(d.warnings),
            "Källfil": d.source_file,
        }
        for d in shown
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

with st.expander(f"Varningar från inläsningen ({warned} dokument)", expanded=False):
    if not warned:
        st.write("Inga varningar.")
    for doc in shown:
        for warning in doc.warnings:
            st.text(f"{doc.source_file} · {doc.title or '(utan titel)'}: {warning}")

st.subheader("Lägg till PDF:er")
st.caption(
    f"Högst {MAX_UPLOAD_MB} MB per fil. Filerna sparas i datamappen och läses in med samma "
    "inställningar som resten av indexet; en fil som inte går att läsa stoppar inte de andra."
)
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        "PDF-filer",
        type=["pdf"],
        accept_multiple_files=True,
        max_upload_size=MAX_UPLOAD_MB,
        key=style.PDF_UPLOADER_KEY,
    )
    submitted = st.form_submit_button("Läs in")
if submitted:
    if not files:
        st.warning("Välj minst en PDF-fil först.")
    else:
        config = resources.settings()
        try:
            with st.spinner("Läser in och indexerar …"):
                outcome = ingest_uploads(
                    [Upload(f.name, f.getvalue()) for f in files],
                    searcher,
                    config.resolved_index_dir,
                    config.data_dir / "uploads",
                    config.embedding_cache,
                    ocr_cache=config.ocr_cache,
                )
        except RevsokError as err:
            resources.show_error(err, "Filerna lästes inte in")
            st.stop()
        for error in outcome.errors:
            st.error(f"{literal(error.name)}: {literal(error.reason)}")
        if outcome.saved:
            resources.forget_index()
            st.success(
                f"{len(outcome.saved)} filer inlästa: {outcome.documents} dokument, "
                f"{outcome.chunks} passager. Indexet är uppdaterat."
            )
            st.button("Visa det uppdaterade indexet")
