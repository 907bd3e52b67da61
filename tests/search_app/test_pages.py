"""Every page runs headless (Streamlit's AppTest) against the indexed sample corpus."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

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
    assert tags <= {"div", "span", "mark", "a", "p", "style"}


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
    assert list(metrics.columns) == ["Recall@5", "Recall@10", "MRR@10", "nDCG@10"]
    assert 0.3 < metrics.iloc[0]["MRR@10"] <= 1.0
    assert app.get("vega_lite_chart")


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
