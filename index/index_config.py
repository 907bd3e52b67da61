"""The ``config.json`` of an index version, read and checked in one place.

Everything that opens an index goes through ``IndexConfig.read``. A file with a missing key, a
stray key, a wrong type or another format becomes one ``IndexConfigError`` that names the file and
the key, instead of a ``KeyError`` or ``TypeError`` deep inside the searcher. The counts recorded
here are what ``Searcher.load`` checks the vectors, chunks and BM25 rows against.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_type_hints

from index.config_sections import (
    AnalyzerConfig,
    ChunkingConfig,
    IngestReport,
    LexicalConfig,
    as_written,
)
from index.dense import KINDS as DENSE_KINDS
from index.dense import DenseSettings
from index.hybrid import FusionSettings
from index.layout import CONFIG_FILE, FORMAT_VERSION, IndexConfigError
from index.ranking import RankingSettings
from ingest.merging import Duplicate
from ingest.models import IngestProblem

_REBUILD = "bygg om indexet med 'revsok ingest --replace …'"


@dataclass(frozen=True)
class IndexCounts:
    chunks: int
    documents: int
    recommendations: int


@dataclass(frozen=True)
class IndexConfig:
    created: str
    embedder_name: str
    dimension: int
    counts: IndexCounts
    chunking: ChunkingConfig | None
    embed_context: bool
    dense_kind: str
    dense: DenseSettings
    lexical: LexicalConfig
    fusion: FusionSettings
    ranking: RankingSettings
    ingest_report: IngestReport | None

    @classmethod
    def read(cls, version: Path) -> IndexConfig:
        path = Path(version) / CONFIG_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise IndexConfigError(f"{path} kan inte läsas: {err}; {_REBUILD}") from err
        return cls.from_dict(raw, path)

    @classmethod
    def from_dict(cls, raw: Any, path: Path) -> IndexConfig:
        check = _Checker(path)
        raw = check.mapping(raw, "")
        found = raw.get("format_version")
        if found != FORMAT_VERSION:
            raise IndexConfigError(
                f"{path}: indexformat {found}, den här versionen av revsok läser "
                f"{FORMAT_VERSION}; {_REBUILD}"
            )
        embedder = check.mapping(check.key(raw, "embedder"), "embedder")
        counts = check.mapping(check.key(raw, "counts"), "counts")
        dense = dict(check.mapping(check.key(raw, "dense"), "dense"))
        dense_kind = check.typed(dense.pop("kind", None), str, "dense.kind")
        if dense_kind not in DENSE_KINDS:
            check.fail(
                f"dense.kind är {dense_kind!r}, inte {', '.join(DENSE_KINDS[:-1])} eller "
                f"{DENSE_KINDS[-1]}"
            )
        return cls(
            created=check.typed(raw.get("created", ""), str, "created"),
            embedder_name=check.typed(
                check.key(embedder, "name", "embedder"), str, "embedder.name"
            ),
            dimension=check.count(
                check.key(embedder, "dimension", "embedder"), "embedder.dimension"
            ),
            counts=IndexCounts(
                **{
                    name: check.count(check.key(counts, name, "counts"), f"counts.{name}")
                    for name in ("chunks", "documents", "recommendations")
                }
            ),
            chunking=_chunking(check, raw.get("chunking", {})),
            embed_context=check.typed(raw.get("embed_context", True), bool, "embed_context"),
            dense_kind=dense_kind,
            dense=check.settings(DenseSettings, dense, "dense"),
            lexical=_lexical(check, check.key(raw, "lexical")),
            fusion=check.settings(FusionSettings, check.key(raw, "fusion"), "fusion"),
            # Indexes from before ranking settings were recorded rank with today's defaults, and
            # keys an older revsok wrote and this one dropped are ignored.
            ranking=check.settings(
                RankingSettings,
                raw.get("ranking", {}),
                "ranking",
                build=RankingSettings.from_config,
            ),
            ingest_report=_ingest_report(check, raw.get("ingest_report", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        """The config as ``config.json`` holds it."""
        return {
            "format_version": FORMAT_VERSION,
            "created": self.created,
            "embedder": {"name": self.embedder_name, "dimension": self.dimension},
            "chunking": as_written(self.chunking),
            "counts": asdict(self.counts),
            "embed_context": self.embed_context,
            "dense": {"kind": self.dense_kind, **asdict(self.dense)},
            "lexical": as_written(self.lexical),
            "fusion": asdict(self.fusion),
            "ranking": asdict(self.ranking),
            "ingest_report": as_written(self.ingest_report),
        }

    def write(self, version: Path) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        (Path(version) / CONFIG_FILE).write_text(text, encoding="utf-8")


def _chunking(check: _Checker, values: Any) -> ChunkingConfig | None:
    values = check.mapping(values, "chunking")
    if not values:
        return None
    known = {f.name for f in fields(ChunkingConfig)} - {"others"}
    others = tuple((name, value) for name, value in values.items() if name not in known)
    return check.record(ChunkingConfig, values, "chunking", others=others)


def _lexical(check: _Checker, values: Any) -> LexicalConfig:
    values = check.mapping(values, "lexical")
    analyzer = check.record(AnalyzerConfig, values.get("analyzer", {}), "lexical.analyzer")
    return check.record(LexicalConfig, values, "lexical", analyzer=analyzer)


def _ingest_report(check: _Checker, values: Any) -> IngestReport | None:
    values = check.mapping(values, "ingest_report")
    if not values:
        return None
    return check.record(
        IngestReport,
        values,
        "ingest_report",
        problems=check.records(IngestProblem, values, "problems", "ingest_report"),
        duplicates=check.records(Duplicate, values, "duplicates", "ingest_report"),
    )


@cache
def _field_kinds(cls: type) -> dict[str, tuple[type, ...]]:
    """The types each field of ``cls`` accepts from JSON: ``int | None`` takes an int (None is a
    value the file does not record), a float also an int."""
    kinds = {}
    for name, hint in get_type_hints(cls).items():
        accepted = tuple(k for k in get_args(hint) if k is not type(None)) or (hint,)
        kinds[name] = (*accepted, int) if float in accepted else accepted
    return kinds


class _Checker:
    """Checks one file's values and raises IndexConfigError naming the file and key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, reason: str):
        raise IndexConfigError(f"{self.path}: {reason}; {_REBUILD}")

    def key(self, values: dict, name: str, parent: str = "") -> Any:
        if name not in values:
            self.fail(f"nyckeln {parent + '.' if parent else ''}{name} saknas")
        return values[name]

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(f"{where or 'filen'} ska vara ett objekt, inte {type(value).__name__}")
        return value

    def typed(self, value: Any, kind: type | tuple[type, ...], where: str) -> Any:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a count of True is as wrong as a name of 3.
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            names = " eller ".join(k.__name__ for k in kinds)
            self.fail(f"{where} ska vara {names}, inte {type(value).__name__}")
        return value

    def count(self, value: Any, where: str) -> int:
        self.typed(value, int, where)
        if value < 0:
            self.fail(f"{where} är negativ ({value})")
        return value

    def settings(self, cls: type, values: Any, where: str, build=None):
        """``cls`` from ``values``; a stray key is an error unless ``build`` (a lenient
        constructor such as ``RankingSettings.from_config``) makes it instead."""
        values = self.mapping(values, where)
        unknown = sorted(set(values) - {f.name for f in fields(cls)})
        if unknown and build is None:
            self.fail(f"{where} har okända nycklar: {', '.join(unknown)}")
        try:
            return build(values) if build else cls(**values)
        except (TypeError, ValueError) as err:
            self.fail(f"{where}: {err}")

    def record(self, cls: type, values: Any, where: str, *, strict: bool = False, **parts):
        """``cls`` from one section: each value checked against its field's type. A missing key
        takes the field's default (what an index from before that key meant) unless ``strict``;
        without a default it is an error. ``parts`` are fields made already (nested sections).
        Keys this revsok does not know are ignored, as with ranking."""
        values = self.mapping(values, where)
        made = dict(parts)
        for f in fields(cls):
            if f.name in made:
                continue
            if f.name in values:
                value = values[f.name]
                made[f.name] = self.typed(value, _field_kinds(cls)[f.name], f"{where}.{f.name}")
            elif strict or (f.default is MISSING and f.default_factory is MISSING):
                self.fail(f"nyckeln {where}.{f.name} saknas")
        return cls(**made)

    def records(self, cls: type, values: dict, name: str, parent: str) -> tuple:
        """The list ``values[name]`` of ``cls`` records; each was always written whole."""
        where = f"{parent}.{name}"
        items = self.typed(self.key(values, name, parent), list, where)
        return tuple(
            self.record(cls, item, f"{where}[{i}]", strict=True) for i, item in enumerate(items)
        )
