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


def test_filters_read_names_as_search_does(corpus_index, capsys):
    base = ["recommendations", "--index", str(corpus_index), "--json"]
    # A nämnd the recommendations are addressed to, typed in its genitive, in ASCII option form.
    assert main([*base, "--namnd", "omsorgs- och arbetsmarknadsnämndens"]) == 0
    addressed = json.loads(capsys.readouterr().out)
    assert len(addressed) == 5
    assert {p["source"]["municipality"] for p in addressed} == {"Karlshamns kommun"}
    assert main([*base, "--kommun", "Karlshamns"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= len(addressed)
    # A name no recommendation has is an error that lists the nämnder there are.
    assert main([*base, "--nämnd", "tekniska nämnden"]) == 2
    assert "nämnder med rekommendationer: " in capsys.readouterr().err


def test_verdicts_follow_the_kommun_and_the_years(corpus_index, capsys):
    base = ["recommendations", "--index", str(corpus_index), "--verdicts", "--json"]
    assert main(base) == 0
    every = json.loads(capsys.readouterr().out)
    assert main([*base, "--kommun", "Ragunda", "--from", "2022"]) == 0
    ragunda = json.loads(capsys.readouterr().out)
    assert ragunda and len(ragunda) < len(every)
    assert all(v["source"]["municipality"] == "Ragunda kommun" for v in ragunda)
    assert all(v["source"]["year"] >= 2022 for v in ragunda)
