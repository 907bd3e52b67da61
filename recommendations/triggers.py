"""What opens a recommendation list: the auditors' own trigger sentence ("rekommenderar vi X
att:"), a "Rekommendationer" heading standing on its own line, and whom the sentence addresses.
``recommendations.lists`` reads the items that follow; ``recommendations.extract`` reads single
"Vi rekommenderar att …" sentences with ``INLINE``.
"""

from __future__ import annotations

import re

from ingest.vocabulary import COMMITTEE_NOUN, NAME_WORD
from recommendations.language import SENTENCE_END, Line

_TRIGGER_WORD = re.compile(
    r"\brekommender(?:ar|as|ades|ade)\b|\brekommendation(?:er|erna)?\b", re.IGNORECASE
)
PAST = re.compile(r"\brekommenderade(?:s)?\b|\blämnades\b|\bgavs\b", re.IGNORECASE)
# A heading over a list of recommendations, with or without its number ("6 Förslag till åtgärder").
_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?(?:(?:våra|revisionens|revisorernas)\s+)?"
    r"(?:rekommendation(?:er)?|förslag\s+till\s+åtgärder|åtgärdsförslag|förbättringsförslag"
    r"|förbättringsområden|utvecklingsområden)"
    r"(?:\s+(?:till|för)\s+[\wåäöÅÄÖ ,-]+?)?\s*:?$",
    re.IGNORECASE,
)
# Who a trigger's recommendations come from. A recommendation is the auditors' own: "vi",
# "revisionen", "revisorerna" (or the byrå) recommend, a nämnd "rekommenderas", or the report
# "lämnar följande rekommendationer". Socialstyrelsen, SKR or "kommunen" recommending something
# in a bakgrund or tjänsteskrivelse is not an audit recommendation.
_AUDITOR = (
    r"(?:vi|revisionen|revisorerna|revisorer|de\s+förtroendevalda\s+revisorerna|granskningen"
    r"|rapporten|revisionskontoret|KPMG|EY|PwC|Deloitte|Grant\s+Thornton|BDO)"
)
_ACTIVE_VERB = re.compile(r"\brekommender(?:ar|ade|at)\b", re.IGNORECASE)
_AUDITOR_SUBJECT = re.compile(
    rf"\b{_AUDITOR}\s+(?:\w+\s+){{0,2}}?(?:har\s+)?rekommender(?:ar|ade|at)\b"
    rf"|\brekommender(?:ar|ade)\s+(?:därför\s+|också\s+|även\s+|dessutom\s+)*{_AUDITOR}\b",
    re.IGNORECASE,
)
_FOREIGN_SOURCE = re.compile(
    r"\b(?i:rekommendation\w*\s+(?:från|av|utfärdade\s+av|framtagna\s+av)\s+"
    r"(?!oss\b|revision|revisor|granskning))"
    r"|\b(?!(?i:revisionens|revisorernas|granskningens|rapportens|byråns)\b)[A-ZÅÄÖ][\wåäö:]*s\s+"
    r"(?:\w+\s+)?rekommendation"
    r"|\b(?i:rekommenderas\s+av\s+(?!oss\b|revision|revisor))"
    r"|\b(?i:(?:nationella|allmänna)\s+(?:\w+\s+)?rekommendation)",
)
_NOT_ADDRESSEES = re.compile(
    r"^(?:\w+\s+)?(?:kommunerna|kommuner|invånarna|invånare|medborgarna|allmänheten|"
    r"vårdnadshavar\w*|föräldrar\w*|föreningar\w*|regionerna|huvudmännen|patienter\w*|"
    r"brukar\w*|elever\w*|företag\w*|alla)\b",
    re.IGNORECASE,
)
INLINE = re.compile(
    r"\bvi\s+(?P<verb>rekommenderar|rekommenderade)\b"
    r"|\b(?P<verb2>rekommenderar|rekommenderade)\s+vi\b"
    # The auditors named in the third person, but not in a relative clause: "allt som
    # revisorerna rekommenderar kommunen att göra" tells what was done about them.
    r"|(?<!\bsom\s)(?<!\bvad\s)(?<!\bdet\s)"
    r"\b(?:revisionen|revisorerna)\s+(?P<verb3>rekommenderar|rekommenderade)\b",
    re.IGNORECASE,
)
INLINE_LEAD = re.compile(r"^(?:\s*(?:därför|också|även|dessutom|vidare)\b)*\s*(?:att\s+)?", re.I)
_MAX_TRIGGER_LINES = 3


def sentence_before(lines: list[Line], index: int) -> tuple[int, str]:
    """The sentence that ends on line ``index``: first line index and its text on one line."""
    first = index
    for j in range(index - 1, max(index - _MAX_TRIGGER_LINES, -1), -1):
        text = lines[j].text
        if not text or SENTENCE_END.search(text) or text.endswith(":"):
            break
        first = j
    joined = " ".join(line.text for line in lines[first : index + 1])
    # Only the last sentence of those lines: "… behöver stärkas. Utifrån … rekommenderar vi".
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", joined)
    return first, parts[-1]


def is_trigger(sentence: str) -> bool:
    if not _TRIGGER_WORD.search(sentence) or not is_auditors(sentence):
        return False
    stripped = sentence.rstrip()
    if stripped.endswith(":"):
        return True
    return bool(re.search(r"\batt$", stripped)) and bool(
        re.search(r"rekommender(?:ar|as|ades|ade)\b", stripped, re.I)
    )


def is_auditors(sentence: str) -> bool:
    """Are the recommendations the sentence speaks of the auditors' own (not Socialstyrelsen's,
    SKR's, or the kommun's advice to its invånare)?"""
    if _FOREIGN_SOURCE.search(sentence):
        return False
    if _ACTIVE_VERB.search(sentence) and not _AUDITOR_SUBJECT.search(sentence):
        return False
    addressee = addressee_of(sentence)
    return not (addressee and _NOT_ADDRESSEES.match(addressee))


def addressee_of(sentence: str) -> str | None:
    """Whom a trigger sentence addresses ("rekommenderar vi socialnämnden att": socialnämnden)."""
    passive = re.search(
        rf"(?P<a>{NAME_WORD}{COMMITTEE_NOUN}(?:\s*(?:,|och|samt)\s*"
        rf"{NAME_WORD}{COMMITTEE_NOUN})*)\s+rekommenderas\b",
        sentence,
        re.IGNORECASE,
    )
    if passive:
        return passive.group("a")
    patterns = (
        r"rekommender\w*\s+(?:vi\s+|revisionen\s+|revisorerna\s+)?"
        r"(?:därför\s+|också\s+|även\s+)*(?P<a>.*?)\s*\batt\s*:?\s*$",
        r"rekommender\w*\s+(?:vi\s+)?att\s+(?P<a>[^:]*?)\s*:?\s*$",
        r"rekommendation\w*\s+(?:till|för)\s+(?P<a>[^:]*?)\s*:?\s*$",
    )
    for pattern in patterns:
        match = re.search(pattern, sentence, re.IGNORECASE)
        if match and match.group("a").strip():
            return match.group("a").strip(" ,")
    return None


def is_heading(lines: list[Line], index: int) -> bool:
    """Is line ``index`` a "Rekommendationer" heading over a list?"""
    return bool(_HEADING.match(lines[index].text)) and _standalone(lines, index)


def _standalone(lines: list[Line], index: int) -> bool:
    """Is line ``index`` a line of its own: after a blank line (or first), not a sentence?"""
    if SENTENCE_END.search(lines[index].text):
        return False
    return index == 0 or lines[index - 1].blank


def opens_other_list(text: str) -> bool:
    """A line that is a list's trigger of its own ends the answer prose before it."""
    return bool(_TRIGGER_WORD.search(text)) and text.rstrip().endswith(":")
