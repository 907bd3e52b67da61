"""The extractive answer quotes retrieved sentences verbatim, with the card they came from."""

from __future__ import annotations

from search_app.core.answer import build_answer, sentences


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
