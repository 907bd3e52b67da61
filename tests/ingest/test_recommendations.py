"""Recommendations, verdicts and answers on the sample corpus: the known answers of issue 6."""

from __future__ import annotations

import pytest

from recommendations import extract_records


@pytest.fixture(scope="module")
def records(corpus_result):
    return extract_records(corpus_result.documents, corpus_result.chunks)


def _recs(records, kommun, *, earlier=False, origin="rapport"):
    return [
        r
        for r in records.recommendations
        if r.source.municipality.startswith(kommun) and r.earlier == earlier and r.origin == origin
    ]


def _one(items, words):
    found = [r for r in items if all(w in r.text.casefold() for w in words)]
    assert len(found) == 1, (words, [r.text for r in items])
    return found[0]


def test_recommendation_counts_per_report(records):
    assert len(_recs(records, "Härnösand")) == 2
    assert len(_recs(records, "Ragunda")) == 4
    assert len(_recs(records, "Karlshamn")) == 5
    assert len(_recs(records, "Piteå")) == 4


def test_followup_quotes_five_earlier_recommendations_from_2019(records):
    earlier = _recs(records, "Härnösand", earlier=True)
    assert len(earlier) == 5
    assert {r.earlier_year for r in earlier} == {2019}
    assert all(r.year == 2019 and r.source.year == 2021 for r in earlier)
    assert all(r.locations[0].section_number == "3" for r in earlier)
    _one(earlier, ["standardiserad utredningsmetodik"])
    # Earlier ones are never merged into the follow-up's own recommendation of the same words.
    current = _one(_recs(records, "Härnösand"), ["kvalitetsledningssystemet"])
    assert not current.earlier


def test_nämnd_and_cited_sections(records):
    harnosand = _recs(records, "Härnösand")
    assert {r.committee for r in harnosand} == {"Socialnämnden"}
    assert [r.cited_sections for r in harnosand] == [("3.2",), ("3.3",)]
    ragunda = _recs(records, "Ragunda")
    assert {r.committee for r in ragunda} == {"Kommunstyrelsen"}
    assert [r.cited_sections for r in ragunda] == [("3.2",), ("3.2", "3.3"), ("3.5",), ("3.5",)]
    pitea = _recs(records, "Piteå")
    assert {r.committee for r in pitea} == {"Socialnämnden"}
    assert [r.cited_sections for r in pitea] == [("4.2.1",), ("4.3.1",), ("4.4.2",), ("4.4.2",)]
    karlshamn = _recs(records, "Karlshamn")
    assert {r.committee for r in karlshamn} == {"Socialnämnden"}
    assert all("omsorgs- och arbetsmarknadsnämnden" in r.addressee for r in karlshamn)


def test_summary_and_conclusion_copies_are_one_record(records):
    for kommun in ("Härnösand", "Ragunda", "Karlshamn", "Piteå"):
        for rec in _recs(records, kommun):
            kinds = {loc.section_kind for loc in rec.locations}
            assert {"sammanfattning", "slutsats/rekommendationer"} <= kinds, rec.text
            assert rec.pages
    # The bedömning sentence "Vi rekommenderar att socialnämnden följer upp …" is a third copy.
    quality = _one(_recs(records, "Härnösand"), ["kvalitetsledningssystemet"])
    assert [loc.section_number for loc in quality.locations] == ["1", "4.1.1", "5"]
    assert quality.text == "Följa upp och säkerställa arbetet med kvalitetsledningssystemet"


def test_record_carries_citation_metadata(records):
    rec = _one(_recs(records, "Ragunda"), ["politisk nivå"])
    assert rec.source.year == 2022
    assert rec.source.audit_firm == "KPMG"
    assert rec.source.title == "Granskning av missbruksvård"
    assert rec.locations[-1].section_title == "Slutsats och rekommendationer"
    assert rec.citation().startswith("Ragunda kommun · 2022 · Kommunstyrelsen")


def test_overall_verdicts(records):
    levels = {v.source.municipality.split()[0]: v.level for v in records.verdicts}
    assert levels == {
        "Härnösands": "till viss del",
        "Ragunda": "i huvudsak",
        "Karlshamns": "inte",
        "Piteå": "delvis",
    }


def test_karlshamn_table_answers_each_revisionsfråga(records):
    answers = {
        q.question: q.level
        for q in records.question_answers
        if q.source.municipality.startswith("Karlshamn")
    }
    assert answers == {
        "Vad ligger till grund för utformningen av de öppenvårdsinsatser som erbjuds?": "delvis",
        "Utgår insatserna från tillgänglig och aktuell kunskap inom området?": "delvis",
        "Är centrala arbetsprocesser och rutiner avseende öppenvårdsinsatser identifierade, "
        "dokumenterade och fastställda?": "nej",
        "Har nämnden säkerställt en ändamålsenlig samverkan avseende öppenvårdsinsatser?": "nej",
        "Har nämnden säkerställt en tillräcklig uppföljning av öppenvårdsinsatsernas resultat?": (
            "nej"
        ),
    }
    assert all(
        q.method == "tabell"
        for q in records.question_answers
        if q.source.municipality[:5] == "Karls"
    )


def test_reports_without_table_answer_questions_from_bedömning(records):
    ragunda = [q for q in records.question_answers if q.source.municipality.startswith("Ragunda")]
    assert len(ragunda) == 7 and all(q.method == "bedömning" for q in ragunda)
    samverkan = next(q for q in ragunda if q.question.startswith("Finns en fungerande samverkan"))
    assert samverkan.level == "i huvudsak"
    assert samverkan.location.section_kind == "bedömning"


def _answers_to(records, rec):
    return [
        records.answer(link.source_id)
        for link in records.links_to(rec.rec_id)
        if link.kind == "svar"
    ]


def test_packet_answers_to_grundläggande_granskning(records):
    quoted = _recs(records, "Härnösand", origin="handling")
    for words in (["målstyrning"], ["budget i balans"], ["intern kontroll"]):
        rec = _one(quoted, words)
        assert rec.source.year == 2022 and rec.committee == "Socialnämnden"
        answers = _answers_to(records, rec)
        own = [a for a in answers if a.kind == "svar"]
        assert len(own) == 1, rec.text
        assert own[0].quoted == rec.text
        assert own[0].location.pages  # cited with its page
        # The tjänsteskrivelse adopting the yttrande answers the same audit, by its title.
        assert any(
            a.kind == "beslut" and "Grundläggande granskning" in a.audit_title for a in answers
        )
    budget = _one(quoted, ["budget i balans"])
    assert "hemtjänsten" in _answers_to(records, budget)[0].text


def test_packet_item_on_followup_links_to_the_2021_report(records):
    current = _recs(records, "Härnösand")
    for rec in current:
        answers = [a for a in _answers_to(records, rec) if a.source.year == 2022]
        assert len(answers) == 1, rec.text
        assert "uppföljande granskning av insatser för vuxna" in answers[0].source.title.casefold()
    # and not to the 2019 recommendations it does not answer
    for rec in _recs(records, "Härnösand", earlier=True):
        assert not [a for a in _answers_to(records, rec) if a.source.year == 2022]


def test_earlier_recommendations_link_to_followup_findings(records):
    earlier = _recs(records, "Härnösand", earlier=True)
    quality = _one(earlier, ["kvalitetsledningssystemet"])
    findings = [link for link in records.links_from(quality.rec_id) if link.kind == "uppföljning"]
    chunk_links = [link for link in findings if link.target_chunk]
    assert chunk_links and "4.1.1 Bedömning" in chunk_links[0].citation
    current = _one(_recs(records, "Härnösand"), ["kvalitetsledningssystemet"])
    assert current.rec_id in {link.target_id for link in findings}
    region = _one(earlier, ["regionen"])
    region_links = records.links_from(region.rec_id)
    assert any("samverkansproblematik med regionen" in link.excerpt for link in region_links)
    # The nämnd's answer printed in the follow-up answers the earlier recommendations.
    assert all(_answers_to(records, rec) for rec in earlier)


def test_topics_find_samverkan_across_kommuner(records):
    samverkan = [
        r
        for r in records.recommendations
        if any("samverkan" in t for t in r.topics) and 2020 <= (r.year or 0) <= 2024
    ]
    kommuner = {r.source.municipality for r in samverkan}
    assert kommuner == {"Härnösands kommun", "Karlshamns kommun"}
    quality = _one(_recs(records, "Piteå"), ["kvalitetsledningssystemet"])
    assert "kvalitetsledningssystem" in quality.topics


def test_ids_are_stable(records, corpus_result):
    again = extract_records(corpus_result.documents, corpus_result.chunks)
    assert [r.rec_id for r in again.recommendations] == [r.rec_id for r in records.recommendations]
    assert again.links == records.links


def test_text_path_gives_the_same_recommendations(records, text_result):
    from_text = extract_records(text_result.documents, text_result.chunks)
    for kommun in ("Härnösand", "Ragunda", "Karlshamn", "Piteå"):
        assert [r.text for r in _recs(from_text, kommun)] == [
            r.text for r in _recs(records, kommun)
        ]
    assert len(_recs(from_text, "Härnösand", earlier=True)) == 5
