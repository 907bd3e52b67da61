"""Read a Word document (.docx) into the shape every source has: pages of text, here one page
without a number, with the headings its styles mark.

A paragraph becomes a line (a blank line between paragraphs), a table row a pipe row
("| Revisionsfråga | Svar |"), the form text ingest already reads as a table. Tables above the
first heading and the first paragraph of prose are the letterhead or the cover ("Datum |
2023-05-04", "Dnr | SN 2023/12"): their rows become plain lines, as a PDF's text has them, so that
metadata and the packet splitter read them. A one-column table is a frame around text and is read
as text. A paragraph styled as a heading (Heading 1–9, "Rubrik 1–3" in Swedish Word, or any style
with an outline level) is a ``MarkedHeading`` at its level; numbers that Word draws itself ("2.1",
list numbers, bullets) are rendered from the numbering definitions, so the text reads as the
printed document does (styles and numbering: ``ingest.word_styles``).

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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ingest.models import FileProperties, MarkedHeading, RawPage
from ingest.word_styles import BODY_LEVEL, WordNumbering, WordStyles
from ingest.word_xml import (
    CUSTOM_XML,
    MC,
    SDT,
    SDT_CONTENT,
    TBL,
    TC,
    TR,
    TXBX_CONTENT,
    P,
    R,
    W,
    is_on,
    val,
)

log = logging.getLogger(__name__)

# Inline wrappers whose runs are text; deleted and moved-away runs are not.
_INLINE_WRAPPERS = frozenset(
    f"{W}{name}"
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)
_RUN_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n"}
_RUN_TEXT |= {f"{W}noBreakHyphen": "-", f"{W}br": "\n"}

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
        reader = _BodyReader(WordStyles(document), WordNumbering(_numbering_root(document)))
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


# --- the body ---------------------------------------------------------------------------------


def _run_text(run: Any) -> str:
    if is_on(run.find(f"{W}rPr"), "vanish"):
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
        if f"{MC}Fallback" not in above and TXBX_CONTENT not in above:
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
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and (gallery.get(f"{W}val") or "").lower() == "table of contents"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _BodyReader:
    """Blocks of text in document order (a paragraph, or the rows of a table) and the marked
    headings among them."""

    def __init__(self, styles: WordStyles, numbering: WordNumbering):
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
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = val(num_pr, f"{W}numId")
            level = val(num_pr, f"{W}ilvl")
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
        style_id = val(paragraph, f"{W}pPr/{W}pStyle") or self.styles.default
        if self.styles.is_toc(style_id):
            return
        text = _inline_text(paragraph)
        label = self._label(paragraph, style_id) if text.strip() else None
        level = val(paragraph, f"{W}pPr/{W}outlineLvl")
        if level is not None and level.isdigit():
            outline = int(level) if int(level) < BODY_LEVEL else None
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
            if not is_on(row.find(f"{W}trPr"), "del")  # a deleted row (tracked change)
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
