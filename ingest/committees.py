"""The nämnder, styrelser and fullmäktige named in running text, normalised to one name each.

A committee is found by the shape of its name, not from a list, so that every kommun's own names
are found: "socialnämndens" → "Socialnämnden", "omsorgs- och arbetsmarknadsnämnden", "Nämnden för
teknik, fritid och kultur", "Södermalms stadsdelsnämnd", "KS" → "Kommunstyrelsen".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.places import load_places
from ingest.vocabulary import DATA, word_list


@dataclass(frozen=True)
class CommitteeMention:
    """One nämnd, styrelse or fullmäktige named in a text, with its normalised name."""

    name: str
    start: int
    end: int
    matched: str


# A committee is any compound ending in -nämnd, -styrelse or -fullmäktige, optionally with
# coordinated first parts ("omsorgs- och arbetsmarknadsnämnden", "kultur-, fritids- och
# tekniknämnden"), so that every kommun's own names are found without a list of them.
_LETTERS = r"[^\W\d_]"
# A few names open with an adjective ("Tekniska nämnden", "Miljö- och tekniska nämnden",
# "Sociala resursnämnden"); only these words, since most adjectives before "nämnden" say which
# one is meant ("berörda nämnden"), and "gemensamma nämnden" is any of a kommun's joint ones.
_NAME_ADJECTIVE = r"(?:tekniska|sociala)"
_COMMITTEE = re.compile(
    rf"(?<![\w-])"
    rf"(?P<coord>(?:{_LETTERS}+-,?\s+)+(?:och|samt|&)\s+)?"
    rf"(?P<adjective>{_NAME_ADJECTIVE}\s+)?"
    rf"(?P<stem>(?:{_LETTERS}+-)*{_LETTERS}*?)"
    rf"(?P<head>nämnd|styrelse|fullmäktige)(?P<ending>ens|en|ns|n|s)?"
    rf"(?!\w)",
    re.IGNORECASE,
)
_ENDINGS = {"nämnd": ("", "s", "en", "ens"), "styrelse": ("", "n", "ns"), "fullmäktige": ("", "s")}
_DEFINITE = {"nämnd": "nämnden", "styrelse": "styrelsen", "fullmäktige": "fullmäktige"}
# The abbreviations are read only in capitals: "ks" and "kf" in lower case are other things.
_ABBREVIATION = re.compile(r"(?<![\w-])(?P<abbr>KS|KF)(?:[:']?s)?(?![\w-])")
_ABBREVIATIONS = {"KS": "Kommunstyrelsen", "KF": "Kommunfullmäktige"}
# Words of the same shape that are national agencies, courts or company boards, not a kommun's
# or region's committees (data/not_committees.txt).
_NOT_COMMITTEES = word_list(DATA / "not_committees.txt")


def _committee_name(match: re.Match[str]) -> str | None:
    head = match.group("head").lower()
    ending = (match.group("ending") or "").lower()
    stem = match.group("stem")
    if ending not in _ENDINGS[head]:
        return None
    if ending == "s" and match.string[match.end() : match.end() + 1] == "-":
        return None  # "socialnämnds- och utskottsprotokoll": the first part of a compound
    adjective = (match.group("adjective") or "").strip()
    if not stem and not adjective:
        # A bare "nämnden" or "styrelsen" refers back to some committee; which one is unknown.
        return None
    coord = " ".join((match.group("coord") or "").split())
    words = " ".join(w for w in (coord, adjective, f"{stem}{_DEFINITE[head]}") if w)
    if words.lower() in _NOT_COMMITTEES:
        return None
    shouting = match.group(0).isupper()

    def case(word: re.Match[str]) -> str:
        # Keep acronyms inside a name ("IT-nämnden") unless the whole name is set in capitals.
        keep = not shouting and len(word.group(0)) > 1 and word.group(0).isupper()
        return word.group(0) if keep else word.group(0).lower()

    name = re.sub(_LETTERS + "+", case, words)
    return name[0].upper() + name[1:]


# A city's stadsdelsnämnder are told apart by the district before them: "Södermalms
# stadsdelsnämnd", "Enskede-Årsta-Vantörs stadsdelsnämnd", "Västra Hisingens stadsdelsnämnd".
# A genitive takes the indefinite form, so "Dels stadsdelsnämnden" or "Uppdras stadsdelsnämnden
# att" name no district; nor does a city's own name ("Stockholms stadsdelsnämnder").
# The district is a name, so it has its capital ("den enskildes stadsdelsnämnd" has none).
_DISTRICT_BEFORE = re.compile(
    r"(?<![\w-])((?:(?:[VvÖöNnSs](?:ästra|stra|orra|ödra)|[Cc]entrala|[Yy]ttre|[Ii]nre)\s+)?"
    r"[A-ZÅÄÖ](?:\w|-\s*)*s)\s+$"
)
_NOT_DISTRICTS = {
    "dess",
    "deras",
    "vars",
    "kommunens",
    "stadens",
    "stads",
    "varje",
    "hans",
    "hennes",
    "dels",
    "respektive",
    "berörda",
    "alla",
    "samtliga",
    "varannan",
}


def _district(text: str, match: re.Match[str]) -> re.Match[str] | None:
    """The district named before an indefinite "stadsdelsnämnd(s)", if any."""
    if (match.group("ending") or "").lower() not in ("", "s"):
        return None
    district = _DISTRICT_BEFORE.search(text[max(0, match.start() - 60) : match.start()])
    if district is None:
        return None
    first = district.group(1).split()[0].casefold()
    genitive_of_place = any(
        f"{p.genitive} " in district.group(0) or p.genitive == district.group(1)
        for p in load_places()
    )
    return None if first in _NOT_DISTRICTS or genitive_of_place else district


# Names that put the field after the word: "Nämnden för teknik, fritid och kultur", "Styrelsen
# för Landstingsservice". Only with the capital of a name: "överlämnas till nämnden för
# kännedom", "styrelsen för bolaget" are no names; the field's words stop at a word that is no
# field ("att", "sin").
_FIELD_WORD = r"[^\W\d_]{3,}"
# The name stands alone (a letter's "Till:", a heading) or ends at a punctuation mark: in
# running text "Styrelsen för bolaget har …" and "Nämnden för fram att …" are no names.
_NAMED_FOR = re.compile(
    rf"(?<![\w-])(?P<head>(?:Gemensamma\s+nämnden)|Nämnden|Styrelsen)\s+för\s+"
    rf"(?P<field>{_FIELD_WORD}(?:(?:,\s*|\s+och\s+|\s+samt\s+){_FIELD_WORD}){{0,4}})"
    r"(?=\s*(?:$|[.,;:)]))",
    re.MULTILINE,
)
_MORE_FIELD = re.compile(rf"\s*(?:,\s*|\s+och\s+|\s+samt\s+){_FIELD_WORD}")
_NOT_FIELDS = {
    "att",
    "den",
    "det",
    "dem",
    "denna",
    "detta",
    "dess",
    "sin",
    "sitt",
    "sina",
    "alla",
    "kännedom",
    "närvarande",
    "beslut",
    "yttrande",
    "godkännande",
    "information",
    "egen",
    "fram",
    "även",
    "också",
    "löpande",
    "regelbundet",
    "bolaget",
    "bolagen",
    "stiftelsen",
    "räkenskapsåret",
}


def _named_for(text: str) -> list[CommitteeMention]:
    found = []
    for match in _NAMED_FOR.finditer(text):
        if _MORE_FIELD.match(text, match.end("field")):
            continue  # cut short before more of the name: "Nämnden för teknik, fritid … beslutade"
        words = re.split(r"(,\s*|\s+och\s+|\s+samt\s+)", match.group("field"))
        # Stop at a committee or a word that is no field: "… och välfärd och kommunstyrelsen".
        kept: list[str] = []
        for i in range(0, len(words), 2):
            word = words[i]
            if word.casefold() in _NOT_FIELDS or _COMMITTEE.fullmatch(word):
                break
            kept.extend([words[i - 1]] if i else [])
            kept.append(word)
        if not kept:
            continue
        field = "".join(kept)
        end = match.start("field") + len(field)
        name = f"{' '.join(match.group('head').split()).capitalize()} för {field}"
        found.append(CommitteeMention(name, match.start(), end, text[match.start() : end]))
    return found


def find_committees(text: str) -> list[CommitteeMention]:
    """Every named committee in ``text``, normalised ("socialnämndens" → "Socialnämnden")."""
    found = _named_for(text)
    for match in _COMMITTEE.finditer(text):
        name = _committee_name(match)
        if not name:
            continue
        start = match.start()
        district = _district(text, match) if name == "Stadsdelsnämnden" else None
        if district:
            # A name broken over lines keeps its hyphen: "Enskede-Årsta- / Vantörs".
            words = re.sub(r"-\s+", "-", " ".join(district.group(1).split()))
            name = f"{words[0].upper()}{words[1:]} stadsdelsnämnd"
            start -= len(district.group(0))
        found.append(CommitteeMention(name, start, match.end(), text[start : match.end()]))
    for match in _ABBREVIATION.finditer(text):
        name = _ABBREVIATIONS[match.group("abbr")]
        found.append(CommitteeMention(name, match.start(), match.end(), match.group(0)))
    return sorted(found, key=lambda m: m.start)


def normalise_committee(text: str) -> str | None:
    """The normalised name of the first committee named in ``text``, or None.

    "socialnämndens" → "Socialnämnden", "KS" → "Kommunstyrelsen", "kommunfullmäktiges" →
    "Kommunfullmäktige", "omsorgs- och arbetsmarknadsnämnden" → "Omsorgs- och
    arbetsmarknadsnämnden". A bare "nämnden" names no particular committee and gives None.
    """
    found = find_committees(text)
    return found[0].name if found else None
