"""The extractive answer quotes retrieved sentences verbatim, with the card they came from."""

from __future__ import annotations

from dataclasses import replace

from index.models import SearchHit, chunk_citation
from ingest.analysis import SwedishAnalyzer
from ingest.models import Chunk
from search_app.core.answer import build_answer, near_duplicate, sentences


def test_sentences_drop_fragments_cut_by_the_chunk_boundary():
    text = (
        "arbetet med rutiner. Nämnden har tagit fram en plan för samverkan.\n"
        "Planen följs upp varje år. Den omfattar"
    )
    assert sentences(text) == [
        "Nämnden har tagit fram en plan för samverkan.",
        "Planen följs upp varje år.",
    ]


def test_sentences_keep_abbreviations_and_section_numbers_inside_a_sentence():
    text = "Vi rekommenderar t.ex. att nämnden följer upp, se avsnitt 3.2 och 3.3. Nästa mening."
    assert sentences(text)[0] == (
        "Vi rekommenderar t.ex. att nämnden följer upp, se avsnitt 3.2 och 3.3."
    )


def test_a_sentence_never_runs_from_one_table_cell_into_the_next():
    text = (
        "| Revisionsfråga | Svar |\n|---|---|\n"
        "| ▶ Har nämnden säkerställt en ändamålsenlig samverkan\n"
        "avseende öppenvårdsinsatser? | Nej. Vi kan konstatera att det saknas såväl rutiner som\n"
        "samverkansforum. |"
    )
    assert sentences(text) == [
        "Revisionsfråga",
        "Svar",
        "---",
        "---",
        "▶ Har nämnden säkerställt en ändamålsenlig samverkan avseende öppenvårdsinsatser?",
        "Nej.",
        "Vi kan konstatera att det saknas såväl rutiner som samverkansforum.",
    ]


def test_answer_sentences_are_verbatim_and_cite_their_card(corpus_searcher):
    query = "samverkan med regionen"
    hits = corpus_searcher.search(query, k=5)
    tokenize = corpus_searcher.lexical.analyzer.tokenize
    answer = build_answer(query, hits, tokenize)
    assert answer
    by_rank = {hit.rank: " ".join(hit.chunk.text.split()) for hit in hits}
    for sentence in answer:
        assert sentence.text in by_rank[sentence.ref]
        assert {"samverkan", "region"} & set(tokenize(sentence.text))


def test_no_answer_when_no_sentence_shares_enough_of_the_query(corpus_searcher):
    hits = corpus_searcher.search("kvalitetsledningssystem", k=5)
    tokenize = corpus_searcher.lexical.analyzer.tokenize
    assert build_answer("xylofon zebra kvantfysik", hits, tokenize) == []


# --- Near-duplicate sentences ------------------------------------------------------------------

REPORT = (
    "Vi bedömer även att samverkan gentemot regionen fortsatt behöver stärkas. "
    "Nämnden har tagit fram en plan för samverkan med regionen."
)
# The meeting packet quotes the report in its own words, with a PDF misreading ("f01isatt").
PACKET = (
    "Revisionen har lämnat sin rapport. De bedömer även att samverkan gentemot regionen "
    "f01isatt behöver stärkas."
)


def _chunk(chunk_id: str, text: str, **fields) -> Chunk:
    values = {
        "chunk_id": chunk_id,
        "doc_id": chunk_id.split("-")[0],
        "source_id": "0" * 64,
        "chunk_index": 0,
        "text": text,
        "municipality": "Härnösands kommun",
        "year": 2021,
        "date": None,
        "committee": "Socialnämnden",
        "doc_type": "granskningsrapport",
        "audit_firm": None,
        "title": "Uppföljande granskning av insatser för vuxna",
        "case_number": None,
        "paragraph": None,
        "section_number": "5",
        "section_title": "Slutsats och rekommendationer",
        "section_kind": "slutsats/rekommendationer",
        "heading_path": ("5 Slutsats och rekommendationer",),
        "pages": (7,),
        "printed_pages": (),
        "source_file": "rapport.pdf",
        "content_hash": "0" * 64,
        "text_hash": "0" * 64,
        "token_count": 50,
    }
    return Chunk(**{**values, **fields})


def _hits(*chunks: Chunk) -> list[SearchHit]:
    return [
        SearchHit(chunk=chunk, rank=rank, score=1 / rank, retrievers=("bm25",))
        for rank, chunk in enumerate(chunks, start=1)
    ]


PACKET_CHUNK = _chunk(
    "packet-0001",
    PACKET,
    year=2022,
    doc_type="tjänsteskrivelse",
    title="Revisionens uppföljande granskning av insatser för vuxna",
    section_number=None,
    section_title="Beskrivning av ärendet",
    heading_path=("Beskrivning av ärendet",),
    pages=(261,),
    source_file="handlingar.pdf",
)


def test_near_duplicates_are_the_same_sentence_in_nearly_the_same_words():
    assert near_duplicate(
        "Vi bedömer dock att arbetet kring kvalitetsledningssystemet behöver färdigställas för att "
        "kunna upprätthålla ett systematiskt uppföljnings och förbättringsarbete.",
        "De bedömer dock att arbetet kring kvalitetsledningssystemet behöver färdigställas för att "
        "kunna upprätthålla ett systematiskt uppföljningens och förbättringsarbete.",
    )
    # One quoted inside a longer one.
    assert near_duplicate(
        "Ta fram rutiner för samverkan med regionen.",
        "Vi rekommenderar nämnden att ta fram rutiner för samverkan med regionen, se avsnitt 3.2.",
    )
    # A report's verdict, restated by the packet.
    assert near_duplicate(
        "Vår sammanfattande bedömning utifrån granskningens syfte är att kommunens arbete kring "
        "insatser för vuxna till viss del är ändamålsenlig.",
        "Revisionen sammanfattande bedömning är att nämndens arbete kring insatser för vuxna till "
        "viss del är ändamålsenlig.",
    )


def test_a_negation_a_grade_or_a_number_makes_a_different_sentence():
    template = "Vi bedömer att nämnden {} säkerställt en ändamålsenlig samverkan med regionen."
    assert not near_duplicate(template.format("har"), template.format("inte har"))
    assert not near_duplicate(template.format("delvis har"), template.format("inte har"))
    assert not near_duplicate(
        "Revisionen önskar nämndens svar senast den 31 mars 2022.",
        "Revisionen önskar nämndens svar senast den 25 februari 2022.",
    )
    # A question quoted inside a verdict that answers it no.
    assert not near_duplicate(
        "Har nämnden säkerställt en tillräcklig uppföljning av öppenvårdsinsatsernas resultat?",
        "Vi bedömer att nämnden inte har säkerställt en tillräcklig uppföljning av "
        "öppenvårdsinsatsernas resultat.",
    )
    # Sharing a frame is not saying the same.
    assert not near_duplicate(
        "Ekologiskt perspektiv Beslutet bedöms inte påverka det ekologiska perspektivet.",
        "Socialt perspektiv Beslutet bedöms inte påverka det sociala perspektivet.",
    )


def test_a_near_duplicate_is_quoted_once_and_says_where_else_it_stands():
    tokenize = SwedishAnalyzer().tokenize
    report = _chunk("report-0004", REPORT)
    hits = _hits(report, PACKET_CHUNK)
    answer = build_answer("samverkan gentemot regionen behöver stärkas", hits, tokenize)
    quoted = [s for s in answer if "gentemot regionen" in s.text]
    assert len(quoted) == 1
    assert quoted[0].text.startswith("Vi bedömer även") and quoted[0].ref == 1
    assert quoted[0].also_in == (chunk_citation(PACKET_CHUNK),)
    # A copy folded into a hit is another place too; the quoted passage's own window is not.
    summary = _chunk(
        "report-0001", REPORT, section_number="1", section_title="Sammanfattning", pages=(1,)
    )
    next_window = _chunk("report-0005", REPORT, chunk_index=1)
    hits = [replace(hits[0], copies=(summary, next_window)), hits[1]]
    answer = build_answer("samverkan gentemot regionen behöver stärkas", hits, tokenize)
    quoted = next(s for s in answer if "gentemot regionen" in s.text)
    assert quoted.also_in == (chunk_citation(summary), chunk_citation(PACKET_CHUNK))


def test_opposite_sentences_are_both_quoted():
    tokenize = SwedishAnalyzer().tokenize
    hits = _hits(
        _chunk("a-0001", "Vi bedömer att nämnden har säkerställt en ändamålsenlig samverkan."),
        _chunk("b-0001", "Vi bedömer att nämnden inte har säkerställt en ändamålsenlig samverkan."),
    )
    answer = build_answer("ändamålsenlig samverkan", hits, tokenize)
    assert [s.ref for s in answer] == [1, 2]
    assert all(s.also_in == () for s in answer)


def test_the_report_and_the_packet_saying_the_same_make_one_sentence(corpus_searcher):
    query = "samverkan gentemot regionen behöver stärkas"
    hits = [hit for hit in corpus_searcher.search(query, k=10) if not hit.weak]
    answer = build_answer(query, hits, corpus_searcher.lexical.analyzer.tokenize)
    assert answer
    for i, first in enumerate(answer):
        for second in answer[i + 1 :]:
            assert not near_duplicate(first.text, second.text)
    quoted = [s for s in answer if "samverkan gentemot regionen" in s.text]
    assert len(quoted) == 1
    # The report and the meeting packet both say it: the other one is named.
    places = quoted[0].also_in
    assert places
    own = next(hit for hit in hits if hit.rank == quoted[0].ref).citation()
    assert own not in places
    assert {own.split(" · ")[1]} | {place.split(" · ")[1] for place in places} == {"2021", "2022"}
