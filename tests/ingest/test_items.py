"""Items: a meeting packet splits into its documents, a single report stays one item."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

import pytest

from ingest.cleaning import clean_pages
from ingest.committees import normalise_committee
from ingest.items import split_items
from ingest.models import DOC_TYPES, CleanedText, ItemSpan, RawPage
from ingest.pagination import split_text_pages
from ingest.vocabulary import parse_date
from tests.conftest import SEED_FILES


@cache
def cleaned(prefix: str) -> CleanedText:
    path = SEED_FILES[prefix]
    return clean_pages(split_text_pages(path.read_text(encoding="utf-8")))


@cache
def packet_items() -> tuple[ItemSpan, ...]:
    return tuple(split_items(cleaned("002")))


def item_text(item: ItemSpan) -> str:
    return cleaned("002").text[item.start : item.end]


def only(items, **fields) -> ItemSpan:
    found = [i for i in items if all(getattr(i, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, found)
    return found[0]


def test_packet_item_list():
    items = packet_items()
    for n, item in enumerate(items):
        print(
            f"{n:2d} {item.doc_type!s:18} {item.date!s:10} {item.case_number!s:16} "
            f"{item.paragraph!s:5} {item.committee!s:17} {item.title}"
        )
    # Read by hand, the packet holds 29 documents: the ekonomisk uppföljning, the patient-
    # säkerhets- and kvalitetsberättelse, 10 tjänsteskrivelser, the yttrande, the ordförande-
    # beslut, 4 delegation lists, 2 anmälningar av delegationsbeslut, 2 OCR'd attestant lists,
    # 3 protocol extracts, a planning list, a newsletter, a waiting list and an årsrapport.
    # The last five kinds without a head of their own (attestant lists, planning list,
    # newsletter, waiting list) stay with the item before them, which leaves 24. Fewer than 20
    # would mean real heads are missed; more than 30 would split documents.
    assert 20 <= len(items) <= 30
    assert all(item.doc_type in DOC_TYPES for item in items[1:])


def test_items_tile_the_text_at_line_starts():
    text = cleaned("002").text
    items = packet_items()
    assert items[0].start == 0
    assert items[-1].end == len(text)
    for before, after in pairwise(items):
        assert before.end == after.start
        assert before.start < before.end
        assert text[after.start - 1] == "\n"


def test_kommunstyrelsen_protocol_paragraph():
    item = only(packet_items(), paragraph="§ 26")
    assert item.doc_type == "protokoll"
    assert item.committee == "Kommunstyrelsen"
    assert item.date == "2022-02-08"
    assert item.case_number == "2022-000045"
    assert item.title == "Behov av nytt särskilt boende"
    assert "Reservationer" in item_text(item)


def test_patientsakerhetsberattelse():
    item = only(packet_items(), case_number="SOC/2022-000030")
    assert item.date == "2022-03-11"
    assert item.title == "Patientsäkerhetsberättelse 2021"
    assert item.doc_type == "rapport/berättelse"
    assert item.committee == "Socialnämnden"
    assert "att godkänna 2021 års patientsäkerhetsberättelse" in item_text(item)


def test_answer_to_the_revisorers_grundlaggande_granskning():
    items = packet_items()
    memo = only(items, title="Revisionens ”Grundläggande granskning – Socialnämnden”")
    assert memo.doc_type == "tjänsteskrivelse"
    assert memo.date == "2022-03-28"
    assert memo.committee == "Socialnämnden"
    answer = items[items.index(memo) + 1]
    assert answer.title == "Socialnämndens svar på ”Grundläggande granskning – Socialnämnden”"
    assert answer.committee == "Socialnämnden"
    assert "Svar på granskning" in item_text(answer)
    assert "Svar på granskning" not in item_text(memo)


def test_chairmans_answer_to_the_follow_up_audit():
    item = only(packet_items(), title="Revisionens uppföljande granskning av insatser för vuxna")
    assert item.date == "2022-02-21"
    assert item.committee == "Socialnämnden"
    assert "att anta Yttrande - Uppföljande granskning av insatser för vuxna" in item_text(item)


def test_delegation_lists():
    lists = [i for i in packet_items() if i.doc_type == "delegationslista"]
    assert len(lists) >= 1
    january = lists[0]
    assert january.title.startswith("Delegationsbeslut för Individ- och familjeomsorgen")
    assert january.date == "2022-02-02"
    assert "549Summa beslut" in item_text(january)
    assert any(i.title == "Anmälan av delegationsbeslut" for i in lists)


def test_memos_without_a_datum_block():
    items = packet_items()
    plan = only(items, title="Missbruk- och beroendeplan Västernorrland")
    assert plan.doc_type == "tjänsteskrivelse"
    assert plan.committee == "Socialnämnden"
    assert item_text(plan).startswith("Socialnämnden\n")


def test_page_two_of_a_memo_is_not_a_new_item():
    item = only(packet_items(), title="Avgift kost för brukare inom SoL/socialpsykiatri")
    # Date and Dnr come from the running head of page 2; the page stays in the item.
    assert item.date == "2022-02-10"
    assert item.case_number == "SOC/2022-000028"
    assert "likställighetsprincipen" in item_text(item)
    lss = only(packet_items(), case_number="SOC/2022-000055")
    assert lss.date == "2022-03-16"
    assert "Servicepaket 2" in item_text(lss)


def test_other_committees_protocol_extracts():
    items = packet_items()
    assert only(items, paragraph="§ 7").committee == "Kommunfullmäktige"
    skol = only(items, paragraph="§ 4")
    assert skol.committee == "Skolnämnden"
    assert skol.case_number == "2021-000830"


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_a_single_report_is_one_item(prefix):
    result = cleaned(prefix)
    assert split_items(result) == [ItemSpan(0, len(result.text))]


def test_a_synthetic_packet_of_two_memos():
    first = "\n".join(
        [
            "TJÄNSTESKRIVELSE",
            "Sida 1(1)",
            "Datum",
            "den 2 februari 2022",
            "Dnr",
            "BUN/2022-000012",
            "Barn- och utbildningsnämnden",
            "Skolskjuts för elever i grundsärskolan",
            "",
            "Förslag till beslut",
            "att godkänna riktlinjen.",
        ]
    )
    second = "\n".join(
        [
            "Kommunstyrelsen",
            "Svar på motion om gatubelysning",
            "",
            "Förslag till beslut",
            "Kommunledningsförvaltningen föreslår kommunstyrelsen besluta",
            "att avslå motionen.",
        ]
    )
    result = clean_pages([RawPage(1, first), RawPage(2, second)])
    items = split_items(result)
    assert [(i.doc_type, i.date, i.case_number, i.committee, i.title) for i in items] == [
        (
            "tjänsteskrivelse",
            "2022-02-02",
            "BUN/2022-000012",
            "Barn- och utbildningsnämnden",
            "Skolskjuts för elever i grundsärskolan",
        ),
        ("tjänsteskrivelse", None, None, "Kommunstyrelsen", "Svar på motion om gatubelysning"),
    ]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022–03-28", "2022-03-28"),
        ("den 2 februari 2022", "2022-02-02"),
        ("Sammanträdesdatum 2022-02-08", "2022-02-08"),
        ("ingen datering", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kommunstyrelsens beslut", "Kommunstyrelsen"),
        ("Socialförvaltningen föreslår socialnämnden", "Socialnämnden"),
        ("Omsorgs- och arbetsmarknadsnämnden", "Omsorgs- och arbetsmarknadsnämnden"),
        ("Kommunfullmäktiges beslut", "Kommunfullmäktige"),
    ],
)
def test_normalise_committee(text, name):
    assert normalise_committee(text) == name
