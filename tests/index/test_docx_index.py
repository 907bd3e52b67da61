"""A Word document indexed beside a text seed: found by search, cited by section without a page."""

from index.embedding_cache import EmbeddingCache
from index.searcher import Searcher
from revsok.update import update_index
from tests.conftest import SEEDS
from tests.ingest.docx_factory import build_report


def test_a_docx_is_indexed_searched_and_cited_without_a_page(
    tmp_path, default_embedder, embedding_cache_path, token_counter
):
    library = tmp_path / "arkiv"
    library.mkdir()
    build_report(library / "orsa-2023-hemtjanst.docx")
    (library / SEEDS["pitea"].name).write_bytes(SEEDS["pitea"].read_bytes())
    index_dir = tmp_path / "index"
    report = update_index(
        [library],
        index_dir,
        default_embedder,
        EmbeddingCache(embedding_cache_path),
        counter=token_counter,
    )
    assert not report.ingest.failed, report.ingest.problems

    searcher = Searcher.load(index_dir, embedder=default_embedder)
    query = "nutrition och matsituationen i genomförandeplanerna"
    for mode in ("hybrid", "bm25", "dense"):
        hits = searcher.search(query, k=3, mode=mode)
        top = hits[0].chunk
        assert top.source_file.endswith("orsa-2023-hemtjanst.docx"), mode
        assert top.heading_path == ("3 Resultat", "3.1 Genomförandeplaner")
        assert top.pages == ()
        citation = hits[0].citation()
        assert citation.endswith("· 3.1 Genomförandeplaner"), citation
        assert "s. " not in citation

    # The app offers no PDF link for a Word document: nothing to publish, no link on the card.
    from search_app.core.html_blocks import hit_body
    from search_app.core.pdf_files import publish_pdfs

    published = publish_pdfs(searcher.documents, tmp_path / "static", [library])
    docx_ids = {d.source_id for d in searcher.documents if d.source_file.endswith(".docx")}
    assert docx_ids and not docx_ids & published.keys()
    card = hit_body(hits[0], frozenset(), str.split, published.get(hits[0].chunk.source_id))
    assert "PDF" not in card and "3.1 Genomförandeplaner" in card

    # Loaded again from disk, the Word document's metadata is as ingest read it.
    docx_chunks = [c for c in searcher.chunks if c.source_file.endswith(".docx")]
    assert {(c.municipality, c.year, c.committee) for c in docx_chunks} == {
        ("Orsa kommun", 2023, "Socialnämnden")
    }
