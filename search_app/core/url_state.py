"""A search as URL query parameters, so a search can be bookmarked and shared.

``?q=samverkan&kommun=Piteå+kommun&kommun=Ragunda+kommun&fran=2022&lage=bm25``; the parts of the
query the user removed as chips travel as ``ignorera=kommun:Ragunda+kommun``. Parameters at
their default are left out; a value that cannot be read (a year that is not a number, an unknown
mode) is ignored rather than failing the page, since URLs are typed and edited by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from index.models import MODES, Filters

DEFAULT_K = 10
MAX_K = 50

# URL parameter → SearchState field, for the fields that hold several values.
_MULTI = {
    "kommun": "municipalities",
    "namnd": "committees",
    "typ": "doc_types",
    "avsnitt": "section_kinds",
    "byra": "audit_firms",
    "ignorera": "ignore",
}


@dataclass(frozen=True)
class SearchState:
    query: str = ""
    municipalities: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    committees: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    section_kinds: tuple[str, ...] = ()
    audit_firms: tuple[str, ...] = ()
    # Keys of the query's recognised parts (chips) the user removed: "kommun:Ragunda kommun".
    ignore: tuple[str, ...] = ()
    mode: str = "hybrid"
    k: int = DEFAULT_K

    def filters(self) -> Filters:
        return Filters(
            municipalities=self.municipalities,
            year_from=self.year_from,
            year_to=self.year_to,
            committees=self.committees,
            doc_types=self.doc_types,
            section_kinds=self.section_kinds,
            audit_firms=self.audit_firms,
        )

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.query.strip():
            params["q"] = self.query.strip()
        for name, field_name in _MULTI.items():
            values = getattr(self, field_name)
            if values:
                params[name] = list(values)
        if self.year_from is not None:
            params["fran"] = str(self.year_from)
        if self.year_to is not None:
            params["till"] = str(self.year_to)
        if self.mode != "hybrid":
            params["lage"] = self.mode
        if self.k != DEFAULT_K:
            params["antal"] = str(self.k)
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str] | str]) -> SearchState:
        read = UrlParams(params)
        values, last = read.values, read.last
        state = cls(
            query=last("q") or "",
            **{field_name: values(name) for name, field_name in _MULTI.items()},
        )
        year_from, year_to = read.integer("fran"), read.integer("till")
        if year_from is not None and year_to is not None and year_from > year_to:
            year_from, year_to = year_to, year_from  # a shared link with the years swapped
        mode = last("lage")
        k = read.integer("antal")
        return replace(
            state,
            year_from=year_from,
            year_to=year_to,
            mode=mode if mode in MODES else "hybrid",
            k=min(max(k, 1), MAX_K) if k is not None else DEFAULT_K,
        )


@dataclass(frozen=True)
class UrlParams:
    """Query parameters as Streamlit gives them (one string or a list per name), read leniently."""

    params: Mapping[str, Sequence[str] | str]

    def values(self, name: str) -> tuple[str, ...]:
        """Every non-empty value of ``name``, stripped, first occurrence kept."""
        raw = self.params.get(name, ())
        raw = [raw] if isinstance(raw, str) else list(raw)
        return tuple(dict.fromkeys(v.strip() for v in raw if v and v.strip()))

    def last(self, name: str) -> str | None:
        found = self.values(name)
        return found[-1] if found else None

    def integer(self, name: str) -> int | None:
        """The last value of ``name`` as a whole number; None when absent or not a number."""
        raw = self.last(name)
        try:
            return int(raw) if raw is not None else None
        except ValueError:
            return None
