"""HTML fragments in source text made plain text.

Some PDFs carry the markup of the tool that wrote them as printed text: a table cell reading
``<ul style="list-style-type: none"> ▶ Är …?`` and ``<p>Nej. …</p> <p>Vi noterar …</p>``. Such
markup becomes the text it stood for: tags go, a paragraph, ``<br>`` or block element becomes a
line break, a ``<li>`` a "- " line, an HTML table pipe rows ("| a | b |"), and entities
(``&amp;``, ``&nbsp;``, ``&#8211;``) their characters. Inside a pipe-table row a break would end
the row, so there every tag becomes a space and the cells stay separated by " | ".

Only what reads as markup goes: a tag of a known HTML element (or a namespaced one, ``<o:p>``),
a tag of any name with an ``attribute=value`` and its closing tag, a comment. "<5 år", "a < b",
"3 > 2" and "<Ansökan>" stay. A lone one-letter tag ("<b>", "<a>") may be a placeholder in prose
and goes only on a page that has other markup.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

_NAME = r"[A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9]*)?"
_VALUE = r"""(?:"[^"<>]{0,400}"|'[^'<>]{0,400}'|[^\s"'<>=`]{1,400})"""
_ATTRIBUTE = rf"""[^\s"'<>/=]{{1,80}}(?:\s*=\s*{_VALUE})?"""
# A tag may run over a line break (``<ul\nstyle="…">``): \s takes newlines as well.
_TAG = re.compile(
    rf"<!--.{{0,2000}}?-->"
    rf"|<(?P<close>/)?(?P<name>{_NAME})(?P<attrs>(?:\s+{_ATTRIBUTE}){{0,30}})\s*(?P<self>/)?>",
    re.DOTALL,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _names(*groups: str) -> frozenset[str]:
    return frozenset(name for group in groups for name in group.split())


# Block elements: a line break where they open or close; p, headings and hr a paragraph break.
_LINE_BREAK = _names(
    "br div ul ol dl dt dd table thead tbody tfoot caption blockquote pre section article",
    "header footer nav main aside address center figure figcaption form fieldset legend",
)
_PARAGRAPH = _names("p h1 h2 h3 h4 h5 h6 hr")
_TABLE_ROW = _names("tr")
_TABLE_CELL = _names("td th")
_ITEM = _names("li")
_INLINE = _names(
    "a abbr b big cite code del em font i img ins kbd label mark q s samp small span strike",
    "strong sub sup tt u var wbr col colgroup html head body title meta link style",
)
_KNOWN = _LINE_BREAK | _PARAGRAPH | _TABLE_ROW | _TABLE_CELL | _ITEM | _INLINE
# One letter in angle brackets may stand for something in prose ("<b>" as a placeholder).
_AMBIGUOUS = _names("a b i q s u")

_SPACES = re.compile(r"[ \t\u00a0]+")
# A pipe row whose closing bar never comes is only its own line; this many lines at most.
_MAX_ROW_LINES = 40


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    name: str  # lower case, "" for a comment
    closing: bool
    definite: bool  # markup without doubt; an ambiguous tag counts only beside a definite one


def markup_to_text(text: str) -> str:
    """``text`` with its HTML fragments turned into the plain text they stand for."""
    if "<" not in text and "&" not in text:
        return text
    if "<" in text:
        text = _replace_tags(text)
    if "&" in text:
        text = _ENTITY.sub(_unescape, text)
    return text


def _unescape(match: re.Match[str]) -> str:
    # Entities are decoded after the tags are gone: "&lt;p&gt;" is text about a tag, and stays so.
    return html.unescape(match.group(0)).replace("\u00a0", " ")


def _tags(text: str) -> list[_Tag]:
    found: list[_Tag] = []
    opened: set[str] = set()  # names opened with attributes: their closing tags are markup too
    for match in _TAG.finditer(text):
        name = match.group("name")
        if name is None:  # a comment
            found.append(_Tag(match.start(), match.end(), "", False, True))
            continue
        lower = name.lower()
        closing = match.group("close") is not None
        attrs = (match.group("attrs") or "").strip()
        known = lower in _KNOWN or ":" in lower  # Word's <o:p>, <w:sdt …> are markup too
        if closing:
            if not (known or lower in opened) or attrs:
                continue  # "</Ansökan>"
            definite = True
        elif "=" in attrs:
            opened.add(lower)
            definite = True
        elif not known:
            continue  # "<Ansökan>", "<x och y>": text in angle brackets
        else:
            # "<p>", "<br/>" are markup; "<b>" or "<p och q>" may be prose, unless beside markup.
            plain = not attrs and lower not in _AMBIGUOUS
            definite = plain or bool(match.group("self"))
        found.append(_Tag(match.start(), match.end(), lower, closing, definite))
    if not any(tag.definite for tag in found):
        return []
    return found


def _pipe_rows(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the pipe-table rows in ``text`` (a row may span lines)."""
    starts: list[int] = []
    ends: list[int] = []
    lines: list[tuple[int, int, str]] = []
    offset = 0
    for raw in text.split("\n"):
        lines.append((offset, offset + len(raw), raw.strip()))
        offset += len(raw) + 1
    i = 0
    while i < len(lines):
        start, _, stripped = lines[i]
        if not stripped.startswith("|"):
            i += 1
            continue
        bars = 0
        closed_at = None
        for j in range(i, min(i + _MAX_ROW_LINES, len(lines))):
            line = lines[j][2]
            if j > i and not line:
                break
            bars += line.count("|")
            if line.endswith("|") and bars >= 2:
                closed_at = j
                break
        last = closed_at if closed_at is not None else i
        starts.append(start)
        ends.append(lines[last][1])
        i = last + 1
    return starts, ends


def _replace_tags(text: str) -> str:
    tags = _tags(text)
    if not tags:
        return text
    row_starts, row_ends = _pipe_rows(text) if "|" in text else ([], [])

    def in_pipe_row(position: int) -> bool:
        k = bisect_right(row_starts, position) - 1
        return k >= 0 and position < row_ends[k]

    out: list[str] = []
    position = 0
    html_row = False  # inside <tr> … </tr>: the cells must stay on one row
    k = 0
    while k < len(tags):
        # A run: tags with only whitespace between them (no line break inside a pipe row).
        pipe_row = in_pipe_row(tags[k].start)
        gap = r"[ \t]*" if pipe_row else r"\s*"
        first = k
        while k + 1 < len(tags) and re.fullmatch(gap, text[tags[k].end : tags[k + 1].start]):
            k += 1
        run = tags[first : k + 1]
        start = _extend_back(text, run[0].start, pipe_row)
        end = _extend_forward(text, run[-1].end, pipe_row)
        out.append(text[position:start])
        replacement, html_row = _run_text(text, start, end, run, pipe_row, html_row)
        out.append(replacement)
        position = end
        k += 1
    out.append(text[position:])
    return "".join(out)


def _extend_back(text: str, start: int, pipe_row: bool) -> int:
    while start > 0 and text[start - 1] in " \t" + ("" if pipe_row else "\n"):
        start -= 1
    return start


def _extend_forward(text: str, end: int, pipe_row: bool) -> int:
    while end < len(text) and text[end] in " \t" + ("" if pipe_row else "\n"):
        end += 1
    return end


def _run_text(
    text: str, start: int, end: int, run: list[_Tag], pipe_row: bool, html_row: bool
) -> tuple[str, bool]:
    """What a run of tags (with the whitespace around it) becomes, and whether an HTML table
    row is still open after it."""
    parts: list[str] = []
    position = start
    for tag in run:
        parts.append(_whitespace(text[position : tag.start], pipe_row or html_row))
        piece, html_row = _tag_text(tag, pipe_row or html_row, html_row, parts)
        parts.append(piece)
        position = tag.end
    parts.append(_whitespace(text[position:end], pipe_row or html_row))
    joined = _SPACES.sub(" ", "".join(parts))
    if _LINE not in joined and _PARA not in joined:
        # Words stay apart where a space or a block tag parted them, together where they did
        # not ("sam<b>verkan</b>"); a cell bar or an item dash stands between spaces.
        stripped = joined.strip()
        if stripped:
            return f" {stripped} ", html_row
        return (" " if joined else ""), html_row
    # Breaks do not add up: "<ul>", a line break and "<li>" are one line break, not three.
    return _BREAKS.sub(_break, joined), html_row


_LINE = "\x00"  # a line break, from a tag or from the text
_PARA = "\x01"  # a paragraph break: a <p>, a heading, or a blank line in the text
_BREAKS = re.compile(f"[ {_LINE}{_PARA}]*[{_LINE}{_PARA}][ {_LINE}{_PARA}]*")


def _break(match: re.Match[str]) -> str:
    return "\n\n" if _PARA in match.group(0) else "\n"


def _whitespace(gap: str, in_row: bool) -> str:
    newlines = gap.count("\n")
    if not newlines:
        return gap
    if in_row:
        return " "
    return _PARA if newlines > 1 else _LINE


def _tag_text(tag: _Tag, in_row: bool, html_row: bool, before: list[str]) -> tuple[str, bool]:
    name = tag.name
    if name in _TABLE_ROW:
        if in_row and not html_row:
            return " ", html_row  # a table inside a pipe row's cell: its rows run on
        if tag.closing:
            return f" |{_LINE}", False
        return f"{_LINE}| ", True
    if name in _TABLE_CELL:
        if tag.closing:
            return "", html_row
        if html_row:
            # The row's first cell follows "| " already.
            return ("" if "".join(before).rstrip().endswith("|") else " | "), html_row
        return " ", html_row
    if in_row:
        return (" - " if name in _ITEM and not tag.closing else " "), html_row
    if name in _ITEM:
        return ("" if tag.closing else f"{_LINE}- "), html_row
    if name in _PARAGRAPH:
        return _PARA, html_row
    if name in _LINE_BREAK:
        return _LINE, html_row
    return "", html_row
