"""Swedish kommuner and regioner in running text (their nämnder: ``ingest.committees``).

The list of places is ``ingest/data/places.csv`` (290 kommuner, 21 regioner). A place counts as
mentioned only with a word that says what it is ("Härnösands kommun", "Piteå kommuns revisorer",
"Stockholms stad", "Region Västernorrland", "Västra Götalandsregionen"): many kommun names are
also ordinary words or common place names ("Mora", "Ale", "Bjuv", "Nora", "Vara"), so a bare name
is never taken as a mention, except as the home of the auditors ("Stadsrevisionen i Stockholm").
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.vocabulary import DATA
from revsok.errors import RevsokError

logger = logging.getLogger(__name__)

PLACES_CSV = DATA / "places.csv"
PLACE_KINDS = ("kommun", "region")
_COLUMNS = ("kind", "name", "official_name", "genitive", "lan")


class PlacesDataError(RevsokError):
    """The list of places is missing or malformed."""


@dataclass(frozen=True)
class Place:
    """One row of places.csv."""

    kind: str
    name: str
    official_name: str
    genitive: str
    lan: str


@dataclass(frozen=True)
class Mention:
    """One place named in a text. ``start``/``end`` are character offsets into that text."""

    name: str
    official_name: str
    kind: str
    start: int
    end: int
    matched: str


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """All places from places.csv, read once per process."""
    if not PLACES_CSV.is_file():
        raise PlacesDataError(
            f"{PLACES_CSV} is missing: restore ingest/data/places.csv (columns "
            f"{','.join(_COLUMNS)}) from version control."
        )
    with PLACES_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise PlacesDataError(
                f"{PLACES_CSV} lacks the columns {missing}; expected header {','.join(_COLUMNS)}."
            )
        places = []
        for lineno, row in enumerate(reader, start=2):
            values = {c: (row[c] or "").strip() for c in _COLUMNS}
            if values["kind"] not in PLACE_KINDS or not values["name"]:
                raise PlacesDataError(
                    f"{PLACES_CSV}:{lineno}: kind must be one of {PLACE_KINDS} and name non-empty, "
                    f"got {row!r}; fix that row."
                )
            places.append(Place(**values))
    logger.debug("loaded %d places from %s", len(places), PLACES_CSV)
    return tuple(places)


# A genitive s, or a compound written with the kommun's name ("Piteå kommunfullmäktige",
# "Härnösands kommunstyrelse"), names the place as clearly as the bare form. "kommuner" is left
# out on purpose: "Stockholms kommuner" means the kommuner of the county, not Stockholms stad.
_SUFFIX = r"(?:s|fullmäktiges?|styrelse(?:ns?)?|koncern(?:ens?)?)?"


def _forms(place: Place) -> list[str]:
    """Written forms that name ``place`` unambiguously (without genitive s/compound endings)."""
    forms = {place.official_name}
    if place.kind == "kommun":
        for stem in {place.name, place.genitive}:
            forms.add(f"{stem} kommun")
            forms.add(f"{stem} stad")
    else:
        forms.update(region_forms(place))
    return sorted(forms)


def region_forms(place: Place) -> set[str]:
    """A region's names, also those from before 2019, when regions were landsting: "Landstinget
    Dalarna", "Landstinget i Värmland", "Norrbottens läns landsting"."""
    forms = {f"Region {place.name}"}
    if place.name.endswith(" län"):
        # "Region Jönköping" is common shorthand for "Region Jönköpings län".
        short = place.name[: -len(" län")]
        forms.add(f"Region {short.removesuffix('s')}")
    forms |= {f"Landstinget {place.name}", f"Landstinget i {place.name}", f"{place.lan}s landsting"}
    return forms


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _trie_pattern(forms: list[str]) -> str:
    """One regex for many literal forms, prefixes shared.

    A plain alternation of ~1,400 forms costs about 2 µs per character of text (a packet of
    500 kB took a second); the trie lets the engine reject a position after one character.
    Spaces become ``\\s+``: PDF text breaks lines anywhere ("Härnösands \\nkommun").
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        terminal = "" in node
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, Place], tuple[str, ...]]:
    by_form: dict[str, Place] = {}
    for place in load_places():
        for form in _forms(place):
            # Gotland is both a kommun and a region with one name, "Region Gotland"; the region
            # row wins so the mention says what the words say.
            if _key(form) not in by_form or place.kind == "region":
                by_form[_key(form)] = place
    # Trie branches differ in their first character, so at most one fits the text; the greedy
    # optional tails then give the longest form at each position ("Lilla Edets kommun").
    pattern = re.compile(
        rf"(?<![\w-])(?:{_trie_pattern(list(by_form))}){_SUFFIX}(?!\w)", re.IGNORECASE
    )
    longest_first = tuple(sorted(by_form, key=len, reverse=True))
    return pattern, by_form, longest_first


def _place_for(matched: str) -> Place | None:
    _, by_form, longest_first = _matcher()
    key = _key(matched)
    if key in by_form:
        return by_form[key]
    # The match carried a genitive s or a compound ending; cut back to the known form.
    for form in longest_first:
        if key.startswith(form):
            return by_form[form]
    return None


def find_municipalities(text: str) -> list[Mention]:
    """Every kommun or region that ``text`` names with its kind word, in order of appearance."""
    pattern = _matcher()[0]
    mentions = []
    for match in pattern.finditer(text):
        place = _place_for(match.group(0))
        if place is None:  # cannot happen while forms and pattern agree; keep the run going
            logger.warning("unmapped place form %r", match.group(0))
            continue
        mentions.append(_mention(place, match, 0))
    return mentions


def _mention(place: Place, match: re.Match[str], group: int | str) -> Mention:
    """``place`` as named by ``group`` of ``match``."""
    return Mention(
        name=place.name,
        official_name=place.official_name,
        kind=place.kind,
        start=match.start(group),
        end=match.end(group),
        matched=match.group(group),
    )


@lru_cache(maxsize=1)
def _auditors_of_matcher() -> tuple[re.Pattern[str], dict[str, Place]]:
    by_name = {_key(p.name): p for p in load_places() if p.kind == "kommun"}
    # Only the definite forms: "kommunal revision i Borås" in a byrå's biography names a town.
    # A list after the name ("revisorerna i Sollefteå, Kramfors och Härnösand") names several.
    pattern = re.compile(
        r"(?<![\w-])(?:\w*revisionen|\w*revisorerna)\s+i\s+"
        rf"(?P<name>{_trie_pattern(list(by_name))})(?![\w-])(?!\s*(?:,|och\b|samt\b))",
        re.IGNORECASE,
    )
    return pattern, by_name


def find_auditors_of(text: str) -> list[Mention]:
    """Every kommun named by its bare name as the home of the auditors: "Stadsrevisionen i
    Stockholm", "revisorerna i Skellefteå". A bare name elsewhere may be a town, a street or a
    region; after the auditors it is the kommun whose auditors they are."""
    pattern, by_name = _auditors_of_matcher()
    mentions = []
    for match in pattern.finditer(text):
        place = by_name.get(_key(match.group("name")))
        if place is None or not match.group("name")[:1].isupper():
            continue  # "mark", "vara" in lower case are words
        mentions.append(_mention(place, match, "name"))
    return mentions


def resolve_place(name: str) -> Place | None:
    """The place a user means by a short, genitive or official name ("Piteå", "Härnösands")."""
    wanted = " ".join(name.split()).casefold()
    for place in load_places():
        forms = {place.name, place.official_name, place.genitive, f"{place.genitive} kommun"}
        if place.kind == "region":
            forms.add(f"Region {place.name}")
        if wanted in {form.casefold() for form in forms}:
            return place
    return None


def official_name(name: str) -> str:
    """The official name of the place a user means ("Piteå" → "Piteå kommun"); the name itself
    when it names no known place."""
    place = resolve_place(name)
    return place.official_name if place else name
