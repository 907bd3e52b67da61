"""A search as URL query parameters, so a search can be bookmarked and shared.

``?q=samverkan&kommun=Piteå+kommun&kommun=Ragunda+kommun&fran=2022&lage=bm25``; the parts of the
query the user removed as chips travel as ``ignorera=kommun:Ragunda+kommun``. Parameters at
their default are left out; a value that cannot be read (a year that is not a number, an unknown
mode) is ignored rather than failing the page, since URLs are typed and edited by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from index.models import DEFAULT_K, FILTER_FIELDS, MODES, YEAR_PARAMS, FilterField, Filters

# The most hits the app lists on a page; the searcher itself allows index.models.MAX_K.
MAX_K = 50


@dataclass(frozen=True)
class SearchState:
    query: str = ""
    filters: Filters = field(default_factory=Filters)
    # Keys of the query's recognised parts (chips) the user removed: "kommun:Ragunda kommun".
    ignore: tuple[str, ...] = ()
    mode: str = "hybrid"
    k: int = DEFAULT_K

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.query.strip():
            params["q"] = self.query.strip()
        params |= filter_params(self.filters)
        if self.ignore:
            params["ignorera"] = list(self.ignore)
        if self.mode != "hybrid":
            params["lage"] = self.mode
        if self.k != DEFAULT_K:
            params["antal"] = str(self.k)
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str] | str]) -> SearchState:
        read = UrlParams(params)
        mode = read.last("lage")
        k = read.integer("antal")
        return cls(
            query=read.last("q") or "",
            filters=read_filters(read),
            ignore=read.values("ignorera"),
            mode=mode if mode in MODES else "hybrid",
            k=min(max(k, 1), MAX_K) if k is not None else DEFAULT_K,
        )


def filter_params(filters: Filters) -> dict[str, str | list[str]]:
    """``filters`` as URL parameters; those not set are left out."""
    params: dict[str, str | list[str]] = {}
    for f in FILTER_FIELDS:
        values = getattr(filters, f.name)
        if values:
            params[f.param] = list(values)
    for name, year in zip(YEAR_PARAMS, (filters.year_from, filters.year_to), strict=True):
        if year is not None:
            params[name] = str(year)
    return params


def read_filters(read: UrlParams, fields: Sequence[FilterField] = FILTER_FIELDS) -> Filters:
    """The filters of ``fields`` (default all) that a URL names."""
    year_from, year_to = (read.integer(name) for name in YEAR_PARAMS)
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from  # a shared link with the years swapped
    return Filters(
        year_from=year_from,
        year_to=year_to,
        **{f.name: read.values(f.param) for f in fields},
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
