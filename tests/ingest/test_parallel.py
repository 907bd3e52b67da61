"""Files read in worker processes give the same ingest as files read in one process: the same
chunks in the same order, the same documents, problems, warnings and duplicates; a file that
kills its worker fails alone."""

from __future__ import annotations

import shutil

import pytest

from index import layout
from index.chunk_store import read_chunks, read_documents
from index.embedding_cache import EmbeddingCache
from ingest.models import IngestProblem
from ingest.parallel import CRASH_PREFIX, WORKER_DIED
from ingest.pipeline import ingest_paths
from revsok.cli import _build_parser
from revsok.commands.common import problem_lines
from revsok.update import update_index
from tests.conftest import SEEDS, corpus_pdf
from tests.ingest.docx_factory import build_memo


def _memo(kommun: str, subject: str) -> str:
    return (
        f"{kommun}\nSocialförvaltningen\nTJÄNSTESKRIVELSE\nDatum 2023-04-12\n\nSocialnämnden\n\n"
        f"Yttrande om {subject}\n\nBeskrivning av ärendet\nRevisorerna har granskat {subject} och "
        "rekommenderar att nämnden följer upp arbetet systematiskt. Förvaltningen instämmer och "
        "redovisar en plan med tidsatta åtgärder och uppföljning i internkontrollplanen.\n"
    )


@pytest.fixture
def mixed_folder(tmp_path):
    """Corpus reports, copies of two kinds, a Word memo and files that fail in several ways."""
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for name in ("ragunda", "karlshamn", "pitea"):
        shutil.copy(corpus_pdf(name), folder)
    shutil.copy(corpus_pdf("pitea"), folder / "zz-samma-bytes.pdf")
    text = SEEDS["ragunda"].read_text(encoding="utf-8")
    (folder / "ragunda.txt").write_text(text, encoding="utf-8")
    (folder / "ragunda-omformad.txt").write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    build_memo(folder / "memo.docx")
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all")
    (folder / "bild.xyz").write_bytes(b"\x89PNG")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "ansi.txt").write_bytes("Nämnden".encode("cp1252"))
    return folder


def test_workers_give_the_same_ingest_as_one_process(mixed_folder, token_counter):
    alone = ingest_paths([mixed_folder], counter=token_counter)
    handed: list = []
    shared = ingest_paths([mixed_folder], counter=token_counter, workers=2, on_chunks=handed.extend)
    assert shared.chunks == alone.chunks
    assert [c.chunk_id for c in shared.chunks] == [c.chunk_id for c in alone.chunks]
    assert shared.documents == alone.documents
    assert shared.problems == alone.problems
    assert problem_lines(shared.problems) == problem_lines(alone.problems)
    assert shared.duplicates == alone.duplicates
    assert (shared.files_seen, shared.settings) == (alone.files_seen, alone.settings)
    # Every new chunk went to the embedder once, in order, while the files were read.
    assert tuple(handed) == shared.chunks
    # The folder is what it claims: each way of failing and both kinds of copy are there.
    fatal = {p.source_file.rsplit("/", 1)[-1] for p in alone.problems if p.fatal}
    assert fatal == {"trasig.pdf", "bild.xyz", "tom.txt", "ansi.txt"}
    copies = {d.source_file.rsplit("/", 1)[-1] for d in alone.duplicates}
    # The seed text is the Ragunda PDF's text: both text files are copies of it by their text.
    assert copies == {"zz-samma-bytes.pdf", "ragunda.txt", "ragunda-omformad.txt"}
    read = {d.source_file.rsplit("/", 1)[-1] for d in alone.documents}
    assert {"memo.docx", "pitea-2023-granskning-lss.pdf", "trasig.pdf"} & read == {
        "memo.docx",
        "pitea-2023-granskning-lss.pdf",
    }


def test_a_file_that_kills_its_worker_fails_alone(tmp_path, token_counter, monkeypatch):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for kommun in ("Gällivare", "Kiruna", "Boden", "Luleå"):
        (folder / f"{kommun.lower()}.txt").write_text(
            _memo(f"{kommun} kommun", "hemtjänstens bemanning"), encoding="utf-8"
        )
    alone = ingest_paths([folder], counter=token_counter)
    monkeypatch.setenv("REVSOK_CRASH_AT", CRASH_PREFIX + "kiruna.txt")
    shared = ingest_paths([folder], counter=token_counter, workers=2)
    (dead,) = {d.source_file for d in alone.documents if d.source_file.endswith("kiruna.txt")}
    assert [p for p in shared.problems if p.source_file == dead] == [
        IngestProblem(dead, WORKER_DIED)
    ]
    assert [p for p in shared.problems if p.source_file != dead] == [
        p for p in alone.problems if p.source_file != dead
    ]
    assert shared.documents == tuple(d for d in alone.documents if d.source_file != dead)
    assert shared.chunks == tuple(c for c in alone.chunks if c.source_file != dead)


def test_an_update_with_workers_builds_the_same_index_and_counts(
    tmp_path, default_embedder, token_counter
):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for kommun, subject in (("Arjeplog", "färdtjänst"), ("Jokkmokk", "skolskjutsar")):
        (folder / f"{kommun.lower()}.txt").write_text(
            _memo(f"{kommun} kommun", subject), encoding="utf-8"
        )
    reports = {}
    for workers in (0, 1):
        index_dir = tmp_path / f"index-{workers}"
        cache = EmbeddingCache(tmp_path / f"cache-{workers}.sqlite")  # cold: everything is new
        reports[workers] = update_index(
            [folder], index_dir, default_embedder, cache, counter=token_counter, workers=workers
        )
        version = layout.live_version(index_dir)
        reports[workers] = (reports[workers], read_chunks(version), read_documents(version))
    (one, chunks_one, docs_one), (many, chunks_many, docs_many) = reports[0], reports[1]
    assert chunks_many == chunks_one and docs_many == docs_one
    assert (many.build.chunks, many.build.embedded, many.build.cached) == (
        one.build.chunks,
        one.build.embedded,
        one.build.cached,
    )
    assert many.build.embedded == len(chunks_one) > 0


@pytest.mark.parametrize("value", ["-1", "två"])
def test_the_worker_count_must_be_zero_or_more(value):
    with pytest.raises(SystemExit):
        _build_parser().parse_args(["ingest", "x", "--workers", value])
    assert _build_parser().parse_args(["ingest", "x", "--workers", "0"]).workers == 0
