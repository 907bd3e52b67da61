"""A filter value the index does not hold is a mistake to name, not an empty result to print.

"--kommun Stockholm" against an index of five other kommuner used to answer "Inga träffar", as if
Stockholm had been searched and found silent; now it says which kommuner the index holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from revsok.errors import RevsokError


class UnknownValue(RevsokError):
    """A filter names a kommun, nämnd, type or byrå that no indexed document has."""


def known(
    named: Sequence[str],
    indexed: Iterable[str | None],
    what: str,
    *,
    resolve: Callable[[str], str] = lambda name: name,
    matches: Callable[[str, str], bool] | None = None,
) -> tuple[str, ...]:
    """The index's own form of each of ``named``; raises UnknownValue for a name it lacks.

    ``matches(name, value)`` says whether a typed name selects an indexed value (default: equal
    ignoring case after ``resolve``).
    """
    values = sorted({v for v in indexed if v}, key=str.casefold)
    resolved = []
    for name in named:
        form = resolve(name)
        hit = next(
            (
                v
                for v in values
                if (matches(name, v) if matches else v.casefold() == form.casefold())
            ),
            None,
        )
        if hit is None:
            holds = ", ".join(values) if values else "inga"
            raise UnknownValue(f"{form} finns inte i indexet ({what}: {holds})")
        resolved.append(hit)
    return tuple(resolved)
