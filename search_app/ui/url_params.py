"""The URL side of a filter form: read the page's query parameters, seed widgets from them, write
the form's state back. Shared by the search pages and the Rekommendationer page."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import streamlit as st


def current_params() -> dict[str, list[str]]:
    """The page's query parameters, every value as a list."""
    return {name: st.query_params.get_all(name) for name in st.query_params}


def publish_params(wanted: Mapping[str, str | list[str]]) -> None:
    """Write ``wanted`` into the URL (only when it changed, to avoid needless reruns)."""
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current_params() != normalised:
        st.query_params.from_dict(wanted)


def known(values: Iterable[str], allowed: Collection[str]) -> list[str]:
    """The values a widget can show: a hand-edited URL may name what the index does not have."""
    return [v for v in values if v in allowed]


def year_seed(
    years: Sequence[int], year_from: int | None, year_to: int | None
) -> tuple[int, int] | None:
    """The år slider's value for a URL's range, kept inside ``years``; None without a slider."""
    if len(years) <= 1:
        return None
    low, high = years[0], years[-1]
    start = min(max(year_from or low, low), high)
    end = max(min(year_to or high, high), start)
    return start, end


def seed_widgets(prefix: str, seeds: Mapping[str, object]) -> None:
    """Give each widget that has no value yet the value the URL holds (a shared link)."""
    for name, value in seeds.items():
        st.session_state.setdefault(f"{prefix}-{name}", value)
