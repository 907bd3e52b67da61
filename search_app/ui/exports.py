"""Download buttons for a result list: CSV, Excel and Markdown, each with full citations."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from search_app.core.exporting import (
    ExportContext,
    ExportItem,
    file_stem,
    to_csv,
    to_markdown,
    to_xlsx,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(items: Sequence[ExportItem], context: ExportContext, key: str) -> None:
    if not items:
        return
    stem = file_stem(context)
    left, middle, right = st.columns(3)
    left.download_button(
        "Exportera CSV",
        to_csv(items),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        width="stretch",
    )
    middle.download_button(
        "Exportera Excel",
        to_xlsx(items, context),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}-xlsx",
        width="stretch",
    )
    right.download_button(
        "Exportera Markdown",
        to_markdown(items, context),
        file_name=f"{stem}.md",
        mime="text/markdown",
        key=f"{key}-md",
        width="stretch",
    )
