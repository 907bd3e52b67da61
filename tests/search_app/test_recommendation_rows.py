"""The Rekommendationer page's pure parts: URL state, filter values, rows, exports and HTML."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from index.models import Filters
from recommendations.filtering import recommendation_accepted
from recommendations.store import RecommendationHit, RecommendationStore
from search_app.core import recommendation_blocks as blocks
from search_app.core.exporting import ExportContext
from search_app.core.recommendation_exports import export_rows, to_csv, to_xlsx
from search_app.core.recommendations import (
    RecommendationState,
    listed,
    question_rows,
    recommendation_options,
    report_assessments,
    short_label,
    table_rows,
)

HARNOSAND = "Härnösands kommun"


@pytest.fixture(scope="module")
def store(corpus_index):
    return RecommendationStore.load(corpus_index)


def _current_quality(store):
    found = store.recommendations(
        Filters(municipalities=(HARNOSAND,), year_from=2021), earlier=False, topic="kvalitet"
    )
    return found[0]


# -- URL state ----------------------------------------------------------------------------------


def test_state_round_trips_through_the_url():
    state = RecommendationState(
        query="samverkan",
        filters=Filters(
            municipalities=("Piteå kommun", HARNOSAND),
            year_from=2020,
            year_to=2023,
            committees=("Socialnämnden",),
        ),
        topics=("uppföljning", "intern kontroll"),
        earlier="nej",
        selected="rek-0123456789ab",
    )
    assert RecommendationState.from_params(state.to_params()) == state


def test_defaults_stay_out_of_the_url_and_junk_is_ignored():
    assert RecommendationState().to_params() == {}
    state = RecommendationState.from_params(
        {"fran": "tjugo", "tidigare": "kanske", "kommun": ["", " Piteå kommun "], "q": "  "}
    )
    assert state == RecommendationState(filters=Filters(municipalities=("Piteå kommun",)))


def test_state_as_store_filters_and_in_words():
    state = RecommendationState(
        filters=Filters(municipalities=("Piteå kommun",), year_to=2022), earlier="ja"
    )
    assert state.store_filters() == {"filters": state.filters, "topic": None, "earlier": True}
    assert RecommendationState(earlier="nej").store_filters()["earlier"] is False
    assert RecommendationState().store_filters()["earlier"] is None
    assert state.describe() == "kommun: Piteå kommun; år: …–2022; bara tidigare"


def test_options_are_the_values_the_recommendations_have(store):
    options = recommendation_options(store.records.recommendations)
    assert options.municipalities == (
        HARNOSAND,
        "Karlshamns kommun",
        "Piteå kommun",
        "Ragunda kommun",
    )
    assert options.years[0] == 2019  # the earlier audit quoted by the follow-up
    # The Karlshamn recommendations are addressed to the renamed nämnd too, and it selects them.
    assert set(options.committees) == {
        "Kommunstyrelsen",
        "Socialnämnden",
        "Omsorgs- och arbetsmarknadsnämnden",
    }
    assert "samverkan med regionen" in options.topics
    assert "kompetens och bemanning" not in options.topics  # no recommendation has it


# -- the Sök page's filters -------------------------------------------------------------------


def test_the_search_pages_filters_apply_to_recommendations(store):
    filters = Filters(municipalities=("Ragunda kommun",), year_from=2022, audit_firms=("KPMG",))
    found = store.recommendations(filters)
    assert len(found) == 4 and all(recommendation_accepted(r, filters) for r in found)
    assert not store.recommendations(replace(filters, audit_firms=("EY",)))
    assert not store.recommendations(replace(filters, doc_types=("protokoll",)))
    assert store.recommendations(replace(filters, section_kinds=("sammanfattning",))) == found
    hits = store.search("uppföljningsresultat", filters=replace(filters, audit_firms=("EY",)))
    assert hits == [] and store.search("uppföljningsresultat", filters=filters)


# -- table and exports ------------------------------------------------------------------------


def test_table_rows_count_answers_and_follow_ups(store):
    rec = _current_quality(store)
    earlier = store.earlier_versions(rec.rec_id)[0]
    rows = table_rows(listed([rec, earlier]), store)
    assert rows[0]["Svar"] == len(store.answers_for(rec.rec_id)) >= 1
    assert rows[0]["Tidigare"] == "nej" and rows[1]["Tidigare"] == "ja"
    assert rows[1]["År"] == "2019"
    assert rows[1]["Uppföljning"] == len(store.follow_ups(earlier.rec_id)) >= 1
    assert rows[0]["Källhänvisning"].startswith(f"{HARNOSAND} · 2021 · Socialnämnden")
    assert "Poäng" not in rows[0]


def test_search_hits_keep_their_order_and_score(store):
    hits = store.search("budget i balans", k=3)
    items = listed(hits=hits)
    rows = table_rows(items, store)
    assert [r["Rekommendation"] for r in rows] == [h.recommendation.text for h in hits]
    assert rows[0]["Poäng"] == round(hits[0].score, 3)


def test_csv_export_holds_full_citations_and_the_answers(store):
    rec = _current_quality(store)
    items = listed([rec])
    rows = list(csv.DictReader(io.StringIO(to_csv(items, store).decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Källhänvisning"].startswith(f"{HARNOSAND} · 2021 · Socialnämnden")
    assert row["Rekommendation"] == rec.text
    assert row["Källfil"] == rec.source.source_file
    assert row["PDF-sidor"].split("; ")[0] == str(rec.locations[0].pages[0])
    answer = store.answers_for(rec.rec_id)[0].answer
    assert answer.citation() in row["Nämndens svar"]
    assert "2019: " in row["Tidigare versioner"]
    assert row["Rekommendations-id"] == rec.rec_id
    assert "Poäng" not in row


def test_a_cell_that_looks_like_a_formula_is_not_run(store):
    rec = replace(_current_quality(store), text='=HYPERLINK("x")')
    row = next(csv.DictReader(io.StringIO(to_csv(listed([rec]), store).decode("utf-8-sig"))))
    assert row["Rekommendation"] == '\'=HYPERLINK("x")'
    workbook = load_workbook(
        io.BytesIO(to_xlsx(listed([rec]), store, ExportContext("Rekommendationer", "", "")))
    )
    sheet = workbook["Rekommendationer"]
    column = [c.value for c in sheet[1]].index("Rekommendation") + 1
    assert sheet.cell(row=2, column=column).data_type == "s"


def test_excel_export_has_the_list_and_what_was_shown(store):
    hits = store.search("samverkan med regionen", k=4)
    context = ExportContext("Rekommendationer", "samverkan med regionen", "ord + betydelse", "x")
    workbook = load_workbook(io.BytesIO(to_xlsx(listed(hits=hits), store, context)))
    sheet = workbook["Rekommendationer"]
    header = [c.value for c in sheet[1]]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == len(hits)
    assert [v[header.index("Nr")] for v in values] == list(range(1, len(hits) + 1))
    assert values[0][header.index("Poäng")] == round(hits[0].score, 4)
    about = dict(workbook["Om sökningen"].iter_rows(values_only=True))
    assert about["Sida"] == "Rekommendationer"
    assert about["Fråga"] == "samverkan med regionen"
    assert export_rows(listed(hits=hits), store)[0]["Källhänvisning"] == values[0][1]


# -- verdicts -----------------------------------------------------------------------------------


def test_report_assessments_pair_verdicts_with_questions(store):
    found = report_assessments(store.verdicts(), store.question_answers())
    assert [a.source.municipality for a in found] == [
        HARNOSAND,
        "Karlshamns kommun",
        "Piteå kommun",
        "Ragunda kommun",
    ]
    karlshamn = [a for a in found if a.source.municipality == "Karlshamns kommun"]
    assert len(karlshamn) == 1 and karlshamn[0].verdict.level == "inte"
    assert len(karlshamn[0].questions) == 5
    rows = question_rows(karlshamn[0].questions)
    assert {r["Svar"] for r in rows} == {"Nej", "Delvis"}
    assert {r["Läst ur"] for r in rows} == {"svarstabell"}
    assert all(r["Källhänvisning"].startswith("Karlshamns kommun · 2023") for r in rows)


def test_report_assessments_filter_by_kommun_nämnd_and_år(store):
    args = (store.verdicts(), store.question_answers())
    assert [
        a.source.municipality
        for a in report_assessments(*args, Filters(municipalities=("Piteå kommun",)))
    ] == ["Piteå kommun"]
    assert [
        a.source.municipality
        for a in report_assessments(*args, Filters(committees=("kommunstyrelsen",)))
    ] == ["Ragunda kommun"]
    assert {a.source.year for a in report_assessments(*args, Filters(year_from=2023))} == {2023}
    assert report_assessments(*args, Filters(year_to=2020)) == []


def test_questions_read_from_the_bedömning_show_its_level():
    from recommendations import QuestionAnswer, Source

    source = Source("d", "x.pdf", "granskningsrapport", "K", 2023, None, None, None, None)
    qa = QuestionAnswer("q", "Fråga?", "Vi bedömer att …", None, "", "bedömning", source, None)
    row = question_rows([qa, replace(qa, level="delvis")])
    assert [r["Svar"] for r in row] == ["se bedömningen", "delvis"]
    assert row[0]["Underlag"] == "Vi bedömer att …"


# -- HTML -------------------------------------------------------------------------------------


def test_passage_is_escaped_and_marks_the_recommendation_across_line_breaks():
    text = "<b>Vi</b> rekommenderar att\nfölja upp och säker-\nställa arbetet & mer"
    html = blocks.passage(text, "Följa upp och säker ställa arbetet")
    assert "&lt;b&gt;Vi&lt;/b&gt;" in html
    assert "<mark>följa upp och säker-\nställa arbetet</mark>" in html
    assert "&amp; mer" in html
    assert "<mark>" not in blocks.passage(text, "finns inte här")


def test_blocks_escape_records_and_link_to_pdf_pages(store):
    rec = _current_quality(store)
    evil = replace(rec, text='<script>alert("x")</script>', topics=("<i>ämne</i>",))
    card = blocks.recommendation_card(evil)
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "&lt;i&gt;ämne&lt;/i&gt;" in card
    line = blocks.location_line(rec.locations[0], "abc.pdf")
    assert f'href="app/static/pdf/abc.pdf#page={rec.locations[0].pages[0]}"' in line
    assert "Öppna PDF" not in blocks.location_line(rec.locations[0], None)
    hit = RecommendationHit(evil, 1, 1.0, 1.0, None)
    block = blocks.search_page_block([hit], ["<b>citat</b>"])
    assert "<script>" not in block and "&lt;b&gt;citat&lt;/b&gt;" in block
    assert f'href="rekommendationer?rek={rec.rec_id}"' in block


def test_short_label():
    from recommendations import Recommendation, Source

    source = Source(
        "d", "x.pdf", "granskningsrapport", "Piteå kommun", 2023, None, None, None, None
    )
    rec = Recommendation("rek-1", "ord " * 40, None, None, (), source, ())
    label = short_label(rec, limit=20)
    assert label.startswith("Piteå kommun 2023 · ord") and label.endswith(" …")
