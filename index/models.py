"""What search returns and how it is filtered: one shape for the CLI, the app and the eval."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.models import Chunk, citation_line, page_reference

if TYPE_CHECKING:
    from index.query_understanding import Interpretation

MODES = ("hybrid", "bm25", "dense")
MAX_K = 1000
DEFAULT_K = 10
# Longer queries are cut: embedding a 100,000-character query took 24 s and blocked every session.
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class FilterField:
    """One field a search can be filtered on, with every name it goes by."""

    name: str  # on Filters (several values may be chosen): "municipalities"
    chunk_field: str  # on a chunk, a document or an extracted record: "municipality"
    param: str  # in a shared URL: "kommun"
    label: str  # in words, in the app (capitalised), in exports and on the command line: "kommun"
    plural: str  # in messages: "kommuner"
    # Whether query understanding looks for a value of this field in the query text; what it
    # recognises is of the kind named by the label ("kommun", "dokumenttyp").
    recognised: bool = False
    # Command-line options besides --label and --param: the English names of the first release.
    cli_aliases: tuple[str, ...] = ()

    @property
    def query_kind(self) -> str | None:
        return self.label if self.recognised else None

    @property
    def cli_flags(self) -> tuple[str, ...]:
        """``--nämnd``, ``--namnd``: the label, its ASCII form as in URLs, then any alias."""
        names = (self.label, self.param, *self.cli_aliases)
        return tuple(f"--{name}" for name in dict.fromkeys(names))


# The categorical filters, declared once: the searcher's columns, the app's URL state, its
# description of the active filters, the facet lists and the command line all read this table.
# Years are the range ``year_from``–``year_to`` (URL "fran", "till"; options --from, --to).
FILTER_FIELDS = (
    FilterField("municipalities", "municipality", "kommun", "kommun", "kommuner", recognised=True),
    FilterField("committees", "committee", "namnd", "nämnd", "nämnder", recognised=True),
    FilterField(
        "doc_types",
        "doc_type",
        "typ",
        "dokumenttyp",
        "dokumenttyper",
        recognised=True,
        cli_aliases=("type",),
    ),
    FilterField(
        "section_kinds",
        "section_kind",
        "avsnitt",
        "avsnitt",
        "avsnittstyper",
        recognised=True,
        cli_aliases=("section",),
    ),
    FilterField("audit_firms", "audit_firm", "byra", "byrå", "byråer"),
)
YEAR_PARAMS = ("fran", "till")


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

    def accepts(self, record) -> bool:
        """Whether a chunk, document or extracted record's source passes, as the searcher's
        columns decide it: a chosen value matches ignoring case, a range needs a known year."""
        year = getattr(record, "year", None)
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        if self.year_to is not None and (year is None or year > self.year_to):
            return False
        for f in FILTER_FIELDS:
            allowed = getattr(self, f.name)
            value = getattr(record, f.chunk_field, None)
            if allowed and (value is None or value.casefold() not in _folded(allowed)):
                return False
        return True

    def describe(self) -> str:
        """The active filters in words ("kommun: Piteå kommun; år: 2021–…"), for exports and
        empty states."""
        parts = []
        for f in FILTER_FIELDS:
            values = getattr(self, f.name)
            if values:
                parts.append(f"{f.label}: " + ", ".join(values))
            if f.name == "municipalities" and (self.year_from or self.year_to):
                parts.append(f"år: {self.year_from or '…'}–{self.year_to or '…'}")
        return "; ".join(parts)


def _folded(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values)


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
    return citation_line(c, section=c.section_label, pages=page_reference(c.pages, c.printed_pages))


class SearchResults(list):
    """The ranked hits (a list, best first) and how the query was understood."""

    def __init__(
        self, hits: list[SearchHit], interpretation: Interpretation, truncated_from: int = 0
    ):
        super().__init__(hits)
        self.interpretation = interpretation
        # The query's length when it was cut to MAX_QUERY_CHARS; 0 when it was not.
        self.truncated_from = truncated_from
