"""Generalisation: documents from other kommuner, regioner and byråer than the five seeds.

Each ``tests/fixtures/other_kommuner/<name>.txt`` is a synthetic document written from scratch
in the layout of its kind (an EY, PwC, Grant Thornton, Deloitte and BDO report, a protokollsutdrag,
a tjänsteskrivelse); ``<name>.expected.json`` holds what ingest must read from it. The expectation
files are not ``.meta.json`` sidecars, so they never override what is detected; the folder holds a
``.revsokignore`` so that ingesting a parent folder skips the fixtures and their JSON.

A field the document does not state must stay empty and be named in a warning
("warnings" lists the Swedish field names that are warned about).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.collecting import IGNORE_MARKER, collect_files
from ingest.item_heads import case_number_in, is_kommun_line, is_letterhead_line
from ingest.metadata import WARNING_PREFIXES, detect_metadata
from ingest.metadata.firm import detect_firm
from ingest.models import DOC_TYPES, SECTION_KINDS
from ingest.overrides import load_overrides
from ingest.pipeline import ingest_paths
from ingest.sections import classify_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "other_kommuner"
DOCUMENTS = sorted(FIXTURES.glob("*.txt"))
FIELDS = (
    "municipality",
    "year",
    "date",
    "committee",
    "doc_type",
    "audit_firm",
    "title",
    "case_number",
    "paragraph",
)


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(token_counter):
    return ingest_paths(DOCUMENTS, counter=token_counter)


def _document(result, path: Path):
    docs = [d for d in result.documents if Path(d.source_file).name == path.name]
    assert len(docs) == 1, [d.title for d in docs]
    return docs[0]


def test_every_fixture_has_expectations_and_no_sidecar() -> None:
    assert len(DOCUMENTS) >= 7
    for path in DOCUMENTS:
        exp = expected(path)
        assert set(FIELDS) <= exp.keys(), path.name
        assert exp["doc_type"] in DOC_TYPES
        assert all(kind in SECTION_KINDS for _, _, kind in exp["sections"])
        assert load_overrides(path) == {}, "an expectation file must not act as an override"


def test_the_fixture_folder_is_skipped_when_a_parent_is_ingested() -> None:
    assert (FIXTURES / IGNORE_MARKER).is_file()
    files, problems = collect_files([FIXTURES])
    assert (files, problems) == ([], [])


def test_the_fixtures_ingest_without_problems(result) -> None:
    assert [p for p in result.problems if p.fatal] == []
    assert result.files_seen == len(DOCUMENTS)
    assert not result.duplicates


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_metadata(result, path: Path) -> None:
    doc = _document(result, path)
    exp = expected(path)
    got = {field: getattr(doc, field) for field in FIELDS}
    assert got == {field: exp[field] for field in FIELDS}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_missing_fields_are_reported_not_guessed(result, path: Path) -> None:
    doc = _document(result, path)
    warned = sorted({w.split(" ")[0] for w in doc.warnings})
    assert warned == expected(path)["warnings"], doc.warnings
    for field, prefix in WARNING_PREFIXES.items():
        about = [w for w in doc.warnings if w.split(" ")[0] == prefix]
        if about and not any("härled" in w or "hämtat" in w for w in about):
            assert getattr(doc, field) is None, (field, about)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_sections_and_their_kinds(result, path: Path) -> None:
    doc = _document(result, path)
    sections: list[list[str | None]] = []
    last = None
    for chunk in result.chunks:
        if chunk.doc_id != doc.doc_id:
            continue
        key = (chunk.section_number, chunk.section_title, chunk.section_kind)
        if key != last and chunk.section_title:
            sections.append(list(key))
        last = key
    # Exact and in order: a table-of-contents line taken for a heading would show up here.
    assert sections == expected(path)["sections"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_page_furniture_is_removed(result, path: Path) -> None:
    text = "\n".join(c.text for c in result.chunks if Path(c.source_file).name == path.name) + "\n"
    for furniture in expected(path)["absent_from_chunks"]:
        assert furniture not in text


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Revisionell bedömning", "bedömning"),
        ("Svar på revisionsfrågor", "slutsats/rekommendationer"),
        ("Svar på revisionsfrågorna", "slutsats/rekommendationer"),
        ("Förslag till åtgärder", "slutsats/rekommendationer"),
        ("Avslutande kommentarer", "slutsats/rekommendationer"),
        ("Iakttagelser och bedömningar", "iakttagelser/resultat"),
        ("Uppföljning av tidigare rekommendationer", "iakttagelser/resultat"),
        ("Avgränsning och metod", "metod"),
        ("Metod och avgränsning", "metod"),
        ("Syfte, revisionsfrågor och avgränsning", "syfte/revisionsfrågor"),
        ("Bilaga 1. Källförteckning", "källor/bilaga"),
    ],
)
def test_section_kinds_of_other_byraers_headings(title: str, kind: str) -> None:
    assert classify_title(title) == kind


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("Ernst & Young AB har på uppdrag av revisorerna granskat", "EY"),
        ("Ernst & Young AB (EY) har på uppdrag av revisorerna granskat", "EY"),
        ("Öhrlings PricewaterhouseCoopers AB har på uppdrag av revisorerna", "PwC"),
        ("PwC har granskat", "PwC"),
        ("Rapporten är skriven av\nDeloitte AB\n", "Deloitte"),
        ("Sida 3\nDeloitte.\n", "Deloitte"),
        ("Grant Thornton Sweden AB har på uppdrag av revisorerna", "Grant Thornton"),
        ("BDO Mälardalen AB har på uppdrag av revisorerna", "BDO"),
        ("Granskningen är genomförd av KPMG AB", "KPMG"),
    ],
)
def test_byra_named_as_author(text: str, firm: str) -> None:
    assert detect_firm(text, []) == (firm, "text")


@pytest.mark.parametrize(
    ("value", "case_number"),
    [
        ("KS 2023/0456", "KS 2023/0456"),
        ("VON 2022/0311 Handläggare", "VON 2022/0311"),
        ("SOC/2022-000030", "SOC/2022-000030"),
        ("KS-2023-456", "KS-2023-456"),
        ("2022/311", "2022/311"),
        ("SOSFS 2011:9", None),
        ("2023-06-05", None),
        ("Kommunstyrelsen", None),
    ],
)
def test_case_numbers_with_a_registry_prefix(value: str, case_number: str | None) -> None:
    assert case_number_in(value) == case_number


def test_letterheads_of_regions_stads_and_coordinated_forvaltningar() -> None:
    assert is_kommun_line("Region Jämtland Härjedalen")
    assert is_kommun_line("Västerås stad")
    assert is_letterhead_line("Vård- och omsorgsförvaltningen")
    assert is_letterhead_line("Kultur-, fritids- och teknikförvaltningen")
    assert not is_letterhead_line("Granskning av förvaltningen")


def test_a_title_in_capitals_over_short_lines_is_joined() -> None:
    text = (
        "BDO\n\nGRANSKNING\nAV KOMMUNENS\nARBETE MED\nSUICIDPREVENTION\n\n"
        "VÄSTERÅS STAD\nREVISIONSRAPPORT\nNOVEMBER 2021\n\nInnehållsförteckning\n"
    )
    md = detect_metadata(text)
    assert md.title == "Granskning av kommunens arbete med suicidprevention"
    assert (md.year, md.date, md.sources["year"]) == (2021, None, "text")
    assert "datum saknas i dokumentet" in md.warnings


def test_the_line_naming_the_audit_wins_over_a_slogan_on_the_cover() -> None:
    text = (
        "Granskning av\nbyggnadsnämndens handläggning\n\nGävle kommun\n2022-05-02\n\n"
        "EY\nBuilding a better\nworking world\n\n1. Sammanfattning\n"
    )
    assert detect_metadata(text).title == "Granskning av byggnadsnämndens handläggning"
