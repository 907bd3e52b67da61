"""The Swedish audit language the extraction reads: list markers, recommendation verbs, verdict
words, section references. Shared by the extractors so each pattern is defined once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.vocabulary import word_list

DATA = Path(__file__).parent / "data"

# List markers as PDF text renders them: dashes, bullets, arrows, "- ▶", "1.", "2)", "a)".
BULLET = re.compile(
    r"^\s*(?:(?:[-–—•▶►●○■▪□✓➢➤*·]|\uf0b7|\uf0a7|\uf0d8)\s*)+(?=\S)"
    r"|^\s*\(?(?:\d{1,2}|[a-h])[.)]\s+(?=\S)"
)
SENTENCE_END = re.compile(r"[.!?]\s*$")

# Verbs a recommendation opens with when it is written without "att" ("Säkerställa att …"), and
# words shaped like them that are not verbs.
RECOMMENDATION_VERBS = word_list(DATA / "recommendation_verbs.txt")
_NOT_VERBS = word_list(DATA / "not_verbs.txt")

# "se avsnitt 3.2", "se avsnitt 3.2 och 3.3", "se 4.4.2", "(avsnitt 5.1)", "se kapitel 4".
_SECTION_NUMBER = r"\d{1,2}(?:\.\d{1,2}){0,3}"
SECTION_REFERENCE = re.compile(
    rf"[,;]?\s*\(?\bse\s+(?:även\s+)?(?:avsnitt|kapitel|kap\.|rubrik|sid(?:an)?\.?)?\s*"
    rf"(?P<numbers>{_SECTION_NUMBER}(?:\s*(?:,|och|samt|&|-|–)\s*{_SECTION_NUMBER})*)\.?\)?"
    rf"|[,;]?\s*\((?:avsnitt|kapitel|kap\.)\s*"
    rf"(?P<numbers2>{_SECTION_NUMBER}(?:\s*(?:,|och|samt|&)\s*{_SECTION_NUMBER})*)\)",
    re.IGNORECASE,
)
_NUMBER = re.compile(_SECTION_NUMBER)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def lines_of(text: str, start: int = 0) -> list[Line]:
    """The lines of ``text`` from ``start`` with their offsets (text stripped, offsets not)."""
    lines = []
    offset = start
    for raw in text[start:].splitlines(keepends=True):
        lines.append(Line(offset, offset + len(raw.rstrip("\r\n")), raw.strip()))
        offset += len(raw)
    return lines


# A numbered recommendation label: "Rekommendation 1:", "Rekommendation 2 –", "Rek. 3", "R1".
REC_LABEL = re.compile(
    r"^\s*(?:(?i:rekommendation|rek\.?)\s*(?P<n>\d{1,2})|R\s?(?P<r>\d{1,2}))"
    r"(?:\s*[:.)–—-]\s*|\s+)(?=[A-Za-zÅÄÖåäö])"
)


def strip_bullet(text: str) -> tuple[bool, str]:
    match = BULLET.match(text) or REC_LABEL.match(text)
    if not match:
        return False, text.strip()
    return True, text[match.end() :].strip()


def first_word(text: str) -> str:
    match = re.match(r"\s*([A-Za-zÅÄÖåäöÉé]+)", text)
    return match.group(1).casefold() if match else ""


def is_verb_opening(text: str) -> bool:
    """Does ``text`` open with an infinitive, as an unnumbered recommendation does?"""
    word = first_word(text)
    if not word or word in _NOT_VERBS:
        return False
    if word in RECOMMENDATION_VERBS or word.endswith("era"):
        return True
    if word + "a" in RECOMMENDATION_VERBS:  # the imperative: "Säkerställ", "Följ upp", "Inför"
        return True
    return any(word.endswith(v) for v in RECOMMENDATION_VERBS if len(v) >= 5)


def cited_sections(text: str) -> tuple[tuple[str, ...], str]:
    """Section numbers a recommendation cites, and its text without the reference."""
    numbers: list[str] = []
    for match in SECTION_REFERENCE.finditer(text):
        found = match.group("numbers") or match.group("numbers2") or ""
        numbers.extend(n.rstrip(".") for n in _NUMBER.findall(found))
    cleaned = SECTION_REFERENCE.sub("", text).strip()
    cleaned = re.sub(r"\s+([,.;])", r"\1", cleaned).rstrip(" ,;")
    return tuple(dict.fromkeys(numbers)), cleaned


def clean_item(text: str) -> str:
    """One line of running text from a (possibly wrapped) list item."""
    text = re.sub(r"-\n(?=[a-zåäö])", "", text)  # hyphenation at a line break
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" ;")


def sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` from ``start`` (line breaks inside a sentence allowed)."""
    spans = []
    boundary = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”(])|\n\s*\n")
    for match in boundary.finditer(text, start):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# --- verdicts ---------------------------------------------------------------------------------

# Most specific first: "till viss del" before "delvis"; graded words before a plain negation.
_LEVEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile("|".join(rf"\b{p}\b" for p in patterns), re.IGNORECASE))
    for level, patterns in (
        (
            "till viss del",
            (
                r"till (?:viss|begränsad) del",
                r"i begränsad (?:utsträckning|omfattning)",
                "i låg grad",
            ),
        ),
        (
            "i huvudsak",
            (
                r"i (?:allt )?huvudsak",
                "huvudsakligen",
                "i allt väsentligt",
                "i stor utsträckning",
                "i hög grad",
                r"till (?:stor|största) del",
                "i stort sett",
            ),
        ),
        ("delvis", ("delvis", "inte helt", "inte fullt ut", "ej helt")),
        (
            "inte",
            # The negation may be the prefix: "otillräcklig", "otillfredsställande".
            (
                "inte",
                "ej",
                "icke",
                "saknas",
                "brister",
                r"o(?:tillräcklig|tillfredsställande|ändamålsenlig)\w*",
                r"ineffektiv\w*",
            ),
        ),
    )
)
# Checked after the levels above, so "otillräcklig" is "inte" before it could read as positive;
# compounds count ("välfungerande", "kostnadseffektiv"), "ineffektiv" does not.
_POSITIVE = re.compile(
    r"ändamålsenlig|tillräcklig|tillfredsställande|säkerställ|god\b|fungerande|(?<!in)effektiv",
    re.I,
)


_EXPLICIT = re.compile(r"ändamålsenlig|tillräcklig|tillfredsställande", re.I)


def verdict_level(sentence: str, strict: bool = False) -> str | None:
    """The graded verdict a sentence states, or None when it states none.

    ``strict`` is for sentences that need not be verdicts at all (a bedömning's findings): only
    a graded word, or a negated or plain "ändamålsenlig/tillräcklig/tillfredsställande", counts.
    """
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.search(sentence):
            if strict and level == "inte" and not _EXPLICIT.search(sentence):
                continue
            return level
    positive = _EXPLICIT if strict else _POSITIVE
    return "ändamålsenlig" if positive.search(sentence) else None


# Answers in a Ja/Delvis/Nej, Uppfyllt/Delvis uppfyllt/Ej uppfyllt, Godtagbar/Delvis godtagbar/
# Ej godtagbar or traffic-light (Grön/Gul/Röd) table, or after a "Svar:"/"Bedömning:" label.
_GRADED = r"(?:uppfyll[dt]a?|godtagbar[ta]?|tillfredsställande|åtgärdad[et]?)"
ANSWER_WORD = re.compile(
    rf"^\W*(?P<word>(?:delvis|ej|inte|till\s+viss\s+del|i\s+huvudsak|i\s+allt\s+väsentligt"
    rf"|huvudsakligen)\s+{_GRADED}|{_GRADED}|i\s+huvudsak|i\s+allt\s+väsentligt"
    r"|till\s+viss\s+del|huvudsakligen|delvis|ja|nej|grön|gul|röd)\b[.:,;!–-]?",
    re.IGNORECASE,
)
# "Svar: Delvis", "Bedömning: Ej uppfyllt", "Vår bedömning – Gul", "Status: Röd".
ANSWER_LABEL = re.compile(
    r"^\W*(?:svar|(?:[A-Za-zÅÄÖåäö]+\s+){0,2}bedömning|status|grad\s+av\s+uppfyllelse"
    r"|uppfyllelse)\s*[:–—-]\s*",
    re.IGNORECASE,
)


def answer_level(word: str) -> str:
    word = " ".join(word.casefold().split())
    if word.startswith(("ej", "inte", "nej", "röd")):
        return "nej"
    if word.startswith(("i huvudsak", "huvudsakligen", "i allt väsentligt")):
        return "i huvudsak"
    if word.startswith(("delvis", "till viss del", "gul")):
        return "delvis"
    return "ja"


_VERDICT_OF_ANSWER = {"ja": "ändamålsenlig", "i huvudsak": "i huvudsak", "delvis": "delvis"}


def labelled_answer(text: str) -> tuple[str, str, int] | None:
    """The answer word after a label ("Bedömning: Delvis uppfyllt"): word, level, end offset."""
    label = ANSWER_LABEL.match(text)
    if not label:
        return None
    match = ANSWER_WORD.match(text[label.end() :])
    if not match:
        return None
    word = " ".join(match.group("word").split())
    return word, answer_level(word), label.end() + match.end()


def verdict_of_answer(level: str) -> str:
    """An answer level as a verdict level: "ja" → "ändamålsenlig", "nej" → "inte"."""
    return _VERDICT_OF_ANSWER.get(level, "inte")
