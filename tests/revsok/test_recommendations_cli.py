"""``revsok recommendations`` over the session's corpus index, called as a user would."""

import json

from revsok.cli import main


def test_lists_recommendations_with_links(corpus_index, capsys):
    assert main(["recommendations", "--index", str(corpus_index), "--kommun", "Härnösand"]) == 0
    out = capsys.readouterr().out
    assert (
        "Härnösands kommun · 2021 · Socialnämnden · Uppföljande granskning av insatser för vuxna "
        "(KPMG) · avsnitt 1 Sammanfattning, 4.1.1 Bedömning, 5 Slutsats och rekommendationer" in out
    )
    assert "(se avsnitt 3.2)" in out
    assert out.count("tidigare (2019)") == 5
    assert "Svar från nämnden" in out and "Uppföljningens bedömning" in out
    assert "Ämnen: kvalitetsledningssystem" in out


def test_filters_and_json(corpus_index, capsys):
    argv = ["recommendations", "--index", str(corpus_index), "--topic", "samverkan"]
    assert main([*argv, "--from", "2020", "--to", "2024", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {p["source"]["municipality"] for p in payload} == {
        "Härnösands kommun",
        "Karlshamns kommun",
    }
    assert all(p["year"] >= 2020 for p in payload)
    assert any(p["answers"] for p in payload)


def test_query_ranks_recommendations(corpus_index, capsys):
    argv = ["recommendations", "--index", str(corpus_index), "--query", "intern kontroll"]
    assert main([*argv, "--k", "1"]) == 0
    out = capsys.readouterr().out
    assert "Förstärka arbetet med intern kontroll" in out
    assert "1 rekommendationer" in out


def test_verdicts(corpus_index, capsys):
    assert main(["recommendations", "--index", str(corpus_index), "--verdicts"]) == 0
    out = capsys.readouterr().out
    assert "Sammanfattande bedömning: till viss del" in out
    assert "Sammanfattande bedömning: i huvudsak" in out
    assert "Sammanfattande bedömning: delvis" in out
    assert "Sammanfattande bedömning: inte" in out
    assert "Har nämnden säkerställt en ändamålsenlig samverkan" in out and "Svar: Nej" in out
    # A question without a graded answer says "–", not "se bedömningen"; -v adds the bedömning.
    assert "Svar: –" in out and "se bedömningen" not in out and "     Bedömning: " not in out
    assert main(["-v", "recommendations", "--index", str(corpus_index), "--verdicts"]) == 0
    assert "     Bedömning: " in capsys.readouterr().out


def test_unknown_topic_is_a_clear_error(corpus_index, capsys):
    argv = ["recommendations", "--index", str(corpus_index), "--topic", "fotboll"]
    assert main(argv) == 2
    assert "okänt ämne: fotboll" in capsys.readouterr().err
