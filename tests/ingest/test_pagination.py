"""Page boundaries of plain text: form feeds, footer blocks, header page markers."""

from __future__ import annotations

from functools import cache

import pytest

from ingest.furniture_lines import find_footer_lines, find_page_markers
from ingest.models import RawPage
from ingest.pagination import split_text_pages
from tests.conftest import SEED_FILES


@cache
def seed_text(prefix: str) -> str:
    path = SEED_FILES[prefix]
    return path.read_text(encoding="utf-8")


@cache
def seed_pages(prefix: str) -> tuple[RawPage, ...]:
    return tuple(split_text_pages(seed_text(prefix)))


def nonblank(page: RawPage) -> list[str]:
    return [line.strip() for line in page.text.split("\n") if line.strip()]


def page_starting_with(pages, *first_lines: str) -> int:
    for index, page in enumerate(pages):
        if nonblank(page)[: len(first_lines)] == list(first_lines):
            return index
    raise AssertionError(f"no page starts with {first_lines}")


def test_form_feeds_are_page_breaks():
    pages = split_text_pages("första sidan\fandra sidan\ftredje sidan\f")
    assert [(p.number, p.text) for p in pages] == [
        (1, "första sidan"),
        (2, "andra sidan"),
        (3, "tredje sidan"),
    ]


def test_text_without_boundary_is_one_page():
    assert split_text_pages("Inledning\nLöpande text utan sidbrytning.") == [
        RawPage(1, "Inledning\nLöpande text utan sidbrytning.")
    ]


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_reports_without_page_furniture_are_one_page(prefix):
    assert len(seed_pages(prefix)) == 1


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_pages_join_back_to_the_input_in_order(prefix):
    pages = seed_pages(prefix)
    assert "\n".join(page.text for page in pages) == seed_text(prefix)
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))


@pytest.mark.parametrize(
    ("prefix", "footer", "header"),
    [
        (
            "000",
            ["5", "© 2021 KPMG AB. All rights reserved."],
            ["Härnösands kommun", "Uppföljande granskning av insatser för vuxna", "2021-11-11"],
        ),
        (
            "001",
            ["4", "© 2022 KPMG AB. All rights reserved."],
            ["Ragunda kommun", "Granskning av missbruksvård", "2022-12-05"],
        ),
    ],
)
def test_kpmg_footer_ends_a_page_and_the_header_block_starts_the_next(prefix, footer, header):
    pages = seed_pages(prefix)
    assert len(pages) >= 2
    assert nonblank(pages[0])[-3:] == [*footer, "Document classification: KPMG Public"]
    assert nonblank(pages[1])[:3] == header


def test_packet_splits_at_its_sida_markers():
    pages = seed_pages("002")
    texts = [page.text for page in pages]
    # Every "Sida N av M" footer ends its page: 8 + 8 + 2 + 3 delegation-list pages.
    footers = [nonblank(page)[-1] for page in pages if "Sida" in nonblank(page)[-1]]
    assert sum(" av " in line for line in footers) == 21
    january = [line for line in footers if line.startswith("den 2 februari 2022 Sida")]
    assert january == [f"den 2 februari 2022 Sida {n} av 8" for n in range(1, 9)]
    # A header marker starts its page together with the head lines that belong with it.
    report_page = page_starting_with(pages, "Härnösands kommun", "Datum", "2022-03-08", "Sida")
    assert "9(32)" in nonblank(pages[report_page])[:5]
    memo = page_starting_with(pages, "TJÄNSTESKRIVELSE", "Sida", "1(2)")
    assert "Revisionens ”Grundläggande granskning –" in texts[memo]
    # The letterhead lines before it (förvaltning, name, e-mail) end the previous page.
    assert nonblank(pages[memo - 1])[-1] == "mats.kollin@harnosand.se"
    continuation = page_starting_with(pages, "Härnösands kommun", "Socialförvaltningen")
    assert "2(2)" in nonblank(pages[continuation])[:6]
    assert len(pages) >= 30


def test_protocol_head_stays_on_its_page_and_its_footer_ends_the_page():
    pages = seed_pages("002")
    protocol = page_starting_with(pages, "Kommunstyrelsen", "SAMMANTRÄDESPROTOKOLL")
    lines = nonblank(pages[protocol])
    # "Justerandes sign" extracted inside the head does not cut the head from its §.
    assert "§ 26 Dnr 2022-000045 1.1.2.1" in lines
    assert lines[-1] == "Justerandes sign Utdragsbestyrkande"
    assert nonblank(pages[protocol + 1])[0].startswith("Konsekvensanalys saknas")


def test_markers_in_their_printed_forms():
    lines = ["Sida", "", "1(2)", "Sida 2/2", "9(32)", "den 2 februari 2022 Sida 3 av 8", "12(3)"]
    markers = find_page_markers(lines)
    assert [(m.first, m.last, m.number) for m in markers] == [
        (0, 2, 1),
        (3, 3, 2),
        (4, 4, 9),
        (5, 5, 3),
    ]
    assert markers[-1].prefix == "den 2 februari 2022"


def test_synthetic_memo_pages():
    text = "\n".join(
        [
            "Första dokumentets text.",
            "Postadress",
            "Storgatan 1",
            "Organisationsnr",
            "212000-0000",
            "",
            "TJÄNSTESKRIVELSE",
            "Sida",
            "1(2)",
            "Datum",
            "2022-01-10",
            "Förslag till beslut",
            "Härnösands kommun",
            "TJÄNSTESKRIVELSE",
            "Sida",
            "2(2)",
            "Datum",
            "2022-01-10",
            "fortsättningen av texten.",
        ]
    )
    pages = split_text_pages(text)
    assert [nonblank(page)[0] for page in pages] == [
        "Första dokumentets text.",
        "TJÄNSTESKRIVELSE",
        "Härnösands kommun",
    ]


def test_footer_lines_are_found_in_any_letter_case():
    lines = [
        "Granskningen visar brister.",
        "JUSTERANDES SIGN",
        "Utdragsbestyrkande",
        "© 2021 KPMG AB, a Swedish limited liability company. All rights reserved.",
        "Document Classification: KPMG Public",
        "juſterandes sign",  # a long s matches "s" when case is ignored
        "Sida 2 av 8",
    ]
    assert find_footer_lines(lines) == [1, 2, 3, 4, 5]
    assert find_footer_lines(lines[:5] + lines[6:]) == [1, 2, 3, 4]
