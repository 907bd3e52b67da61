"""Reports written the way other byråer and kommuner write them, with their known answers.

Each fixture in tests/fixtures/recommendations/ is a report (or tjänsteskrivelse) as text, with a
sidecar JSON of what must be extracted: recommendations (text, nämnd, cited sections), earlier
recommendations a follow-up quotes, the overall verdict, the answer to each revisionsfråga, and
phrases that must not become recommendations. Every file goes through the real ingest pipeline.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from recommendations import extract_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "recommendations"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def _ingest(paths, token_counter):
    from ingest.pipeline import ingest_paths

    result = ingest_paths(list(paths), counter=token_counter)
    assert not result.failed, result.problems
    return result


@pytest.fixture(scope="module")
def extracted(token_counter):
    """Every fixture ingested and extracted on its own, once."""
    found = {}
    for name in CASES:
        result = _ingest([FIXTURES / f"{name}.txt"], token_counter)
        expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        found[name] = (result, extract_records(result.documents, result.chunks), expected)
    return found


def test_every_fixture_has_known_answers():
    assert len(CASES) >= 5
    for name in CASES:
        assert (FIXTURES / f"{name}.json").is_file(), name


def _check(found, wanted, earlier):
    assert len(found) == len(wanted), (
        [r.text for r in found],
        [w["text"] for w in wanted],
    )
    for rec, want in zip(found, wanted, strict=True):
        assert rec.text.startswith(want["text"]), (rec.text, want["text"])
        assert rec.earlier is earlier
        assert rec.committee == want["committee"], rec.text
        if "cited_sections" in want:
            assert list(rec.cited_sections) == want["cited_sections"], rec.text
        if "earlier_year" in want:
            assert rec.earlier_year == want["earlier_year"], rec.text
        for name in want.get("addressee_names", ()):
            assert name in (rec.addressee or "").casefold(), (rec.text, rec.addressee)
        assert len(rec.locations) >= want.get("min_locations", 1), rec.text
        assert all(loc.pages for loc in rec.locations), rec.text


@pytest.mark.parametrize("name", CASES)
def test_document_metadata(extracted, name):
    result, _, expected = extracted[name]
    (doc,) = result.documents
    assert doc.municipality == expected["municipality"]
    assert doc.year == expected["year"]
    if "doc_type" in expected:
        assert doc.doc_type == expected["doc_type"]
    if expected.get("audit_firm"):
        assert doc.audit_firm == expected["audit_firm"]


@pytest.mark.parametrize("name", CASES)
def test_recommendations(extracted, name):
    _, records, expected = extracted[name]
    reports = [r for r in records.recommendations if r.origin == "rapport"]
    _check([r for r in reports if not r.earlier], expected["recommendations"], earlier=False)
    _check([r for r in reports if r.earlier], expected["earlier_recommendations"], earlier=True)


@pytest.mark.parametrize("name", CASES)
def test_quoted_recommendations_and_answers(extracted, name):
    _, records, expected = extracted[name]
    wanted = expected.get("quoted_recommendations", [])
    quoted = [r for r in records.recommendations if r.origin == "handling"]
    _check(quoted, wanted, earlier=False)
    for rec, want in zip(quoted, wanted, strict=True):
        answers = [
            records.answer(link.source_id)
            for link in records.links_to(rec.rec_id)
            if link.kind == "svar"
        ]
        own = [a for a in answers if a.kind == "svar"]
        assert len(own) == 1 and own[0].text.startswith(want["answer_startswith"])
        # The answer ends where the item's next matter begins.
        assert "rekommenderar" not in own[0].text


@pytest.mark.parametrize("name", CASES)
def test_overall_verdict(extracted, name):
    _, records, expected = extracted[name]
    assert [v.level for v in records.verdicts] == (
        [expected["verdict"]] if expected["verdict"] else []
    )


@pytest.mark.parametrize("name", CASES)
def test_answers_per_revisionsfråga(extracted, name):
    _, records, expected = extracted[name]
    found = [(q.question, q.level, q.method) for q in records.question_answers]
    assert len(found) == len(expected["question_answers"]), found
    for (question, level, method), want in zip(found, expected["question_answers"], strict=True):
        assert question.startswith(want["question"]), (question, want["question"])
        assert (level, method) == (want["level"], want["method"]), question
    assert all(q.location is not None and q.location.pages for q in records.question_answers)


@pytest.mark.parametrize("name", CASES)
def test_advice_from_others_is_not_a_recommendation(extracted, name):
    """Socialstyrelsen's, SKR's or the kommun's advice quoted in a report never becomes one."""
    _, records, expected = extracted[name]
    texts = [r.text.casefold() for r in records.recommendations]
    for phrase in expected["not_in_recommendations"]:
        assert not any(phrase.casefold() in t for t in texts), phrase


# --- negative checks on small documents ------------------------------------------------------


@pytest.fixture
def ingest_text(tmp_path, token_counter):
    def run(name: str, text: str):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        result = _ingest([path], token_counter)
        return extract_records(result.documents, result.chunks)

    return run


BAKGRUND_REPORT = """\
Granskning av kommunstyrelsens arbete med krisberedskap
Kalmar kommun
2024-02-01

1 Sammanfattning
Vår sammanfattande bedömning är att kommunstyrelsen delvis har säkerställt en ändamålsenlig
krisberedskap.

Vi rekommenderar kommunstyrelsen att:
- uppdatera risk- och sårbarhetsanalysen, se avsnitt 3.1
- genomföra en övning med krisledningsnämnden varje mandatperiod, se avsnitt 3.2

2 Inledning
2.1 Bakgrund
Myndigheten för samhällsskydd och beredskap har gett ut rekommendationer om krisberedskap.
Rekommendationer från Socialstyrelsen:
- upprätta en plan för läkemedelsförsörjning vid kris,
- utse en kontaktperson för kommunens vård och omsorg.
Myndigheten rekommenderar att kommunerna:
- utbildar förtroendevalda i krisledning,
- övar krisledningen vartannat år.
Revisorerna har tidigare granskat kommunens krisberedskap. I den granskningen lämnades
inga rekommendationer.
2.2 Syfte och revisionsfrågor
Granskningen ska besvara revisionsfrågorna:
- Finns en aktuell risk- och sårbarhetsanalys?
2.3 Revisionskriterier
Lagen (2006:544) om kommuners och regioners åtgärder inför och vid extraordinära händelser.

3 Iakttagelser
3.1 Risk- och sårbarhetsanalys
Analysen är från 2019.
3.2 Övning
Krisledningsnämnden övade senast 2018.

4 Slutsats och rekommendationer
Vi rekommenderar kommunstyrelsen att:
- uppdatera risk- och sårbarhetsanalysen, se avsnitt 3.1
- genomföra en övning med krisledningsnämnden varje mandatperiod, se avsnitt 3.2
"""


def test_quoted_authority_advice_in_bakgrund_is_not_a_recommendation(ingest_text):
    records = ingest_text("kalmar-kris.txt", BAKGRUND_REPORT)
    assert [r.text for r in records.recommendations] == [
        "Uppdatera risk- och sårbarhetsanalysen",
        "Genomföra en övning med krisledningsnämnden varje mandatperiod",
    ]
    assert not any(r.earlier for r in records.recommendations)
    assert all(r.committee == "Kommunstyrelsen" for r in records.recommendations)


EARLIER_IN_BAKGRUND = """\
Uppföljande granskning av socialnämndens arbete med placeringar
Lidköpings kommun
2023-04-20

1 Sammanfattning
Vår sammanfattande bedömning är att socialnämnden i huvudsak har vidtagit åtgärder.
Vi rekommenderar socialnämnden att:
- följa upp placeringarnas kostnader varje kvartal, se avsnitt 3.1

2 Inledning
2.1 Bakgrund
Revisorerna granskade 2020 socialnämndens arbete med placeringar. I granskningen 2020
rekommenderades socialnämnden att:
- upprätta en plan för hemtagning av placerade barn,
- följa upp placeringarnas kostnader.
Socialstyrelsen rekommenderar att socialtjänsten:
- använder standardiserade bedömningsmetoder.
2.2 Syfte och revisionsfrågor
Granskningen besvarar revisionsfrågorna:
- Har nämnden vidtagit åtgärder med anledning av granskningen 2020?
2.3 Revisionskriterier
Socialtjänstlagen.

3 Iakttagelser
3.1 Kostnader
Kostnaderna följs upp två gånger per år.

4 Slutsats och rekommendationer
Vi rekommenderar socialnämnden att:
- följa upp placeringarnas kostnader varje kvartal, se avsnitt 3.1
"""


def test_bakgrund_quoting_an_earlier_audit_marks_only_those_earlier(ingest_text):
    records = ingest_text("lidkoping-placeringar.txt", EARLIER_IN_BAKGRUND)
    current = [r for r in records.recommendations if not r.earlier]
    earlier = [r for r in records.recommendations if r.earlier]
    assert [r.text for r in current] == ["Följa upp placeringarnas kostnader varje kvartal"]
    assert len(current[0].locations) == 2 and current[0].cited_sections == ("3.1",)
    assert [r.text for r in earlier] == [
        "Upprätta en plan för hemtagning av placerade barn",
        "Följa upp placeringarnas kostnader",
    ]
    assert {r.earlier_year for r in earlier} == {2020}
    assert all(r.locations[0].section_kind == "bakgrund" for r in earlier)
    assert not any("standardiserade" in r.text for r in records.recommendations)


INVÅNARE_ITEM = """\
TJÄNSTESKRIVELSE
Umeå kommun
2024-05-06

Information om värmebölja

Beskrivning av ärendet
Kommunen rekommenderar invånarna att:
- dricka mycket vatten under varma dagar,
- hålla kontakt med äldre anhöriga.
Folkhälsomyndigheten rekommenderar att äldre undviker ansträngning.

Förslag till beslut
Kommunstyrelsen beslutar att lägga informationen till handlingarna.
"""


def test_kommunens_advice_to_invånare_is_not_a_recommendation(ingest_text):
    records = ingest_text("umea-varme.txt", INVÅNARE_ITEM)
    assert records.recommendations == ()
    assert records.verdicts == ()


ASSESSED_IN_TEXT = """\
Granskning av byggnadsnämndens tillsyn
Falu kommun
2023-03-01

1 Sammanfattning
Vår samlade bedömning: Delvis godtagbar.
Vi rekommenderar byggnadsnämnden att:
- upprätta en tillsynsplan som beslutas av nämnden, se avsnitt 3.1

2 Inledning
2.1 Syfte och revisionsfrågor
Granskningen besvarar följande revisionsfrågor:
- Har byggnadsnämnden en beslutad tillsynsplan för olovligt byggande?
- Följer byggnadsnämnden upp tillsynsärendenas handläggningstider?
2.2 Revisionskriterier
Plan- och bygglagen.

3 Iakttagelser
3.1 Tillsynsplan för olovligt byggande
Någon beslutad tillsynsplan finns inte.
3.1.1 Bedömning
Vår bedömning: Röd. Tillsynsplanen för olovligt byggande är inte beslutad av byggnadsnämnden.
3.2 Handläggningstider i tillsynsärenden
Handläggningstiderna redovisas i delårsrapporten.
3.2.1 Bedömning
Vi bedömer att byggnadsnämnden i allt väsentligt följer upp handläggningstiderna för
tillsynsärendena.
"""


def test_levels_read_from_bedömning_text_and_labels(ingest_text):
    records = ingest_text("falun-tillsyn.txt", ASSESSED_IN_TEXT)
    assert [v.level for v in records.verdicts] == ["delvis"]
    levels = [(q.level, q.method) for q in records.question_answers]
    assert levels == [("nej", "bedömning"), ("i huvudsak", "bedömning")]
    assert [r.committee for r in records.recommendations] == ["Byggnadsnämnden"]
