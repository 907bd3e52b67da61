"""The parts of an index's ``config.json`` that say how its chunks and BM25 index were made, and
what the ingest that built it reported.

``index.index_config`` reads them from the file and checks them; a field's default is what an
index from before that key was recorded is taken to mean. A section an index does not record at
all (an index built without an ingest, such as the startup benchmark's) is None in the config and
``{}`` in the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

from ingest.merging import Duplicate
from ingest.models import IngestProblem
from ingest.options import IngestOptions


@dataclass(frozen=True)
class ChunkingConfig:
    """The ingest options the chunks were made with; an update compares them to reuse chunks."""

    # An index that does not say was cut with the defaults, as an upload in the app assumes.
    chunk_size: int = IngestOptions.chunk_size
    chunk_overlap: int = IngestOptions.chunk_overlap
    mask_personal_numbers: bool = IngestOptions.mask_personal_numbers
    # Not recorded: matches no tokenizer, so an update reads every file again.
    tokenizer: str = ""
    # Settings a newer revsok recorded and this one does not know, kept as written: such an index
    # never compares equal to this revsok's settings, so its chunks are not mixed with new ones.
    others: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, options: IngestOptions, tokenizer: str) -> ChunkingConfig:
        return cls(**asdict(options), tokenizer=tokenizer)

    def options(self) -> IngestOptions:
        return IngestOptions(self.chunk_size, self.chunk_overlap, self.mask_personal_numbers)

    def to_dict(self) -> dict[str, Any]:
        known = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "others"}
        return {**known, **dict(self.others)}


@dataclass(frozen=True)
class AnalyzerConfig:
    """The BM25 analyzer as ``SwedishAnalyzer.config()`` describes it. Only ``split_compounds`` is
    read back (a rebuild splits as the index did); the rest is for a reader of the file, None
    when the file does not record it."""

    split_compounds: bool = True
    min_part_length: int | None = None
    min_head_length: int | None = None
    min_part_count: int | None = None
    max_parts: int | None = None
    stemmer: str | None = None
    stopwords: str | None = None
    vocabulary_size: int | None = None


@dataclass(frozen=True)
class LexicalConfig:
    """The BM25 index as ``LexicalIndex.config()`` describes it. Loading reads ``lexical-meta.json``
    instead; these values are for a reader of the file, None when the file does not record one."""

    name: str | None = None
    library: str | None = None
    method: str | None = None
    k1: float | None = None
    b: float | None = None
    rows: int | None = None
    terms: int | None = None
    analyzer: AnalyzerConfig = field(default_factory=AnalyzerConfig)

    @classmethod
    def of(cls, described: dict[str, Any]) -> LexicalConfig:
        """From ``LexicalIndex.config()``; a key it gains must be added here, or this fails."""
        return cls(**{**described, "analyzer": AnalyzerConfig(**described["analyzer"])})


@dataclass(frozen=True)
class IngestReport:
    """What the ingest that built the version read, and what went wrong with which file."""

    files: int
    files_reused: int
    documents: int
    chunks: int
    problems: tuple[IngestProblem, ...]
    duplicates: tuple[Duplicate, ...]


def as_written(section: Any) -> Any:
    """A section as ``config.json`` holds it: an object of the values it records (None is a value
    the file did not record, and stays out), lists for tuples; ``{}`` for no section."""
    if section is None:
        return {}
    if isinstance(section, ChunkingConfig):
        return section.to_dict()
    if is_dataclass(section):
        values = ((f.name, getattr(section, f.name)) for f in fields(section))
        return {name: as_written(value) for name, value in values if value is not None}
    if isinstance(section, tuple):
        return [as_written(item) for item in section]
    return section
