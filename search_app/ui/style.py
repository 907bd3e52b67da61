"""The app's look: one stylesheet for the HTML blocks the pages render, and Swedish in place of
the English that Streamlit's own widgets show and have no setting for."""

from __future__ import annotations

import streamlit as st

from search_app.core.uploads import MAX_UPLOAD_MB

# The key of the PDF uploader on Dokument: its limit line names the size and the file type.
PDF_UPLOADER_KEY = "dokument-pdf"

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

# Streamlit's own text, checked in chromium against Streamlit 1.67's DOM: (the element holding the
# English, the Swedish shown instead, its font size). The element is hidden (font size 0 and
# visibility hidden: it takes no room and is neither seen nor read out) and the Swedish is its
# ::after content, which screen readers read as its text.
WIDGET_TEXT = (
    # The file uploader: its button, its limit line and what it says while a file is dragged over.
    (
        '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] '
        '[data-testid="stMarkdownContainer"] p',
        "Välj filer",
        ".875rem",
    ),
    (
        f'.st-key-{PDF_UPLOADER_KEY} [data-testid="stFileUploaderDropzoneInstructions"] span',
        f"Högst {MAX_UPLOAD_MB} MB per fil · PDF",
        ".875rem",
    ),
    (
        '[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span',
        "Släpp filerna här",
        ".875rem",
    ),
    # Why a chosen file was refused ("text/plain files are not allowed.", "File must be 50.0MB or
    # smaller."): the tooltip of the refused file's chip.
    (
        f'body:has(.st-key-{PDF_UPLOADER_KEY} [data-testid="stFileChip"][aria-invalid="true"]'
        ':hover) [data-testid="stTooltipErrorContent"]',
        f"Filen kan inte läsas in: välj PDF-filer på högst {MAX_UPLOAD_MB} MB.",
        ".875rem",
    ),
    # Under a text or number input that has been changed ("Press Enter to apply").
    ('[data-testid="InputInstructions"] > span:first-child', "Tryck på Enter", ".75rem"),
    # A multiselect or selectbox whose typed text matches no option ("No results").
    ('[role="listbox"][data-empty="true"] [role="option"] > span', "Inga träffar", ".875rem"),
    # "Select all" / "Select 3 matches" (the app's multiselects turn it off with select_all=False).
    ('[role="option"][data-key="__select_all__"] > div', "Välj alla som visas", ".875rem"),
)

# The tooltips of the buttons over a table or chart, by the button's (English) aria-label. Only
# one tooltip shows at a time: the one of the button under the pointer or with keyboard focus.
TOOLBAR_TOOLTIPS = {
    "Show/hide columns": "Visa eller dölj kolumner",
    "Download as CSV": "Ladda ner som CSV",
    "Search": "Sök i tabellen",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Clear selection": "Ta bort markeringen",
    "Show data": "Visa data",
    "Show chart": "Visa diagram",
    "Download as PNG": "Ladda ner som PNG",
    "Copy Vega-Lite spec": "Kopiera diagrammets Vega-Lite-kod",
}


def _in_swedish(selector: str, text: str, size: str) -> str:
    return (
        f"{selector} {{ font-size: 0; visibility: hidden; }}\n"
        f'{selector}::after {{ content: "{text}"; font-size: {size}; visibility: visible; }}\n'
    )


def _widget_css() -> str:
    rules = [_in_swedish(selector, text, size) for selector, text, size in WIDGET_TEXT]
    for english, swedish in TOOLBAR_TOOLTIPS.items():
        shown = (
            f'body:has([data-testid="stElementToolbar"] button[aria-label="{english}"]'
            ':is(:hover, :focus-visible)) [data-testid="stTooltipContent"] p'
        )
        rules.append(_in_swedish(shown, swedish, ".875rem"))
    # The skip link stays focusable (no visibility: hidden); its Swedish is only shown, as the
    # empty alternative text after "/" keeps it out of what a screen reader reads.
    rules.append(
        '[data-testid="stSkipToContent"] { font-size: 0; }\n'
        '[data-testid="stSkipToContent"]::after { content: "Hoppa till innehållet" / ""; '
        "font-size: 1rem; }\n"
    )
    return "<style>\n" + "".join(rules) + "</style>"


def apply() -> None:
    st.html(_CSS + _widget_css())
