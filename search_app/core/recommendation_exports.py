"""The Rekommendationer page's downloads: one row per recommendation with everything a working
paper needs to cite it, its answers and its follow-ups, as CSV and as Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from recommendations.models import heading
from recommendations.store import RecommendationStore
from search_app.core.exporting import ExportContext, about_rows, table_csv, table_xlsx
from search_app.core.recommendations import ORIGIN_LABELS, Listed, method_label, report_title

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
