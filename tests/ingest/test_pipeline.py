"""End to end on real data: the seed texts and their PDF renderings in corpus/."""

import re

import pytest

from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS, corpus_pdf
from tests.ingest.pdf_factory import image_only_pdf, text_pdf

REPORTS = {
    "harnosand": ("Härnösands kommun", 2021, "uppföljande granskning", "KPMG", "Socialnämnden"),
    "ragunda": ("Ragunda kommun", 2022, "granskningsrapport", "KPMG", "Kommunstyrelsen"),
    "karlshamn": ("Karlshamns kommun", 2023, "granskningsrapport", "EY", "Socialnämnden"),
    "pitea": ("Piteå kommun", 2023, "granskningsrapport", "KPMG", "Socialnämnden"),
}

BOILERPLATE = re.compile(
    r"All rights reserved|Document classification|Justerandes sign|Utdragsbestyrkande"
    r"|Sida \d+ av \d+|^\s*Sida\s*$|©",
    re.MULTILINE,
)


def _docs_of(result, path):
    name = path.name
    return [d for d in result.documents if d.source_file.endswith(name)]


def _chunks_of(result, path):
    return [c for c in result.chunks if c.source_file.endswith(path.name)]


@pytest.fixture(params=["text", "pdf"])
def result_and_path(request, text_result, corpus_result):
    if request.param == "text":
        return text_result, lambda name: SEEDS[name]
    return corpus_result, corpus_pdf


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_metadata(result_and_path, name):
    result, path_of = result_and_path
    docs = _docs_of(result, path_of(name))
    assert len(docs) == 1, [d.title for d in docs]
    doc = docs[0]
    got = (doc.municipality, doc.year, doc.doc_type, doc.audit_firm, doc.committee)
    assert got == REPORTS[name]
    assert doc.chunk_count > 5
    for chunk in _chunks_of(result, path_of(name)):
        assert (chunk.municipality, chunk.year, chunk.committee) == (got[0], got[1], got[4])


def test_packet_items(result_and_path):
    result, path_of = result_and_path
    items = _docs_of(result, path_of("packet"))
    assert len(items) >= 10
    assert all(d.municipality == "Härnösands kommun" for d in items)
    assert all(d.audit_firm is None for d in items)
    assert all(d.year == 2022 for d in items if d.year is not None)
    types = {d.doc_type for d in items}
    assert {"protokoll", "tjänsteskrivelse", "delegationslista", "rapport/berättelse"} <= types

    protocol = [d for d in items if d.paragraph == "§ 26" and d.doc_type == "protokoll"]
    assert len(protocol) == 1
    assert protocol[0].committee == "Kommunstyrelsen"
    assert protocol[0].date == "2022-02-08"
    assert "särskilt boende" in (protocol[0].title or "").lower()

    psb = [d for d in items if d.case_number == "SOC/2022-000030"]
    assert psb and "patientsäkerhetsberättelse 2021" in psb[0].title.lower()

    answer = [d for d in items if "grundläggande granskning" in (d.title or "").lower()]
    assert answer, [d.title for d in items]
    assert answer[0].committee == "Socialnämnden"


def test_the_sample_corpus_ingests_without_a_failure(corpus_result):
    assert [p for p in corpus_result.problems if p.fatal] == []
    assert corpus_result.files_seen == 5  # corpus/src is skipped by its .revsokignore


def test_no_chunk_contains_page_boilerplate(result_and_path):
    result, _ = result_and_path
    offenders = [c.chunk_id for c in result.chunks if BOILERPLATE.search(c.text)]
    assert offenders == []


def test_bedomning_4_2_1_sits_on_the_right_chunks(result_and_path):
    result, path_of = result_and_path
    chunks = _chunks_of(result, path_of("harnosand"))
    in_section = [c for c in chunks if c.section_number == "4.2.1"]
    assert in_section
    for chunk in in_section:
        assert chunk.section_kind == "bedömning"
        assert chunk.heading_path_text == (
            "4 Resultat av uppföljningen › 4.2 Samverkan › 4.2.1 Bedömning"
        )
    # The 4.2.1 bedömning on samverkan with the region is in those chunks and nowhere else.
    phrase = "upplevd problematik kring personbundenhet"
    holding = [c for c in chunks if phrase in " ".join(c.text.split())]
    assert holding
    assert all(c.section_number == "4.2.1" for c in holding)


def test_chunks_respect_size_and_section_boundaries(corpus_result):
    for chunk in corpus_result.chunks:
        assert chunk.token_count <= corpus_result.settings["chunk_size"]
        assert chunk.text.strip() == chunk.text and chunk.text
    by_doc = {}
    for chunk in corpus_result.chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    assert len({c.chunk_id for c in corpus_result.chunks}) == len(corpus_result.chunks)


def test_pdf_page_numbers_spot_checks(corpus_result):
    ragunda = _chunks_of(corpus_result, corpus_pdf("ragunda"))
    summary_end = next(c for c in ragunda if "relevant rapportering till politisk" in c.text)
    assert summary_end.pages[-1] == 1
    assert summary_end.printed_pages == ("4",)
    background = next(c for c in ragunda if c.section_number == "2")
    assert background.pages[0] >= 2
    assert "4" not in background.printed_pages

    harnosand = _chunks_of(corpus_result, corpus_pdf("harnosand"))
    earlier_audit = next(c for c in harnosand if c.section_number == "3")
    assert (
        earlier_audit.pages[0] > max(c.pages[-1] for c in harnosand if c.section_number == "1") - 1
    )


def test_text_path_and_pdf_path_give_the_same_documents(text_result, corpus_result):
    def key(result, path_of, name):
        return sorted(
            (d.municipality, d.year, d.doc_type, d.committee, d.title)
            for d in _docs_of(result, path_of(name))
        )

    for name in REPORTS:
        assert key(text_result, SEEDS.__getitem__, name) == key(corpus_result, corpus_pdf, name)


def test_mixed_folder_ingests_good_files_and_reports_each_bad_one(tmp_path, token_counter):
    text_pdf(
        tmp_path / "granskning.pdf",
        [
            "KPMG har av Åre kommuns revisorer fått i uppdrag att granska socialnämnden.\n"
            "1 Sammanfattning\nVi rekommenderar socialnämnden att stärka den interna kontrollen."
        ],
    )
    (tmp_path / "protokoll.txt").write_text(
        "Protokoll för Socialnämnden i Åre kommun.\n§ 12 Budget\nNämnden beslutar att godkänna.",
        encoding="utf-8",
    )
    (tmp_path / "tom.pdf").write_bytes(b"")
    (tmp_path / "trasig.pdf").write_bytes(b"%PDF-1.4 broken")
    image_only_pdf(tmp_path / "skannad.pdf")
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    (tmp_path / "ansi.txt").write_bytes("Nämnden".encode("cp1252"))
    result = ingest_paths([tmp_path], counter=token_counter)
    fatal = {p.source_file.rsplit("/", 1)[-1]: p.reason for p in result.problems if p.fatal}
    assert set(fatal) == {"tom.pdf", "trasig.pdf", "skannad.pdf", "bild.png", "ansi.txt"}
    assert "OCR" in fatal["skannad.pdf"]
    ingested = {d.source_file.rsplit("/", 1)[-1] for d in result.documents}
    assert ingested == {"granskning.pdf", "protokoll.txt"}
    assert result.failed


def test_a_document_ingested_twice_is_indexed_once(tmp_path, token_counter):
    text = SEEDS["ragunda"].read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ragunda.txt").write_text(text, encoding="utf-8")
    (tmp_path / "kopia.txt").write_text(text, encoding="utf-8")
    # Same content, different layout: still the same document.
    (tmp_path / "omformad.txt").write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    result = ingest_paths([tmp_path, tmp_path / "kopia.txt"], counter=token_counter)
    assert len(result.documents) == 1
    assert len(result.duplicates) == 2


def test_personal_numbers_are_masked_unless_turned_off(tmp_path, token_counter):
    from ingest.options import IngestOptions

    (tmp_path / "delegation.txt").write_text(
        "Delegationsbeslut socialnämnden i Åre kommun\nBeslut om bistånd för 19811218-9876.",
        encoding="utf-8",
    )
    (tmp_path / "beslut 121212-1212.txt").write_text("Beslut om bistånd.", encoding="utf-8")
    masked = ingest_paths([tmp_path], counter=token_counter)
    assert "19811218-9876" not in " ".join(c.text for c in masked.chunks)
    assert "XXXXXXXX-XXXX" in " ".join(c.text for c in masked.chunks)
    names = {c.source_file.rsplit("/", 1)[-1] for c in masked.chunks}
    assert "beslut XXXXXX-XXXX.txt" in names and not any("1212" in n for n in names)
    plain = ingest_paths(
        [tmp_path], IngestOptions(mask_personal_numbers=False), counter=token_counter
    )
    assert "19811218-9876" in " ".join(c.text for c in plain.chunks)


def test_missing_fields_are_reported_not_guessed(tmp_path, token_counter):
    (tmp_path / "anteckning.txt").write_text(
        "Minnesanteckningar från ett möte om lokaler.\nInga beslut fattades.", encoding="utf-8"
    )
    result = ingest_paths([tmp_path], counter=token_counter)
    doc = result.documents[0]
    assert doc.municipality is None and doc.year is None
    assert any("kommun" in w for w in doc.warnings)
    assert not result.failed


def test_sidecar_overrides_a_field(tmp_path, token_counter):
    (tmp_path / "anteckning.txt").write_text(
        "Minnesanteckningar från ett möte om lokaler.\nInga beslut fattades.", encoding="utf-8"
    )
    (tmp_path / "anteckning.txt.meta.json").write_text(
        '{"kommun": "Åre kommun", "år": 2024}', encoding="utf-8"
    )
    result = ingest_paths([tmp_path], counter=token_counter)
    doc = result.documents[0]
    assert (doc.municipality, doc.year) == ("Åre kommun", 2024)
    assert doc.field_sources["municipality"] == "sidofil"
    assert not any(w.startswith(("kommun", "år")) for w in doc.warnings)
    assert all(c.municipality == "Åre kommun" for c in result.chunks)


GOOD_REPORT = (
    "KPMG har av Åre kommuns revisorer fått i uppdrag att granska socialnämnden.\n"
    "1 Sammanfattning\nVi rekommenderar socialnämnden att stärka den interna kontrollen."
)


def test_aes_encrypted_pdfs_open_with_the_empty_password_and_locked_ones_are_named(
    tmp_path, token_counter
):
    from tests.ingest.pdf_factory import encrypted_pdf

    plain = text_pdf(tmp_path / "rapport-original.pdf", [GOOD_REPORT])
    folder = tmp_path / "in"
    folder.mkdir()
    encrypted_pdf(folder / "aes-tomt.pdf", plain, password="", algorithm="AES-256")
    encrypted_pdf(folder / "aes-låst.pdf", plain, password="hemligt", algorithm="AES-128")
    (folder / "protokoll.txt").write_text("Protokoll.\n§ 1 Nämnden beslutar.", encoding="utf-8")
    result = ingest_paths([folder], counter=token_counter)
    fatal = {p.source_file.rsplit("/", 1)[-1]: p.reason for p in result.problems if p.fatal}
    assert set(fatal) == {"aes-låst.pdf"} and "lösenordsskyddad" in fatal["aes-låst.pdf"]
    ingested = {d.source_file.rsplit("/", 1)[-1] for d in result.documents}
    assert ingested == {"aes-tomt.pdf", "protokoll.txt"}


def test_symlink_loops_are_walked_once_and_unreadable_folders_are_named(
    tmp_path, token_counter, monkeypatch
):
    from pathlib import Path

    from ingest.collecting import collect_files

    folder = tmp_path / "mapp"
    (folder / "låst").mkdir(parents=True)
    (folder / "rapport.txt").write_text(GOOD_REPORT, encoding="utf-8")
    (folder / "a").symlink_to(".")
    (folder / "b").symlink_to(folder)
    real_iterdir = Path.iterdir

    def iterdir(self):
        # Root reads any folder whatever its mode, so a chmod 000 proves nothing here.
        if self.name == "låst":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    files, problems = collect_files([folder])
    assert [f.name for f in files] == ["rapport.txt"]
    assert [(p.source_file.rsplit("/", 1)[-1], p.fatal) for p in problems] == [("låst", True)]
    assert "kan inte läsas" in problems[0].reason


def test_a_fault_in_one_file_fails_that_file_and_the_ingest_goes_on(
    tmp_path, token_counter, monkeypatch
):
    import ingest.parsing as parsing

    (tmp_path / "a.txt").write_text(GOOD_REPORT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD_REPORT.replace("Åre", "Orsa"), encoding="utf-8")
    real = parsing._ingest_source

    def failing(source, *args, **kwargs):
        if source.path.name == "a.txt":
            raise RuntimeError("trasig tabell")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(parsing, "_ingest_source", failing)
    result = ingest_paths([tmp_path], counter=token_counter)
    assert [(p.source_file.rsplit("/", 1)[-1], p.reason) for p in result.problems if p.fatal] == [
        ("a.txt", "oväntat fel när filen lästes (RuntimeError: trasig tabell)")
    ]
    assert {d.source_file.rsplit("/", 1)[-1] for d in result.documents} == {"b.txt"}


def test_a_pdf_of_one_repeated_line_per_page_is_ingested_with_a_warning(tmp_path, token_counter):
    text_pdf(tmp_path / "lista.pdf", ["Beslut enligt delegation: bistånd beviljat"] * 6)
    result = ingest_paths([tmp_path], counter=token_counter)
    assert result.chunks, "the document disappeared"
    warnings = [p.reason for p in result.problems if not p.fatal]
    assert any("behölls som text" in w for w in warnings)
