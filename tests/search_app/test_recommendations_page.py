"""The Rekommendationer page and the Sök page's recommendation block, headless on the corpus."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from index.models import Filters
from recommendations.store import RecommendationStore
from tests.search_app.apptest_pages import html_text, param, run_page

KARLSHAMN = "Karlshamns kommun"
HARNOSAND = "Härnösands kommun"


@pytest.fixture(scope="module")
def store(corpus_index):
    return RecommendationStore.load(corpus_index)


def table(app: AppTest):
    return app.dataframe[0].value


def choose(app: AppTest, rec_id: str) -> AppTest:
    app.selectbox(key="rek-valj").set_value(rec_id).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _one(store, kommun: str, year_from: int | None = None, **kwargs):
    found = store.recommendations(Filters(municipalities=(kommun,), year_from=year_from), **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_page_lists_every_recommendation(app_env, store):
    app = run_page("recommendations.py")
    rows = table(app)
    assert len(rows) == len(store.records.recommendations) > 0
    assert list(rows.columns) == [
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
    ]
    assert set(rows["Tidigare"]) == {"ja", "nej"}
    pairs = zip(rows["Kommun"], rows["Källhänvisning"], strict=True)
    assert all(citation.startswith(f"{kommun} · ") for kommun, citation in pairs)
    labels = {b.proto.label for b in app.get("download_button")}
    assert labels == {"Exportera CSV", "Exportera Excel"}


def test_kommun_filter_from_the_url(app_env):
    app = run_page("recommendations.py", kommun=KARLSHAMN)
    assert app.sidebar.multiselect[0].value == [KARLSHAMN]
    rows = table(app)
    assert len(rows) == 5
    assert set(rows["Kommun"]) == {KARLSHAMN}
    assert set(rows["Tidigare"]) == {"nej"}


def test_filters_are_written_into_the_url(app_env):
    app = run_page("recommendations.py")
    app.sidebar.multiselect[0].select(HARNOSAND).run()
    app.sidebar.radio[0].set_value("ja").run()
    assert param(app, "kommun") == [HARNOSAND]
    assert param(app, "tidigare") == ["ja"]
    rows = table(app)
    assert len(rows) == 5 and set(rows["Tidigare"]) == {"ja"}
    assert set(rows["År"]) == {"2019"}  # the earlier audit's year, not the follow-up's


def test_topic_filter(app_env, store):
    app = run_page("recommendations.py", amne="samverkan med regionen")
    rows = table(app)
    assert len(rows) == len(store.recommendations(topic="samverkan med regionen")) >= 2
    assert all("samverkan med regionen" in topics for topics in rows["Ämnen"])


def test_year_range_and_nämnd(app_env):
    app = run_page("recommendations.py", fran="2022", namnd="Kommunstyrelsen")
    rows = table(app)
    assert len(rows) == 4
    assert set(rows["Kommun"]) == {"Ragunda kommun"}


def test_query_ranks_the_recommendation_about_the_region_first(app_env):
    # Not the recommendation's own words: "samarbetet" for "samverkan", and a judgement.
    app = run_page("recommendations.py", q="samarbetet med regionen fungerar dåligt")
    rows = table(app)
    assert "samverkan med regionen" in rows.iloc[0]["Rekommendation"]
    assert "Poäng" in rows.columns
    assert list(rows["Poäng"]) == sorted(rows["Poäng"], reverse=True)


def test_query_finds_a_recommendation_by_meaning_alone(app_env):
    app = run_page("recommendations.py", q="rapportera till politikerna")
    rows = table(app)
    assert "rapportering till politisk nivå" in rows.iloc[0]["Rekommendation"]


def test_selecting_a_recommendation_shows_source_answer_and_earlier_version(app_env, store):
    rec = _one(store, HARNOSAND, year_from=2021, earlier=False, topic="kvalitet")
    app = run_page("recommendations.py")
    choose(app, rec.rec_id)
    assert param(app, "rek") == [rec.rec_id]
    assert app.code[0].value.startswith(f"{HARNOSAND} · 2021 · Socialnämnden")
    body = html_text(app)
    # The source passages, escaped, with the recommendation marked, and their PDF pages.
    assert "<mark>följa upp och säkerställa arbetet med kvalitetsledningssystemet</mark>" in body
    for location in rec.locations:
        assert f"#page={location.pages[0]}" in body
    # The nämnd's decision in the March 2022 packet answers it, with a link to its page.
    answers = store.answers_for(rec.rec_id)
    packet = answers[0].answer
    assert packet.source.year == 2022
    assert packet.citation() in body
    assert f"#page={packet.location.pages[0]}" in body
    assert "Tidigare rekommendation (2019)" in body


def test_an_earlier_recommendation_shows_the_follow_up_and_opens_the_new_one(app_env, store):
    earlier = _one(store, kommun=HARNOSAND, earlier=True, topic="samverkan med regionen")
    app = run_page("recommendations.py", rek=earlier.rec_id)
    assert app.selectbox(key="rek-valj").value == earlier.rec_id
    body = html_text(app)
    assert "Uppföljningens bedömning" in body
    assert "samverkansproblematik med regionen" in body
    assert "Uppföljs av" in body
    follow = next(b for b in app.button if b.label == "Öppna den rekommendationen")
    follow.click().run()
    current = store.recommendations(
        Filters(municipalities=(HARNOSAND,)), earlier=False, topic="samverkan med regionen"
    )
    assert app.selectbox(key="rek-valj").value == current[0].rec_id
    assert param(app, "rek") == [current[0].rec_id]


def test_a_recommendation_quoted_in_a_packet_links_the_nämnds_own_answer(app_env, store):
    rec = _one(store, kommun=HARNOSAND, topic="intern kontroll")
    app = run_page("recommendations.py", rek=rec.rec_id)
    body = html_text(app)
    assert "citerad i handling" in body
    assert "kopplat via citat av rekommendationen" in body
    assert "Socialnämndens svar på" in body


def test_verdicts_per_report(app_env):
    app = run_page("recommendations.py")
    overview = app.dataframe[1].value
    karlshamn = overview[overview["Kommun"] == KARLSHAMN]
    assert list(karlshamn["Bedömning"]) == ["inte"]
    assert '<span class="rs-chip rs-level">inte</span>' in html_text(app)
    questions = [
        d.value for d in app.dataframe[2:] if "Revisionsfråga" in d.value.columns and len(d.value)
    ]
    answers = {a for q in questions for a in q["Svar"]}
    assert {"Nej", "Delvis"} <= answers  # Karlshamn's Ja/Delvis/Nej table


def test_verdicts_follow_the_kommun_filter(app_env):
    app = run_page("recommendations.py", kommun=KARLSHAMN)
    overview = app.dataframe[1].value
    assert list(overview["Kommun"]) == [KARLSHAMN]


def test_no_match_says_which_filters_to_loosen(app_env):
    app = run_page("recommendations.py", kommun="Ragunda kommun", amne="ekonomi i balans")
    assert "Inga rekommendationer med filtren" in app.warning[0].value
    assert "Ragunda kommun" in app.warning[0].value
    assert not app.get("download_button")


def test_a_query_without_matches_says_so(app_env):
    app = run_page("recommendations.py", kommun=KARLSHAMN, q="parkeringsavgifter")
    assert "matchar ”parkeringsavgifter”" in app.warning[0].value


def test_an_index_without_recommendations_says_where_they_come_from(app_env, monkeypatch):
    from recommendations import RecordSet
    from search_app.ui import resources

    monkeypatch.setattr(
        resources, "recommendations", lambda searcher: RecommendationStore(RecordSet())
    )
    app = run_page("recommendations.py")
    assert "inga rekommendationer" in app.info[0].value
    assert not app.dataframe


def test_document_text_on_the_page_is_escaped(app_env, store):
    rec = store.records.recommendations[0]
    app = run_page("recommendations.py", rek=rec.rec_id)
    tags = set(re.findall(r"</?([a-zA-Z]+)", html_text(app)))
    assert tags <= {"div", "span", "mark", "a", "p", "style"}


# -- the Sök page ------------------------------------------------------------------------------


def test_search_page_shows_recommendations_when_the_question_asks_for_them(app_env, store):
    app = run_page("search.py", q="vilka rekommendationer gavs om samverkan med regionen")
    body = html_text(app)
    assert 'class="rs-answer rs-recs"' in body
    assert body.index("rs-recs") < body.index("Svar ur källorna")  # above answer and passages
    block = body[body.index("rs-recs") : body.index("Svar ur källorna")]
    first = re.search(r"rekommendationer\?rek=(rek-[0-9a-f]+)", block).group(1)
    assert "samverkan med regionen" in store.records.recommendation(first).text
    assert "[R1]" in block and "[R6]" not in block
    assert f"{HARNOSAND} · 2021 · Socialnämnden" in block
    assert len(app.code) == 10  # the passages are all still there


def test_search_page_recommendations_follow_its_filters(app_env):
    app = run_page("search.py", q="rekommendationer om uppföljning", kommun="Piteå kommun")
    body = html_text(app)
    block = body[body.index("rs-recs") : body.index("Svar ur källorna")]
    citations = re.findall(r'<div class="rs-path">([^<]*) · <a ', block)
    assert citations and all(c.startswith("Piteå kommun · ") for c in citations)


def test_search_page_has_no_recommendation_block_for_other_questions(app_env):
    app = run_page("search.py", q="samverkan med regionen")
    assert "rs-recs" not in html_text(app)
    assert len(app.code) == 10


def test_an_unknown_recommendation_in_the_url_is_ignored(app_env):
    app = run_page("recommendations.py", rek="rek-000000000000")
    assert app.selectbox(key="rek-valj").value is None
    assert "rek" not in app.query_params
    assert not app.code
