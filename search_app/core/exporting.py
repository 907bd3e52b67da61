"""A result list as CSV, Excel and Markdown, each row or entry with its full citation.

Revisorer paste these into their working papers, so every format carries the same columns: the
citation line, each metadata field on its own, the page, the source file and the verbatim text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from index.models import SearchHit
from search_app.core.citations import found_by, full_citation, pdf_page


@dataclass(frozen=True)
class ExportItem:
    hit: SearchHit
    group: str | None = None  # "Piteå kommun" on the compare page, "2022" over time


@dataclass(frozen=True)
class ExportContext:
    title: str  # "Sök", "Jämför kommuner", "Över tid"
    query: str
    mode: str
    filters: str = ""  # the active filters, as the page describes them
    created: datetime = field(default_factory=lambda: datetime.now().astimezone())


COLUMNS = (
    "Grupp",
    "Nr",
    "Källhänvisning",
    "Kommun",
    "År",
    "Nämnd",
    "Dokumenttyp",
    "Byrå",
    "Titel",
    "Dnr",
    "Paragraf",
    "Avsnitt",
    "Rubrikväg",
    "Sida",
    "PDF-sida",
    "Källfil",
    "Chunk-id",
    "Poäng",
    "Hittad av",
    "Text",
)


def row(item: ExportItem) -> dict[str, object]:
    hit, chunk = item.hit, item.hit.chunk
    printed = "–".join(dict.fromkeys(chunk.printed_pages[:1] + chunk.printed_pages[-1:]))
    return {
        "Grupp": item.group or "",
        "Nr": hit.rank,
        "Källhänvisning": full_citation(hit),
        "Kommun": chunk.municipality or "",
        "År": chunk.year or "",
        "Nämnd": chunk.committee or "",
        "Dokumenttyp": chunk.doc_type,
        "Byrå": chunk.audit_firm or "",
        "Titel": chunk.title or "",
        "Dnr": chunk.case_number or "",
        "Paragraf": chunk.paragraph or "",
        "Avsnitt": chunk.section_label,
        "Rubrikväg": chunk.heading_path_text,
        "Sida": printed,
        "PDF-sida": pdf_page(chunk) or "",
        "Källfil": chunk.source_file,
        "Chunk-id": chunk.chunk_id,
        "Poäng": round(hit.score, 4),
        "Hittad av": found_by(hit),
        "Text": chunk.text,
    }


def _columns(items: Sequence[ExportItem]) -> tuple[str, ...]:
    grouped = any(item.group for item in items)
    return COLUMNS if grouped else COLUMNS[1:]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(items: Sequence[ExportItem]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens å, ä and ö correctly."""
    return table_csv(_columns(items), [row(item) for item in items])


def to_xlsx(items: Sequence[ExportItem], context: ExportContext) -> bytes:
    return table_xlsx(
        _columns(items),
        [row(item) for item in items],
        about_rows(context),
        sheet_title="Träffar",
        widths={"Källhänvisning": 60, "Titel": 40, "Rubrikväg": 40, "Text": 100, "Källfil": 40},
        wrapped=("Text", "Källhänvisning"),
    )


def table_csv(columns: Sequence[str], rows: Sequence[dict[str, object]]) -> bytes:
    """Rows as CSV (UTF-8 with a byte order mark), every cell safe from formula injection."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for values in rows:
        writer.writerow({k: _csv_safe(v) for k, v in values.items()})
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(
    columns: Sequence[str],
    rows: Sequence[dict[str, object]],
    about: Sequence[tuple[str, str]],
    *,
    sheet_title: str,
    widths: dict[str, int],
    wrapped: Sequence[str] = (),
) -> bytes:
    """Rows as an Excel workbook: a bold, frozen header, and a sheet saying what was exported."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([values.get(c, "") for c in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl stores a string starting with "=" as a formula unless told otherwise.
                cell.data_type = "s"
    for index, name in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
        if name in wrapped:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet_about = workbook.create_sheet("Om sökningen")
    for label, value in about:
        sheet_about.append([label, value])
        sheet_about.cell(row=sheet_about.max_row, column=2).data_type = "s"
    sheet_about.column_dimensions["A"].width = 14
    sheet_about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def about_rows(context: ExportContext) -> list[tuple[str, str]]:
    return [
        ("Sida", context.title),
        ("Fråga", context.query),
        ("Sökläge", context.mode),
        ("Filter", context.filters or "inga"),
        ("Skapad", context.created.strftime("%Y-%m-%d %H:%M")),
        ("Verktyg", "revsok"),
    ]


# What makes inline markdown (emphasis, links, maths, code, strikethrough) out of plain text.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]$~])")


def _markdown_text(text: str) -> str:
    # The file may be rendered; markup in a document must stay text there too: no HTML, and no
    # bold, link or formula made of a title like "**x** $y$ [l](javascript:z)".
    html_safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_INLINE.sub(r"\\\1", html_safe)


def _code(text: str) -> str:
    """``text`` as an inline code span, fenced with more backticks than it holds in a row."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(items: Sequence[ExportItem], context: ExportContext) -> str:
    lines = [f"# {context.title}: {_markdown_text(context.query)}", ""]
    lines += [f"- {label}: {_markdown_text(value)}" for label, value in about_rows(context)[2:]]
    group = None
    for item in items:
        if item.group and item.group != group:
            group = item.group
            lines += ["", f"## {_markdown_text(group)}"]
        heading = "###" if group else "##"
        values = row(item)
        lines += [
            "",
            f"{heading} [{item.hit.rank}] {_markdown_text(str(values['Källhänvisning']))}",
        ]
        lines.append("")
        if values["Rubrikväg"]:
            lines.append(f"*{_markdown_text(str(values['Rubrikväg']))}*  ")
        page = f", PDF-sida {values['PDF-sida']}" if values["PDF-sida"] else ""
        lines.append(f"Källa: {_code(str(values['Källfil']))}{page}")
        lines.append("")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", item.hit.chunk.text)]
        quoted = "\n>\n".join(f"> {_markdown_text(p)}" for p in paragraphs if p)
        lines.append(quoted)
    return "\n".join(lines) + "\n"


def file_stem(context: ExportContext) -> str:
    """ "revsok-samverkan-med-regionen-20261123-1205": readable, safe on every file system."""
    slug = re.sub(r"[^a-z0-9åäö]+", "-", context.query.casefold()).strip("-")[:40].strip("-")
    stamp = context.created.strftime("%Y%m%d-%H%M")
    return f"revsok-{slug or 'export'}-{stamp}"
