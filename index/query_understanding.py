"""What a query says beyond its topic: the kommun, years, nämnd, document type and section it names.

Revisorer type "socialnämnden i Kiruna 2022" or "Piteås rekommendationer om LSS". The place and the
year are metadata, not words to match: as BM25 terms they pull toward documents that merely mention
the kommun in passing. So they are recognised here, taken out of the lexical query, and applied by
the searcher as ranking signals (never as hard filters: a wrong guess must not empty the list). The
user sees each recognised part as a chip and can drop it or make it a hard filter.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from index.models import FILTER_FIELDS, Filters
from ingest.committees import find_committees
from ingest.places import Place, load_places, region_forms
from ingest.vocabulary import ANSWER_NOUN, ANSWER_TO, DATA, RECENT_YEAR, word_list

# What the query can name. Each but "år" is the ``query_kind`` of a filter field, which says
# which filter it becomes.
KINDS = ("kommun", "år", "nämnd", "dokumenttyp", "avsnitt")

# Kommun names that are also everyday words ("mark", "vara", "berg"): in a query they count as a
# place only when written with a capital letter and not as the query's first word, or with a word
# such as "kommun" after them (which the official form already covers). The list is data.
_EVERYDAY_WORD_NAMES = word_list(DATA / "everyday_place_names.txt")

# Words for document types, as a revisor writes them, mapped to the indexed doc_type values.
# A pattern mapped to no value is read and set aside: "nämndens svar på granskningen" asks for the
# nämnd's answer, which is a tjänsteskrivelse or a protocol, not for the audit report it answers.
# Between the answer and the audit only what points at one audit may stand ("den", "revisionens",
# "PwC:s", "uppföljande"): "svar på revisionsfrågorna i granskningen" asks for a report's section.
_AUDIT_POINTER = r"(?:den|det|denna|detta|[\w:]+s|\w+(?:nde|ade|da))"
_AUDIT_WORD = r"[\w-]*(?:granskning(?:en|ar|arna)?|revisionsrapport(?:en|er|erna)?)"
# The answer may end a compound ("nämndsvar", "remissvar"), but "ansvar" is no answer.
_ANSWER_WORD = rf"(?:[\w-]*(?<![Aa]n))?{ANSWER_NOUN}(?:e?t|e?n)?"
# The verb too, with who answered between: "hur svarade socialnämnden på granskningen", and
# "besvara", whose object is the audit itself: "hur besvarade nämnden granskningen".
_ANSWERED = (
    r"svara(?:de|t|r)?\s+(?:\w+\s+){0,2}?på"
    r"|besvara(?:de|t|r)?(?:\s+[\w-]*(?:nämnd|styrelse|fullmäktige|förvaltning)\w*)?"
)
_ANSWER_TO_AUDIT = (
    rf"(?:{_ANSWER_WORD}\s+{ANSWER_TO}|{_ANSWERED})"
    rf"\s+(?:{_AUDIT_POINTER}\s+){{0,2}}{_AUDIT_WORD}"
)
_DOC_TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_ANSWER_TO_AUDIT, ()),
    (
        r"uppföljande\s+granskning\w*|uppföljning\w*\s+av\s+granskning\w*",
        ("uppföljande granskning",),
    ),
    (
        r"granskning(?:en|ar|arna|s)?|granskningsrapport\w*|revisionsrapport\w*",
        ("granskningsrapport", "uppföljande granskning"),
    ),
    (r"\w*protokoll\w*|§\s*\d+|paragraf\w*", ("protokoll",)),
    (r"tjänsteskrivels\w*", ("tjänsteskrivelse",)),
    (r"\w+berättels\w*", ("rapport/berättelse",)),
    (r"delegations\w*", ("delegationslista",)),
)

# Section intent: what part of a report the question asks for.
_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"rekommend\w*", ("slutsats/rekommendationer",)),
    (r"bedömning\w*|bedöm(?:er|de|t)", ("bedömning",)),
    (r"revisionsfråg\w*|syftet?", ("syfte/revisionsfrågor",)),
    (r"revisionskriteri\w*", ("revisionskriterier",)),
    (r"metod\w*|intervju\w*|stickprov\w*|dokumentstudie\w*", ("metod",)),
    (r"sammanfattning\w*", ("sammanfattning",)),
    (r"slutsats\w*", ("slutsats/rekommendationer",)),
)

_YEAR = RECENT_YEAR
_DASH = r"\s*[-–—]\s*"
# Order matters: a range or a "sedan"-phrase must be read before its years are read alone.
_YEAR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<![\w/:-])(?P<a>{_YEAR}){_DASH}(?P<b>{_YEAR}|\d\d)(?![\w:-])"), "range"),
    (re.compile(rf"\b(?:sedan|från|efter)\s+(?P<a>{_YEAR})(?![\w:-])", re.I), "from"),
    (re.compile(rf"\b(?:före|innan)\s+(?P<a>{_YEAR})(?![\w:-])", re.I), "before"),
    (
        re.compile(
            rf"\b(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|fram\s+till)\s+(?P<a>{_YEAR})(?![\w:-])",
            re.I,
        ),
        "to",
    ),
    # A bare year, but not inside a Dnr ("SOC/2022-000030"), a date's tail or "SOSFS 2011:9".
    (re.compile(rf"(?<![\w/:-])(?P<a>{_YEAR})(?![\w:]|-\d)"), "year"),
)


@dataclass(frozen=True)
class Recognised:
    """One part of the query understood as metadata: a chip in the app."""

    kind: str  # one of KINDS
    label: str  # what the chip says: "Piteå kommun", "2020–2022", "Socialnämnden"
    values: tuple[str, ...]  # indexed values it stands for (kommun names, doc types, …)
    matched: str  # the words of the query it was read from
    start: int
    end: int
    year_from: int | None = None
    year_to: int | None = None

    @property
    def key(self) -> str:
        """Stable id of the chip, for dropping it: "kommun:Piteå kommun"."""
        return f"{self.kind}:{self.label}"


@dataclass(frozen=True)
class Interpretation:
    query: str
    recognised: tuple[Recognised, ...] = ()
    ignored: tuple[str, ...] = field(default=())  # chip keys the user dropped

    def of_kind(self, kind: str) -> tuple[Recognised, ...]:
        return tuple(r for r in self.recognised if r.kind == kind)

    def values(self, kind: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for r in self.of_kind(kind) for v in r.values))

    @property
    def year_range(self) -> tuple[int | None, int | None]:
        years = self.of_kind("år")
        if not years:
            return None, None
        starts = [r.year_from for r in years]
        ends = [r.year_to for r in years]
        low = None if None in starts else min(starts)
        high = None if None in ends else max(ends)
        return low, high

    def is_empty(self) -> bool:
        return not self.recognised

    def stripped_query(self, kinds: Collection[str]) -> str:
        """The query without the words recognised as ``kinds``; the original if nothing is left."""
        spans = sorted((r.start, r.end) for r in self.recognised if r.kind in kinds)
        if not spans:
            return self.query
        parts, last = [], 0
        for start, end in spans:
            parts.append(self.query[last:start])
            last = max(last, end)
        parts.append(self.query[last:])
        text = " ".join(" ".join(parts).split())
        return text if re.search(r"\w{2,}", text) else self.query

    def as_filters(self, kinds: Iterable[str] = KINDS, base: Filters | None = None) -> Filters:
        """Hard filters for the recognised ``kinds``, added to ``base``."""
        base = base or Filters()
        kinds = set(kinds)
        extra: dict = {}
        for f in FILTER_FIELDS:
            values = self.values(f.query_kind) if f.query_kind in kinds else ()
            if values:
                extra[f.name] = tuple(dict.fromkeys((*getattr(base, f.name), *values)))
        if "år" in kinds and self.of_kind("år"):
            low, high = self.year_range
            # Both ranges hold where they overlap; where they do not, the query's own range wins.
            start = max((y for y in (low, base.year_from) if y is not None), default=None)
            end = min((y for y in (high, base.year_to) if y is not None), default=None)
            if start is not None and end is not None and start > end:
                start, end = low, high
            extra["year_from"], extra["year_to"] = start, end
        return replace(base, **extra)

    def to_dict(self) -> dict:
        low, high = self.year_range
        understood: dict = {"query": self.query}
        for f in FILTER_FIELDS:
            if f.query_kind:
                understood[f.query_kind] = list(self.values(f.query_kind))
            if f.name == "municipalities":
                understood |= {"år_från": low, "år_till": high}
        return {
            **understood,
            "igenkänt": [
                {"typ": r.kind, "etikett": r.label, "ord": r.matched, "nyckel": r.key}
                for r in self.recognised
            ],
            "ignorerat": list(self.ignored),
        }


def interpret(query: str, ignore: Collection[str] = ()) -> Interpretation:
    """Read kommun, years, nämnd, document type and section intent out of ``query``.

    ``ignore`` holds chip keys (``Recognised.key``) the user dropped; they are left unrecognised.
    """
    found: list[Recognised] = []
    taken: list[tuple[int, int]] = []

    def add(item: Recognised) -> None:
        if _free(item.start, item.end, taken):
            taken.append((item.start, item.end))
            found.append(item)

    for item in _places(query):
        add(item)
    for item in _years(query):
        add(item)
    for mention in find_committees(query):
        add(
            Recognised(
                "nämnd", mention.name, (mention.name,), mention.matched, mention.start, mention.end
            )
        )
    for kind, table in (("dokumenttyp", _DOC_TYPE_WORDS), ("avsnitt", _SECTION_WORDS)):
        for item in _words(query, kind, table):
            add(item)
    ignored = tuple(key for key in ignore if any(r.key == key for r in found))
    kept = tuple(sorted((r for r in found if r.key not in ignore), key=lambda r: r.start))
    return Interpretation(query=query, recognised=kept, ignored=ignored)


def _free(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``start:end`` overlaps none of the spans already read."""
    return all(end <= a or start >= b for a, b in taken)


# -- places -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _place_forms() -> tuple[re.Pattern[str], dict[str, Place]]:
    by_form: dict[str, Place] = {}
    for place in load_places():
        forms = {place.official_name, f"{place.genitive} kommun", f"{place.name} stad"}
        if place.name.casefold() in _EVERYDAY_WORD_NAMES:
            # "Mark kommun" for "Marks kommun": a name that is also a word ("mark") is read
            # alone only when capitalised inside the query; with "kommun" after it, always.
            forms.add(f"{place.name} kommun")
        if place.kind == "region":
            forms |= region_forms(place) | {f"Region {place.name.removesuffix(' län')}"}
        else:
            forms |= {place.name, place.genitive}
        for form in forms:
            key = form.casefold()
            # Gotland is a kommun and a region by one name; the kommun is what a revisor means.
            if key not in by_form or place.kind == "kommun":
                by_form[key] = place
    alternatives = sorted(by_form, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
    # A genitive s may follow any form ("Härnösands kommuns revisorer").
    return re.compile(rf"(?<![\w-])(?:{body})s?(?![\w-])", re.IGNORECASE), by_form


def _places(query: str) -> list[Recognised]:
    pattern, by_form = _place_forms()
    out = []
    for match in pattern.finditer(query):
        text = match.group(0)
        key = " ".join(text.split()).casefold()
        place = by_form.get(key)
        if place is None and key.endswith("s"):
            text, key = text[:-1], key[:-1]
            place = by_form.get(key)
        if place is None:
            continue
        word_name = place.name.casefold() in _EVERYDAY_WORD_NAMES
        bare = text.casefold() in {place.name.casefold(), place.genitive.casefold()}
        if word_name and bare and (not text[0].isupper() or not query[: match.start()].strip()):
            continue
        # "Mark kommun" capitalised or opening the query; "försäljning av mark kommun" is land.
        with_kommun = word_name and text.casefold() == f"{place.name} kommun".casefold()
        if with_kommun and not text[0].isupper() and query[: match.start()].strip():
            continue
        out.append(
            Recognised(
                "kommun",
                place.official_name,
                (place.official_name,),
                text,
                match.start(),
                match.start() + len(text),
            )
        )
    return out


# -- years ------------------------------------------------------------------------------------


def _years(query: str) -> list[Recognised]:
    out: list[Recognised] = []
    taken: list[tuple[int, int]] = []
    for pattern, how in _YEAR_PATTERNS:
        for match in pattern.finditer(query):
            if not _free(match.start(), match.end(), taken):
                continue
            a = int(match.group("a"))
            if how == "range":
                b_text = match.group("b")
                b = int(b_text) if len(b_text) == 4 else a // 100 * 100 + int(b_text)
                if b < a:
                    continue
                low, high, label = a, b, f"{a}–{b}"
            elif how == "from":
                low, high, label = a, None, f"från {a}"
            elif how == "before":
                low, high, label = None, a - 1, f"till {a - 1}"
            elif how == "to":
                low, high, label = None, a, f"till {a}"
            else:
                low, high, label = a, a, str(a)
            taken.append((match.start(), match.end()))
            out.append(
                Recognised("år", label, (), match.group(0), match.start(), match.end(), low, high)
            )
    return out


# -- document types and sections --------------------------------------------------------------


def _words(
    query: str, kind: str, table: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[Recognised]:
    out: list[Recognised] = []
    taken: list[tuple[int, int]] = []
    for pattern, values in table:
        for match in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", query, re.IGNORECASE):
            if not _free(match.start(), match.end(), taken):
                continue
            taken.append((match.start(), match.end()))
            if not values:
                continue
            out.append(
                Recognised(kind, values[0], values, match.group(0), match.start(), match.end())
            )
    # One chip per value: "rekommendationer … rekommenderar" is one intent.
    unique: dict[str, Recognised] = {}
    for item in out:
        unique.setdefault(item.label, item)
    return list(unique.values())
