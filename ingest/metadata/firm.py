"""The audit firm (byrå) that wrote a report (``detect_audit_firm``): named in the header, as the
author in the text, or by the signature."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ingest.metadata.common import (
    AUDIT_TYPES,
    HEAD_CHARS,
    SOURCE_HEADER,
    SOURCE_INFERRED,
    SOURCE_TEXT,
    DocumentView,
    Found,
)
from ingest.vocabulary import AUDIT_FIRMS

_FIRMS = AUDIT_FIRMS
_FIRM_ALT = "|".join(f"(?P<f{i}>{rx})" for i, (_, rx) in enumerate(_FIRMS))
# Short names like "EY" and "BDO" are read only in capitals and as whole words.
FIRM = re.compile(rf"(?<![\w&])(?:{_FIRM_ALT})(?![\w&])")
# "KPMG har av …", "Grant Thornton Sweden AB har på uppdrag …", "Ernst & Young AB (EY) har …".
_FIRM_AUTHOR_AFTER = re.compile(
    r"(?:\s+(?:\w+|\(\w+\))){0,3}?\s+har\s+"
    r"(?:av|på\s+uppdrag|fått\s+i\s+uppdrag|genomfört|granskat)",
    re.IGNORECASE,
)
# "På uppdrag av Smedjebackens kommuns förtroendevalda revisorer har PwC genomfört …",
# "… har uppdragit åt Ernst & Young", "Revisorerna i Halmstads kommun har gett PwC i uppdrag".
_FIRM_COMMISSIONED_BEFORE = re.compile(
    r"(?:\brevisor\w*\s+har|\buppdragit\s+(?:åt|till))\s+$", re.IGNORECASE
)
_FIRM_TASK_GIVEN_BEFORE = re.compile(r"\bhar\s+(?:gett|givit|gav)\s+$", re.IGNORECASE)
_FIRM_TASK_GIVEN_AFTER = re.compile(r"\s+i\s+uppdrag\b", re.IGNORECASE)
_FIRM_COPYRIGHT_BEFORE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?$", re.IGNORECASE)
# What may follow a byrå's name on a line of its own: "KPMG AB", "BDO Mälardalen AB",
# "Grant Thornton Sweden AB", "Deloitte." (the logo's full stop).
FIRM_SIGNATURE = re.compile(r"^\s*(?:[A-ZÅÄÖ]\w+\s+)?(?:Sweden|Sverige)?\s*(?:AB)?\.?\s*$")
# "Rapporten är upprättad av Deloitte", "genomförd av EY": the author named before the byrå.
_FIRM_AUTHOR_BEFORE = re.compile(
    r"\b(?:utförd|utförts|genomförd|genomförts|upprättad|upprättats|skriven|författad|"
    r"sammanställd|framtagen|utarbetad|utarbetats)\s+av\s+$",
    re.IGNORECASE,
)


def _firm_name(match: re.Match[str]) -> str:
    index = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
    return _FIRMS[index][0]


def detect_firm(
    text: str, header_lines: Sequence[str], evidence: str = "any"
) -> tuple[str | None, str | None]:
    """The byrå that wrote an audit report, and where that was read.

    ``evidence`` "byrå" leaves out how the auditors commissioned a byrå ("revisorerna har gett
    EY i uppdrag", "på uppdrag av … revisorer har KPMG"), which a nämnd's answer retells, but
    keeps the byrå's own "KPMG har på uppdrag av …"; "authored" keeps only a running header, a
    copyright line, a signature or "upprättad av"."""
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    from_header: set[str] = set()
    for line in header_lines:
        for m in FIRM.finditer(line):
            scores[_firm_name(m)] += 5
            strong.add(_firm_name(m))
            from_header.add(_firm_name(m))
    for m in FIRM.finditer(text):
        firm = _firm_name(m)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[max(0, m.start() - 40) : m.start()]
        by_itself = evidence != "authored" and _FIRM_AUTHOR_AFTER.match(text, m.end())
        task_given = _FIRM_TASK_GIVEN_BEFORE.search(before) and _FIRM_TASK_GIVEN_AFTER.match(
            text, m.end()
        )
        commissioned = evidence == "any" and (
            _FIRM_COMMISSIONED_BEFORE.search(before) or task_given
        )
        if (
            by_itself
            or commissioned
            or _FIRM_COPYRIGHT_BEFORE.search(text[line_start : m.start()])
            or _FIRM_AUTHOR_BEFORE.search(before)
        ):
            # "KPMG har av … revisorer fått i uppdrag", "© 2021 KPMG AB": the author.
            scores[firm] += 10
            strong.add(firm)
        elif not text[line_start : m.start()].strip() and FIRM_SIGNATURE.match(
            text[m.end() : line_end]
        ):
            # A line of its own ("KPMG AB", "EY") is the signature under the report.
            scores[firm] += 5
            strong.add(firm)
        else:
            scores[firm] += 2 if m.start() < HEAD_CHARS else 1
    if not scores:
        return None, None
    firm = max(scores, key=lambda f: scores[f])
    if firm in from_header:
        return firm, SOURCE_HEADER
    return firm, SOURCE_TEXT if firm in strong else SOURCE_INFERRED


# Other reports (a revisionsberättelse, a review of the annual accounts, the auditors' covering
# letter) may be a byrå's work too, but a nämnd's answer filed as "annat" quotes the byrå whose
# audit it answers, so for them only what says who wrote the text, in its opening, counts (a
# meeting packet read whole holds the audits it answers further on), and a missing byrå is no
# warning. A report's own "KPMG har på uppdrag av revisorerna granskat" counts for a report.
_EVIDENCE_FOR = {"rapport/berättelse": "byrå", "annat": "authored"}


def detect_audit_firm(doc: DocumentView, doc_type: str) -> Found:
    if (evidence := _EVIDENCE_FOR.get(doc_type)) and doc.item is None:
        firm, source = detect_firm(doc.text[:HEAD_CHARS], doc.header_lines, evidence=evidence)
        return Found(firm, source) if firm and source != SOURCE_INFERRED else Found()
    if doc_type not in AUDIT_TYPES:
        return Found()
    firm, source = detect_firm(doc.text, doc.header_lines)
    if firm is None:
        return Found(None, None, "revisionsbyrå saknas i dokumentet")
    if source == SOURCE_INFERRED:
        return Found(firm, source, f"revisionsbyrå härledd från omnämnande i texten ({firm})")
    return Found(firm, source)
