"""Paragraph styles and list numbering of a Word document (.docx).

Styles tell which paragraphs are headings (and at what level) and which belong to the table of
contents; the numbering definitions give the numbers Word draws itself ("2.1", list numbers,
bullets), counted in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ingest.word_xml import W, is_on, val

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|innehållsförteckning)\s*\d$", re.IGNORECASE)
BODY_LEVEL = 9  # w:outlineLvl 9: body text


class WordStyles:
    """Paragraph styles by id: outline level, numbering and table-of-contents role, following
    ``basedOn`` to the style a custom one ("KPMG Rubrik 1") is built on."""

    def __init__(self, document: Any):
        root = document.styles.element
        self._by_id: dict[str, Any] = {}
        self.default: str | None = None
        for style in root.iterchildren(f"{W}style"):
            if style.get(f"{W}type") != "paragraph":
                continue
            style_id = style.get(f"{W}styleId")
            self._by_id[style_id] = style
            if style.get(f"{W}default") in ("1", "true"):
                self.default = style_id

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, Any]]:
        seen: set[str] = set()
        while style_id and style_id in self._by_id and style_id not in seen:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style_id, style
            style_id = val(style, f"{W}basedOn")

    def outline_level(self, style_id: str | None) -> int | None:
        """0-based outline level the style gives, or None for body text."""
        for own_id, style in self._chain(style_id):
            level = val(style, f"{W}pPr/{W}outlineLvl")
            if level is not None and level.isdigit():
                return int(level) if int(level) < BODY_LEVEL else None
            name = val(style, f"{W}name") or ""
            match = _HEADING_STYLE.match(name) or _HEADING_STYLE.match(own_id)
            if match:
                return int(match.group(1)) - 1
        return None

    def numbering(self, style_id: str | None) -> tuple[str, int | None] | None:
        """(numId, ilvl) the style numbers its paragraphs with; ilvl None when the list finds
        the level by the style."""
        for _, style in self._chain(style_id):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = val(num_pr, f"{W}numId")
                level = val(num_pr, f"{W}ilvl")
                if num_id is None:
                    return None
                return num_id, int(level) if level and level.isdigit() else None
        return None

    def is_toc(self, style_id: str | None) -> bool:
        for own_id, style in self._chain(style_id):
            name = val(style, f"{W}name") or ""
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


class WordNumbering:
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
        for abstract in root.iterchildren(f"{W}abstractNum"):
            abstract_id = abstract.get(f"{W}abstractNumId")
            self._abstract[abstract_id] = {
                int(level.get(f"{W}ilvl", "0")): _Level(
                    fmt=val(level, f"{W}numFmt") or "decimal",
                    text=val(level, f"{W}lvlText") or "",
                    start=int(val(level, f"{W}start") or 1),
                    style=val(level, f"{W}pStyle"),
                    legal=is_on(level, "isLgl"),
                )
                for level in abstract.iterchildren(f"{W}lvl")
            }
            if (name := val(abstract, f"{W}styleLink")) is not None:
                linked[name] = abstract_id
            if (name := val(abstract, f"{W}numStyleLink")) is not None:
                links[abstract_id] = name
        for abstract_id, name in links.items():
            if name in linked and not self._abstract.get(abstract_id):
                self._abstract[abstract_id] = self._abstract[linked[name]]
        for num in root.iterchildren(f"{W}num"):
            abstract_id = val(num, f"{W}abstractNumId")
            if abstract_id is None:
                continue
            overrides = {
                int(override.get(f"{W}ilvl", "0")): int(start)
                for override in num.iterchildren(f"{W}lvlOverride")
                if (start := val(override, f"{W}startOverride")) is not None and start.isdigit()
            }
            self._nums[num.get(f"{W}numId")] = (links.get(abstract_id, abstract_id), overrides)
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
