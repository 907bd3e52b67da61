"""Uploading PDFs in the app: each bad file gets its reason, the good ones land in the index."""

from __future__ import annotations

import shutil

from index import layout
from index.searcher import Searcher
from search_app.core.uploads import Upload, check_upload, ingest_uploads, safe_file_name
from tests.conftest import corpus_pdf
from tests.ingest.pdf_factory import image_only_pdf, text_pdf

REPORT = (
    "Granskning av hemtjänstens kvalitet\n"
    "Lunds kommun\n"
    "2024-05-02\n"
    "1 Sammanfattning\n"
    "Vi har på uppdrag av de förtroendevalda revisorerna i Lunds kommun granskat "
    "vård- och omsorgsnämndens styrning av hemtjänsten. Vår samlade bedömning är att "
    "nämnden i huvudsak har en ändamålsenlig styrning av hemtjänstens kvalitet.\n"
    "Vi rekommenderar vård- och omsorgsnämnden att följa upp biståndsbesluten oftare."
)


def test_file_names_cannot_smuggle_in_a_path():
    assert safe_file_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_file_name("C:\\Users\\x\\Rapport 2024 – Härnösand.PDF") == (
        "Rapport-2024-Härnösand.pdf"
    )


def test_check_upload_names_the_reason():
    assert "PDF" in check_upload(Upload("a.docx", b"PK"), {})
    assert "tom" in check_upload(Upload("a.pdf", b""), {})
    assert "%PDF-" in check_upload(Upload("a.pdf", b"<html>"), {})


def test_uploads_are_ingested_and_bad_ones_reported_one_by_one(
    tmp_path, corpus_index, default_embedder, embedding_cache_path
):
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index, index_dir)
    before = layout.live_version(index_dir)
    searcher = Searcher.load(index_dir, embedder=default_embedder)
    good = text_pdf(tmp_path / "lund.pdf", [REPORT])
    scanned = image_only_pdf(tmp_path / "scan.pdf")
    uploads = [
        Upload("lund-2024-hemtjanst.pdf", good.read_bytes()),
        Upload("skannad.pdf", scanned.read_bytes()),
        Upload("inte-pdf.pdf", b"hello"),
        Upload("kopia.pdf", corpus_pdf("pitea").read_bytes()),
    ]
    outcome = ingest_uploads(
        uploads, searcher, index_dir, tmp_path / "uploads", embedding_cache_path
    )
    reasons = {error.name: error.reason for error in outcome.errors}
    assert set(reasons) == {"skannad.pdf", "inte-pdf.pdf", "kopia.pdf"}
    assert "samma innehåll" in reasons["kopia.pdf"]
    assert [p.name for p in outcome.saved] == ["lund-2024-hemtjanst.pdf"]
    assert not (tmp_path / "uploads" / "skannad.pdf").exists()

    after = Searcher.load(index_dir, embedder=default_embedder)
    assert layout.live_version(index_dir) != before
    assert len(after.documents) == len(searcher.documents) + 1
    hits = after.search("hemtjänstens kvalitet biståndsbesluten", k=3)
    assert hits[0].chunk.municipality == "Lunds kommun"
    # The corpus documents are all still there, searchable as before.
    assert {d.source_id for d in searcher.documents} <= {d.source_id for d in after.documents}
