"""Kommun/region mentions and committee names, against the real list of places."""

from __future__ import annotations

import pytest

from ingest.committees import find_committees, normalise_committee
from ingest.places import find_municipalities, load_places


def names(text: str) -> list[str]:
    return [m.official_name for m in find_municipalities(text)]


def test_places_csv_holds_every_kommun_and_region() -> None:
    places = load_places()
    assert sum(p.kind == "kommun" for p in places) == 290
    assert sum(p.kind == "region" for p in places) == 21
    assert load_places() is places  # read once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Härnösands kommun", ["Härnösands kommun"]),
        ("Vi har av Härnösands kommuns revisorer fått i uppdrag", ["Härnösands kommun"]),
        ("KPMG har av Piteå kommuns revisorer fått i uppdrag", ["Piteå kommun"]),
        ("nettokostnaderna i Ragunda kommun har minskat", ["Ragunda kommun"]),
        ("revisorerna i Karlshamns kommun", ["Karlshamns kommun"]),
        ("bildats av Region Västernorrland och länets kommuner", ["Region Västernorrland"]),
        ("i Västra Götalandsregionens verksamhet", ["Västra Götalandsregionen"]),
        ("Region Jönköpings län och region Jönköping", ["Region Jönköpings län"] * 2),
        (
            "Upplands Väsby kommun och Upplands-Bro kommun",
            ["Upplands Väsby kommun", "Upplands-Bro kommun"],
        ),
        ("Lilla Edets kommuns revisorer", ["Lilla Edets kommun"]),
        ("Malung-Sälens kommun", ["Malung-Sälens kommun"]),
        ("Stockholms stad och Göteborgs stad", ["Stockholms stad", "Göteborgs Stad"]),
        ("Falun kommun", ["Falu kommun"]),
        ("Piteå kommunfullmäktige beslutade", ["Piteå kommun"]),
        ("HÄRNÖSANDS KOMMUN", ["Härnösands kommun"]),
        ("Härnösands \nkommun", ["Härnösands kommun"]),  # PDF line break between the words
        ("Region Gotland", ["Region Gotland"]),
    ],
)
def test_mentions_with_kind_word(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "samverkansproblematik med regionen i Västernorrland",  # "regionen i X" is not Region X
        "Mora, Ale och Bjuv",  # bare names are too ambiguous
        "i Stockholms kommuner",  # the county's kommuner, not Stockholms stad
        "Härnösandshus AB",
        "kommunen och regionen",
    ],
)
def test_no_mention_without_kind_word(text: str) -> None:
    assert names(text) == []


def test_mention_offsets_kind_and_matched_form() -> None:
    text = "Revisorerna i Lilla Edets kommun och Region Skåne."
    first, second = find_municipalities(text)
    assert (first.name, first.kind, first.matched) == ("Lilla Edet", "kommun", "Lilla Edets kommun")
    assert text[first.start : first.end] == first.matched
    assert (second.official_name, second.kind, second.start) == ("Region Skåne", "region", 37)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("socialnämndens", "Socialnämnden"),
        ("socialnämnden", "Socialnämnden"),
        ("Socialnämnd", "Socialnämnden"),
        ("SOCIALNÄMNDEN", "Socialnämnden"),
        ("omsorgs- och arbetsmarknadsnämnden", "Omsorgs- och arbetsmarknadsnämnden"),
        ("barn- och utbildningsnämndens", "Barn- och utbildningsnämnden"),
        ("Kultur-, fritids- och tekniknämnden", "Kultur-, fritids- och tekniknämnden"),
        ("Hälso- och \nsjukvårdsnämnden", "Hälso- och sjukvårdsnämnden"),
        ("överförmyndarnämnd", "Överförmyndarnämnden"),
        ("kommunstyrelsens", "Kommunstyrelsen"),
        ("regionstyrelsen", "Regionstyrelsen"),
        ("KS", "Kommunstyrelsen"),
        ("KF", "Kommunfullmäktige"),
        ("KF:s", "Kommunfullmäktige"),
        ("kommunfullmäktiges", "Kommunfullmäktige"),
        ("IT-nämnden", "IT-nämnden"),
        (
            "Vi rekommenderar socialnämnden (omsorgs- och arbetsmarknadsnämnden) att",
            "Socialnämnden",
        ),
    ],
)
def test_normalise_committee(text: str, expected: str) -> None:
    assert normalise_committee(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "nämnden",
        "styrelsen",
        "ansvariga nämnder",
        "Socialstyrelsens föreskrifter",
        "ks",
        "kommunen",
        "socialnämndsordförande",
        "Kommunstyrelseförvaltningen",
    ],
)
def test_not_a_committee(text: str) -> None:
    assert normalise_committee(text) is None


def test_find_committees_in_order_with_offsets() -> None:
    text = "Granskningen avser socialnämnden och arbetslivsnämnden enligt KF § 12."
    found = find_committees(text)
    assert [c.name for c in found] == ["Socialnämnden", "Arbetslivsnämnden", "Kommunfullmäktige"]
    assert all(text[c.start : c.end] == c.matched for c in found)
