"""The text of one PDF page in reading order, from pypdf's extraction and where each piece stands.

pypdf's plain extraction follows the content stream, which for PDFs made by word processors is
the reading order: two columns come one after the other, a table row by row. Layout mode, which
sorts text by position, splices a text box or the second column into the lines beside it, so it
is not used. Three things the content order gets wrong are put right here, with the position,
size and order of every piece that pypdf reports while it extracts:

- a block drawn before text that stands above it (Writer draws a text box before the page's
  running head) is moved to where it stands, at a paragraph boundary;
- a table (cells starting at the same x on several lines) becomes pipe rows, "| 1 | Fråga? | Ja |",
  so the rows that carry a question and its answer stay together;
- a superscript footnote number is taken out of the word it is attached to, and the footnote
  text at the foot of the page is moved after the paragraph that cites it, so neither splits a
  sentence or a list that runs onto the next page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from statistics import median

from pypdf import PageObject

log = logging.getLogger(__name__)

# Points: how far apart two x positions or baselines may be and still count as the same.
_X_TOLERANCE = 4.0
_Y_TOLERANCE = 2.0
# A table's columns span this share of the page, or it has three columns: two aligned starts
# close together are a numbered heading ("3.1  Mål och riktlinjer"), not a table.
_TABLE_SPAN = 0.4
_MIN_TABLE_ROWS = 2
_SUPERSCRIPT_SIZE = 0.8
_FOOTNOTE_SIZE = 0.9
_SHORT_LINE = 0.75
_FOOTNOTE = re.compile(r"^(\d{1,3})\s+\S")
_SENTENCE_END = re.compile(r"[.!?:]$")


@dataclass
class _Piece:
    text: str
    x: float
    y: float
    size: float


@dataclass
class _Line:
    pieces: list[_Piece] = field(default_factory=list)
    # The footnote number taken out of the line, if any.
    marker: str | None = None

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def _main(self) -> _Piece | None:
        placed = [p for p in self.pieces if p.text.strip()]
        return max(placed, key=lambda p: p.size) if placed else None

    @property
    def y(self) -> float:
        main = self._main
        return main.y if main else 0.0

    @property
    def size(self) -> float:
        main = self._main
        return main.size if main else 0.0

    def starts(self) -> list[float]:
        """Where the line's cells begin: its first piece, and every piece after a gap that
        pypdf filled with a space of its own."""
        found: list[float] = []
        previous_blank = True
        for piece in self.pieces:
            if not piece.text.strip():
                previous_blank = previous_blank or piece.text != ""
                continue
            if previous_blank:
                found.append(piece.x)
            previous_blank = False
        return found


def page_text(page: PageObject) -> str:
    """The text of ``page`` in reading order (see the module docstring)."""
    lines = _lines(page)
    if not lines:
        return page.extract_text() or ""
    try:
        width = float(page.mediabox.width) or 595.0
        _drop_footnote_markers(lines)
        blocks = _tables(lines, width)
        blocks = _in_place(blocks)
        blocks = _footnotes_after_paragraph(blocks)
    except Exception:  # a heuristic that trips on an odd page must not cost the page its text
        log.debug("ordningen på sidan kunde inte rättas; pypdf:s text används", exc_info=True)
        return "\n".join(line.text for line in lines)
    return "\n".join(block.text for block in blocks)


def _lines(page: PageObject) -> list[_Line]:
    pieces: list[_Piece] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[2] * cm[1] + tm[3] * cm[3]) or 1.0) * (font_size or 0.0)
        pieces.append(_Piece(text, x, y, scale))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(p.text for p in pieces) != text:
        return []  # pypdf told a different story than it returned: do not rearrange
    lines = [_Line()]
    for piece in pieces:
        parts = piece.text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append(_Line())
            if part:
                lines[-1].pieces.append(_Piece(part, piece.x, piece.y, piece.size))
    return lines


# --- Footnotes --------------------------------------------------------------------------------


@dataclass
class _Block:
    """Lines that move together: one line, a table, or a page's footnotes."""

    lines: list[_Line]
    text_override: str | None = None
    marker_lines: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.text_override is not None:
            return self.text_override
        return "\n".join(line.text for line in self.lines)

    @property
    def top(self) -> float:
        return max(line.y for line in self.lines)

    @property
    def bottom(self) -> float:
        return min(line.y for line in self.lines)


def _body_size(lines: list[_Line]) -> float:
    sizes = [line.size for line in lines if line.size and len(line.text) > 20]
    return median(sizes) if sizes else 0.0


def _footnote_numbers(lines: list[_Line], body: float) -> set[str]:
    small = [line for line in lines if line.size and line.size <= _FOOTNOTE_SIZE * body]
    return {found.group(1) for line in small if (found := _FOOTNOTE.match(line.text))}


def _drop_footnote_markers(lines: list[_Line]) -> None:
    """A small raised number right after a word, when a footnote with that number stands at
    the foot of the page: "socialtjänstlagen¹ ska" reads "socialtjänstlagen ska"."""
    body = _body_size(lines)
    if not body:
        return
    numbers = _footnote_numbers(lines, body)
    if not numbers:
        return
    for line in lines:
        main = line._main
        if main is None:
            continue
        for i, piece in enumerate(line.pieces):
            if (
                i > 0
                and piece.text.strip() in numbers
                and piece.size <= _SUPERSCRIPT_SIZE * main.size
                and piece.y > main.y + 0.15 * main.size
                and line.pieces[i - 1].text[-1:].isalpha()
            ):
                line.marker = piece.text.strip()
                piece.text = ""


def _footnotes_after_paragraph(blocks: list[_Block]) -> list[_Block]:
    """Footnote lines at the foot of the page moved after the paragraph that cites them."""
    lines = [line for block in blocks for line in block.lines]
    body = _body_size(lines)
    if not body:
        return blocks
    first = None
    for i, block in enumerate(blocks):
        line = block.lines[0]
        if (
            len(block.lines) == 1
            and line.size
            and line.size <= _FOOTNOTE_SIZE * body
            and _FOOTNOTE.match(line.text)
            and any(b.lines[0].size > _FOOTNOTE_SIZE * body for b in blocks[:i])
        ):
            first = i
            break
    if first is None:
        return blocks
    last = first
    while (
        last + 1 < len(blocks)
        and len(blocks[last + 1].lines) == 1
        and blocks[last + 1].lines[0].size <= _FOOTNOTE_SIZE * body
        and blocks[last].bottom - blocks[last + 1].top < 2 * blocks[last].lines[0].size
    ):
        last += 1
    notes = blocks[first : last + 1]
    rest = blocks[:first] + blocks[last + 1 :]
    cited = [i for i, b in enumerate(rest[:first]) if any(_cites(line) for line in b.lines)]
    if not cited:
        return blocks
    # After the first sentence end at or after the citing line; failing that, before the
    # paragraph the citing line is in (its sentence runs onto the next page).
    for i in range(cited[0], first):
        if _SENTENCE_END.search(rest[i].text.rstrip()):
            return rest[: i + 1] + notes + rest[i + 1 :]
    for i in range(cited[0] - 1, -1, -1):
        if _SENTENCE_END.search(rest[i].text.rstrip()):
            return rest[: i + 1] + notes + rest[i + 1 :]
    return blocks


def _cites(line: _Line) -> bool:
    return line.marker is not None


# --- Tables -----------------------------------------------------------------------------------


def _column(columns: list[float], x: float) -> int | None:
    for index, column in enumerate(columns):
        if abs(column - x) <= _X_TOLERANCE:
            return index
    return None


def _tables(lines: list[_Line], width: float) -> list[_Block]:
    blocks: list[_Block] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i, width)
        if table is None:
            blocks.append(_Block([lines[i]]))
            i += 1
            continue
        end, rows = table
        text = "\n".join("| " + " | ".join(cells) + " |" for cells in rows)
        blocks.append(_Block(lines[i:end], text_override=text))
        i = end
    return blocks


def _table_at(lines: list[_Line], start: int, width: float) -> tuple[int, list[list[str]]] | None:
    columns = sorted(lines[start].starts())
    if len(columns) < 2:
        return None
    rows: list[dict[int, list[str]]] = []
    row_right = False  # the current row has shown a cell right of the first column
    end = start
    for j in range(start, len(lines)):
        line = lines[j]
        starts = line.starts()
        indexes = [_column(columns, x) for x in starts]
        if not starts or None in indexes:
            break
        if len(starts) >= 2 and indexes[0] == 0:
            rows.append({})
            row_right = False
        elif indexes == [0] and row_right and not _opens_row(lines, j, columns):
            break
        elif indexes == [0] and row_right:
            rows.append({})
            row_right = False
        if not rows:
            return None
        _add_cells(rows[-1], line, columns)
        row_right = row_right or any(index > 0 for index in indexes)
        end = j + 1
    if len([row for row in rows if len(row) >= 2]) < _MIN_TABLE_ROWS:
        return None
    if len(columns) < 3 and columns[-1] - columns[0] < _TABLE_SPAN * width:
        return None
    cells = [[_join_cell(row.get(c, [])) for c in range(len(columns))] for row in rows]
    return end, cells


def _opens_row(lines: list[_Line], index: int, columns: list[float]) -> bool:
    """A line in the first column opens a row when, after the rest of its cell, the content
    order jumps back up to its baseline in another column."""
    y = lines[index].y
    for line in lines[index + 1 :]:
        starts = line.starts()
        indexes = [_column(columns, x) for x in starts]
        if not starts or None in indexes:
            return False
        if indexes[0] != 0:
            return abs(line.y - y) <= _Y_TOLERANCE
    return False


def _add_cells(row: dict[int, list[str]], line: _Line, columns: list[float]) -> None:
    current: int | None = None
    parts: dict[int, str] = {}
    previous_blank = True
    for piece in line.pieces:
        if piece.text.strip() and previous_blank:
            current = _column(columns, piece.x)
        if current is not None:
            parts[current] = parts.get(current, "") + piece.text
        previous_blank = not piece.text.strip() and (previous_blank or piece.text != "")
    for index, text in parts.items():
        if text.strip():
            row.setdefault(index, []).append(text.strip())


def _join_cell(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower():
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return text.replace("|", "/")


# --- Order ------------------------------------------------------------------------------------


def _in_place(blocks: list[_Block]) -> list[_Block]:
    """Blocks drawn before text that stands above them, moved to where they stand."""
    runs: list[list[_Block]] = []
    for block in blocks:
        if runs and block.top <= runs[-1][-1].bottom + _Y_TOLERANCE:
            runs[-1].append(block)
        else:
            runs.append([block])
    if len(runs) < 2:
        return blocks
    moved = True
    while moved:
        moved = False
        for r in range(len(runs) - 1):
            if runs[r][0].top < runs[r + 1][0].top - _Y_TOLERANCE:
                run = runs.pop(r)
                rest = [block for later in runs[r:] for block in later]
                runs = [*runs[:r], _insert(rest, run)]
                moved = True
                break
    return [block for run in runs for block in run]


def _insert(blocks: list[_Block], run: list[_Block]) -> list[_Block]:
    """``run`` put among ``blocks`` (in reading order) where its top stands, at the start of a
    paragraph: after a short line or a sentence end, never inside a sentence."""
    lengths = [len(b.text) for b in blocks if b.text_override is None and b.text.strip()]
    typical = median(lengths) if lengths else 0
    top = run[0].top
    for i, block in enumerate(blocks):
        if block.top > top + _Y_TOLERANCE:
            continue
        before = blocks[i - 1].text.rstrip() if i else ""
        if not before or len(before) < _SHORT_LINE * typical or _SENTENCE_END.search(before):
            return blocks[:i] + run + blocks[i:]
    return blocks + run
