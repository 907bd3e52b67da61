"""The chunk store: every chunk and document of an index, with text and metadata, in SQLite.

Row numbers are the vector ids of the dense index and the document ids of the lexical index, so one
integer links the three. Records are stored as JSON of the ingest dataclasses: no pickle.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path

from ingest.models import Chunk, DocumentRecord
from revsok.errors import IndexProblem

STORE_FILE = "chunks.sqlite"


class ChunkStoreError(IndexProblem):
    """The chunk store of an index is missing or damaged."""


_SCHEMA = """
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_id);
CREATE INDEX chunks_source ON chunks(source_id);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    record TEXT NOT NULL
);
"""

_TUPLE_FIELDS = ("heading_path", "pages", "printed_pages", "warnings")


@cache
def _field_names(cls) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _record(cls, raw: str):
    values = json.loads(raw)
    names = _field_names(cls)
    values = {k: v for k, v in values.items() if k in names}
    for key in _TUPLE_FIELDS:
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    return cls(**values)


def write_store(folder: Path, chunks: Sequence[Chunk], documents: Iterable[DocumentRecord]) -> Path:
    path = folder / STORE_FILE
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
            (
                (row, c.chunk_id, c.doc_id, c.source_id, json.dumps(asdict(c), ensure_ascii=False))
                for row, c in enumerate(chunks)
            ),
        )
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?)",
            ((d.doc_id, d.source_id, json.dumps(asdict(d), ensure_ascii=False)) for d in documents),
        )
    return path


def decode_chunk(raw: str) -> Chunk:
    """One stored chunk record as a ``Chunk``."""
    try:
        return _record(Chunk, raw)
    except (ValueError, TypeError, AttributeError) as err:
        raise ChunkStoreError(
            f"en chunk i {STORE_FILE} går inte att läsa ({err}): bygg om indexet med "
            "'revsok ingest --replace …'"
        ) from err


def read_chunks(folder: Path) -> list[Chunk]:
    """All chunks in row order."""
    return _read(folder, Chunk, "SELECT record FROM chunks ORDER BY row")


def read_documents(folder: Path) -> list[DocumentRecord]:
    return _read(folder, DocumentRecord, "SELECT record FROM documents ORDER BY doc_id")


def open_store(folder: Path, *, threads: bool = False) -> sqlite3.Connection:
    """A read-only connection to the chunk store of an index version. ``threads``: the
    connection may be used from several threads (the caller runs one statement at a time)."""
    path = Path(folder) / STORE_FILE
    if not path.is_file():
        # sqlite3 would create an empty database in read-only mode's place and fail later.
        raise ChunkStoreError(f"{path} saknas: bygg om indexet med 'revsok ingest --replace …'")
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=not threads)
    except sqlite3.Error as err:
        raise damaged(path, err) from err


def damaged(path: Path, err: Exception) -> ChunkStoreError:
    """The error for a chunk store that cannot be read."""
    return ChunkStoreError(
        f"{path} går inte att läsa ({err}): bygg om indexet med 'revsok ingest --replace …'"
    )


def _read(folder: Path, cls, query: str) -> list:
    with closing(open_store(folder)) as db:
        try:
            rows = db.execute(query).fetchall()
            return [_record(cls, raw) for (raw,) in rows]
        except (sqlite3.Error, ValueError, TypeError, AttributeError) as err:
            raise damaged(Path(folder) / STORE_FILE, err) from err
