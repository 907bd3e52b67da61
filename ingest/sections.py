"""Split a document into sections by its headings and give each section a kind.

Audit reports number their headings (1, 2.1, 4.2.1 …); a numbered line only counts as a heading when
its number continues the outline, which keeps footnotes ("11 Lagen om vård av missbrukare …"),
numbered lists and tables of contents out. Unnumbered headings that recur in reports and
tjänsteskrivelser ("Bedömning", "Förslag till beslut") open sub-sections of their own.

A source that marks its headings (a Word document's heading styles) is not read for numbered
lines: its marked headings make the outline, at the level their style gives, numbered or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.models import MarkedHeading, SectionSpan

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_MAX_TITLE_CHARS = 90
_MAX_TITLE_WORDS = 12
# A paragraph this long styled as a heading is body text with the wrong style.
_MAX_MARKED_CHARS = 200

# Unnumbered headings, matched against the whole line (case-insensitive, optional colon).
_UNNUMBERED_HEADINGS = (
    "bedömning",
    "vår bedömning",
    "revisionell bedömning",
    "sammanfattande bedömning",
    "rekommendationer",
    "våra rekommendationer",
    "sammanfattning",
    "förslag till beslut",
    "beskrivning av ärendet",
    "ärendebeskrivning",
    "bakgrund",
    "beslutsunderlag",
    "beslutsgång",
    "yrkanden",
    "propositionsordning",
    "reservationer",
    "reservation",
    "yttrande",
    "skickas till",
    "beslutet skickas till",
    "förslag till åtgärder",
    "svar på revisionsfrågor",
    "svar på revisionsfrågorna",
    "källförteckning",
    "källor",
    "dokumentförteckning",
    "referenser",
)
# Unnumbered headings of other shapes: the office's own assessment in a tjänsteskrivelse, and a
# report's list of sources set as an appendix ("Bilaga 1. Källförteckning").
_UNNUMBERED_PATTERNS = re.compile(
    r"^(?:förvaltningens|kontorets|nämndens|styrelsens)\s+(?:bedömning|synpunkter|kommentarer)$"
    r"|^bilaga\s+\d{1,2}\s*[.:–-]?\s*(?:källförteckning|källor|dokumentförteckning|referenser"
    r"|intervjuade(?:\s+\w+)?|granskade\s+dokument)$",
    re.IGNORECASE,
)

# Titles whose first words settle the kind, whatever follows ("Iakttagelser och bedömningar",
# "Svar på revisionsfrågorna", "Uppföljning av tidigare rekommendationer").
_LEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iakttagelser/resultat", re.compile(r"^(?:iakttagelse|granskningsresultat|resultat)")),
    ("slutsats/rekommendationer", re.compile(r"^(?:svar\s+på\s+(?:\w+\s+)?revisionsfråg)")),
    (
        "iakttagelser/resultat",
        re.compile(r"^uppföljning\s+av\s+(?:\w+\s+)?(?:rekommendation|iakttagelse|åtgärd)"),
    ),
)
# First match wins; order matters where titles combine words ("Slutsats och bedömning").
_KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "slutsats/rekommendationer",
        (
            "slutsats",
            "rekommendation",
            "sammanfattande bedömning",
            "förslag till åtgärd",
            "åtgärdsförslag",
            "avslutande",
        ),
    ),
    ("bedömning", ("bedömning",)),
    ("sammanfattning", ("sammanfattning",)),
    ("syfte/revisionsfrågor", ("syfte", "revisionsfråg", "frågeställning")),
    ("revisionskriterier", ("revisionskriteri", "bedömningsgrunder", "kriterier")),
    # "Avgränsning och metod" is about method; "Syfte, … och avgränsning" matched above.
    ("metod", ("metod", "genomförande", "tillvägagångssätt")),
    ("syfte/revisionsfrågor", ("avgränsning",)),
    ("bakgrund", ("bakgrund", "inledning")),
    ("källor/bilaga", ("källförteckning", "källor", "bilaga", "referenser", "dokumentförteckning")),
    ("iakttagelser/resultat", ("resultat", "iakttagelse", "granskningsresultat")),
)

# Once a report has passed its introduction, topic sections ("Samverkan") are findings.
_INTRO_KINDS = frozenset(
    {"bakgrund", "syfte/revisionsfrågor", "revisionskriterier", "metod", "iakttagelser/resultat"}
)


@dataclass(frozen=True)
class _Heading:
    start: int
    number: tuple[int, ...] | None
    title: str
    # The place in the outline: the number's length, a marked heading's level; None for a
    # recurring unnumbered heading ("Bedömning"), which opens a sub-section of the one above.
    depth: int | None = None


def classify_title(title: str) -> str | None:
    lowered = title.lower()
    for kind, leading in _LEADING_KINDS:
        if leading.match(lowered):
            return kind
    for kind, words in _KIND_RULES:
        if any(word in lowered for word in words):
            return kind
    return None


# A table-of-contents line ends with its page number, after a space or dot leaders
# ("2.2 Syfte ...2", "Balansräkningen.........8").
CONTENTS_PAGE_NUMBER = re.compile(r"(?:\s|\.{2,})\d{1,3}$")


def _plausible_title(title: str) -> bool:
    if len(title) > _MAX_TITLE_CHARS or len(title.split()) > _MAX_TITLE_WORDS:
        return False
    if not (title[0].isupper() or title[0] in '”"('):
        return False
    if title.endswith((".", ",", ";")) or "|" in title or "…" in title or ". ." in title:
        return False
    return not CONTENTS_PAGE_NUMBER.search(title)


def _continues(previous: tuple[int, ...], candidate: tuple[int, ...]) -> bool:
    """Is ``candidate`` the next heading number after ``previous`` in an outline?"""
    if not previous:
        return candidate[0] <= 3 and all(part <= 1 for part in candidate[1:])
    if candidate == (*previous, 1):
        return True
    for depth in range(len(previous)):
        if candidate == (*previous[:depth], previous[depth] + 1):
            return True
    return False


def _candidate_score(title: str, adjacent_sibling: bool) -> float:
    """How much a numbered line looks like a heading rather than a footnote or list item."""
    score = 1.0
    if classify_title(title) is not None:
        score += 3.0
    if re.search(r"\d", title):
        # Footnotes cite sources: "Socialnämnden 2021-03-18, § 34", "SFS 1993:387".
        score -= 0.9
    if adjacent_sibling:
        score -= 0.9
    return score


def _best_outline(candidates: list[tuple[int, tuple[int, ...], str, bool]]) -> list[int]:
    """Indices of the highest-scoring chain of candidates whose numbers continue each other.

    Footnotes are numbered too (1, 2, 3 … down the report), so a greedy pass can follow them
    instead of the outline; the best chain over all candidates does not.

    A candidate's predecessor is the earliest of the best-scoring earlier candidates (score above
    zero) that it continues. Those are found by number, not by trying every earlier candidate,
    which took minutes on a report with tens of thousands of headings: "3.2" continues "3.1"
    and everything under it ("3.1.4"), and "3.2.1" continues "3.2".
    """
    best: list[float] = []
    back: list[int | None] = []
    # The best chain ending at a candidate with exactly this number / with this number prefix,
    # as (score, -index) so that ties go to the earliest.
    by_number: dict[tuple[int, ...], tuple[float, int]] = {}
    by_prefix: dict[tuple[int, ...], tuple[float, int]] = {}
    for i, (_, number, title, sibling) in enumerate(candidates):
        own = _candidate_score(title, sibling)
        found = max(
            (
                entry
                for entry in (
                    by_number.get(number[:-1]) if number[-1] == 1 else None,
                    by_prefix.get((*number[:-1], number[-1] - 1)),
                )
                if entry is not None
            ),
            default=None,
        )
        if found is not None:
            best_prev, best_j = found[0], -found[1]
        elif _continues((), number):
            best_prev, best_j = 0.0, None
        else:
            best.append(float("-inf"))
            back.append(None)
            continue
        best.append(best_prev + own)
        back.append(best_j)
        if best[i] > 0.0:
            entry = (best[i], -i)
            if entry > by_number.get(number, (0.0, 0)):
                by_number[number] = entry
            for depth in range(1, len(number) + 1):
                prefix = number[:depth]
                if entry > by_prefix.get(prefix, (0.0, 0)):
                    by_prefix[prefix] = entry
    if not best or max(best) == float("-inf"):
        return []
    index: int | None = max(range(len(best)), key=best.__getitem__)
    chain: list[int] = []
    while index is not None:
        chain.append(index)
        index = back[index]
    return chain[::-1]


def _find_headings(text: str, *, numbered_lines: bool = True) -> list[_Heading]:
    numbered: list[tuple[int, tuple[int, ...], str, bool]] = []
    unnumbered: list[_Heading] = []
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw_line in text.splitlines(keepends=True):
        line = raw_line.strip()
        if line:
            lines.append((offset + len(raw_line) - len(raw_line.lstrip()), line))
        offset += len(raw_line)
    parsed = [_NUMBERED.match(line) for _, line in lines]
    for index, ((start, line), match) in enumerate(zip(lines, parsed, strict=True)):
        if match and numbered_lines:
            number = tuple(int(part) for part in match.group(1).split("."))
            title = match.group(2).strip()
            if not _plausible_title(title):
                continue
            sibling = False
            for neighbour in (index - 1, index + 1):
                other = parsed[neighbour] if 0 <= neighbour < len(parsed) else None
                if other and other.group(1).count(".") == match.group(1).count("."):
                    sibling = True
            numbered.append((start, number, title, sibling))
        elif match:
            continue
        elif line.rstrip(":").strip().lower() in _UNNUMBERED_HEADINGS or _UNNUMBERED_PATTERNS.match(
            line.rstrip(":").strip()
        ):
            unnumbered.append(_Heading(start, None, line.rstrip(":").strip()))
    outline = [
        _Heading(numbered[i][0], numbered[i][1], numbered[i][2], len(numbered[i][1]))
        for i in _best_outline(numbered)
    ]
    return sorted(outline + unnumbered, key=lambda heading: heading.start)


def _marked_headings(text: str, marked: Sequence[MarkedHeading], offset: int) -> list[_Heading]:
    """The headings of ``text`` when its source marks them: the marked ones at their levels, and
    the recurring unnumbered ones ("Bedömning") set as plain paragraphs between them."""
    found: dict[int, _Heading] = {}
    for heading in marked:
        start = heading.start - offset
        if not 0 <= start < len(text):
            continue
        line_end = text.find("\n", start)
        line = text[start : len(text) if line_end == -1 else line_end].strip()
        if not line or len(line) > _MAX_MARKED_CHARS:
            continue
        match = _NUMBERED.match(line)
        if match and _plausible_title(match.group(2).strip()):
            number = tuple(int(part) for part in match.group(1).split("."))
            found[start] = _Heading(start, number, match.group(2).strip(), heading.level)
        else:
            found[start] = _Heading(start, None, line.rstrip(":").strip(), heading.level)
    for heading in _find_headings(text, numbered_lines=False):
        found.setdefault(heading.start, heading)
    return sorted(found.values(), key=lambda heading: heading.start)


def _label(heading: _Heading) -> str:
    if heading.number is None:
        return heading.title
    return f"{'.'.join(map(str, heading.number))} {heading.title}"


def split_sections(
    text: str, start: int = 0, end: int | None = None, marked: Sequence[MarkedHeading] = ()
) -> list[SectionSpan]:
    """Sections of ``text[start:end]``, with offsets into ``text``, covering it without gaps.

    ``marked`` are the headings the source marks (offsets into ``text``); when any falls in the
    range, they make the outline instead of the numbered lines."""
    end = len(text) if end is None else end
    body = text[start:end]
    inside = [heading for heading in marked if start <= heading.start < end]
    headings = _marked_headings(body, inside, start) if inside else _find_headings(body)
    sections: list[SectionSpan] = []
    if not headings or body[: headings[0].start].strip():
        first_end = headings[0].start if headings else len(body)
        sections.append(SectionSpan(start, start + first_end, None, None, "annat", ()))
    elif headings:
        # Only blank space before the first heading: let that heading's section start there.
        headings[0] = replace(headings[0], start=0)

    numbered_path: list[tuple[int, str, str]] = []  # (depth, label, kind)
    past_intro = False
    for index, heading in enumerate(headings):
        section_end = headings[index + 1].start if index + 1 < len(headings) else len(body)
        own_kind = classify_title(heading.title)
        if heading.depth is not None:
            depth = heading.depth
            numbered_path = [entry for entry in numbered_path if entry[0] < depth]
            parent_kind = numbered_path[-1][2] if numbered_path else None
            if own_kind is not None:
                kind = own_kind
            elif parent_kind is not None:
                kind = parent_kind
            elif past_intro:
                kind = "iakttagelser/resultat"
            else:
                kind = "annat"
            if depth == 1 and kind in _INTRO_KINDS:
                past_intro = True
            if kind == "slutsats/rekommendationer":
                past_intro = False
            numbered_path.append((depth, _label(heading), kind))
            path = tuple(label for _, label, _ in numbered_path)
        else:
            parent_kind = numbered_path[-1][2] if numbered_path else "annat"
            kind = own_kind or parent_kind
            path = (*(label for _, label, _ in numbered_path), heading.title)
        number_text = ".".join(map(str, heading.number)) if heading.number else None
        sections.append(
            SectionSpan(
                start=start + heading.start,
                end=start + section_end,
                number=number_text,
                title=heading.title,
                kind=kind,
                heading_path=path,
            )
        )
    return sections
