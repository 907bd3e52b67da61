"""Utvärdering: the eval set's metrics per mode, a drill-down per query, and judging new queries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eval.evalset import DEFAULT_SET, EvalSetError, load_eval_set
from eval.metrics import METRICS
from eval.report import _LABELS as METRIC_LABELS
from eval.runner import evaluate
from index.models import MODES
from search_app.core.citations import full_citation
from search_app.core.judgments import GRADES, append_judged_query, load_user_set, user_set_path
from search_app.core.markdown_literal import literal
from search_app.ui import resources
from search_app.ui.search_form import MODE_LABELS

GRADE_LABELS = {2: "relevant", 1: "delvis", 0: "inte"}
JUDGE_DEPTH = 10

st.title("Utvärdering av sökningen")
searcher = resources.searcher()
config = resources.settings()
own_path = user_set_path(config.data_dir)


def _describe(chunk) -> str:
    if chunk is None:
        return "(passagen finns inte i indexet)"
    return f"{chunk.municipality or '?'} · {chunk.title or chunk.source_file} · " + (
        " ".join(x for x in (chunk.section_number, chunk.section_title) if x)
        + ": "
        + " ".join(chunk.text.split())[:160]
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _run(version: str, set_name: str, set_mtime: float, modes: tuple[str, ...], split: str) -> dict:
    # Keyed on the index version and the set file's mtime: a new index or new judgments re-run.
    path = DEFAULT_SET if set_name == "standard" else own_path
    return evaluate(searcher, load_eval_set(path), modes, split=split)


SPLITS = {
    "test": "Test (hålls utanför all inställning)",
    "dev": "Dev (inställningarna valdes här)",
    "all": "Alla frågor",
}


tab_run, tab_judge = st.tabs(["Kör evalmängden", "Bedöm en egen fråga"])

with tab_run:
    sets = {"standard": f"Standardmängden ({DEFAULT_SET.name})"}
    if own_path.is_file():
        sets["egna"] = f"Egna bedömda frågor ({own_path})"
    set_name = st.radio("Evalmängd", list(sets), format_func=sets.__getitem__, horizontal=True)
    modes = st.multiselect(
        "Söklägen", MODES, default=list(MODES), format_func=MODE_LABELS.__getitem__
    )
    split = st.radio(
        "Del av evalmängden",
        list(SPLITS),
        format_func=SPLITS.__getitem__,
        horizontal=True,
        help="Egna bedömda frågor delas med samma regel som standardmängden.",
    )
    if st.button("Kör utvärderingen", type="primary", disabled=not modes):
        st.session_state["eval-run"] = (set_name, tuple(modes), split)
    chosen = st.session_state.get("eval-run")
    if not chosen:
        st.info(
            "Utvärderingen söker med varje fråga i evalmängden och mäter hur högt de passager "
            "som bedömts som relevanta hamnar (Träff@10, Recall@5/10, MRR@10, nDCG@10)."
        )
    else:
        path = DEFAULT_SET if chosen[0] == "standard" else own_path
        try:
            with st.spinner("Kör evalmängden; det tar en stund första gången …"):
                report = _run(
                    str(searcher.path), chosen[0], path.stat().st_mtime, chosen[1], chosen[2]
                )
        except EvalSetError as err:
            st.error(f"Evalmängden kan inte läsas: {literal(err)}")
            st.stop()
        overall = pd.DataFrame(
            {
                METRIC_LABELS[m]: [report["modes"][mode]["overall"][m] for mode in chosen[1]]
                for m in METRICS
            },
            index=[MODE_LABELS[mode] for mode in chosen[1]],
        )
        st.subheader("Mått per sökläge")
        st.caption(f"{report['queries']} frågor · embedder {report['embedder']}")
        st.dataframe(overall.style.format("{:.3f}"), width="stretch")
        st.bar_chart(overall.T, stack=False, y_label="Värde", x_label="Mått")
        if report["unmatched_evidence"]:
            st.warning(
                f"{len(report['unmatched_evidence'])} bedömda textavsnitt hittades inte i "
                "indexets passager och räknas inte."
            )
        by_mode = st.selectbox(
            "Frågetyper för läget", chosen[1], format_func=MODE_LABELS.__getitem__
        )
        types = pd.DataFrame(report["modes"][by_mode]["by_type"]).T
        st.dataframe(types, width="stretch")

        st.subheader("Granska en fråga")
        rows = {row["id"]: row for row in report["per_query"][chosen[1][0]]}
        picked = st.selectbox(
            "Fråga", list(rows), format_func=lambda qid: f"{qid}: {rows[qid]['query']}"
        )
        chunks = {c.chunk_id: c for c in searcher.chunks}
        st.dataframe(
            pd.DataFrame(
                {
                    METRIC_LABELS[m]: [
                        next(r for r in report["per_query"][mode] if r["id"] == picked)["scores"][m]
                        for mode in chosen[1]
                    ]
                    for m in METRICS
                },
                index=[MODE_LABELS[mode] for mode in chosen[1]],
            ).style.format("{:.3f}"),
            width="stretch",
        )
        drill_mode = st.radio(
            "Visa rankningen för", chosen[1], format_func=MODE_LABELS.__getitem__, horizontal=True
        )
        row = next(r for r in report["per_query"][drill_mode] if r["id"] == picked)
        ranked = [
            {
                "Plats": position,
                "Bedömning": GRADE_LABELS.get(row["relevant"].get(chunk_id, 0), "inte"),
                "Passage": _describe(chunks.get(chunk_id)),
            }
            for position, chunk_id in enumerate(row["ranking"], start=1)
        ]
        st.dataframe(pd.DataFrame(ranked), hide_index=True, width="stretch")
        missing = [cid for cid in row["relevant"] if cid not in row["ranking"]]
        if missing:
            st.caption(f"{len(missing)} relevanta passager kom inte med bland de tio första:")
            for chunk_id in missing:
                st.text(_describe(chunks.get(chunk_id)))

with tab_judge:
    st.caption(
        "Sök, bedöm varje passage och spara frågan i dina egna bedömda frågor "
        f"({own_path}). De kan sedan köras som evalmängd ovan. Standardmängden ändras aldrig."
    )
    query = st.text_input("Fråga att bedöma", key="judge-q").strip()
    if query:
        hits = searcher.search(query, k=JUDGE_DEPTH)
        judged = []
        for hit in hits:
            with st.container(border=True):
                st.markdown(f"**\\[{hit.rank}\\]** {literal(full_citation(hit))}")
                st.text(" ".join(hit.chunk.text.split())[:700])
                label = st.segmented_control(
                    "Bedömning",
                    list(GRADES),
                    key=f"judge-{query}-{hit.chunk.chunk_id}",
                    label_visibility="collapsed",
                )
                if label:
                    judged.append((hit.chunk, GRADES[label]))
        st.caption(f"{len(judged)} av {len(hits)} passager bedömda.")
        if st.button("Spara bedömningarna", type="primary", disabled=not judged):
            try:
                saved_id = append_judged_query(own_path, query, judged)
            except (ValueError, EvalSetError) as err:
                st.error(f"Kunde inte spara: {literal(err)}")
            else:
                _run.clear()
                count = len(load_user_set(own_path))
                st.success(f"Sparad som {saved_id}; de egna frågorna är nu {count}.")
