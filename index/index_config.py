"""The ``config.json`` of an index version, read and checked in one place.

Everything that opens an index goes through ``IndexConfig.read``. A file with a missing key, a
stray key, a wrong type or another format becomes one ``IndexConfigError`` that names the file and
the key, instead of a ``KeyError`` or ``TypeError`` deep inside the searcher. The counts recorded
here are what ``Searcher.load`` checks the vectors, chunks and BM25 rows against.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from index.dense import KINDS as DENSE_KINDS
from index.dense import DenseSettings
from index.hybrid import FusionSettings
from index.layout import CONFIG_FILE, FORMAT_VERSION, IndexConfigError
from index.ranking import RankingSettings

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
    # The ingest options the chunks were made with; an update compares them to reuse chunks.
    chunking: dict[str, Any]
    embed_context: bool
    dense_kind: str
    dense: DenseSettings
    lexical: dict[str, Any]
    fusion: FusionSettings
    ranking: RankingSettings
    ingest_report: dict[str, Any]

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
            chunking=check.mapping(raw.get("chunking", {}), "chunking"),
            embed_context=check.typed(raw.get("embed_context", True), bool, "embed_context"),
            dense_kind=dense_kind,
            dense=check.settings(DenseSettings, dense, "dense"),
            lexical=check.mapping(check.key(raw, "lexical"), "lexical"),
            fusion=check.settings(FusionSettings, check.key(raw, "fusion"), "fusion"),
            # Indexes from before ranking settings were recorded rank with today's defaults, and
            # keys an older revsok wrote and this one dropped are ignored.
            ranking=check.settings(
                RankingSettings,
                raw.get("ranking", {}),
                "ranking",
                build=RankingSettings.from_config,
            ),
            ingest_report=check.mapping(raw.get("ingest_report", {}), "ingest_report"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The config as ``config.json`` holds it."""
        return {
            "format_version": FORMAT_VERSION,
            "created": self.created,
            "embedder": {"name": self.embedder_name, "dimension": self.dimension},
            "chunking": self.chunking,
            "counts": asdict(self.counts),
            "embed_context": self.embed_context,
            "dense": {"kind": self.dense_kind, **asdict(self.dense)},
            "lexical": self.lexical,
            "fusion": asdict(self.fusion),
            "ranking": asdict(self.ranking),
            "ingest_report": self.ingest_report,
        }

    def write(self, version: Path) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        (Path(version) / CONFIG_FILE).write_text(text, encoding="utf-8")


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

    def typed(self, value: Any, kind: type, where: str) -> Any:
        # bool is an int in Python; a count of True is as wrong as a name of 3.
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.fail(f"{where} ska vara {kind.__name__}, inte {type(value).__name__}")
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
