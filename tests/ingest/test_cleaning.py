"""Cleaning: page furniture removed, running headers kept aside, hyphenation and spaces repaired."""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

import pytest

from ingest.cleaning import clean_pages, repair_hyphenation
from ingest.models import CleanedText, RawPage
from ingest.pagination import split_text_pages
from tests.conftest import SEED_FILES

ALL_SEEDS = ["000", "001", "002", "003", "004"]


@cache
def cleaned(prefix: str) -> CleanedText:
    path = SEED_FILES[prefix]
    return clean_pages(split_text_pages(path.read_text(encoding="utf-8")))


def lines_of(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize("prefix", ALL_SEEDS)
def test_no_page_furniture_left(prefix):
    text = cleaned(prefix).text
    for furniture in ("All rights reserved", "Document classification", "Justerandes sign"):
        assert furniture not in text
    assert "Utdragsbestyrkande" not in text
    assert not re.search(r"(?m)^.*\bSida \d+ av \d+.*$", text)
    assert not re.search(r"(?m)^(?:Sida|\d+\(\d+\)|Sida \d+/\d+)$", text)


@pytest.mark.parametrize("prefix", ALL_SEEDS)
def test_page_spans_tile_the_text(prefix):
    result = cleaned(prefix)
    assert result.pages[0].start == 0
    assert result.pages[-1].end == len(result.text)
    for before, after in pairwise(result.pages):
        assert before.end <= after.start
        gap = result.text[before.end : after.start]
        assert gap in ("", "\n\n")
    assert [p.number for p in result.pages] == list(range(1, len(result.pages) + 1))


@pytest.mark.parametrize("prefix", ALL_SEEDS)
def test_whitespace_is_normalised(prefix):
    text = cleaned(prefix).text
    assert "\n\n\n" not in text
    for line in lines_of(text):
        if not line.startswith("|"):
            assert line == line.strip()
            assert "  " not in line


def test_running_header_goes_to_header_lines_in_reading_order():
    result = cleaned("000")
    assert result.header_lines == (
        "Härnösands kommun",
        "Uppföljande granskning av insatser för vuxna",
        "2021-11-11",
    )
    assert "Uppföljande granskning av insatser för vuxna" not in lines_of(result.text)
    # Content that merely mentions the kommun stays.
    assert "Vi har av Härnösands kommuns revisorer fått i uppdrag att genomföra en uppföljande" in (
        lines_of(result.text)
    )


def test_printed_page_numbers():
    assert cleaned("000").pages[0].printed == "5"
    assert cleaned("001").pages[0].printed == "4"
    packet = cleaned("002")
    printed = [page.printed for page in packet.pages]
    assert "9" in printed and "27" in printed
    first = [p for p in packet.pages if p.printed == "1"]
    assert any(
        packet.text[p.start : p.end].startswith("Delegationsbeslut för Individ") for p in first
    )


def test_date_beside_first_page_marker_is_kept_once():
    text = cleaned("002").text
    assert lines_of(text).count("den 2 februari 2022") == 1
    assert "den 2 februari 2022 Sida 2 av 8" in cleaned("002").removed_lines


def test_headings_and_table_rows_survive():
    assert lines_of(cleaned("000").text)[0] == "1 Sammanfattning"
    assert "Oskar Nordmark Lena Medin" in lines_of(cleaned("000").text)
    karlshamn = lines_of(cleaned("003").text)
    assert "| Vuxna | 204 | 187 |" in karlshamn
    assert "|--|-----------------------|------------------------|" in karlshamn


def test_letterhead_and_address_blocks_are_removed():
    packet = cleaned("002")
    for line in ("Organisationsnr", "Bankgiro", "kommun@harnosand.se", "212000-2403"):
        assert line not in lines_of(packet.text)
        assert line in packet.removed_lines


@pytest.mark.parametrize(
    ("prefix", "repaired"),
    [
        ("000", "ASI-utredningar, Audit, HVB-placering"),
        ("001", "missbruks- och beroendeområdet för vuxna"),
        ("004", "Styr- och ledningsprocess"),
        ("004", "LSS-verksamheterna"),
        ("002", "hälso- och sjukvårdsområdet"),
    ],
)
def test_hyphenation_in_the_seeds(prefix, repaired):
    assert repaired in cleaned(prefix).text


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (
            ["arbetet med kvalitets-", "ledningssystemet pågår"],
            "arbetet med kvalitetsledningssystemet pågår",
        ),
        (["personer med missbruks- ", "och beroende"], "personer med missbruks- och beroende"),
        (["hälso-", "eller sjukvård"], "hälso- eller sjukvård"),
        (["mottagnings-", "samt utredningsenheten"], "mottagnings- samt utredningsenheten"),
        (["barn-", "respektive vuxenenheten"], "barn- respektive vuxenenheten"),
        (["för- ", "till efterskola"], "för- till efterskola"),
        (["ASI-", "utredningar"], "ASI-utredningar"),
        (["perioden 2023-", "2026"], "perioden 2023-2026"),
        (["hälso- ", "", "och sjukvården"], "hälso- och sjukvården"),
    ],
)
def test_hyphenation_repair(lines, joined):
    assert repair_hyphenation([line.strip() for line in lines]) == [joined]


def test_hyphen_before_a_new_block_is_not_joined():
    assert repair_hyphenation(["hälso-", "4.2 Samverkan"]) == ["hälso-", "4.2 Samverkan"]
    assert repair_hyphenation(["| a- |", "| b |"]) == ["| a- |", "| b |"]


def _report_page(number: int, body: list[str]) -> RawPage:
    lines = ["Granskning av hemtjänstens kvalitet", "Testby kommun revisorer", "", *body]
    lines += ["", f"Sida {number} av 4"]
    return RawPage(number, "\n".join(lines))


def test_lines_recurring_on_every_page_are_removed():
    bodies = [
        [f"Avsnitt {n}", f"Text om iakttagelse {n} i verksamheten.", "Mer löpande text."]
        for n in range(1, 5)
    ]
    bodies[1].append("Vi konstaterar att Testby kommun saknar rutiner.")
    result = clean_pages([_report_page(n, body) for n, body in enumerate(bodies, start=1)])
    lines = lines_of(result.text)
    assert "Granskning av hemtjänstens kvalitet" not in lines
    assert "Testby kommun revisorer" not in lines
    assert not any(line.startswith("Sida") for line in lines)
    assert lines.count("Vi konstaterar att Testby kommun saknar rutiner.") == 1
    assert [page.printed for page in result.pages] == ["1", "2", "3", "4"]
    assert result.removed_lines.count("Granskning av hemtjänstens kvalitet") == 4


def test_running_header_on_one_page_only_is_still_found():
    pages = [
        RawPage(1, "1 Sammanfattning\nVi bedömer att arbetet delvis är ändamålsenligt.\n\n3"),
        RawPage(2, "Testby kommun\nGranskning av hemtjänst\n\n2023-05-04\n2 Inledning\nText.\n4"),
    ]
    result = clean_pages(pages)
    assert result.header_lines == ("Testby kommun", "Granskning av hemtjänst", "2023-05-04")
    assert result.text == (
        "1 Sammanfattning\nVi bedömer att arbetet delvis är ändamålsenligt.\n\n2 Inledning\nText."
    )
    assert [page.printed for page in result.pages] == ["3", "4"]


def test_a_number_at_a_page_edge_without_sequence_or_footer_is_content():
    pages = [
        RawPage(1, "Antal brukare per månad\n29"),
        RawPage(2, "Väntetid i dagar\n112"),
    ]
    result = clean_pages(pages)
    assert result.text == "Antal brukare per månad\n29\n\nVäntetid i dagar\n112"
    assert [page.printed for page in result.pages] == [None, None]


def test_a_document_of_one_repeated_line_is_kept_with_a_warning():
    from ingest.cleaning import clean_pages
    from ingest.models import RawPage

    pages = [RawPage(n, "Beslut enligt delegation: bistånd beviljat") for n in range(1, 9)]
    cleaned = clean_pages(pages)
    assert cleaned.text.count("Beslut enligt delegation") == 8
    assert cleaned.warnings and "behölls som text" in cleaned.warnings[0]


def test_running_heads_are_still_dropped_when_they_are_a_minor_part():
    from ingest.cleaning import clean_pages
    from ingest.models import RawPage

    body = "Nämnden har under året arbetat med uppföljning av insatserna.\nMer text följer här."
    pages = [
        RawPage(n, f"Granskning av LSS\n{body} {n}\nfler rader på sidan {n}") for n in range(1, 9)
    ]
    cleaned = clean_pages(pages)
    assert "Granskning av LSS" not in cleaned.text
    assert cleaned.warnings == ()
