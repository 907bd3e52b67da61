"""Which recommendations a filter keeps (a verdict is kept by its report, as a passage is).

They take the same ``Filters`` as the passage search, read the same way: a chosen value matches
ignoring case, and a year range needs a known year. What a recommendation offers each field:

- år: the year it was made (the earlier audit's year for one a follow-up quotes);
- nämnd: the report's nämnd, and every nämnd it is addressed to ("socialnämnden
  (omsorgs- och arbetsmarknadsnämnden)" names two);
- avsnitt: the kind of every section that states it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from index.models import FILTER_FIELDS, Filters
from ingest.committees import find_committees
from recommendations.models import Recommendation

# The filter fields a recommendation offers a choice on: the command line's options and the
# Rekommendationer page's sidebar. Years are the year range as for passages.
RECOMMENDATION_FIELDS = tuple(
    f for f in FILTER_FIELDS if f.name in ("municipalities", "committees")
)


def committees_of(rec: Recommendation) -> tuple[str, ...]:
    """The report's nämnd and the nämnder the recommendation is addressed to, each once."""
    named = (rec.committee, *_addressed(rec.addressee or ""))
    return tuple(dict.fromkeys(n for n in named if n))


@lru_cache(maxsize=4096)
def _addressed(addressee: str) -> tuple[str, ...]:
    return tuple(mention.name for mention in find_committees(addressee))


@dataclass(frozen=True)
class _Reading:
    """One way of reading a recommendation as a passage, for ``Filters.accepts``."""

    municipality: str | None
    year: int | None
    committee: str | None
    doc_type: str | None
    section_kind: str | None
    audit_firm: str | None


def recommendation_accepted(rec: Recommendation, filters: Filters) -> bool:
    if filters.is_empty():
        return True
    kinds = tuple(dict.fromkeys(loc.section_kind for loc in rec.locations)) or (None,)
    source = rec.source
    return any(
        filters.accepts(
            _Reading(
                rec.municipality, rec.year, committee, source.doc_type, kind, source.audit_firm
            )
        )
        for committee in committees_of(rec) or (None,)
        for kind in kinds
    )
