"""Utvärdering: the eval set's metrics per mode, a drill-down per query, and judging new queries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eval.evalset import DEFAULT_SET, EvalSetError, load_eval_set
from eval.metrics import METRICS
from eval.report import _LABELS as METRIC_LABELS
from eval.runner import evaluate, passage_label
from index.models import MODES
from ingest.models import Chunk
from search_app.core.citations import full_citation
from search_app.core.judgments import GRADES, append_judged_query, load_user_set, user_set_path
from search_app.core.markdown_literal import literal
from search_app.ui import resources
from search_app.ui.search_form import MODE_LABELS

GRADE_LABELS = {2: "relevant", 1: "delvis", 0: "inte"}
JUDGE_DEPTH = 10
QUERY_KEY = "judge-q"
# What the last save said, shown once by the run the save button starts.
SAVED_KEY = "judge-saved"

st.title("Utvärdering av sökningen")
searcher = resources.searcher()
config = resources.settings()
own_path = user_set_path(config.data_dir)


def _describe(chunk) -> str:
    if chunk is None:
        return "(passagen finns inte i indexet)"
    return passage_label(chunk, excerpt_chars=160)


@st.cache_data(show_spinner=False, max_entries=8)
def _run(version: str, set_name: str, set_mtime: float, modes: tuple[str, ...], split: str) -> dict:
    # Keyed on the index version and the set file's mtime: a new index or new judgments re-run.
    path = DEFAULT_SET if set_name == "standard" else own_path
    return evaluate(searcher, load_eval_set(path), modes, split=split)


def _metric_table(scores: dict[str, dict[str, float]], label: str) -> pd.DataFrame:
    """One row per mode (or query type) and one column per metric, all headers in Swedish."""
    return pd.DataFrame(
        {METRIC_LABELS[m]: [row[m] for row in scores.values()] for m in METRICS},
        index=pd.Index(list(scores), name=label),
    )


def _type_table(by_type: dict[str, dict[str, float]]) -> pd.DataFrame:
    table = _metric_table(by_type, "Frågetyp")
    table.insert(0, "Frågor", [int(row["queries"]) for row in by_type.values()])
    return table


def _save_judgments(query: str, keyed: list[tuple[Chunk, str]]) -> None:
    """Save the judged question. A button callback runs before the page does, so the run that
    follows already lists the question (and offers the own set above): no reload needed."""
    judged = [
        (chunk, GRADES[st.session_state[key]]) for chunk, key in keyed if st.session_state.get(key)
    ]
    try:
        saved_id = append_judged_query(own_path, query, judged)
    except (ValueError, EvalSetError) as err:
        st.session_state[SAVED_KEY] = ("error", f"Kunde inte spara: {literal(err)}")
        return
    _run.clear()
    count = len(load_user_set(own_path))
    st.session_state[SAVED_KEY] = (
        "success",
        f"Sparad som {saved_id}: ”{literal(query)}” med {len(judged)} bedömda passager; "
        f"de egna frågorna är nu {count}.",
    )
    st.session_state[QUERY_KEY] = ""  # ready for the next question


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
        "Söklägen",
        MODES,
        default=list(MODES),
        format_func=MODE_LABELS.__getitem__,
        placeholder="Välj minst ett sökläge",
        select_all=False,
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
        overall = _metric_table(
            {MODE_LABELS[mode]: report["modes"][mode]["overall"] for mode in chosen[1]}, "Sökläge"
        )
        st.subheader("Mått per sökläge")
        st.caption(f"{report['queries']} frågor · embedder {report['embedder']}")
        st.dataframe(overall.style.format("{:.3f}"), width="stretch")
        # Long form with named columns: the chart's axes, legend and tooltips take their names.
        bars = overall.reset_index().melt(id_vars="Sökläge", var_name="Mått", value_name="Värde")
        st.bar_chart(bars, x="Mått", y="Värde", color="Sökläge", stack=False)
        if report["unmatched_evidence"]:
            st.warning(
                f"{len(report['unmatched_evidence'])} bedömda textavsnitt hittades inte i "
                "indexets passager och räknas inte."
            )
        by_mode = st.selectbox(
            "Frågetyper för läget", chosen[1], format_func=MODE_LABELS.__getitem__
        )
        types = _type_table(report["modes"][by_mode]["by_type"])
        st.dataframe(types.style.format("{:.3f}", subset=list(types.columns[1:])), width="stretch")

        st.subheader("Granska en fråga")
        rows = {row["id"]: row for row in report["per_query"][chosen[1][0]]}
        picked = st.selectbox(
            "Fråga", list(rows), format_func=lambda qid: f"{qid}: {rows[qid]['query']}"
        )
        chunks = {c.chunk_id: c for c in searcher.chunks}
        scores = {
            MODE_LABELS[mode]: next(r for r in report["per_query"][mode] if r["id"] == picked)[
                "scores"
            ]
            for mode in chosen[1]
        }
        st.dataframe(_metric_table(scores, "Sökläge").style.format("{:.3f}"), width="stretch")
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
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        kind, message = saved
        (st.success if kind == "success" else st.error)(message)
    try:
        own = load_user_set(own_path)
    except EvalSetError as err:
        st.error(f"Dina egna bedömda frågor kan inte läsas: {literal(err)}")
        own = []
    with st.expander(f"Egna bedömda frågor ({len(own)})", expanded=bool(saved)):
        if own:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Id": q.id, "Fråga": q.query, "Relevanta passager": len(q.judgments)}
                        for q in own
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("Inga sparade frågor ännu.")
    query = st.text_input("Fråga att bedöma", key=QUERY_KEY).strip()
    if query:
        hits = searcher.search(query, k=JUDGE_DEPTH)
        keyed = []
        for hit in hits:
            key = f"judge-{query}-{hit.chunk.chunk_id}"
            keyed.append((hit.chunk, key))
            with st.container(border=True):
                st.markdown(f"**\\[{hit.rank}\\]** {literal(full_citation(hit))}")
                st.text(" ".join(hit.chunk.text.split())[:700])
                st.segmented_control(
                    "Bedömning", list(GRADES), key=key, label_visibility="collapsed"
                )
        judged = sum(1 for _, key in keyed if st.session_state.get(key))
        st.caption(f"{judged} av {len(hits)} passager bedömda.")
        st.button(
            "Spara bedömningarna",
            type="primary",
            disabled=not judged,
            on_click=_save_judgments,
            args=(query, keyed),
        )
