"""The app's look: one stylesheet for the HTML blocks the pages render."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
.rs-head { display: flex; align-items: baseline; gap: .5rem; flex-wrap: wrap; }
.rs-num { font-weight: 700; color: #1f4e79; font-variant-numeric: tabular-nums; }
.rs-title { font-weight: 600; font-size: 1.02rem; }
.rs-chip { font-size: .72rem; padding: .05rem .45rem; border-radius: .6rem;
  background: #eef2f7; color: #3b4a5a; border: 1px solid #d7dee8; }
.rs-path { color: #5b6773; font-size: .82rem; margin: .1rem 0 .35rem 0; }
.rs-text { white-space: pre-line; line-height: 1.5; font-size: .93rem; color: #1d2329; }
.rs-text mark { background: #fff0a8; padding: 0 .1rem; border-radius: .15rem; }
.rs-links { margin-top: .45rem; font-size: .8rem; }
.rs-pdf { font-weight: 600; color: #1f4e79; text-decoration: none; }
.rs-pdf:hover { text-decoration: underline; }
.rs-muted { color: #6b7680; }
.rs-answer { border-left: 4px solid #1f4e79; background: #f4f7fb; padding: .7rem 1rem;
  border-radius: .3rem; margin-bottom: .6rem; }
.rs-answer-label { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em;
  color: #1f4e79; font-weight: 700; margin-bottom: .25rem; }
.rs-answer p { margin: 0 0 .35rem 0; line-height: 1.55; }
.rs-ref { font-weight: 700; color: #1f4e79; text-decoration: none; font-size: .85em; }
.rs-answer-note { font-size: .75rem; color: #6b7680; }
.rs-facet { margin-bottom: .8rem; }
.rs-facet-title { font-size: .78rem; font-weight: 700; color: #3b4a5a; margin-bottom: .2rem;
  text-transform: uppercase; letter-spacing: .05em; }
.rs-facet-row { display: grid; grid-template-columns: minmax(0, 1fr) 70px 2rem; gap: .4rem;
  align-items: center; font-size: .82rem; line-height: 1.5; }
.rs-facet-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rs-facet-bar { background: #eef2f7; height: .5rem; border-radius: .25rem; overflow: hidden; }
.rs-facet-bar span { display: block; height: 100%; background: #1f4e79; }
.rs-facet-n { text-align: right; font-variant-numeric: tabular-nums; color: #3b4a5a; }
.rs-colhead { font-weight: 700; font-size: 1.05rem; color: #1f4e79;
  border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; margin-bottom: .3rem; }
.rs-rec { margin: .15rem 0 .55rem 0; line-height: 1.45; }
.rs-rec .rs-chip { margin-left: .35rem; white-space: nowrap; }
.rs-rec .rs-path { margin: .1rem 0 .1rem 0; }
.rs-rec .rs-pdf { white-space: nowrap; }
.rs-weak { background: #fdecea; border-color: #f1b8b2; color: #8a1f11; font-weight: 600; }
.rs-copies { margin-top: .35rem; font-size: .8rem; color: #3b4a5a; }
.rs-copies-label { font-weight: 600; margin-right: .3rem; }
.rs-nomatch { background: #f4f7fb; border-left: 4px solid #8a9bb0; padding: .55rem .8rem;
  border-radius: .3rem; margin: .2rem 0 .5rem 0; font-size: .92rem; }
.rs-qchip { font-size: .85rem; font-weight: 600; color: #1f4e79; white-space: nowrap; }
/* The chip containers (st.container key PREFIX-chip-KEY): a pill, not a card. */
div[class*="st-key-"][class*="-chip-"] { padding: .1rem .35rem .1rem .8rem; border-radius: 1.2rem;
  background: #f4f7fb; gap: .25rem; }
div[class*="st-key-"][class*="-chip-"] button { min-height: 1.8rem; padding: 0 .35rem; }
.rs-level { background: #fff4d6; border-color: #f0d58c; color: #6b4e00; font-weight: 600; }
</style>
"""


def apply() -> None:
    st.html(_CSS)
