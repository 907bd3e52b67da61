"""Read a Word document (.docx) into the shape every source has: pages of text, here one page
without a number, with the headings its styles mark.

A paragraph becomes a line (a blank line between paragraphs), a table row a pipe row
("| Revisionsfråga | Svar |"), the form text ingest already reads as a table. Tables above the
first heading and the first paragraph of prose are the letterhead or the cover ("Datum |
2023-05-04", "Dnr | SN 2023/12"): their rows become plain lines, as a PDF's text has them, so that
metadata and the packet splitter read them. A one-column table is a frame around text and is read
as text. A paragraph styled
as a heading (Heading 1–9, "Rubrik 1–3" in Swedish Word, or any style with an outline level) is a
``MarkedHeading`` at its level; numbers that Word draws itself ("2.1", list numbers, bullets) are
rendered from the numbering definitions, so the text reads as the printed document does.

Only the body is read: headers and footers ("Sida 2 av 8"), comments and footnotes are parts of
their own and stay out, and so does the table of contents, whose page numbers are Word's last
layout. Tracked changes read as accepted: deleted text (w:del, w:moveFrom) is left out, inserted
text (w:ins, w:moveTo) is kept; python-docx's ``Paragraph.text`` would drop the insertions too,
so runs are read here. Hidden text (w:vanish) is left out.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ingest.models import FileProperties, MarkedHeading, RawPage

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, R, TBL, TR, TC = f"{_W}p", f"{_W}r", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
SDT, SDT_CONTENT, CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
TXBX_CONTENT = f"{_W}txbxContent"
# Inline wrappers whose runs are text; deleted and moved-away runs are not.
_INLINE_WRAPPERS = frozenset(
    f"{_W}{name}"
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n"}
_RUN_TEXT |= {f"{_W}noBreakHyphen": "-", f"{_W}br": "\n"}

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|innehållsförteckning)\s*\d$", re.IGNORECASE)
_BODY_LEVEL = 9  # w:outlineLvl 9: body text
# A paragraph this long is prose: the document's head (letterhead, cover) is over.
_PROSE_CHARS = 200


class WordError(Exception):
    """A .docx that python-docx cannot open; the reader turns it into UnreadableSource."""


@dataclass(frozen=True)
class WordDocument:
    page: RawPage
    properties: FileProperties


def read_docx(data: bytes) -> WordDocument:
    """The text, marked headings and core properties of a .docx given as bytes."""
    try:
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as err:  # pragma: no cover - python-docx is a dependency
        raise WordError(f"paketet python-docx saknas ({err}): pip install python-docx") from err
    from zipfile import BadZipFile

    from lxml.etree import XMLSyntaxError

    try:
        document = Document(io.BytesIO(data))
        reader = _BodyReader(_Styles(document), _Numbering(_numbering_root(document)))
        reader.block(document.element.body)
        properties = _properties(document)
    except (PackageNotFoundError, BadZipFile, XMLSyntaxError, KeyError, ValueError) as err:
        raise WordError(f"trasig eller ogiltig .docx ({type(err).__name__}: {err})") from err
    text = "\n\n".join(reader.blocks)
    return WordDocument(RawPage(None, text, tuple(reader.headings)), properties)


def _properties(document: Any) -> FileProperties:
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        # Without a core part, python-docx would make one up ("Word Document", created now).
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return FileProperties()
    core = document.core_properties
    title = " ".join((core.title or "").split()) or None
    created = core.created
    iso = created.date().isoformat() if isinstance(created, dt.datetime) else None
    return FileProperties(title=title, created=iso)


def _numbering_root(document: Any) -> Any | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _on(element: Any, name: str) -> bool:
    """A toggle property (w:vanish, w:del …): present and not switched off."""
    found = element.find(f"{_W}{name}") if element is not None else None
    return found is not None and found.get(f"{_W}val", "true") not in ("0", "false", "off")


def _val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(f"{_W}val")


# --- styles and numbering ---------------------------------------------------------------------


class _Styles:
    """Paragraph styles by id: outline level, numbering and table-of-contents role, following
    ``basedOn`` to the style a custom one ("KPMG Rubrik 1") is built on."""

    def __init__(self, document: Any):
        root = document.styles.element
        self._by_id: dict[str, Any] = {}
        self.default: str | None = None
        for style in root.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            style_id = style.get(f"{_W}styleId")
            self._by_id[style_id] = style
            if style.get(f"{_W}default") in ("1", "true"):
                self.default = style_id

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, Any]]:
        seen: set[str] = set()
        while style_id and style_id in self._by_id and style_id not in seen:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style_id, style
            style_id = _val(style, f"{_W}basedOn")

    def outline_level(self, style_id: str | None) -> int | None:
        """0-based outline level the style gives, or None for body text."""
        for own_id, style in self._chain(style_id):
            level = _val(style, f"{_W}pPr/{_W}outlineLvl")
            if level is not None and level.isdigit():
                return int(level) if int(level) < _BODY_LEVEL else None
            name = _val(style, f"{_W}name") or ""
            match = _HEADING_STYLE.match(name) or _HEADING_STYLE.match(own_id)
            if match:
                return int(match.group(1)) - 1
        return None

    def numbering(self, style_id: str | None) -> tuple[str, int | None] | None:
        """(numId, ilvl) the style numbers its paragraphs with; ilvl None when the list finds
        the level by the style."""
        for _, style in self._chain(style_id):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr, f"{_W}numId")
                level = _val(num_pr, f"{_W}ilvl")
                if num_id is None:
                    return None
                return num_id, int(level) if level and level.isdigit() else None
        return None

    def is_toc(self, style_id: str | None) -> bool:
        for own_id, style in self._chain(style_id):
            name = _val(style, f"{_W}name") or ""
            if _TOC_STYLE.match(name) or _TOC_STYLE.match(own_id):
                return True
        return False


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int
    style: str | None
    legal: bool


class _Numbering:
    """Word's list and heading numbers, counted in document order the way Word counts them:
    per abstract list, a level's counter restarts when a level above it moves on."""

    def __init__(self, root: Any | None):
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._restarted: set[str] = set()
        if root is None:
            return
        linked: dict[str, str] = {}  # numbering style name → abstract id that defines it
        links: dict[str, str] = {}  # abstract id → numbering style it takes its levels from
        for abstract in root.iterchildren(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            self._abstract[abstract_id] = {
                int(level.get(f"{_W}ilvl", "0")): _Level(
                    fmt=_val(level, f"{_W}numFmt") or "decimal",
                    text=_val(level, f"{_W}lvlText") or "",
                    start=int(_val(level, f"{_W}start") or 1),
                    style=_val(level, f"{_W}pStyle"),
                    legal=_on(level, "isLgl"),
                )
                for level in abstract.iterchildren(f"{_W}lvl")
            }
            if (name := _val(abstract, f"{_W}styleLink")) is not None:
                linked[name] = abstract_id
            if (name := _val(abstract, f"{_W}numStyleLink")) is not None:
                links[abstract_id] = name
        for abstract_id, name in links.items():
            if name in linked and not self._abstract.get(abstract_id):
                self._abstract[abstract_id] = self._abstract[linked[name]]
        for num in root.iterchildren(f"{_W}num"):
            abstract_id = _val(num, f"{_W}abstractNumId")
            if abstract_id is None:
                continue
            overrides = {
                int(override.get(f"{_W}ilvl", "0")): int(start)
                for override in num.iterchildren(f"{_W}lvlOverride")
                if (start := _val(override, f"{_W}startOverride")) is not None and start.isdigit()
            }
            self._nums[num.get(f"{_W}numId")] = (links.get(abstract_id, abstract_id), overrides)
        # Lists linked through a numbering style count on the abstract list that defines it.
        self._nums = {
            num_id: (linked.get(key, key), overrides)
            for num_id, (key, overrides) in self._nums.items()
        }

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        levels = self._levels(num_id)
        for ilvl, level in (levels or {}).items():
            if style_id is not None and level.style == style_id:
                return ilvl
        return 0

    def _levels(self, num_id: str) -> dict[int, _Level] | None:
        found = self._nums.get(num_id)
        return self._abstract.get(found[0]) if found else None

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The number (or bullet) Word draws before the next paragraph of list ``num_id``."""
        found = self._nums.get(num_id)
        levels = self._levels(num_id)
        if found is None or not levels or ilvl not in levels:
            return None
        key, overrides = found
        counters = self._counters.setdefault(key, {})
        if overrides and num_id not in self._restarted:
            # A list that restarts its numbering ("1." again) where it is first used.
            self._restarted.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
            for level in [k for k in counters if k not in overrides]:
                del counters[level]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return "•" if level.text else None
        if level.fmt == "none":
            return None

        def number(match: re.Match[str]) -> str:
            n = int(match.group(1)) - 1
            own = levels.get(n)
            value = counters.get(n, own.start if own else 1)
            fmt = "decimal" if level.legal else (own.fmt if own else "decimal")
            return _format(value, fmt)

        return re.sub(r"%([1-9])", number, level.text).strip() or None


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, value = divmod(value, number)
        out += numeral * count
    return out


# --- the body ---------------------------------------------------------------------------------


def _run_text(run: Any) -> str:
    if _on(run.find(f"{_W}rPr"), "vanish"):
        return ""
    parts = []
    for child in run:
        if child.tag in _RUN_TEXT:
            parts.append(child.text or "" if _RUN_TEXT[child.tag] is None else _RUN_TEXT[child.tag])
    return "".join(parts)


def _inline_text(element: Any) -> str:
    """The accepted text of a paragraph (or an inline wrapper in one)."""
    parts = []
    for child in element:
        if child.tag == R:
            parts.append(_run_text(child))
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                parts.append(_inline_text(content))
        elif child.tag in _INLINE_WRAPPERS:
            parts.append(_inline_text(child))
    return "".join(parts)


def _text_boxes(paragraph: Any) -> list[Any]:
    """Text boxes anchored in a paragraph (a cover page's title often stands in one); each once,
    though Word stores a text box twice (drawing, and a VML fallback), and not the boxes inside
    a box, which are read with it."""
    found = []
    for box in paragraph.iter(TXBX_CONTENT):
        above = []
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                break
            above.append(ancestor.tag)
        if f"{_MC}Fallback" not in above and TXBX_CONTENT not in above:
            found.append(box)
    return found


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, also those wrapped in a content control or custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == CUSTOM_XML:
            yield from _children(child, tag)


def _is_toc_block(sdt: Any) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and (gallery.get(f"{_W}val") or "").lower() == "table of contents"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _BodyReader:
    """Blocks of text in document order (a paragraph, or the rows of a table) and the marked
    headings among them."""

    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[str] = []
        self.headings: list[MarkedHeading] = []
        self.prose = False  # a paragraph of prose has been read

    def block(self, container: Any, *, in_cell: bool = False) -> None:
        for child in container:
            if child.tag == P:
                self.paragraph(child, in_cell=in_cell)
            elif child.tag == TBL:
                self.table(child)
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None and not _is_toc_block(child):
                    self.block(content, in_cell=in_cell)
            elif child.tag == CUSTOM_XML:
                self.block(child, in_cell=in_cell)

    def _label(self, paragraph: Any, style_id: str | None) -> str | None:
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, f"{_W}numId")
            level = _val(num_pr, f"{_W}ilvl")
            ilvl = int(level) if level and level.isdigit() else None
        else:
            found = self.styles.numbering(style_id)
            num_id, ilvl = found if found else (None, None)
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:
            ilvl = self.numbering.level_of_style(num_id, style_id)
        return self.numbering.label(num_id, ilvl)

    def paragraph(self, paragraph: Any, *, in_cell: bool = False) -> None:
        style_id = _val(paragraph, f"{_W}pPr/{_W}pStyle") or self.styles.default
        if self.styles.is_toc(style_id):
            return
        text = _inline_text(paragraph)
        label = self._label(paragraph, style_id) if text.strip() else None
        level = _val(paragraph, f"{_W}pPr/{_W}outlineLvl")
        if level is not None and level.isdigit():
            outline = int(level) if int(level) < _BODY_LEVEL else None
        else:
            outline = self.styles.outline_level(style_id)
        if text.strip():
            if outline is not None and not in_cell:
                line = _one_line(f"{label} {text}" if label and label != "•" else text)
                self.headings.append(MarkedHeading(level=outline + 1, text=line))
                self.blocks.append(line)
            else:
                lines = [line.strip() for line in text.split("\n")]
                body = "\n".join(line for line in lines if line)
                self.blocks.append(f"{label} {body}" if label else body)
                self.prose = self.prose or (not in_cell and len(body) >= _PROSE_CHARS)
        for box in _text_boxes(paragraph):
            self.block(box, in_cell=in_cell)

    def table(self, table: Any) -> None:
        rows = [
            list(_children(row, TC))
            for row in _children(table, TR)
            if not _on(row.find(f"{_W}trPr"), "del")  # a deleted row (tracked change)
        ]
        if max(map(len, rows), default=0) <= 1:
            # A one-column table is a frame around text (a fact box, a cover), not a table.
            for cells in rows:
                for cell in cells:
                    self.block(cell)
            return
        head = not self.headings and not self.prose
        lines = []
        for cells in rows:
            texts = [self._cell_lines(cell) for cell in cells]
            if head and all(len(lines_) <= 1 for lines_ in texts):
                lines.append(" ".join(line for lines_ in texts for line in lines_))
            elif head:
                lines.extend(line for lines_ in texts for line in lines_)
            elif any(texts):
                row = [_one_line(" ".join(lines_)).replace("|", "/") for lines_ in texts]
                lines.append("| " + " | ".join(row) + " |")
        lines = [line for line in lines if line]
        if lines:
            self.blocks.append("\n".join(lines))

    def _cell_lines(self, cell: Any) -> list[str]:
        """The lines of a cell's paragraphs (and of any table inside it)."""
        inner = _BodyReader(self.styles, self.numbering)
        inner.block(cell, in_cell=True)
        return [line for block in inner.blocks for line in block.split("\n") if line.strip()]
