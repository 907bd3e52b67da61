"""The one searcher every page shares, loaded once per index version and process."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from index.searcher import Searcher
from recommendations.store import RecommendationStore
from revsok.errors import RevsokError
from revsok.settings import Settings, load_settings
from search_app.core.facets import FilterOptions, filter_options
from search_app.core.markdown_literal import literal
from search_app.core.pdf_files import publish_pdfs, search_roots

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def show_error(err: RevsokError, context: str) -> None:
    """Every expected failure is shown the same way: one red box, its message as plain text."""
    st.error(f"{context}: {literal(err)}")


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="Läser in sökindexet …")
def _load(index_dir: str, version: str) -> Searcher:
    # ``version`` is part of the cache key: after an upload the index has a new live version, and
    # the next page run loads it while sessions that still hold the old searcher keep working.
    log.info("laddar index %s (%s)", index_dir, version)
    return Searcher.load(Path(index_dir))


@st.cache_resource(show_spinner="Förbereder PDF-länkar …")
def _published(version: str, _searcher: Searcher) -> dict[str, str]:
    data_root = settings().data_dir.resolve().parent
    return publish_pdfs(_searcher.documents, STATIC_DIR, search_roots(data_root))


def _live_version(index_dir: Path) -> str:
    from index.layout import live_version

    return str(live_version(index_dir))


def searcher() -> Searcher:
    """The loaded searcher; on a missing or unusable index the page says what to do and stops."""
    config = settings()
    index_dir = config.resolved_index_dir
    try:
        return _load(str(index_dir.resolve()), _live_version(index_dir))
    except RevsokError as err:
        show_error(err, "Sökindexet kan inte läsas")
        st.info(
            "Bygg indexet med `revsok ingest corpus/` eller starta appen med `revsok app`, som "
            "läser in exempelkorpusen om inget index finns. Vilken mapp som används styrs av "
            "`REVSOK_INDEX_DIR` eller `REVSOK_DATA_DIR`."
        )
        st.stop()


def serve_originals() -> bool:
    """Whether the app links to (and so publishes) the original PDFs: ``serve_originals``."""
    return settings().serve_originals


def pdf_files(loaded: Searcher) -> dict[str, str]:
    """source_id → published PDF file name, for the loaded index version; empty, and nothing
    copied, when the originals are not served."""
    if not serve_originals():
        return {}
    return _published(str(loaded.path), loaded)


def forget_index() -> None:
    """Drop cached searchers so the next run loads the index as it is on disk now."""
    _load.clear()
    _published.clear()
    _options.clear()
    _recommendations.clear()


# Quick, so no spinner: Streamlit's default one reads "Running _options(...)." in English.
@st.cache_resource(show_spinner=False)
def _options(version: str, _searcher: Searcher) -> FilterOptions:
    return filter_options(_searcher.field_values())


def options(loaded: Searcher) -> FilterOptions:
    """Every value each filter can take in the loaded index."""
    return _options(str(loaded.path), loaded)


@st.cache_resource(show_spinner="Läser in rekommendationerna …")
def _recommendations(version: str) -> RecommendationStore:
    return RecommendationStore.load(Path(version))


def recommendations(loaded: Searcher) -> RecommendationStore:
    """The recommendations, verdicts and answers stored with the loaded index version.

    Raises ``recommendations.store.RecordsError`` when the stored file cannot be read.
    """
    return _recommendations(str(loaded.path))
