"""The HTML of cards, the answer and facet bars: pure functions, every document string escaped.

Document text and metadata come from PDFs nobody here wrote; they pass through ``html.escape``
(or ``highlight``, which escapes) before they are put between the tags made here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from index.models import SearchHit
from search_app.core.answer import AnswerSentence
from search_app.core.citations import found_by, page_label, pdf_href, pdf_page
from search_app.core.highlight import Tokenize, best_window, highlight
from search_app.core.passage_text import display_text

_e = html.escape

# A card shows this much of its passage, where the query words are; the rest is one click away.
CARD_CHARS = 600
# A passage at most this much longer is shown whole: a window would hide next to nothing.
_WHOLE_SLACK = 1.5
SHOW_WHOLE = "Visa hela passagen"
SHOW_WINDOW = "Visa bara utdraget"

WEAK_LABEL = "svag träff"
WEAK_HELP = "Passagen ligger långt från frågan i betydelse: läs den innan du litar på den."
OCR_LABEL = "OCR-läst sida"
OCR_HELP = "Texten är maskinläst (OCR) från en skannad sida och kan innehålla läsfel."


def hit_header(hit: SearchHit) -> str:
    chunk = hit.chunk
    title = chunk.title or chunk.source_file.rsplit("/", 1)[-1]
    tags = [chunk.doc_type, chunk.section_kind if chunk.section_kind != "annat" else None]
    chips = "".join(f'<span class="rs-chip">{_e(t)}</span>' for t in tags if t)
    if hit.weak:
        chips += f'<span class="rs-chip rs-weak" title="{_e(WEAK_HELP)}">{_e(WEAK_LABEL)}</span>'
    if chunk.ocr:
        help_text = OCR_HELP
        if chunk.ocr_confidence is not None:
            help_text += f" Säkerhet: {chunk.ocr_confidence:.0f} av 100."
        chips += f'<span class="rs-chip rs-ocr" title="{_e(help_text)}">{_e(OCR_LABEL)}</span>'
    return (
        f'<div class="rs-head" id="traff-{hit.rank}">'
        f'<span class="rs-num">[{hit.rank}]</span>'
        f'<span class="rs-title">{_e(title)}</span>{chips}</div>'
    )


def copies_line(hit: SearchHit) -> str:
    """ "Även i: …" with the citation of each place the same text also stands; "" when none."""
    places = hit.also_in()
    if not places:
        return ""
    items = "; ".join(f'<span class="rs-copy">{_e(place)}</span>' for place in places)
    return f'<div class="rs-copies"><span class="rs-copies-label">Även i:</span>{items}</div>'


def no_good_match(municipality: str) -> str:
    """The head of a comparison column where every passage is a weak match."""
    return (
        f'<div class="rs-nomatch">Ingen bra träff i {_e(municipality)}. '
        '<span class="rs-muted">De passager som finns ligger långt från frågan i betydelse.'
        "</span></div>"
    )


def hit_body(
    hit: SearchHit,
    terms: frozenset[str],
    tokenize: Tokenize,
    pdf_file: str | None,
    *,
    limit: int | None = CARD_CHARS,
    links: bool = True,
    originals: bool = True,
) -> str:
    """Heading path, the passage with query terms marked, and the source link line.

    A passage longer than ``limit`` shows its best-matching window, and the whole passage in a
    closed <details> below it; ``limit=None`` shows it whole. Without ``originals`` (the app does
    not serve the PDFs) the line has the page but no link, and does not call a PDF without one
    missing."""
    chunk = hit.chunk
    text = display_text(chunk.text, chunk.heading_path)
    parts = []
    if chunk.heading_path:
        parts.append(f'<div class="rs-path">{_e(chunk.heading_path_text)}</div>')
    parts.append(passage(text, terms, tokenize, limit))
    if links:
        parts.append(_source_line(hit, pdf_file, originals))
    return "".join(parts)


def passage(text: str, terms: frozenset[str], tokenize: Tokenize, limit: int | None) -> str:
    """The passage, marked: whole, or its best window with the whole behind "Visa hela passagen".

    The whole passage is always in the element of class ``rs-full``."""
    whole = f'<div class="rs-text rs-full">{highlight(text, terms, tokenize)}</div>'
    if limit is None or len(text) <= limit * _WHOLE_SLACK:
        return whole
    start, end = best_window(text, terms, tokenize, limit)
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    window = highlight(text[start:end].strip(), terms, tokenize)
    # Opened, the whole passage takes the window's place (the stylesheet in ui/cards.py).
    summary = (
        f'<span class="rs-more-show">{_e(SHOW_WHOLE)}</span>'
        f'<span class="rs-more-hide">{_e(SHOW_WINDOW)}</span>'
    )
    return (
        f'<div class="rs-text rs-window">{before}{window}{after}</div>'
        f'<details class="rs-more"><summary>{summary}</summary>{whole}</details>'
    )


def _source_line(hit: SearchHit, pdf_file: str | None, originals: bool = True) -> str:
    chunk = hit.chunk
    links = []
    page = pdf_page(chunk)
    if pdf_file and originals:
        label = f"Öppna PDF på sida {page}" if page else "Öppna PDF"
        links.append(
            f'<a class="rs-pdf" href="{_e(pdf_href(pdf_file, page))}" target="_blank" '
            f'rel="noopener" data-page="{page or ""}">{_e(label)}</a>'
        )
    elif originals and chunk.source_file.lower().endswith(".pdf"):
        links.append('<span class="rs-muted">PDF:en finns inte längre som den indexerades</span>')
    label = page_label(chunk)
    meta = " · ".join(
        x for x in (label, f"hittad av {found_by(hit)}", f"poäng {hit.score:.3f}") if x
    )
    links.append(f'<span class="rs-muted">{_e(meta)}</span>')
    return f'<div class="rs-links">{" · ".join(links)}</div>'


def answer_block(sentences: Sequence[AnswerSentence]) -> str:
    """The answer's sentences, each with its card number and the other places that say it."""
    body = " ".join(
        f'{_e(s.text)} <a class="rs-ref" href="#traff-{s.ref}">[{s.ref}]</a>{_also_in(s)}'
        for s in sentences
    )
    return (
        '<div class="rs-answer"><div class="rs-answer-label">Svar ur källorna</div>'
        f'<p>{body}</p><div class="rs-answer-note">Ordagranna meningar ur passagerna nedan; '
        "siffran visar vilken passage de kommer från. Inget är omskrivet eller tillagt.</div></div>"
    )


def _also_in(sentence: AnswerSentence) -> str:
    if not sentence.also_in:
        return ""
    places = "; ".join(_e(place) for place in sentence.also_in)
    return f' <span class="rs-answer-also">(även i: {places})</span>'


def facet_bars(title: str, counts: Sequence[tuple[str, int]]) -> str:
    """A small labelled bar list: a facet that reads at a glance."""
    top = max((n for _, n in counts), default=0) or 1
    rows = "".join(
        f'<div class="rs-facet-row"><span class="rs-facet-label">{_e(label)}</span>'
        f'<span class="rs-facet-bar"><span style="width:{round(100 * n / top)}%"></span></span>'
        f'<span class="rs-facet-n">{n}</span></div>'
        for label, n in counts
    )
    return f'<div class="rs-facet"><div class="rs-facet-title">{_e(title)}</div>{rows}</div>'
