"""The Rekommendationer page without Streamlit: its URL state, filter values, rows and verdicts.

Everything here is a pure function of the records the index stores (``RecommendationStore``), so
the table, the files a revisor downloads (``recommendation_exports``) and the filters' meaning are
tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from index.models import Filters
from recommendations import QuestionAnswer, Recommendation, Source, Verdict
from recommendations.filtering import RECOMMENDATION_FIELDS, committees_of
from recommendations.models import heading
from recommendations.store import RecommendationHit, RecommendationStore
from recommendations.topics import topic_names
from search_app.core.facets import swedish_key
from search_app.core.url_state import UrlParams, filter_params, read_filters

# "tidigare" in the URL: which recommendations to show by whether a follow-up quotes them.
EARLIER_CHOICES = ("alla", "nej", "ja")
EARLIER_LABELS = {
    "alla": "Alla",
    "nej": "Bara nuvarande",
    "ja": "Bara tidigare",
}
ORIGIN_LABELS = {"rapport": "rapport", "handling": "citerad i handling"}
LINK_METHOD_LABELS = {
    "citat": "citat av rekommendationen",
    "lexikal": "gemensamma ord",
    "semantisk": "liknande innebörd",
    "rubrik": "granskningens rubrik",
    "samma dokument": "samma rapport",
}


def method_label(method: str) -> str:
    """How a link was made, in words ("citerar rekommendationen")."""
    return LINK_METHOD_LABELS.get(method, method)


@dataclass(frozen=True)
class RecommendationState:
    """What the page shows, as it travels in the URL (``?kommun=…&amne=…&rek=rek-…``)."""

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    topics: tuple[str, ...] = ()
    earlier: str = "alla"  # one of EARLIER_CHOICES
    selected: str | None = None  # the rec_id whose detail is open

    def store_filters(self) -> dict[str, object]:
        """Keyword arguments for ``RecommendationStore.recommendations`` and ``.search``."""
        return {
            "filters": self.filters,
            "topic": list(self.topics) or None,
            "earlier": {"ja": True, "nej": False}.get(self.earlier),
        }

    def describe(self) -> str:
        """The active filters in words, for empty states and exports."""
        parts = [self.filters.describe()]
        if self.topics:
            parts.append("ämne: " + ", ".join(self.topics))
        if self.earlier != "alla":
            parts.append(EARLIER_LABELS[self.earlier].casefold())
        return "; ".join(p for p in parts if p)

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.query.strip():
            params["q"] = self.query.strip()
        params |= filter_params(self.filters)
        if self.topics:
            params["amne"] = list(self.topics)
        if self.earlier != "alla":
            params["tidigare"] = self.earlier
        if self.selected:
            params["rek"] = self.selected
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str] | str]) -> RecommendationState:
        """Read a URL; a value that cannot be read is ignored (URLs are edited by hand)."""
        read = UrlParams(params)
        earlier = read.last("tidigare")
        return cls(
            query=read.last("q") or "",
            filters=read_filters(read, RECOMMENDATION_FIELDS),
            topics=read.values("amne"),
            earlier=earlier if earlier in EARLIER_CHOICES else "alla",
            selected=read.last("rek"),
        )


@dataclass(frozen=True)
class RecommendationOptions:
    """The values each filter can take: those the stored recommendations have."""

    municipalities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    committees: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def recommendation_options(recs: Iterable[Recommendation]) -> RecommendationOptions:
    recs = list(recs)
    present = {t for r in recs for t in r.topics}
    vocabulary = [t for t in topic_names() if t in present]
    others = sorted(present - set(vocabulary), key=swedish_key)
    return RecommendationOptions(
        municipalities=tuple(
            sorted({r.municipality for r in recs if r.municipality}, key=swedish_key)
        ),
        years=tuple(sorted({r.year for r in recs if r.year})),
        # A nämnd a recommendation is addressed to selects it too (recommendations.filtering).
        committees=tuple(sorted({c for r in recs for c in committees_of(r)}, key=swedish_key)),
        topics=tuple(vocabulary + others),
    )


# -- table rows -------------------------------------------------------------------------------


def report_title(rec: Recommendation) -> str:
    """The audit a recommendation comes from, by its title (the file name when it has none)."""
    src = rec.source
    return rec.audit_title or src.title or src.source_file.rsplit("/", 1)[-1]


def short_label(rec: Recommendation, limit: int = 90) -> str:
    """ "Karlshamns kommun 2023 · Upprätta ett dokumenterat …": a recommendation in a list."""
    text = " ".join(rec.text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    place = " ".join(x for x in (rec.municipality or "(kommun okänd)", str(rec.year or "")) if x)
    return f"{place} · {text}"


@dataclass(frozen=True)
class Listed:
    """One recommendation as the page lists it, with its search score when a query ranked it."""

    recommendation: Recommendation
    score: float | None = None


def listed(
    recs: Sequence[Recommendation] = (), hits: Sequence[RecommendationHit] | None = None
) -> list[Listed]:
    if hits is not None:
        return [Listed(hit.recommendation, hit.score) for hit in hits]
    return [Listed(rec) for rec in recs]


TABLE_COLUMNS = (
    "Kommun",
    "År",
    "Nämnd",
    "Rekommendation",
    "Ämnen",
    "Tidigare",
    "Svar",
    "Uppföljning",
    "Rapport",
    "Källhänvisning",
)


def table_rows(items: Sequence[Listed], store: RecommendationStore) -> list[dict[str, object]]:
    """The rows of the page's table, in the order given (stored order, or best match first)."""
    scored = any(item.score is not None for item in items)
    rows = []
    for item in items:
        rec = item.recommendation
        values: dict[str, object] = {
            "Kommun": rec.municipality or "",
            "År": str(rec.year or ""),
            "Nämnd": rec.committee or "",
            "Rekommendation": rec.text,
            "Ämnen": ", ".join(rec.topics),
            "Tidigare": "ja" if rec.earlier else "nej",
            "Svar": len(store.answers_for(rec.rec_id)),
            "Uppföljning": len(store.follow_ups(rec.rec_id)),
            "Rapport": report_title(rec),
            "Källhänvisning": heading(rec),
        }
        if scored:
            values["Poäng"] = round(item.score or 0.0, 3)
        rows.append(values)
    return rows


# -- verdicts per report ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportAssessment:
    """A report's overall verdict (when it states one) and its answers per revisionsfråga."""

    source: Source
    verdict: Verdict | None
    questions: tuple[QuestionAnswer, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return self.source.title or self.source.source_file.rsplit("/", 1)[-1]


def report_assessments(
    verdicts: Sequence[Verdict],
    question_answers: Sequence[QuestionAnswer],
    filters: Filters | None = None,
) -> list[ReportAssessment]:
    """One entry per report with a verdict or answered questions, filtered by kommun, nämnd
    and år (``filters``, matched as search matches them)."""
    filters = filters or Filters()
    accepts = filters.accepts

    sources: dict[str, Source] = {}
    by_doc: dict[str, Verdict] = {}
    for verdict in verdicts:
        sources.setdefault(verdict.source.doc_id, verdict.source)
        by_doc.setdefault(verdict.source.doc_id, verdict)
    questions: dict[str, list[QuestionAnswer]] = {}
    for qa in question_answers:
        sources.setdefault(qa.source.doc_id, qa.source)
        questions.setdefault(qa.source.doc_id, []).append(qa)
    found = [
        ReportAssessment(source, by_doc.get(doc_id), tuple(questions.get(doc_id, ())))
        for doc_id, source in sources.items()
        if accepts(source)
    ]
    return sorted(
        found, key=lambda a: (swedish_key(a.source.municipality or "~"), -(a.source.year or 0))
    )


def question_rows(questions: Sequence[QuestionAnswer]) -> list[dict[str, object]]:
    """A report's revisionsfrågor as table rows: the question, the answer, what it rests on."""
    rows = []
    for qa in questions:
        if qa.method == "tabell":
            answer, basis = qa.answer, qa.comment
        else:
            answer, basis = qa.level or "se bedömningen", qa.answer
        rows.append(
            {
                "Revisionsfråga": qa.question,
                "Svar": answer,
                "Underlag": basis,
                "Läst ur": "svarstabell" if qa.method == "tabell" else "bedömningstext",
                "Källhänvisning": qa.citation(),
            }
        )
    return rows
