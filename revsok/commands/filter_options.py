"""The filter options of the commands, read from the one declaration ``index.models.FILTER_FIELDS``.

``revsok search`` takes every field, ``revsok recommendations`` the ones a recommendation has; both
take a year range and build the same ``Filters``, so a filter means the same in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from index.models import FILTER_FIELDS, FilterField, Filters
from ingest.committees import normalise_committee
from ingest.places import official_name
from revsok.known_values import known


def add_filter_options(parser, fields: Iterable[FilterField] = FILTER_FIELDS) -> None:
    for f in fields:
        parser.add_argument(
            *f.cli_flags,
            dest=f.name,
            action="append",
            default=[],
            metavar=f.label.upper(),
            help=f"{f.label} (kan upprepas)",
        )
    parser.add_argument("--from", dest="year_from", type=int, metavar="ÅR", help="från och med år")
    parser.add_argument("--to", dest="year_to", type=int, metavar="ÅR", help="till och med år")


def filters_from_args(
    args,
    indexed: Callable[[FilterField], Iterable[str | None]],
    *,
    fields: Iterable[FilterField] = FILTER_FIELDS,
    resolve: dict[str, Callable[[str], str]] | None = None,
    matches: dict[str, Callable[[str, str], bool]] | None = None,
    holding: str = "",
) -> Filters:
    """The ``Filters`` the options name, each value in the index's own form.

    ``indexed(field)`` gives the values the index holds for a field; a name none of them matches
    raises ``UnknownValue``, which lists them as the field's plural and ``holding`` ("kommuner med
    rekommendationer"). A kommun is taken by its short, genitive or official name and a nämnd in
    any form ("socialnämndens"); ``resolve`` and ``matches`` override, per field name, how a typed
    name is turned into and compared with an indexed value (see ``known``).
    """
    resolve, matches = NAME_FORMS | (resolve or {}), matches or {}
    chosen = {
        f.name: known(
            getattr(args, f.name),
            indexed(f),
            f"{f.plural} {holding}".strip(),
            resolve=resolve.get(f.name, _as_typed),
            matches=matches.get(f.name),
        )
        for f in fields
    }
    return Filters(year_from=args.year_from, year_to=args.year_to, **chosen)


def _as_typed(name: str) -> str:
    return name


def _committee_name(name: str) -> str:
    return normalise_committee(name) or name


NAME_FORMS = {"municipalities": official_name, "committees": _committee_name}
