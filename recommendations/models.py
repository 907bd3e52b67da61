"""The records the recommendation extraction produces, and how they are linked.

Every record is a frozen dataclass with a stable id: the id is a hash of what the record is (its
document and its normalised text), never of its position in a run, so the same PDF ingested again
gives the same ids and links stored elsewhere (working papers, bookmarks) keep pointing at it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, fields

from ingest.models import citation_line, page_reference

VERDICT_LEVELS = ("ändamålsenlig", "i huvudsak", "delvis", "till viss del", "inte")
ANSWER_LEVELS = ("ja", "i huvudsak", "delvis", "nej")
LINK_KINDS = (
    "svar",  # an answer from the nämnd → the recommendation it answers
    "uppföljning",  # an earlier recommendation → what the follow-up audit found about it
    "samma rekommendation",  # an earlier recommendation → the same one in the original report
)


def stable_id(prefix: str, *parts: object) -> str:
    normalised = "\x1f".join(" ".join(str(p).casefold().split()) for p in parts)
    return f"{prefix}-{hashlib.sha256(normalised.encode('utf-8')).hexdigest()[:12]}"


@dataclass(frozen=True)
class Location:
    """Where a passage sits: document, chunk, section and pages (PDF and printed)."""

    doc_id: str
    chunk_id: str
    section_number: str | None
    section_title: str | None
    section_kind: str
    pages: tuple[int, ...]
    printed_pages: tuple[str, ...] = ()

    def section_label(self) -> str:
        return " ".join(x for x in (self.section_number, self.section_title) if x)

    def page_label(self) -> str:
        return page_reference(self.pages, self.printed_pages)


@dataclass(frozen=True)
class Source:
    """The document a record comes from, with the metadata a citation needs."""

    doc_id: str
    source_file: str
    doc_type: str
    municipality: str | None
    year: int | None
    date: str | None
    committee: str | None
    audit_firm: str | None
    title: str | None
    paragraph: str | None = None

    def citation(self, location: Location | None = None) -> str:
        if location is None:
            return citation_line(self)
        return citation_line(self, section=location.section_label(), pages=location.page_label())


@dataclass(frozen=True)
class Recommendation:
    """One recommendation, with every place the document states it.

    ``earlier`` marks a recommendation from an earlier audit that a follow-up quotes
    ("rekommenderades socialnämnden att" … in 2019); ``earlier_year`` is that audit's year.
    ``origin`` is "rapport" for a report's own recommendation and "handling" for one only known
    because a packet or protocol quotes it (the report itself is not in the corpus).
    """

    rec_id: str
    text: str
    committee: str | None
    addressee: str | None
    cited_sections: tuple[str, ...]
    source: Source
    locations: tuple[Location, ...]
    earlier: bool = False
    earlier_year: int | None = None
    origin: str = "rapport"
    topics: tuple[str, ...] = ()
    audit_title: str | None = None

    @property
    def year(self) -> int | None:
        """The year the recommendation was made (the earlier audit's year for earlier ones)."""
        return self.earlier_year if self.earlier else self.source.year

    @property
    def municipality(self) -> str | None:
        return self.source.municipality

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({p for loc in self.locations for p in loc.pages}))

    def citation(self, location: Location | None = None) -> str:
        return self.source.citation(location or (self.locations[0] if self.locations else None))


@dataclass(frozen=True)
class Verdict:
    """A report's overall verdict ("till viss del ändamålsenlig") and the sentence stating it."""

    verdict_id: str
    level: str
    sentence: str
    source: Source
    locations: tuple[Location, ...]

    def citation(self) -> str:
        return self.source.citation(self.locations[0] if self.locations else None)


@dataclass(frozen=True)
class QuestionAnswer:
    """One revisionsfråga and the report's answer to it.

    ``method`` is "tabell" when the report answers in a Ja/Delvis/Nej (Uppfyllt …) table and
    "bedömning" when the answer is read from the bedömning text; ``level`` is None when the text
    gives no graded answer.
    """

    qa_id: str
    question: str
    answer: str
    level: str | None
    comment: str
    method: str
    source: Source
    location: Location | None

    def citation(self) -> str:
        return self.source.citation(self.location)


@dataclass(frozen=True)
class Answer:
    """What a nämnd answered the revisorer (a yttrande, "Svar på granskning", a decision on it).

    ``quoted`` is the recommendation as the answering document quotes it, when it does.
    """

    answer_id: str
    text: str
    quoted: str | None
    kind: str
    source: Source
    location: Location | None
    audit_title: str | None = None

    def citation(self) -> str:
        return self.source.citation(self.location)


@dataclass(frozen=True)
class Link:
    """A directed link between records (or from a record to a passage of the index).

    ``target_chunk`` is set when the target is a passage rather than a record (a follow-up's
    bedömning); ``excerpt`` is the sentence the link rests on; ``method`` says how it was made:
    "citat" (the answering document quotes the recommendation), "lexikal", "semantisk", "rubrik".
    """

    kind: str
    source_id: str
    target_id: str
    score: float
    method: str
    excerpt: str = ""
    target_chunk: str | None = None
    citation: str = ""


@dataclass(frozen=True)
class RecordSet:
    """Everything extracted from one index: records and links, in a stable order."""

    recommendations: tuple[Recommendation, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    question_answers: tuple[QuestionAnswer, ...] = ()
    answers: tuple[Answer, ...] = ()
    links: tuple[Link, ...] = ()
    stats: dict[str, int] = field(default_factory=dict)

    def recommendation(self, rec_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.rec_id == rec_id), None)

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.answer_id == answer_id), None)

    def links_from(self, record_id: str) -> list[Link]:
        return [link for link in self.links if link.source_id == record_id]

    def links_to(self, record_id: str) -> list[Link]:
        return [link for link in self.links if link.target_id == record_id]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RecordSet:
        return cls(
            recommendations=tuple(
                _build(Recommendation, r) for r in data.get("recommendations", ())
            ),
            verdicts=tuple(_build(Verdict, r) for r in data.get("verdicts", ())),
            question_answers=tuple(
                _build(QuestionAnswer, r) for r in data.get("question_answers", ())
            ),
            answers=tuple(_build(Answer, r) for r in data.get("answers", ())),
            links=tuple(_build(Link, r) for r in data.get("links", ())),
            stats=dict(data.get("stats", {})),
        )


_NESTED = {"source": Source, "location": Location}


def _build(cls, raw: dict):
    """A dataclass from its ``asdict`` form: nested records rebuilt, lists back to tuples."""
    values = {}
    names = {f.name: f for f in fields(cls)}
    for key, value in raw.items():
        if key not in names:
            continue
        if key == "locations":
            value = tuple(_build(Location, v) for v in value)
        elif key in _NESTED and isinstance(value, dict):
            value = _build(_NESTED[key], value)
        elif isinstance(value, list):
            value = tuple(value)
        values[key] = value
    return cls(**values)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def heading(rec) -> str:
    """kommun · år · nämnd · rapport (byrå) · avsnitt · sida: the line a record is cited by."""
    sections = ", ".join(
        dict.fromkeys(loc.section_label() for loc in rec.locations if loc.section_label())
    )
    pages = ", ".join(dict.fromkeys(loc.page_label() for loc in rec.locations if loc.page_label()))
    return citation_line(
        rec.source,
        committee=rec.committee or "(nämnd okänd)",
        section=f"avsnitt {sections}" if sections else "",
        pages=pages,
    )
