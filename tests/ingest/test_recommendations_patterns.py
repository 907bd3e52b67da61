"""The generic patterns, on small reports and packet items written the way other byråer write.

Reports go through the real ingest (text files in tmp_path); packet items are built from the real
section splitter, since item splitting is not what these tests are about.
"""

from __future__ import annotations

import textwrap

import pytest

from ingest.models import Chunk, DocumentRecord
from ingest.sections import split_sections
from recommendations import extract_records
from recommendations.answers import audit_title, packet_answers
from recommendations.documents import document_texts
from recommendations.language import cited_sections, verdict_level
from recommendations.topics import assign_topics, resolve_topic
from recommendations.triggers import INLINE

PWC_REPORT = """\
Granskning av kommunstyrelsens arbete med intern kontroll
Ale kommun
2024-05-02

1. Sammanfattning
PwC har på uppdrag av de förtroendevalda revisorerna i Ale kommun granskat kommunstyrelsens
arbete med intern kontroll. Vår samlade bedömning är att kommunstyrelsen i huvudsak har
säkerställt en tillräcklig intern kontroll.

2. Inledning
2.1 Syfte och revisionsfrågor
Granskningen ska besvara följande revisionsfrågor:
• Finns det en ändamålsenlig riskanalys som grund för internkontrollplanen?
• Följs internkontrollplanen upp på ett tillräckligt sätt?
• Har nämnden rutiner för att hantera avvikelser?

3. Iakttagelser
3.1 Riskanalys
Kommunstyrelsen tar fram en riskanalys varje år.
3.1.1 Bedömning
Vi bedömer att riskanalysen är ändamålsenlig.

4. Slutsats
4.1 Svar på revisionsfrågor
| Revisionsfråga | Bedömning |
|---|---|
| Finns en ändamålsenlig riskanalys för planen? | Uppfyllt. Den görs årligen. |
| Följs internkontrollplanen upp tillräckligt? | Delvis uppfyllt. En gång per år. |
| Har nämnden rutiner för att hantera avvikelser? | Ej uppfyllt. Rutiner saknas. |

4.2 Rekommendationer
Utifrån granskningens iakttagelser och bedömningar lämnar vi följande rekommendationer till
kommunstyrelsen:
1. Säkerställa att internkontrollplanen följs upp minst två gånger per år (avsnitt 3.2).
2. Ta fram rutiner för hantering av avvikelser inom intern kontroll.
3. Dokumentera riskanalysen så att bedömningen av sannolikhet och konsekvens
framgår.

Göteborg den 2 maj 2024
Anna Andersson
"""

FOLLOW_UP = """\
Uppföljande granskning av barn- och utbildningsnämndens elevhälsa
Kalix kommun
2023-10-01

1 Sammanfattning
Vår sammanfattande bedömning är att nämnden inte har vidtagit tillräckliga åtgärder.
Vi rekommenderar barn- och utbildningsnämnden att:
– säkerställa att elevhälsoplanen fastställs, se avsnitt 3.1
– följa upp elevhälsans arbete två gånger per år, se avsnitt 3.2

2 Inledning
2.1 Syfte och revisionsfrågor
Granskningen syftar till att bedöma om nämnden har vidtagit åtgärder.

3 Resultat
I granskningen 2020 rekommenderade vi barn- och utbildningsnämnden att:
– fastställa en elevhälsoplan
– inrätta ett forum för samverkan med regionens barn- och ungdomspsykiatri
3.1 Elevhälsoplan
Planen är inte fastställd.
3.1.1 Bedömning
Vi bedömer att elevhälsoplanen fortfarande inte är fastställd.
3.2 Samverkan
3.2.1 Bedömning
Vi konstaterar att ett forum för samverkan med barn- och ungdomspsykiatrin i regionen har inrättats.

4 Slutsats och rekommendationer
Vår sammanfattande bedömning är att nämnden inte har vidtagit tillräckliga åtgärder.
Vi rekommenderar barn- och utbildningsnämnden att:
– säkerställa att elevhälsoplanen fastställs, se avsnitt 3.1
– följa upp elevhälsans arbete två gånger per år, se avsnitt 3.2
"""


@pytest.fixture
def ingest_text(tmp_path, token_counter):
    from ingest.pipeline import ingest_paths

    def run(name: str, text: str):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        result = ingest_paths([path], counter=token_counter)
        return extract_records(result.documents, result.chunks)

    return run


def test_numbered_list_after_lämnar_vi_följande_rekommendationer(ingest_text):
    records = ingest_text("ale.txt", PWC_REPORT)
    texts = [r.text for r in records.recommendations]
    assert texts == [
        "Säkerställa att internkontrollplanen följs upp minst två gånger per år",
        "Ta fram rutiner för hantering av avvikelser inom intern kontroll",
        "Dokumentera riskanalysen så att bedömningen av sannolikhet och konsekvens framgår",
    ]
    first = records.recommendations[0]
    assert first.cited_sections == ("3.2",)
    assert first.committee == "Kommunstyrelsen"
    assert "intern kontroll" in first.topics
    assert [v.level for v in records.verdicts] == ["i huvudsak"]


def test_uppfyllt_table_answers(ingest_text):
    records = ingest_text("ale.txt", PWC_REPORT)
    answers = [(q.answer, q.level, q.method) for q in records.question_answers]
    assert answers == [
        ("Uppfyllt", "ja", "tabell"),
        ("Delvis uppfyllt", "delvis", "tabell"),
        ("Ej uppfyllt", "nej", "tabell"),
    ]
    assert records.question_answers[2].comment == "Rutiner saknas"


def test_follow_up_marks_earlier_recommendations_and_links_findings(ingest_text):
    records = ingest_text("kalix.txt", FOLLOW_UP)
    current = [r for r in records.recommendations if not r.earlier]
    earlier = [r for r in records.recommendations if r.earlier]
    assert len(current) == 2 and len(earlier) == 2
    assert {r.earlier_year for r in earlier} == {2020}
    assert {r.committee for r in records.recommendations} == {"Barn- och utbildningsnämnden"}
    assert all(len(r.locations) == 2 for r in current)  # Sammanfattning and Slutsats
    forum = next(r for r in earlier if "forum" in r.text)
    found = [link for link in records.links_from(forum.rec_id) if link.target_chunk]
    assert found and "har inrättats" in found[0].excerpt
    assert "samverkan med regionen" in forum.topics
    assert [v.level for v in records.verdicts] == ["inte"]


def _item(text: str, title: str, doc_type: str = "annat", year: int = 2024) -> DocumentRecord:
    doc = DocumentRecord(
        doc_id="pkt-001",
        source_id="pkt",
        source_file="handlingar.pdf",
        item_index=1,
        municipality="Ale kommun",
        year=year,
        date=None,
        committee="Kommunstyrelsen",
        doc_type=doc_type,
        audit_firm=None,
        title=title,
        case_number=None,
        paragraph=None,
        page_start=1,
        page_end=1,
    )
    chunks = []
    for section in split_sections(text):
        chunks.append(
            Chunk(
                chunk_id=f"pkt-001-{len(chunks):04d}",
                doc_id=doc.doc_id,
                source_id="pkt",
                chunk_index=len(chunks),
                text=text[section.start : section.end].strip(),
                municipality=doc.municipality,
                year=doc.year,
                date=None,
                committee=doc.committee,
                doc_type=doc_type,
                audit_firm=None,
                title=title,
                case_number=None,
                paragraph=None,
                section_number=section.number,
                section_title=section.title,
                section_kind=section.kind,
                heading_path=section.heading_path,
                pages=(7,),
                printed_pages=(),
                source_file="handlingar.pdf",
                content_hash="pkt",
                text_hash=str(len(chunks)),
                token_count=10,
            )
        )
    return doc, chunks


ANSWER_ITEM = """\
Kommunstyrelsens svar på granskning av intern kontroll

Revisorerna rekommenderar kommunstyrelsen att:

Säkerställa att internkontrollplanen följs upp minst två gånger per år.
Kommunstyrelsen kommer från och med 2025 att följa upp planen i delårsrapporten och i
årsredovisningen.

Ta fram rutiner för hantering av avvikelser inom intern kontroll.
En rutin för avvikelser tas fram under hösten och beslutas i december.
"""


def test_unbulleted_quoted_recommendations_each_with_the_nämnds_answer():
    doc, chunks = _item(ANSWER_ITEM, "Kommunstyrelsens svar på granskning av intern kontroll")
    found = packet_answers(document_texts([doc], chunks)[0])
    assert [r.text for r in found.recommendations] == [
        "Säkerställa att internkontrollplanen följs upp minst två gånger per år",
        "Ta fram rutiner för hantering av avvikelser inom intern kontroll",
    ]
    answers = [a for a in found.answers if a.kind == "svar"]
    assert [a.text.split()[0] for a in answers] == ["Kommunstyrelsen", "En"]
    assert all(a.location.pages == (7,) for a in answers)


def test_quoted_recommendations_link_to_the_report_they_come_from(token_counter, tmp_path):
    from ingest.pipeline import ingest_paths

    path = tmp_path / "ale.txt"
    path.write_text(PWC_REPORT, encoding="utf-8")
    report = ingest_paths([path], counter=token_counter)
    doc, chunks = _item(ANSWER_ITEM, "Kommunstyrelsens svar på granskning av intern kontroll")
    records = extract_records([*report.documents, doc], [*report.chunks, *chunks])
    # No record of their own: the quoted ones are the report's recommendations.
    assert len(records.recommendations) == 3
    first = records.recommendations[0]
    answers = [records.answer(link.source_id) for link in records.links_to(first.rec_id)]
    assert [a.text.split()[0] for a in answers] == ["Kommunstyrelsen"]
    # Too late to be an answer to this report: no link.
    late, late_chunks = _item(ANSWER_ITEM, "Kommunstyrelsens svar på granskning", year=2030)
    records = extract_records([*report.documents, late], [*report.chunks, *late_chunks])
    assert len(records.recommendations) == 5


def test_audit_title_of_an_answering_item():
    assert audit_title("Socialnämndens svar på ”Grundläggande granskning – Socialnämnden”") == (
        "Grundläggande granskning – Socialnämnden"
    )
    assert audit_title("Revisionens uppföljande granskning av insatser för vuxna") == (
        "Uppföljande granskning av insatser för vuxna"
    )


@pytest.mark.parametrize(
    ("sentence", "level"),
    [
        ("Vår samlade bedömning är att nämnden har en ändamålsenlig styrning.", "ändamålsenlig"),
        ("… att styrelsen i allt väsentligt säkerställt en tillräcklig kontroll.", "i huvudsak"),
        ("… att nämnden delvis säkerställer en ändamålsenlig styrning.", "delvis"),
        ("… att arbetet till viss del är ändamålsenligt.", "till viss del"),
        ("… att nämnden inte har en ändamålsenlig uppföljning.", "inte"),
        ("… att nämnden inte helt har säkerställt en ändamålsenlig hantering.", "delvis"),
        # The negation as a prefix: "otillräcklig" holds "tillräcklig" but says the opposite.
        ("… att nämndens ekonomiska styrning och kontroll är otillräcklig.", "inte"),
        ("… att uppföljningen är otillfredsställande.", "inte"),
        ("Vi bedömer att nämnden har en välfungerande intern kontroll.", "ändamålsenlig"),
        ("… att resursanvändningen är ineffektiv.", "inte"),
    ],
)
def test_verdict_levels(sentence, level):
    assert verdict_level(sentence) == level


def test_a_negating_prefix_is_a_graded_verdict_also_among_findings():
    assert verdict_level("Kontrollen är otillräcklig.", strict=True) == "inte"


@pytest.mark.parametrize(
    "summary",
    [
        "Vår sammanfattade bedömning utifrån granskningens syfte är att kommunstyrelsen inte har "
        "ett ändamålsenligt arbetssätt för informationssäkerhet.",
        "Utifrån genomförd granskning görs bedömningen att bygget av det nya boendet inte har "
        "hanterats på ett från ekonomisk synpunkt tillfredsställande sätt.",
        "Övergripande är bedömningen att styrningen inte är tillräcklig.",
        "Sammanfattningsvis kan vi konstatera att kommunstyrelsen inte har säkerställt en "
        "tillräcklig styrning.",
    ],
)
def test_other_ways_to_state_the_overall_verdict(ingest_text, summary):
    report = f"""\
Granskning av kommunstyrelsens styrning
Ale kommun
2021-05-02

1. Sammanfattning
PwC har på uppdrag av de förtroendevalda revisorerna i Ale kommun granskat styrningen.
{summary}

2. Inledning
2.1 Syfte och revisionsfrågor
Granskningen syftar till att bedöma styrningen. Revisionskriterier är kommunallagen.
"""
    records = ingest_text("ale.txt", report)
    assert [v.level for v in records.verdicts] == ["inte"]


def test_a_weaker_summary_phrase_does_not_override_the_sammanfattande_bedömning(ingest_text):
    report = """\
Granskning av attestrutiner
Ale kommun
2021-05-02

1. Sammanfattning
PwC har på uppdrag av de förtroendevalda revisorerna i Ale kommun granskat attesten.
Sammanfattningsvis kan vi konstatera att rutinerna för attest är tillräckliga. Vår
sammanfattande bedömning är att kommunstyrelsen inte har säkerställt en tillräcklig kontroll.

2. Inledning
2.1 Syfte och revisionsfrågor
Granskningen syftar till att bedöma attesten. Revisionskriterier är kommunallagen.
"""
    records = ingest_text("ale.txt", report)
    assert [v.level for v in records.verdicts] == ["inte"]


def test_what_the_auditors_recommend_named_in_a_relative_clause_is_no_recommendation(ingest_text):
    report = """\
Uppföljande granskning av krisberedskapen
Ale kommun
2021-05-02

1. Sammanfattning
PwC har på uppdrag av de förtroendevalda revisorerna i Ale kommun följt upp granskningen av
krisberedskapen. Revisionsfrågan är om nämnden har vidtagit åtgärder.
Kommunstyrelsen har genomfört det mesta som revisorerna rekommenderade kommunen att göra i
granskningen 2019. Vi rekommenderar kommunstyrelsen att uppdatera krisledningsplanen varje år.
"""
    records = ingest_text("ale.txt", report)
    assert [r.text for r in records.recommendations] == ["Uppdatera krisledningsplanen varje år"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Det är mot den bakgrunden som vi rekommenderar kommunstyrelsen att ta fram en plan.",
        "Det vi rekommenderar är att nämnden tar fram skriftliga rutiner.",
        "Vi har identifierat brister som vi rekommenderar nämnden att åtgärda.",
    ],
)
def test_the_auditors_own_recommendation_in_a_cleft_or_relative_sentence_counts(sentence):
    assert INLINE.search(sentence)


def test_cited_sections_forms():
    assert cited_sections("Stärka samverkan, se avsnitt 3.2 och 3.3") == (
        ("3.2", "3.3"),
        "Stärka samverkan",
    )
    assert cited_sections("Utveckla analysen, se 4.4.2")[0] == ("4.4.2",)
    assert cited_sections("Utveckla analysen (avsnitt 5.1).")[0] == ("5.1",)


def test_topics_need_every_group():
    assert "samverkan med regionen" in assign_topics("Utveckla samverkan med regionen")
    assert "samverkan med regionen" not in assign_topics("Utveckla samverkan mellan enheterna")
    assert "intern samverkan" in assign_topics("Utveckla samverkan mellan enheterna")
    assert resolve_topic("samverkan") == ("samverkan med regionen", "intern samverkan")
