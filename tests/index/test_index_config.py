"""config.json's chunking, BM25 and ingest report sections: typed when read, written back as they
were, with the meaning older indexes had, and a damaged value named with its file."""

from __future__ import annotations

import json
import shutil

import pytest

from index import layout
from index.config_sections import ChunkingConfig, IngestReport
from index.embedding_cache import EmbeddingCache
from index.index_config import IndexConfig
from index.layout import FORMAT_VERSION, IndexConfigError
from ingest.options import IngestOptions
from revsok.update import update_index
from search_app.core.uploads import index_settings
from tests.conftest import SEEDS


def _older(**sections) -> dict:
    """A config as an index without chunking or ingest report records it."""
    return {
        "format_version": FORMAT_VERSION,
        "embedder": {"name": "hash", "dimension": 32},
        "counts": {"chunks": 0, "documents": 0, "recommendations": 0},
        "dense": {"kind": "flat"},
        "lexical": {"name": "bm25", "rows": 0},
        "fusion": {},
        **sections,
    }


def test_an_older_config_without_chunking_or_report_reads_with_the_defaults(tmp_path):
    config = IndexConfig.from_dict(_older(), tmp_path / "config.json")
    assert config.chunking is None and config.ingest_report is None
    assert config.lexical.analyzer.split_compounds  # as an upload always assumed
    options, settings = index_settings(config)
    assert options == IngestOptions() and settings.split_compounds
    written = config.to_dict()
    assert (written["chunking"], written["ingest_report"]) == ({}, {})
    # What the file did not record stays out, except the fallback the index is now read with.
    assert written["lexical"] == {"name": "bm25", "rows": 0, "analyzer": {"split_compounds": True}}


def test_a_missing_chunking_key_falls_back_and_never_matches_a_tokenizer(tmp_path):
    raw = _older(chunking={"chunk_size": 300})
    chunking = IndexConfig.from_dict(raw, tmp_path / "config.json").chunking
    assert chunking.options() == IngestOptions(chunk_size=300)
    assert chunking != ChunkingConfig.of(IngestOptions(chunk_size=300), "hash")


def test_a_chunk_setting_this_revsok_does_not_know_is_kept_and_blocks_reuse(tmp_path):
    settings = {**vars(IngestOptions()), "tokenizer": "hash"}
    raw = _older(chunking={**settings, "sentence_aware": True})
    config = IndexConfig.from_dict(raw, tmp_path / "config.json")
    assert config.chunking != ChunkingConfig.of(IngestOptions(), "hash")
    assert config.to_dict()["chunking"] == raw["chunking"]
    raw["chunking"] = settings
    assert IndexConfig.from_dict(raw, tmp_path / "config.json").chunking == ChunkingConfig.of(
        IngestOptions(), "hash"
    )


@pytest.mark.parametrize(
    "section, value, named",
    [
        ("chunking", {"chunk_size": "450"}, "chunking.chunk_size ska vara int"),
        ("chunking", [450, 75], "chunking ska vara ett objekt"),
        ("lexical", {"analyzer": {"split_compounds": "ja"}}, "lexical.analyzer.split_compounds"),
        ("lexical", {"rows": True}, "lexical.rows"),
        (
            "ingest_report",
            {"files": 1, "problems": [], "duplicates": []},
            "nyckeln ingest_report.files_reused saknas",
        ),
        (
            "ingest_report",
            {"files": 1, "files_reused": 0, "documents": 1, "chunks": 1, "duplicates": []}
            | {"problems": [{"source_file": "a.pdf", "reason": "tom"}]},
            "nyckeln ingest_report.problems[0].fatal saknas",
        ),
    ],
)
def test_a_damaged_section_names_the_file_and_the_key(tmp_path, section, value, named):
    path = tmp_path / "config.json"
    with pytest.raises(IndexConfigError, match="bygg om") as refused:
        IndexConfig.from_dict(_older(**{section: value}), path)
    assert str(path) in str(refused.value) and named in str(refused.value)


def test_a_built_index_reads_back_to_the_file_it_wrote(corpus_index):
    version = layout.live_version(corpus_index)
    written = json.loads((version / layout.CONFIG_FILE).read_text(encoding="utf-8"))
    config = IndexConfig.read(version)
    assert isinstance(config.chunking, ChunkingConfig)
    assert isinstance(config.ingest_report, IngestReport)
    assert config.ingest_report.problems and config.lexical.rows == config.counts.chunks
    assert json.loads(json.dumps(config.to_dict())) == written


def test_an_index_cut_with_other_chunk_settings_is_read_again(
    tmp_path, default_embedder, embedding_cache_path, token_counter
):
    library = tmp_path / "arkiv"
    library.mkdir()
    shutil.copy(SEEDS["ragunda"], library / SEEDS["ragunda"].name)

    def ingest(options):
        cache = EmbeddingCache(embedding_cache_path)
        index_dir = tmp_path / "index"
        return update_index(
            [library], index_dir, default_embedder, cache, options, counter=token_counter
        )

    ingest(IngestOptions(chunk_size=300))
    assert ingest(IngestOptions(chunk_size=300)).ingest.files_reused == 1
    assert ingest(IngestOptions(chunk_size=200)).ingest.files_reused == 0
