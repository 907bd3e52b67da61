"""Exports of real hits: every row or entry carries the full citation and the verbatim text."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace

from openpyxl import load_workbook

from search_app.core.exporting import (
    ExportContext,
    ExportItem,
    file_stem,
    to_csv,
    to_markdown,
    to_xlsx,
)


def _items(searcher, query="samverkan med regionen"):
    return [ExportItem(hit) for hit in searcher.search(query, k=5)]


def test_csv_rows_hold_citation_metadata_and_text(corpus_searcher):
    items = _items(corpus_searcher)
    rows = list(csv.DictReader(io.StringIO(to_csv(items).decode("utf-8-sig"))))
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        chunk = item.hit.chunk
        assert row["Källhänvisning"].startswith(f"{chunk.municipality} · {chunk.year}")
        assert row["Kommun"] == chunk.municipality
        assert row["Text"].replace("\r\n", "\n") == chunk.text
        assert row["PDF-sida"] == str(chunk.pages[0])


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_swedish_letters(corpus_searcher):
    data = to_csv(_items(corpus_searcher))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Härnösands kommun" in data.decode("utf-8-sig")


def test_a_cell_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(corpus_searcher):
    item = _items(corpus_searcher)[0]
    evil = ExportItem(replace(item.hit, chunk=replace(item.hit.chunk, text='=HYPERLINK("x")')))
    row = next(csv.DictReader(io.StringIO(to_csv([evil]).decode("utf-8-sig"))))
    assert row["Text"] == '\'=HYPERLINK("x")'
    sheet = load_workbook(io.BytesIO(to_xlsx([evil], ExportContext("Sök", "x", "hybrid"))))[
        "Träffar"
    ]
    text_column = [c.value for c in sheet[1]].index("Text")
    assert sheet.cell(row=2, column=text_column + 1).data_type == "s"


def test_excel_has_the_hits_and_what_was_searched(corpus_searcher):
    items = _items(corpus_searcher)
    context = ExportContext("Sök", "samverkan med regionen", "hybrid", "kommun: Härnösands kommun")
    workbook = load_workbook(io.BytesIO(to_xlsx(items, context)))
    sheet = workbook["Träffar"]
    header = [c.value for c in sheet[1]]
    citation = header.index("Källhänvisning")
    assert [row[citation] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        item.hit.citation()
        if not item.hit.chunk.case_number
        else f"{item.hit.citation()} · Dnr {item.hit.chunk.case_number}"
        for item in items
    ]
    about = dict(workbook["Om sökningen"].iter_rows(values_only=True))
    assert about["Fråga"] == "samverkan med regionen"
    assert about["Filter"] == "kommun: Härnösands kommun"


def test_markdown_groups_by_column_and_quotes_text_escaped(corpus_searcher):
    hits = corpus_searcher.search("uppföljning", k=2)
    items = [ExportItem(hit, group="Härnösands kommun") for hit in hits]
    items.append(
        ExportItem(
            replace(hits[0], chunk=replace(hits[0].chunk, text="<b>fet</b>")),
            group="Ragunda kommun",
        )
    )
    text = to_markdown(items, ExportContext("Jämför kommuner", "uppföljning", "hybrid"))
    assert text.index("## Härnösands kommun") < text.index("## Ragunda kommun")
    assert "> &lt;b&gt;fet&lt;/b&gt;" in text
    assert hits[0].citation() in text


def test_file_names_are_safe_and_readable():
    context = ExportContext("Sök", 'Brister i "kvalitetsledningssystemet"?/..', "hybrid")
    stem = file_stem(context)
    assert stem.startswith("revsok-brister-i-kvalitetsledningssystemet-")
    assert "/" not in stem and '"' not in stem


def test_markdown_keeps_a_hostile_title_as_text_where_the_file_is_rendered(corpus_searcher):
    from markdown_it import MarkdownIt

    planted = "**x** $y$ [l](javascript:z) <b>"
    hit = corpus_searcher.search("uppföljning", k=1)[0]
    chunk = replace(
        hit.chunk, title=planted, committee=planted, text=planted, source_file=f"`{planted}`.pdf"
    )
    text = to_markdown([ExportItem(replace(hit, chunk=chunk))], ExportContext("Sök", planted, "h"))
    rendered = MarkdownIt("commonmark").render(text)
    assert "<strong>" not in rendered and "<a " not in rendered
    # The only emphasis is the export's own: the heading path in italics.
    assert re.findall(r"<em>(.*?)</em>", rendered) == [html.escape(chunk.heading_path_text)]
    assert "<b>" not in rendered
    assert "\\$y\\$" in text  # no formula where a renderer reads $…$ as maths
    # Heading, quote and the source file all read as the characters the document has.
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert plain.count(planted) >= 4
    assert f"`{planted}`.pdf" in plain
