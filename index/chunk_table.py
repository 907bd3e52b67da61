"""The chunks of a loaded index, read from the chunk store when asked for, not held in memory.

At a million chunks the chunk records take 2.3 GB as Python objects and 30 s to decode. A search
needs the metadata of every row (to filter) but the text of only its few hundred candidates. So a
``ChunkTable`` keeps

- the filter fields of every row as integer codes (``ChunkColumns``, written beside the chunk
  store at build time and read in milliseconds), and
- an open read-only connection to ``chunks.sqlite``, from which rows are decoded on demand and
  kept in a bounded cache.

The connection is opened at load, so a version removed by a later switch stays readable for as
long as the searcher that loaded it lives (an open file outlives its name).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from index.chunk_store import STORE_FILE, ChunkStoreError, damaged, decode_chunk, open_store
from index.models import FILTER_FIELDS
from ingest.models import Chunk

COLUMNS_FILE = "chunk-columns.npy"
COLUMN_VALUES_FILE = "chunk-columns.json"
# The categorical fields a search filters on, in the order of the columns file.
COLUMN_FIELDS = tuple(f.chunk_field for f in FILTER_FIELDS)
_YEAR = len(COLUMN_FIELDS)
# Decoded chunks kept: a search touches a few hundred; the app's pages and the eval revisit them.
CACHE_ROWS = 8192
# Rows fetched per statement: SQLite allows 32,766 parameters; far fewer keeps statements short.
_BATCH = 900


@dataclass(frozen=True)
class Column:
    """One categorical field of every row as codes (-1: no value); ``values[code]`` is the value
    as first written, ``codes`` maps its casefolded form to the code."""

    array: np.ndarray
    values: tuple[str, ...]

    @cached_property
    def codes(self) -> dict[str, int]:
        return {value.casefold(): code for code, value in enumerate(self.values)}

    def _codes_of(self, wanted: Iterable[str], exact: bool = False) -> np.ndarray:
        """The codes of the values in ``wanted``: compared ignoring case, or ``exact``."""
        if exact:
            names = set(wanted)
            codes = [code for code, value in enumerate(self.values) if value in names]
        else:
            known = self.codes
            codes = [known[key] for key in {w.casefold() for w in wanted} if key in known]
        return np.array(codes, dtype=np.int32)

    def mask(self, allowed: Sequence[str]) -> np.ndarray:
        return np.isin(self.array, self._codes_of(allowed))

    def matches(self, rows: np.ndarray, wanted: Iterable[str], exact: bool = False) -> np.ndarray:
        """Whether each of ``rows`` holds one of ``wanted``: ignoring case, or ``exact``."""
        return np.isin(self.array[rows], self._codes_of(wanted, exact))

    def present(self) -> tuple[str, ...]:
        """The values some row holds."""
        used = np.unique(self.array)
        return tuple(self.values[code] for code in used if code >= 0)


@dataclass(frozen=True)
class ChunkColumns:
    """The filter fields of every row: categorical columns and the year (0: none)."""

    fields: dict[str, Column]
    years: np.ndarray

    def __len__(self) -> int:
        return len(self.years)

    @classmethod
    def of(cls, chunks: Iterable[Chunk]) -> ChunkColumns:
        tables: dict[str, dict[str, int]] = {name: {} for name in COLUMN_FIELDS}
        firsts: dict[str, list[str]] = {name: [] for name in COLUMN_FIELDS}
        rows: list[tuple[int, ...]] = []
        for chunk in chunks:
            row = []
            for name in COLUMN_FIELDS:
                value = getattr(chunk, name)
                if not value:
                    row.append(-1)
                    continue
                table = tables[name]
                key = value.casefold()
                if key not in table:
                    table[key] = len(table)
                    firsts[name].append(value)
                row.append(table[key])
            row.append(chunk.year or 0)
            rows.append(tuple(row))
        matrix = np.array(rows, dtype=np.int32).reshape(len(rows), _YEAR + 1)
        return cls._from(matrix, firsts)

    @classmethod
    def _from(cls, matrix: np.ndarray, values: dict[str, Sequence[str]]) -> ChunkColumns:
        fields = {
            name: Column(np.ascontiguousarray(matrix[:, i]), tuple(values[name]))
            for i, name in enumerate(COLUMN_FIELDS)
        }
        return cls(fields, np.ascontiguousarray(matrix[:, _YEAR]))

    def save(self, folder: Path) -> None:
        matrix = np.column_stack([*(self.fields[n].array for n in COLUMN_FIELDS), self.years])
        np.save(folder / COLUMNS_FILE, matrix.astype(np.int32).reshape(len(self), -1))
        values = {name: list(self.fields[name].values) for name in COLUMN_FIELDS}
        (folder / COLUMN_VALUES_FILE).write_text(
            json.dumps({"fields": list(COLUMN_FIELDS), "values": values}, ensure_ascii=False),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, folder: Path) -> ChunkColumns | None:
        """The saved columns; None for an index written before they were (they are then
        computed from the chunks)."""
        matrix_path, values_path = folder / COLUMNS_FILE, folder / COLUMN_VALUES_FILE
        if not matrix_path.is_file() and not values_path.is_file():
            return None
        try:
            matrix = np.load(matrix_path, allow_pickle=False)
            meta = json.loads(values_path.read_text(encoding="utf-8"))
            if meta["fields"] != list(COLUMN_FIELDS) or matrix.shape[1:] != (_YEAR + 1,):
                raise ValueError(f"fälten {meta['fields']}, formen {matrix.shape}")
            return cls._from(matrix.astype(np.int32, copy=False), meta["values"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ChunkStoreError(
                f"{matrix_path} går inte att läsa ({err}): bygg om indexet med "
                "'revsok ingest --replace …'"
            ) from err


class ChunkTable(Sequence[Chunk]):
    """Every chunk of one index version by row, decoded from ``chunks.sqlite`` when read."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / STORE_FILE
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, Chunk] = OrderedDict()
        # One connection shared by the app's session threads, each statement under the lock.
        self._db = open_store(folder, threads=True)
        (self._size,) = self._execute("SELECT COUNT(*) FROM chunks", ())[0]
        columns = ChunkColumns.load(Path(folder))
        self.columns = columns if columns is not None else ChunkColumns.of(self)
        if len(self.columns) != self._size:
            raise ChunkStoreError(
                f"{Path(folder) / COLUMNS_FILE} har {len(self.columns)} rader men {self.path} "
                f"{self._size}: bygg om indexet med 'revsok ingest --replace …'"
            )

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows(range(*index.indices(self._size)))
        row = int(index)
        if row < 0:
            row += self._size
        if not 0 <= row < self._size:
            raise IndexError(f"rad {index} finns inte ({self._size} chunkar)")
        return self.rows((row,))[0]

    def __iter__(self) -> Iterator[Chunk]:
        # Streamed in row order without filling the cache: the eval and a re-index read them all.
        for start in range(0, self._size, _BATCH):
            yield from self._fetch(range(start, min(start + _BATCH, self._size))).values()

    def rows(self, rows: Iterable[int]) -> list[Chunk]:
        """The chunks of ``rows``, in that order, read in as few statements as possible."""
        rows = [int(r) for r in rows]
        with self._lock:
            found = {r: self._cache[r] for r in rows if r in self._cache}
            for r in found:
                self._cache.move_to_end(r)
        missing = sorted(set(rows) - found.keys())
        if missing:
            fetched = self._fetch(missing)
            with self._lock:
                for r, chunk in fetched.items():
                    self._cache[r] = chunk
                while len(self._cache) > CACHE_ROWS:
                    self._cache.popitem(last=False)
            found.update(fetched)
        try:
            return [found[r] for r in rows]
        except KeyError as err:
            raise IndexError(f"rad {err.args[0]} finns inte i {self.path}") from None

    def prefetch(self, rows: Iterable[int]) -> None:
        """Read ``rows`` into the cache in one go, ahead of reading them one by one."""
        self.rows(rows)

    def by_id(self, chunk_id: str) -> Chunk | None:
        with self._lock:
            found = self._execute("SELECT record FROM chunks WHERE chunk_id = ?", (chunk_id,))
        return decode_chunk(found[0][0]) if found else None

    def _fetch(self, rows: Sequence[int]) -> dict[int, Chunk]:
        fetched: dict[int, Chunk] = {}
        for start in range(0, len(rows), _BATCH):
            part = rows[start : start + _BATCH]
            query = (
                f"SELECT row, record FROM chunks WHERE row IN ({','.join('?' * len(part))}) "
                "ORDER BY row"
            )
            with self._lock:
                found = self._execute(query, tuple(part))
            fetched.update((row, decode_chunk(raw)) for row, raw in found)
        return fetched

    def _execute(self, query: str, parameters: tuple) -> list:
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error as err:
            raise damaged(self.path, err) from err

    def close(self) -> None:
        self._db.close()
