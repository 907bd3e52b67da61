"""What a card and an export say about where a passage comes from."""

from __future__ import annotations

from urllib.parse import quote

from index.models import SearchHit
from ingest.models import Chunk, page_reference

# Streamlit serves files under <app folder>/static at this path when static serving is on.
STATIC_URL = "app/static"
PDF_FOLDER = "pdf"

RETRIEVER_LABELS = {"bm25": "ordmatchning", "dense": "semantisk"}


def pdf_page(chunk: Chunk) -> int | None:
    """The 1-based PDF page where the passage starts (what a viewer's #page= expects)."""
    return chunk.pages[0] if chunk.pages else None


def pdf_href(file_name: str, page: int | None) -> str:
    """A link, relative to the app's root, that opens a published PDF at ``page``."""
    url = f"{STATIC_URL}/{PDF_FOLDER}/{quote(file_name)}"
    return f"{url}#page={page}" if page else url


def page_label(chunk: Chunk) -> str:
    """The page as every citation gives it: "s. 9" when printed on the page, else "PDF-s. 3"."""
    return page_reference(chunk.pages, chunk.printed_pages)


def found_by(hit: SearchHit) -> str:
    return " + ".join(RETRIEVER_LABELS.get(r, r) for r in hit.retrievers)


def full_citation(hit: SearchHit) -> str:
    """The citation line, with the Dnr when the document has one (protocols, tjänsteskrivelser)."""
    citation = hit.citation()
    if hit.chunk.case_number:
        citation = f"{citation} · Dnr {hit.chunk.case_number}"
    return citation
