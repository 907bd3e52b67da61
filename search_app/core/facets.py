"""Counts of hits per kommun and per år, and the values the filters can take."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from index.models import FILTER_FIELDS, SearchHit
from ingest.models import DOC_TYPES, SECTION_KINDS

UNKNOWN = "(okänt)"
# Swedish alphabetical order puts å, ä, ö after z, in that order; code points put ä before å.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_key(text: str) -> str:
    return text.casefold().translate(_SWEDISH_ORDER)


def count_by_municipality(hits: Sequence[SearchHit]) -> list[tuple[str, int]]:
    """(kommun, hits) with the most hits first; ties alphabetically."""
    counts = Counter(hit.chunk.municipality or UNKNOWN for hit in hits)
    return sorted(counts.items(), key=lambda item: (-item[1], swedish_key(item[0])))


def count_by_year(hits: Sequence[SearchHit]) -> list[tuple[str, int]]:
    """(år, hits) in year order, unknown years last."""
    counts = Counter(str(hit.chunk.year) if hit.chunk.year else UNKNOWN for hit in hits)
    return sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))


@dataclass(frozen=True)
class FilterOptions:
    municipalities: tuple[str, ...]
    years: tuple[int, ...]
    committees: tuple[str, ...]
    doc_types: tuple[str, ...]
    section_kinds: tuple[str, ...]
    audit_firms: tuple[str, ...]


_FILTER_FIELDS = ("year", *(f.chunk_field for f in FILTER_FIELDS))


def filter_options(values: Mapping[str, Iterable]) -> FilterOptions:
    """Every value the index holds for each filter, sorted, so a filter never offers nothing.

    ``values`` maps a chunk field (municipality, year, …) to the values rows hold
    (``Searcher.field_values``: read from the index's columns, not from a million chunks)."""
    fields = {name: {v for v in values.get(name, ()) if v} for name in _FILTER_FIELDS}
    return FilterOptions(
        years=tuple(sorted(fields["year"])),
        **{
            f.name: _in_order(fields[f.chunk_field], _CANONICAL.get(f.chunk_field, ()))
            for f in FILTER_FIELDS
        },
    )


# Document types and section kinds read best in the order a report has them; the rest
# alphabetically.
_CANONICAL = {"doc_type": DOC_TYPES, "section_kind": SECTION_KINDS}


def _in_order(values: set[str], canonical: Sequence[str]) -> tuple[str, ...]:
    rank = {value: i for i, value in enumerate(canonical)}
    return tuple(sorted(values, key=lambda v: (rank.get(v, len(rank)), swedish_key(v))))
