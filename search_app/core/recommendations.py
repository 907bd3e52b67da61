"""The Rekommendationer page without Streamlit: its URL state, filter values, rows and exports.

Everything here is a pure function of the records the index stores (``RecommendationStore``), so
the table, the files a revisor downloads and the filters' meaning are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from index.models import Filters
from recommendations import QuestionAnswer, Recommendation, Source, Verdict
from recommendations.models import heading
from recommendations.store import RecommendationHit, RecommendationStore
from recommendations.topics import topic_names
from search_app.core.exporting import ExportContext, about_rows, table_csv, table_xlsx
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


# The filters of the recommendations page: kommun, nämnd and the years (no document type,
# section or byrå: a recommendation has one source).
RECOMMENDATION_FILTERS = ("municipalities", "committees")


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
            "kommun": list(self.filters.municipalities) or None,
            "year_from": self.filters.year_from,
            "year_to": self.filters.year_to,
            "committee": list(self.filters.committees) or None,
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
            filters=read_filters(read, RECOMMENDATION_FILTERS),
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
        committees=tuple(sorted({r.committee for r in recs if r.committee}, key=swedish_key)),
        topics=tuple(vocabulary + others),
    )


# -- the Sök page's filters, applied to recommendations --------------------------------------


def search_page_filters(filters: Filters) -> dict[str, object]:
    """The Sök page's kommun, år and nämnd as arguments for ``RecommendationStore.search``."""
    return {
        "kommun": list(filters.municipalities) or None,
        "year_from": filters.year_from,
        "year_to": filters.year_to,
        "committee": list(filters.committees) or None,
    }


def accepted_by(rec: Recommendation, filters: Filters) -> bool:
    """The Sök page's other filters (dokumenttyp, avsnitt, byrå), which the store does not take.
    A recommendation stated in several sections passes when one of them is of a chosen kind."""
    of_source = Filters(doc_types=filters.doc_types, audit_firms=filters.audit_firms)
    kinds = {loc.section_kind.casefold() for loc in rec.locations}
    return of_source.accepts(rec.source) and (
        not filters.section_kinds or bool(kinds & {k.casefold() for k in filters.section_kinds})
    )


# -- table and export rows --------------------------------------------------------------------


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


EXPORT_COLUMNS = (
    "Nr",
    "Källhänvisning",
    "Kommun",
    "År",
    "Rapportår",
    "Nämnd",
    "Adressat",
    "Rekommendation",
    "Ämnen",
    "Tidigare",
    "Ursprung",
    "Rapport",
    "Dokumenttitel",
    "Dokumenttyp",
    "Byrå",
    "Paragraf",
    "Avsnitt",
    "Sida",
    "PDF-sidor",
    "Hänvisade avsnitt",
    "Källfil",
    "Nämndens svar",
    "Uppföljning",
    "Tidigare versioner",
    "Rekommendations-id",
    "Poäng",
)


def _joined(values: Iterable[str], sep: str = "; ") -> str:
    return sep.join(dict.fromkeys(v for v in values if v))


def _pdf_pages(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    return str(pages[0]) if pages[0] == pages[-1] else f"{pages[0]}–{pages[-1]}"


def export_row(number: int, item: Listed, store: RecommendationStore) -> dict[str, object]:
    """One recommendation with everything a working paper needs to cite it and its answers."""
    rec, src = item.recommendation, item.recommendation.source
    answers = [
        f"{linked.answer.citation()} ({method_label(linked.link.method)})"
        for linked in store.answers_for(rec.rec_id)
    ]
    follow_ups = [f"{link.kind}: {link.citation}" for link in store.follow_ups(rec.rec_id)]
    earlier = [
        f"{e.earlier_year or '?'}: {' '.join(e.text.split())} ({e.citation()})"
        for e in store.earlier_versions(rec.rec_id)
    ]
    return {
        "Nr": number,
        "Källhänvisning": heading(rec),
        "Kommun": rec.municipality or "",
        "År": rec.year or "",
        "Rapportår": src.year or "",
        "Nämnd": rec.committee or "",
        "Adressat": rec.addressee or "",
        "Rekommendation": rec.text,
        "Ämnen": ", ".join(rec.topics),
        "Tidigare": "ja" if rec.earlier else "nej",
        "Ursprung": ORIGIN_LABELS.get(rec.origin, rec.origin),
        "Rapport": report_title(rec),
        "Dokumenttitel": src.title or "",
        "Dokumenttyp": src.doc_type,
        "Byrå": src.audit_firm or "",
        "Paragraf": src.paragraph or "",
        "Avsnitt": _joined(loc.section_label() for loc in rec.locations),
        "Sida": _joined(loc.page_label() for loc in rec.locations if loc.printed_pages),
        "PDF-sidor": _joined(_pdf_pages(loc.pages) for loc in rec.locations),
        "Hänvisade avsnitt": ", ".join(rec.cited_sections),
        "Källfil": src.source_file,
        "Nämndens svar": _joined(answers, "\n"),
        "Uppföljning": _joined(follow_ups, "\n"),
        "Tidigare versioner": _joined(earlier, "\n"),
        "Rekommendations-id": rec.rec_id,
        "Poäng": round(item.score, 4) if item.score is not None else "",
    }


def _export_columns(items: Sequence[Listed]) -> tuple[str, ...]:
    scored = any(item.score is not None for item in items)
    return EXPORT_COLUMNS if scored else EXPORT_COLUMNS[:-1]


def export_rows(items: Sequence[Listed], store: RecommendationStore) -> list[dict[str, object]]:
    return [export_row(number, item, store) for number, item in enumerate(items, start=1)]


def to_csv(items: Sequence[Listed], store: RecommendationStore) -> bytes:
    return table_csv(_export_columns(items), export_rows(items, store))


def to_xlsx(items: Sequence[Listed], store: RecommendationStore, context: ExportContext) -> bytes:
    return table_xlsx(
        _export_columns(items),
        export_rows(items, store),
        about_rows(context),
        sheet_title="Rekommendationer",
        widths={
            "Källhänvisning": 60,
            "Rekommendation": 70,
            "Rapport": 40,
            "Källfil": 40,
            "Nämndens svar": 60,
            "Uppföljning": 60,
            "Tidigare versioner": 60,
        },
        wrapped=("Källhänvisning", "Rekommendation", "Nämndens svar", "Uppföljning"),
    )


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
