"""Pipe tables in a section's text ("| Revisionsfråga | Svar |", "| Nr | Rekommendation | Nämnd |"),
with their header row when the table has one and the offsets of every row.

Text ingest keeps tables as pipe rows; a row may run over several lines. A table's first row is
its header when a separator row (``|---|---|``) follows it, or when every cell is a short label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR_CELL = re.compile(r":?-{2,}:?|:?-*:?")
_HTML = re.compile(r"<[^>]+>")
_MAX_HEADER_WORDS = 5


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...] | None
    rows: tuple[Row, ...]  # body rows, header excluded

    def column(self, pattern: re.Pattern[str], exclude: tuple[int, ...] = ()) -> int | None:
        """Index of the first header cell matching ``pattern``."""
        if self.header is None:
            return None
        for index, cell in enumerate(self.header):
            if index not in exclude and pattern.search(cell):
                return index
        return None


def clean_cell(text: str) -> str:
    text = _HTML.sub(" ", text).replace("&nbsp;", " ")
    return " ".join(text.replace("▶", " ").replace("•", " ").replace("**", "").split())


def _is_separator(cells: list[str]) -> bool:
    return all(_SEPARATOR_CELL.fullmatch(c.strip()) for c in cells) and any("-" in c for c in cells)


def tables(text: str) -> list[Table]:
    """The pipe tables of ``text`` in order."""
    found: list[Table] = []
    raw_rows: list[tuple[list[str], int, int, bool]] = []  # cells, start, end, is_separator
    buffer, buffer_start = "", 0
    offset = 0

    def close() -> None:
        if raw_rows:
            found.append(_table(raw_rows))
            raw_rows.clear()

    for raw in text.splitlines(keepends=True):
        line_start, stripped = offset, raw.strip()
        offset += len(raw)
        if not buffer and not stripped.startswith("|"):
            if stripped or (raw_rows and not _continues_after_blank(text, offset)):
                close()
            continue
        if not buffer:
            buffer_start = line_start + raw.find("|")
        buffer = f"{buffer} {stripped}" if buffer else stripped
        if buffer.endswith("|") and buffer.count("|") >= 3:
            cells = [c.strip() for c in buffer.strip().strip("|").split("|")]
            end = line_start + len(raw.rstrip("\r\n"))
            raw_rows.append((cells, buffer_start, end, _is_separator(cells)))
            buffer = ""
        elif not stripped:
            buffer = ""
    close()
    return [t for t in found if t.rows]


def _continues_after_blank(text: str, offset: int) -> bool:
    """Does a pipe row follow the blank line ending at ``offset``?"""
    rest = text[offset:].lstrip()
    return rest.startswith("|")


def _table(raw_rows: list[tuple[list[str], int, int, bool]]) -> Table:
    rows = [r for r in raw_rows if not r[3]]
    header: tuple[str, ...] | None = None
    if rows:
        first = rows[0]
        followed_by_separator = len(raw_rows) > 1 and raw_rows[1][3]
        short = all(len(clean_cell(c).split()) <= _MAX_HEADER_WORDS for c in first[0])
        if followed_by_separator or (short and "?" not in "".join(first[0])):
            header = tuple(clean_cell(c) for c in first[0])
            rows = rows[1:]
    body = tuple(Row(tuple(clean_cell(c) for c in cells), s, e) for cells, s, e, _ in rows)
    return Table(header=header, rows=body)
