"""What search returns and how it is filtered: one shape for the CLI, the app and the eval."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.models import Chunk, citation_line, page_reference

if TYPE_CHECKING:
    from index.query_understanding import Interpretation

MODES = ("hybrid", "bm25", "dense")
MAX_K = 1000
# Longer queries are cut: embedding a 100,000-character query took 24 s and blocked every session.
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class Filters:
    """Metadata filters, applied before ranking. Empty means no restriction."""

    municipalities: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    committees: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    section_kinds: tuple[str, ...] = ()
    audit_firms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise ValueError(
                f"årsintervallet är bakvänt: från {self.year_from} till {self.year_to}; "
                "byt plats på åren"
            )

    def is_empty(self) -> bool:
        return self == Filters()

    def accepts(self, chunk: Chunk) -> bool:
        def within(value: str | None, allowed: tuple[str, ...]) -> bool:
            if not allowed:
                return True
            return value is not None and value.casefold() in {a.casefold() for a in allowed}

        if self.year_from is not None and (chunk.year is None or chunk.year < self.year_from):
            return False
        if self.year_to is not None and (chunk.year is None or chunk.year > self.year_to):
            return False
        return (
            within(chunk.municipality, self.municipalities)
            and within(chunk.committee, self.committees)
            and within(chunk.doc_type, self.doc_types)
            and within(chunk.section_kind, self.section_kinds)
            and within(chunk.audit_firm, self.audit_firms)
        )


@dataclass(frozen=True)
class SearchHit:
    """One ranked passage: the chunk, its fused score, and what each retriever thought of it."""

    chunk: Chunk
    rank: int
    score: float
    retrievers: tuple[str, ...]
    retriever_ranks: dict[str, int] = field(default_factory=dict)
    retriever_scores: dict[str, float] = field(default_factory=dict)
    copies: tuple[Chunk, ...] = ()  # near-identical passages folded into this one ("även i")
    similarity: float | None = None  # cosine of the passage to the query, when it was embedded
    weak: bool = False  # far in meaning from the query: shown as "svag träff"

    def chunk_ids(self) -> list[str]:
        """This passage's chunk and its copies, as the eval ranks them."""
        return [self.chunk.chunk_id, *(c.chunk_id for c in self.copies)]

    def citation(self) -> str:
        return chunk_citation(self.chunk)

    def also_in(self) -> list[str]:
        """Where else the hit's text stands ("även i"): its copies' citations, each once, leaving
        out those that read as the hit's own (the next overlapping window of the same section)."""
        own = self.citation()
        return [c for c in dict.fromkeys(map(chunk_citation, self.copies)) if c != own]


def chunk_citation(c: Chunk) -> str:
    """Kommun · år · nämnd · titel (byrå) · § · avsnitt · sida: where a passage stands, for a hit
    and for a passage folded into one ("även i")."""
    section = " ".join(x for x in (c.section_number, c.section_title) if x)
    return citation_line(c, section=section, pages=page_reference(c.pages, c.printed_pages))


class SearchResults(list):
    """The ranked hits (a list, best first) and how the query was understood."""

    def __init__(
        self, hits: list[SearchHit], interpretation: Interpretation, truncated_from: int = 0
    ):
        super().__init__(hits)
        self.interpretation = interpretation
        # The query's length when it was cut to MAX_QUERY_CHARS; 0 when it was not.
        self.truncated_from = truncated_from
