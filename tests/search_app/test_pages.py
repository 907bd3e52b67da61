"""Every page runs headless (Streamlit's AppTest) against the indexed sample corpus."""

from __future__ import annotations

import html
import re

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from eval.evalset import DEFAULT_SET
from tests.search_app.apptest_pages import html_text, param, run_page


def citations(app: AppTest) -> list[str]:
    return [block.value for block in app.code]


def test_search_page_empty_state_tells_what_to_do(app_env):
    app = run_page("search.py")
    assert "Skriv en fråga" in app.info[0].value
    assert not citations(app)


def test_search_answers_with_cited_passages_and_a_numbered_answer(app_env):
    app = run_page("search.py", q="rekommendationer om samverkan med regionen")
    cited = citations(app)
    assert len(cited) == 10
    assert all(" · " in c and c.split(" · ")[1].isdigit() for c in cited)
    body = html_text(app)
    assert "Svar ur källorna" in body
    assert 'href="#traff-1"' in body or 'href="#traff-2"' in body
    assert "<mark>" in body  # query terms are marked in the passages
    assert "Träffar per kommun" in body and "Träffar per år" in body
    assert any("ms" in caption.value for caption in app.caption)


def test_search_filter_from_url_restricts_to_that_municipality(app_env):
    app = run_page("search.py", q="uppföljning", kommun="Piteå kommun")
    assert app.sidebar.multiselect[0].value == ["Piteå kommun"]
    cited = citations(app)
    assert cited and all(c.startswith("Piteå kommun ·") for c in cited)


def test_search_writes_its_state_into_the_url(app_env):
    app = run_page("search.py")
    app.text_input[0].input("intern kontroll").run()
    app.sidebar.multiselect[0].select("Härnösands kommun").run()
    assert param(app, "q") == ["intern kontroll"]
    assert param(app, "kommun") == ["Härnösands kommun"]


def test_search_without_hits_says_which_filters_to_loosen(app_env):
    app = run_page("search.py", q="kvalitetsledningssystem", kommun="Ragunda kommun", fran="2023")
    assert not citations(app)
    assert "Inga träffar" in app.warning[0].value
    assert "Ragunda kommun" in app.warning[0].value


def test_document_text_is_escaped_never_rendered(app_env):
    app = run_page("search.py", q="socialnämnden")
    body = html_text(app)
    # Passages hold "<" and ">" only as text; the only tags are the ones the app makes.
    tags = set(re.findall(r"</?([a-zA-Z]+)", body))
    assert tags <= {"div", "span", "mark", "a", "p", "style", "details", "summary"}


def test_every_result_list_offers_the_three_exports(app_env):
    app = run_page("search.py", q="patientsäkerhetsberättelse")
    labels = {b.proto.label for b in app.get("download_button")}
    # What the files hold is tested on real hits in test_exporting.py and in the browser.
    assert labels == {"Exportera CSV", "Exportera Excel", "Exportera Markdown"}


def test_compare_page_shows_one_column_per_municipality(app_env):
    app = run_page(
        "compare.py",
        q="uppföljning av insatser",
        kommun=["Härnösands kommun", "Ragunda kommun"],
    )
    body = html_text(app)
    assert body.count('class="rs-colhead"') == 2
    cited = citations(app)
    assert any(c.startswith("Härnösands kommun") for c in cited)
    assert any(c.startswith("Ragunda kommun") for c in cited)
    assert all(c.startswith(("Härnösands kommun", "Ragunda kommun")) for c in cited)


def test_compare_page_asks_for_two_municipalities(app_env):
    app = run_page("compare.py", q="uppföljning", kommun="Piteå kommun")
    assert "Välj två" in app.info[0].value


def test_over_time_page_charts_hits_per_year(app_env):
    app = run_page("over_time.py", q="ekonomi i balans")
    assert app.get("vega_lite_chart")
    years = [h.value for h in app.subheader if h.value[:4].isdigit()]
    assert years and years == sorted(years, reverse=True)
    assert citations(app)


def test_documents_page_lists_every_indexed_document(app_env, corpus_searcher):
    app = run_page("documents.py")
    table = app.dataframe[0].value
    assert len(table) == len(corpus_searcher.documents)
    assert {"Kommun", "År", "Nämnd", "Typ", "Titel", "Passager", "Varningar"} <= set(table.columns)
    assert table["Passager"].sum() == len(corpus_searcher.chunks)
    assert app.get("file_uploader")


def test_evaluation_page_runs_the_eval_set_for_one_mode(app_env):
    app = run_page("evaluation.py")
    app.multiselect[0].set_value(["bm25"]).run()
    app.button[0].click().run()
    assert not app.exception
    metrics = app.dataframe[0].value
    assert list(metrics.columns) == ["Träff@10", "Recall@5", "Recall@10", "MRR@10", "nDCG@10"]
    assert 0.3 < metrics.iloc[0]["MRR@10"] <= 1.0
    assert app.get("vega_lite_chart")
    # Per query type, with Swedish headers (not the report's keys "queries", "recall@5", …).
    types = app.dataframe[1].value
    assert types.index.name == "Frågetyp"
    assert list(types.columns) == ["Frågor", *metrics.columns]
    asked = next(int(c.value.split()[0]) for c in app.caption if "frågor · embedder" in c.value)
    assert types["Frågor"].sum() == asked


def test_evaluation_page_saves_judgments_into_the_users_own_set(app_env):
    from search_app.core.judgments import load_user_set, user_set_path

    app = run_page("evaluation.py")
    app.text_input(key="judge-q").input("ej verkställda beslut").run()
    controls = app.get("button_group")
    assert len(controls) == 10
    controls[0].set_value("relevant").run()
    app.get("button_group")[1].set_value("delvis").run()
    save = next(b for b in app.button if b.label == "Spara bedömningarna")
    save.click().run()
    assert "egen-001" in app.success[0].value
    saved = load_user_set(user_set_path(app_env))
    assert len(saved) == 1
    assert saved[0].query == "ej verkställda beslut"
    assert sorted(j.grade for j in saved[0].judgments) == [1, 2]


# ------------------------------------------------- what the search read out of the query (chips)

CHIP_QUERY = "Ragunda missbruk 2022"
RAGUNDA_KEY = "kommun:Ragunda kommun"


def chips(app: AppTest) -> list[str]:
    return re.findall(r'<span class="rs-qchip"[^>]*>([^<]*)</span>', html_text(app))


def test_search_shows_the_kommun_and_year_it_read_from_the_query_as_chips(app_env):
    app = run_page("search.py", q=CHIP_QUERY)
    assert chips(app) == ["Kommun: Ragunda kommun", "År: 2022"]
    assert any("väger in i rangordningen, filtrerar inte" in c.value for c in app.caption)
    # Ranked, not filtered: the kommun the query names comes first, others may follow.
    assert citations(app)[0].startswith("Ragunda kommun · 2022")


def test_removing_a_chip_searches_without_it_and_puts_it_in_the_url(app_env):
    app = run_page("search.py", q=CHIP_QUERY)
    app.button(key=f"sok-ta-bort-{RAGUNDA_KEY}").click().run()
    assert not app.exception
    assert chips(app) == ["År: 2022"]
    assert param(app, "ignorera") == [RAGUNDA_KEY]
    assert app.session_state["sok-ignorera"] == [RAGUNDA_KEY]
    assert param(app, "q") == [CHIP_QUERY]
    # It survives a rerun, and the link alone brings back the same search.
    app.run()
    assert chips(app) == ["År: 2022"]
    shared = run_page("search.py", q=CHIP_QUERY, ignorera=RAGUNDA_KEY)
    assert chips(shared) == ["År: 2022"]
    assert citations(shared) == citations(app)
    # "Ta tillbaka" brings the part back.
    next(b for b in app.button if b.label.startswith("Ta tillbaka")).click().run()
    assert chips(app) == ["Kommun: Ragunda kommun", "År: 2022"]
    assert param(app, "ignorera") == []


def test_a_new_query_starts_with_every_part_in_use(app_env):
    app = run_page("search.py", q=CHIP_QUERY, ignorera=RAGUNDA_KEY)
    app.text_input[0].input("Ragunda missbruk 2021").run()
    assert chips(app) == ["Kommun: Ragunda kommun", "År: 2021"]
    assert param(app, "ignorera") == []


def test_making_a_chip_a_filter_sets_the_sidebar_filter_and_the_chip_goes(app_env):
    app = run_page("search.py", q=CHIP_QUERY)
    app.button(key=f"sok-filtrera-{RAGUNDA_KEY}").click().run()
    assert not app.exception
    assert app.sidebar.multiselect[0].value == ["Ragunda kommun"]
    assert param(app, "kommun") == ["Ragunda kommun"]
    assert chips(app) == ["År: 2022"]
    cited = citations(app)
    assert cited and all(c.startswith("Ragunda kommun ·") for c in cited)

    app.button(key="sok-filtrera-år:2022").click().run()
    assert app.sidebar.slider[0].value == (2022, 2022)
    assert param(app, "fran") == ["2022"] and param(app, "till") == ["2022"]
    assert chips(app) == []
    assert all(c.startswith("Ragunda kommun · 2022 ·") for c in citations(app))


def test_search_says_so_when_every_hit_is_weak(all_hits_weak):
    app = run_page("search.py", q="rekommendationer om samverkan med regionen")
    body = html_text(app)
    assert body.count("svag träff") == len(citations(app)) > 0
    assert any("Ingen bra träff" in info.value for info in app.info)
    assert "Svar ur källorna" not in body  # weak passages are not quoted as an answer


def test_a_clearly_answered_query_is_not_weak_at_the_shipped_threshold(app_env):
    from search_app.ui import resources

    assert resources.searcher().ranking.weak_below > 0  # calibrated on dev, shipped on
    app = run_page("search.py", q="rekommendationer om samverkan med regionen")
    assert not any("Ingen bra träff" in info.value for info in app.info)
    assert html_text(app).count("svag träff") < len(citations(app))


def test_compare_says_no_good_match_in_a_column_of_weak_hits(all_hits_weak):
    app = run_page(
        "compare.py",
        q="uppföljning av insatser",
        kommun=["Härnösands kommun", "Ragunda kommun"],
    )
    body = html_text(app)
    assert "Ingen bra träff i Härnösands kommun" in body
    assert "Ingen bra träff i Ragunda kommun" in body
    hidden = [e for e in app.expander if e.label == "Visa svaga träffar ändå"]
    assert len(hidden) == 2
    # The weak passages are there, marked, only inside the collapsed expanders.
    assert all(not e.proto.expanded for e in hidden)
    assert all(block.value for e in hidden for block in e.code)
    assert body.count("svag träff") == len(citations(app))


def test_over_time_marks_weak_hits(all_hits_weak):
    app = run_page("over_time.py", q="ekonomi i balans")
    assert html_text(app).count("svag träff") == len(citations(app)) > 0


def test_a_passage_quoted_elsewhere_says_where(app_env, corpus_searcher):
    for query in ("rekommendationer om samverkan med regionen", "socialnämnden", CHIP_QUERY):
        places = [place for hit in corpus_searcher.search(query, k=10) for place in hit.also_in()]
        if places:
            break
    assert places, "no query of the sample corpus folds a copy from another place"
    body = html_text(run_page("search.py", q=query))
    assert "Även i:" in body
    assert all(html.escape(place) in body for place in places)


def test_over_time_and_compare_have_the_same_chips(app_env):
    app = run_page("over_time.py", q="Ragunda ekonomi i balans")
    assert chips(app) == ["Kommun: Ragunda kommun"]
    app.button(key=f"tid-ta-bort-{RAGUNDA_KEY}").click().run()
    assert chips(app) == [] and param(app, "ignorera") == [RAGUNDA_KEY]
    assert citations(app)

    # On Jämför a kommun already compared is covered by its column: only the year is a chip.
    app = run_page("compare.py", q=CHIP_QUERY, kommun=["Härnösands kommun", "Ragunda kommun"])
    assert chips(app) == ["År: 2022"]


def test_a_saved_judgment_shows_in_the_users_own_questions_at_once(app_env):
    """The question just saved is listed, and its set can be chosen, in the run the save
    button starts: no reload needed."""
    app = run_page("evaluation.py")
    assert app.radio[0].options == [f"Standardmängden ({DEFAULT_SET.name})"]
    app.text_input(key="judge-q").input("ej verkställda beslut").run()
    app.get("button_group")[0].set_value("relevant").run()
    next(b for b in app.button if b.label == "Spara bedömningarna").click().run()
    assert not app.exception
    assert "egen-001" in app.success[0].value
    assert any(option.startswith("Egna bedömda frågor") for option in app.radio[0].options)
    own = next(e for e in app.expander if e.label.startswith("Egna bedömda frågor"))
    assert own.label == "Egna bedömda frågor (1)"
    assert own.dataframe[0].value["Fråga"].tolist() == ["ej verkställda beslut"]
    # The box is empty again, ready for the next question.
    assert app.text_input(key="judge-q").value == ""


def test_cards_show_a_window_and_the_answer_says_where_else_it_stands(app_env):
    app = run_page("search.py", q="samverkan gentemot regionen behöver stärkas")
    body = html_text(app)
    # Long passages show the window with the query words; the whole passage is one click away.
    assert 'class="rs-text rs-window"' in body and "Visa hela passagen" in body
    assert body.count('class="rs-text rs-full"') == len(citations(app))
    # The report's sentence is quoted once, with where else (the meeting packet) it stands.
    answer = body.split('class="rs-answer"', 1)[1].split('class="rs-answer-note"', 1)[0]
    assert answer.count("samverkan gentemot regionen") == 1
    assert '<span class="rs-answer-also">(även i: ' in answer
