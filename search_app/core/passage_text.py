"""A passage's text as a reader wants it on a card: PDF line breaks undone, structure kept.

pypdf gives one line per printed line and often a blank line inside a paragraph (where the PDF
placed text in separate runs). On a card that reads as a ragged column. Lines are joined where the
sentence plainly goes on (the next line starts in lower case, or a long line stops mid-sentence);
list items, table rows, headings and paragraph ends keep their break, and a table row the page
width wrapped is one line again. Only whitespace changes: every word stays, in order, so what is
highlighted and cited is the text as indexed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A list item or numbered point: "•", "-", "–", "—", "o" (Word's second level), "1.", "2)", "a)".
_ITEM = re.compile(r"^(?:[-–—•*▪●○◦‣➢►✓✔·o]\s|\d{1,2}[.)]\s|[a-zåäö]\)\s)")
# A table row keeps its layout: tabs, runs of spaces or column bars.
_ROW = re.compile(r"\t| {2,}|\s\|\s")
# A line long enough to have been wrapped by the page width, not ended by the writer.
WRAPPED_LINE = 60
_ENDS_SENTENCE = re.compile(r"[.:;!?”\")]$")


def display_text(text: str, heading_path: Sequence[str] = ()) -> str:
    """``text`` without a first line that repeats the card's heading, with line breaks reflowed."""
    return reflow(_without_heading(text, heading_path))


def reflow(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    blank_before = False
    for raw in lines:
        line = raw.strip()
        if not line:
            blank_before = bool(out)
            continue
        if out and _continues(out[-1], line, after_blank=blank_before):
            out[-1] = f"{out[-1]} {line}"
        else:
            if blank_before:
                out.append("")
            out.append(line)
        blank_before = False
    return "\n".join(out)


def _continues(previous: str, line: str, *, after_blank: bool) -> bool:
    if _open_row(previous):
        # A pipe-table row wrapped by the page width goes on until its closing bar: one row, one
        # line ("| Fråga? | Nej. Det saknas … |").
        return not after_blank
    if not previous or _ITEM.match(line) or _ROW.search(line) or _ROW.search(previous):
        return False
    if previous.endswith(":"):
        return False
    first = line[0]
    if first.islower():
        return not _ENDS_SENTENCE.search(previous) or previous.endswith(",")
    # An upper-case start continues only a long line cut mid-sentence by the page width.
    return (
        not after_blank
        and len(previous) >= WRAPPED_LINE
        and not _ENDS_SENTENCE.search(previous)
        and previous[-1].isalnum()
    )


def _open_row(line: str) -> bool:
    return line.startswith("|") and not line.endswith("|")


def _without_heading(text: str, heading_path: Sequence[str]) -> str:
    if not heading_path:
        return text
    first, _, rest = text.lstrip().partition("\n")
    if _same(first, heading_path[-1]) and rest.strip():
        return rest
    return text


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
