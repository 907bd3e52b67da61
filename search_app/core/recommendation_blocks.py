"""The HTML of recommendations, answers and verdicts: pure functions, every document string escaped.

Like ``html_blocks``: what comes from a PDF (a recommendation, a passage, a citation) passes
through ``html.escape`` before it is put between the tags made here, and a PDF link opens the
published file on the page the record is on (``#page=N``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlencode

from recommendations import Location, Recommendation, Verdict
from recommendations.store import RecommendationHit
from search_app.core.citations import pdf_href
from search_app.core.recommendations import ORIGIN_LABELS, report_title

_e = html.escape

# The Rekommendationer page's url_path (search_app/app.py), relative to the app's root.
PAGE_PATH = "rekommendationer"


def page_href(rec_id: str) -> str:
    """A link to the Rekommendationer page with this recommendation's detail open."""
    return f"{PAGE_PATH}?{urlencode({'rek': rec_id})}"


def pdf_link(pdf_file: str | None, page: int | None) -> str:
    """ "Öppna PDF på sida 7" opening the published file at that page; '' without a file."""
    if not pdf_file:
        return ""
    label = f"Öppna PDF på sida {page}" if page else "Öppna PDF"
    return (
        f'<a class="rs-pdf" href="{_e(pdf_href(pdf_file, page))}" target="_blank" '
        f'rel="noopener" data-page="{page or ""}">{_e(label)}</a>'
    )


def location_page(location: Location | None) -> int | None:
    return location.pages[0] if location is not None and location.pages else None


def chips(rec: Recommendation) -> str:
    tags = []
    if rec.earlier:
        tags.append(f"tidigare ({rec.earlier_year})" if rec.earlier_year else "tidigare")
    if rec.origin != "rapport":
        tags.append(ORIGIN_LABELS.get(rec.origin, rec.origin))
    tags += rec.topics
    return "".join(f'<span class="rs-chip">{_e(t)}</span>' for t in tags)


def recommendation_card(rec: Recommendation) -> str:
    """The recommendation in full: the audit, to whom, the text and the sections it cites."""
    notes = []
    if rec.addressee:
        notes.append(f"Till {rec.addressee}")
    if rec.cited_sections:
        notes.append("se avsnitt " + ", ".join(rec.cited_sections))
    if rec.earlier:
        notes.append(
            f"Rekommendation från {rec.earlier_year or 'en tidigare granskning'}, citerad i "
            f"uppföljningen {rec.source.year or ''}".strip()
        )
    elif rec.origin == "handling":
        notes.append("Rapporten finns inte i korpusen; rekommendationen citeras i en handling")
    note = f'<div class="rs-answer-note">{_e(" · ".join(notes))}</div>' if notes else ""
    return (
        f'<div class="rs-head"><span class="rs-title">{_e(report_title(rec))}</span>'
        f"{chips(rec)}</div>"
        '<div class="rs-answer"><div class="rs-answer-label">Rekommendation</div>'
        f"<p>{_e(rec.text)}</p>{note}</div>"
    )


def location_line(location: Location, pdf_file: str | None) -> str:
    """Where one statement of the record is: section, page, and a link opening that page."""
    parts = [
        f'<span class="rs-title">{_e(location.section_label() or location.section_kind)}</span>'
    ]
    if location.page_label():
        parts.append(f'<span class="rs-muted">{_e(location.page_label())}</span>')
    link = pdf_link(pdf_file, location_page(location))
    if link:
        parts.append(link)
    return f'<div class="rs-links">{" · ".join(parts)}</div>'


def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    words = phrase.split()
    if not words:
        return None
    # Line breaks, hyphenation at a line end and double spaces differ between record and passage.
    return re.compile(r"(?:-?\s+)".join(re.escape(w) for w in words), re.IGNORECASE)


def passage(text: str, marked: str | None = None) -> str:
    """A passage, escaped, with ``marked`` (the recommendation) wrapped in <mark> where it is."""
    pattern = _phrase_pattern(marked) if marked else None
    match = pattern.search(text) if pattern else None
    if match is None:
        body = _e(text)
    else:
        body = (
            _e(text[: match.start()])
            + f"<mark>{_e(match.group(0))}</mark>"
            + _e(text[match.end() :])
        )
    return f'<div class="rs-text">{body}</div>'


def linked_record(
    label: str, citation: str, excerpt: str, pdf_file: str | None, page: int | None
) -> str:
    """An answer or a follow-up: what it is, its citation, the sentence the link rests on."""
    quote = " ".join(excerpt.split())
    parts = [
        f'<div class="rs-head"><span class="rs-title">{_e(label)}</span></div>',
        f'<div class="rs-path">{_e(citation)}</div>',
    ]
    if quote:
        parts.append(f'<div class="rs-text">”{_e(quote)}”</div>')
    link = pdf_link(pdf_file, page)
    if link:
        parts.append(f'<div class="rs-links">{link}</div>')
    return "".join(parts)


def verdict_block(verdict: Verdict | None, title: str, pdf_file: str | None) -> str:
    """A report's overall verdict: level, the sentence stating it, citation and PDF link."""
    head = f'<div class="rs-head"><span class="rs-title">{_e(title)}</span>'
    if verdict is None:
        return (
            head + "</div>"
            '<div class="rs-muted">Ingen sammanfattande bedömning hittades i rapporten.</div>'
        )
    head += f'<span class="rs-chip rs-level">{_e(verdict.level)}</span></div>'
    location = verdict.locations[0] if verdict.locations else None
    link = pdf_link(pdf_file, location_page(location))
    return (
        head + f'<div class="rs-path">{_e(verdict.citation())}</div>'
        f'<div class="rs-text">”{_e(verdict.sentence)}”</div>'
        + (f'<div class="rs-links">{link}</div>' if link else "")
    )


def search_page_block(hits: Sequence[RecommendationHit], citations: Sequence[str]) -> str:
    """The Sök page's "Rekommendationer" box: the best records, each cited, each a link."""
    items = []
    for hit, citation in zip(hits, citations, strict=True):
        rec = hit.recommendation
        items.append(
            '<div class="rs-rec">'
            f'<span class="rs-num">[R{hit.rank}]</span> <span>{_e(rec.text)}</span>{chips(rec)}'
            f'<div class="rs-path">{_e(citation)} · '
            f'<a class="rs-pdf" href="{_e(page_href(rec.rec_id))}" target="_self">'
            "Källa, nämndens svar och uppföljning →</a></div></div>"
        )
    return (
        '<div class="rs-answer rs-recs"><div class="rs-answer-label">Rekommendationer</div>'
        + "".join(items)
        + '<div class="rs-answer-note">Revisorernas rekommendationer ur rapporterna som bäst '
        "matchar frågan, med filtren ovan. Passagerna följer nedan.</div></div>"
    )
