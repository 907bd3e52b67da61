"""Mask Swedish personnummer and samordningsnummer before anything is stored or indexed.

Every common written form is found: with or without the century (19850312-1234, 850312-1234),
with "-", "+" (a person over 100) or nothing between the date and the number, with a space
around the separator (850312 - 1234, 850312 1234). A candidate is masked only when its date is
possible (a samordningsnummer adds 60 to the day) and its last digit passes the Luhn check that
every personnummer carries, so a Dnr, a date, an amount or a phone number is left alone.
"""

from __future__ import annotations

import re

_PERSONNUMMER = re.compile(
    r"(?<![\w/.,:-])"  # not the tail of a Dnr (SOC/2022-…), an amount or a longer number
    r"(?P<century>19|20)?(?P<date>\d{6})"
    r"(?:[ \t]?[-+][ \t]?|[ \t]|)"
    r"(?P<number>\d{4})"
    r"(?![\w-]|[.,]\d)"
)


def luhn_valid(digits: str) -> bool:
    """The Luhn check over YYMMDDNNNC: doubled digits at even positions, digit sums, mod 10."""
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_personal_number(date: str, number: str) -> bool:
    """Whether YYMMDD and NNNC make a possible personnummer or samordningsnummer."""
    month, day = int(date[2:4]), int(date[4:6])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_valid(date + number)


def mask_personal_numbers(text: str) -> tuple[str, int]:
    """The text with every personnummer masked (same length, so offsets stay valid), and a count."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not is_personal_number(match.group("date"), match.group("number")):
            return match.group(0)
        count += 1
        return re.sub(r"\d", "X", match.group(0))

    return _PERSONNUMMER.sub(replace, text), count


# In a file name the number follows "-", "_" or a space ("beslut_198112189876.pdf"), which the
# running-text pattern refuses as the tail of a Dnr; names carry no Dnr tails and amounts.
_PERSONNUMMER_IN_NAME = re.compile(
    r"(?<!\d)(?P<century>19|20)?(?P<date>\d{6})(?:[-+]|)(?P<number>\d{4})(?!\d)"
)


def mask_personal_numbers_in_name(name: str) -> str:
    """A file name or path with every personnummer in it masked (same length)."""

    def replace(match: re.Match[str]) -> str:
        if not is_personal_number(match.group("date"), match.group("number")):
            return match.group(0)
        return re.sub(r"\d", "X", match.group(0))

    return _PERSONNUMMER_IN_NAME.sub(replace, mask_personal_numbers(name)[0])
