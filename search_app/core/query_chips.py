"""The parts of a query the search understood (kommun, år, nämnd, …) as chips: what each chip says,
whether the filters already do its work, and which filter value it becomes.

Pure functions over ``index.query_understanding.Recognised`` and the index's filter options; the
Streamlit side is ``search_app.ui.query_chips``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.models import FILTER_FIELDS
from index.query_understanding import Recognised
from search_app.core.facets import FilterOptions
from search_app.core.url_state import SearchState

# The filter each recognised kind becomes: its widget's key suffix is the field's URL parameter.
_LIST_FILTERS = {f.query_kind: f for f in FILTER_FIELDS if f.query_kind}
YEAR_WIDGET = "ar"


def chip_label(part: Recognised) -> str:
    """ "Kommun: Ragunda kommun", "År: 2020–2022"."""
    return f"{part.kind.capitalize()}: {part.label}"


@dataclass(frozen=True)
class FilterChange:
    """Making a chip a filter: the sidebar widget (its key after the prefix) and its new value."""

    widget: str
    value: tuple[str, ...] | tuple[int, int]


def _option_values(part: Recognised, options: FilterOptions) -> tuple[str, ...]:
    """The filter options the part stands for, spelt as the index spells them."""
    by_folded = {o.casefold(): o for o in getattr(options, _LIST_FILTERS[part.kind].name)}
    found = (by_folded.get(v.casefold()) for v in part.values)
    return tuple(dict.fromkeys(v for v in found if v))


def year_slider_value(
    part: Recognised, years: Sequence[int]
) -> tuple[tuple[int, int], tuple[int | None, int | None]] | None:
    """The år slider's value for the part's range, and the filter that value means (an end at the
    edge of the index's years is no limit); None without a slider or when no year of the index
    is in the range."""
    if len(years) <= 1:
        return None
    low, high = years[0], years[-1]
    start = low if part.year_from is None else part.year_from
    end = high if part.year_to is None else part.year_to
    if start > high or end < low or start > end:
        return None
    start, end = max(start, low), min(end, high)
    return (start, end), (start if start > low else None, end if end < high else None)


def filter_change(
    part: Recognised, state: SearchState, options: FilterOptions
) -> FilterChange | None:
    """The sidebar change that makes ``part`` a hard filter; None when the index has no such value
    (a kommun that is not indexed, a year outside the index) and the chip can only be removed."""
    if part.kind == "år":
        slider = year_slider_value(part, options.years)
        return FilterChange(YEAR_WIDGET, slider[0]) if slider else None
    if part.kind not in _LIST_FILTERS:
        return None
    values = _option_values(part, options)
    if not values:
        return None
    field = _LIST_FILTERS[part.kind]
    chosen = getattr(state.filters, field.name)
    return FilterChange(field.param, tuple(dict.fromkeys((*chosen, *values))))


def covered_by_filters(part: Recognised, state: SearchState, options: FilterOptions) -> bool:
    """True when the filters already restrict the search to what ``part`` names: its chip would add
    nothing, so it is not shown."""
    if part.kind == "år":
        slider = year_slider_value(part, options.years)
        return slider is not None and slider[1] == (state.filters.year_from, state.filters.year_to)
    if part.kind not in _LIST_FILTERS:
        return False
    values = _option_values(part, options)
    chosen = {v.casefold() for v in getattr(state.filters, _LIST_FILTERS[part.kind].name)}
    return bool(values) and all(v.casefold() in chosen for v in values)
