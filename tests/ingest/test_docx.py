"""Word documents (.docx) through the one ingest path: heading styles become sections, tables pipe
rows, headers, footers, deletions and comments stay out, and passages have no page."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from index.models import chunk_citation
from ingest.pipeline import ingest_paths
from recommendations import extract_records
from tests.ingest.docx_factory import (
    COMMENT_WORD,
    DELETED_WORD,
    FOOTER_WORD,
    HEADER_WORD,
    QUESTIONS,
    build_letter,
    build_memo,
    build_report,
    without_core_properties,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory, token_counter):
    path = build_report(tmp_path_factory.mktemp("word") / "orsa-2023-hemtjanst.docx")
    result = ingest_paths([path], counter=token_counter)
    assert not result.failed, result.problems
    return result


def _by_path(result):
    found = {}
    for chunk in result.chunks:
        found.setdefault(chunk.heading_path, chunk)
    return found


def test_heading_styles_become_sections_with_word_numbers(report):
    sections = _by_path(report)
    assert ("1 Sammanfattning",) in sections
    background = sections[("2 Inledning", "2.1 Bakgrund")]
    assert (background.section_number, background.section_title) == ("2.1", "Bakgrund")
    assert background.section_kind == "bakgrund"
    questions = sections[("2 Inledning", "2.2 Syfte och revisionsfrågor")]
    assert questions.section_kind == "syfte/revisionsfrågor"
    # "Bedömning" set as a plain paragraph still opens a sub-section of the heading above.
    assessment = sections[("3 Resultat", "3.1 Genomförandeplaner", "Bedömning")]
    assert assessment.section_kind == "bedömning"
    recommendations = sections[("4 Svar på revisionsfrågorna", "4.1 Rekommendationer")]
    assert recommendations.section_kind == "slutsats/rekommendationer"
    # A heading without text of its own before its first sub-heading gives no chunk.
    assert ("2 Inledning",) not in sections
    # Bullets Word draws itself are in the text.
    assert "• Följer nämnden upp att insatserna utförs enligt beslut?" in questions.text


def test_swedish_rubrik_styles_are_headings(tmp_path, token_counter):
    result = ingest_paths([build_memo(tmp_path / "memo.docx")], counter=token_counter)
    paths = [chunk.heading_path for chunk in result.chunks]
    assert paths == [
        ("Anteckningar om hemtjänstens nattpatrull",),
        ("Anteckningar om hemtjänstens nattpatrull", "Larmhantering"),
    ]
    assert all(chunk.section_number is None for chunk in result.chunks)


def test_table_rows_are_pipe_rows_that_answer_the_revisionsfrågor(report):
    table = _by_path(report)[("4 Svar på revisionsfrågorna",)]
    assert "| Revisionsfråga | Svar | Kommentar |" in table.text
    question, answer, comment = QUESTIONS[1]
    assert f"| {question} | {answer} | {comment} |" in table.text

    records = extract_records(report.documents, report.chunks)
    answers = {qa.question: (qa.answer, qa.method) for qa in records.question_answers}
    assert answers == {question: (answer, "tabell") for question, answer, _ in QUESTIONS}
    (recommendation,) = records.recommendations
    assert recommendation.text.startswith("Säkerställa att insatserna följs upp enligt beslut")
    assert recommendation.cited_sections == ("3.1",)
    assert records.verdicts[0].level == "delvis"


def test_a_head_table_reads_as_lines_and_a_later_table_as_pipe_rows(tmp_path, token_counter):
    result = ingest_paths([build_letter(tmp_path / "svar.docx")], counter=token_counter)
    (doc,) = result.documents
    # The letterhead's table is read the way the head of a PDF is: date, Dnr and title found.
    assert (doc.date, doc.case_number) == ("2023-06-12", "SN 2023/12")
    assert doc.doc_type == "tjänsteskrivelse"
    assert doc.title == "Svar på revisionens granskning av hemtjänstens kvalitet"
    text = "\n".join(chunk.text for chunk in result.chunks)
    assert "Datum 2023-06-12\nDiarienummer SN 2023/12" in text
    assert "| Rekommendation | Åtgärd |" in text


def test_headers_footers_deleted_text_and_comments_stay_out(report):
    text = "\n".join(chunk.text for chunk in report.chunks)
    for absent in (HEADER_WORD, FOOTER_WORD, "Sida", DELETED_WORD, COMMENT_WORD):
        assert absent not in text
    # The tracked insertion counts as accepted text.
    assert "nämnden har i huvudsak säkerställt att brukarna" in text


def test_metadata_comes_from_the_text_before_the_file_properties(report):
    (doc,) = report.documents
    assert doc.municipality == "Orsa kommun"
    assert (doc.year, doc.date) == (2023, "2023-05-04")
    assert doc.committee == "Socialnämnden"
    assert doc.doc_type == "granskningsrapport"
    assert doc.audit_firm == "KPMG"
    # The template's title and creation date (2019) lose to what the text states.
    assert doc.title == "Granskning av hemtjänstens kvalitet"
    assert doc.field_sources["title"] == doc.field_sources["year"] == "text"


def test_file_properties_fill_what_the_text_does_not_state(tmp_path, token_counter):
    path = build_memo(
        tmp_path / "memo.docx",
        headings=False,
        title="Nattpatrullen i hemtjänsten",
        created=dt.datetime(2022, 3, 4, 8, 30),
    )
    result = ingest_paths([path], counter=token_counter)
    (doc,) = result.documents
    assert (doc.title, doc.year, doc.date) == ("Nattpatrullen i hemtjänsten", 2022, None)
    assert doc.field_sources["title"] == doc.field_sources["year"] == "filegenskaper"
    warnings = {problem.reason for problem in result.problems if not problem.fatal}
    assert "titel hämtad från filens egenskaper" in warnings
    assert "år hämtat från filens egenskaper (skapad 2022-03-04)" in warnings


def test_a_docx_without_core_properties_gets_none_made_up(tmp_path, token_counter):
    # python-docx would invent "Word Document", created today, for a missing core part.
    path = without_core_properties(build_memo(tmp_path / "memo.docx", headings=False))
    (doc,) = ingest_paths([path], counter=token_counter).documents
    assert (doc.title, doc.year) == (None, None)


def test_passages_have_no_page_and_cite_their_section(report):
    (doc,) = report.documents
    assert (doc.page_start, doc.page_end, doc.printed_page_start) == (None, None, None)
    assert all(chunk.pages == () and chunk.printed_pages == () for chunk in report.chunks)
    chunk = _by_path(report)[("2 Inledning", "2.2 Syfte och revisionsfrågor")]
    citation = chunk_citation(chunk)
    assert citation == (
        "Orsa kommun · 2023 · Socialnämnden · Granskning av hemtjänstens kvalitet (KPMG) · "
        "2.2 Syfte och revisionsfrågor"
    )
    records = extract_records(report.documents, report.chunks)
    (recommendation,) = records.recommendations
    assert recommendation.citation().endswith("· 4.1 Rekommendationer")
    assert recommendation.locations[0].page_label() == ""


@pytest.mark.parametrize("suffix", [".doc", ".odt", ".rtf"])
def test_other_word_formats_ask_to_be_saved_as_docx(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr("ingest.readers.shutil.which", lambda name: None)
    path = tmp_path / f"rapport{suffix}"
    path.write_bytes(b"{\\rtf1 Granskning av hemtj\\'e4nsten}")
    result = ingest_paths([path])
    (problem,) = result.problems
    assert problem.fatal
    assert "spara som .docx eller PDF" in problem.reason
    assert suffix in problem.reason


def test_other_word_formats_are_converted_when_libreoffice_is_installed(
    tmp_path, monkeypatch, token_counter
):
    converted = build_memo(tmp_path / "converted.docx")
    # LibreOffice is external: a stand-in writes the converted file where soffice would.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(
        "#!/bin/sh\n"
        'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n'
        'name=$(basename "$1"); cp "$REVSOK_FAKE_DOCX" "$out/${name%.*}.docx"\n'
    )
    soffice.chmod(soffice.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("REVSOK_FAKE_DOCX", str(converted))
    path = tmp_path / "anteckningar.odt"
    path.write_bytes(b"PK odt bytes")
    result = ingest_paths([path], counter=token_counter)
    assert not result.failed, result.problems
    assert result.chunks[-1].heading_path[-1] == "Larmhantering"


def test_damaged_and_locked_docx_are_reported(tmp_path):
    damaged = tmp_path / "trasig.docx"
    damaged.write_bytes(b"PK\x03\x04 inte ett helt paket")
    # Word saves a password-protected .docx as an OLE compound file, like an old .doc.
    locked = tmp_path / "last.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    problems = ingest_paths([tmp_path]).problems
    reasons = {p.source_file.rsplit("/", 1)[-1]: p.reason for p in problems}
    assert reasons["trasig.docx"].startswith("trasig eller ogiltig .docx")
    assert "lösenordsskyddad" in reasons["last.docx"]


def test_unknown_file_types_name_docx_among_the_supported(tmp_path):
    path = tmp_path / "tabell.xlsx"
    path.write_bytes(b"PK")
    (problem,) = ingest_paths([path]).problems
    assert "stöds: .docx, .md, .pdf, .txt" in problem.reason
