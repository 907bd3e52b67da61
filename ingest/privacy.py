"""Mask Swedish personnummer and samordningsnummer before anything is stored or indexed."""

from __future__ import annotations

import re

# YYMMDD-NNNN, YYYYMMDD-NNNN, with "+" for people over 100; day + 60 is a samordningsnummer.
_PERSONNUMMER = re.compile(r"(?<![\w/-])((?:19|20)?\d{2})(\d{2})(\d{2})([-+])(\d{4})(?![\w-])")


def _is_plausible(match: re.Match[str]) -> bool:
    month, day = int(match.group(2)), int(match.group(3))
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31


def mask_personal_numbers(text: str) -> tuple[str, int]:
    """The text with every personnummer masked (same length, so offsets stay valid), and a count."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not _is_plausible(match):
            return match.group(0)
        count += 1
        return re.sub(r"\d", "X", match.group(0))

    return _PERSONNUMMER.sub(replace, text), count
