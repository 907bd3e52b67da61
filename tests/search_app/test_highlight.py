from ingest.analysis import SwedishAnalyzer
from search_app.core.highlight import best_window, highlight, matches, query_terms

tokenize = SwedishAnalyzer().tokenize


def test_markup_in_document_text_is_shown_as_text():
    text = 'Nämnden <script>alert("x")</script> & <b>regionen</b>'
    marked = highlight(text, query_terms("regionen", tokenize), tokenize)
    assert "<script>" not in marked and "<b>" not in marked
    assert "&lt;script&gt;" in marked and "&amp;" in marked
    assert "<mark>regionen</mark>" in marked


def test_inflected_forms_and_compound_parts_are_marked_as_bm25_matched_them(corpus_searcher):
    # The index's own analyzer knows the corpus vocabulary it splits compounds with.
    tokenize = corpus_searcher.lexical.analyzer.tokenize
    text = "Kostnaderna för missbruksvården ökade; regionens ansvar."
    marked = highlight(text, query_terms("missbruk region", tokenize), tokenize)
    assert "<mark>missbruksvården</mark>" in marked
    assert "<mark>regionens</mark>" in marked
    assert "<mark>Kostnaderna</mark>" not in marked


# --- The card's window ------------------------------------------------------------------------

FILLER = "Nämnden har tagit del av underlaget och lagt det till handlingarna. "


def _count(text: str, terms: frozenset[str]) -> int:
    return len(matches(text, terms, tokenize))


def test_the_window_holds_the_most_query_words_and_opens_at_a_sentence():
    dense = (
        "Samverkan med regionen brister. Regionen och kommunen saknar en gemensam rutin för "
        "samverkan, och samverkan kring enskilda följs inte upp. "
    )
    text = FILLER * 8 + "Regionen nämns en gång. " + FILLER * 6 + dense + FILLER * 8
    terms = query_terms("samverkan med regionen", tokenize)
    start, end = best_window(text, terms, tokenize, 600)
    window = text[start:end]
    assert dense.strip() in window
    assert end - start <= 600
    # Every other 600-character stretch holds at most as many matches.
    best = max(_count(text[i : i + 600], terms) for i in range(0, len(text) - 600, 10))
    assert _count(window, terms) >= best
    # Cut at word boundaries, opening where a sentence starts.
    assert start == 0 or (text[start - 1] == " " and text[start - 2] == ".")
    assert end == len(text) or text[end] == " "


def test_matches_near_the_start_keep_the_start():
    text = "Samverkan med regionen brister. " + FILLER * 20
    terms = query_terms("samverkan", tokenize)
    start, end = best_window(text, terms, tokenize, 600)
    assert start == 0 and end <= 600 and text[end] == " "


def test_a_window_at_the_end_opens_at_a_sentence_and_runs_to_the_end():
    text = FILLER * 20 + "Till sist: samverkan med regionen behöver stärkas."
    terms = query_terms("samverkan", tokenize)
    start, end = best_window(text, terms, tokenize, 600)
    assert end == len(text)
    assert text[start:].startswith("Nämnden har tagit del")
    assert len(text) - start <= 600


def test_without_query_words_the_window_is_the_start():
    text = FILLER * 20
    start, end = best_window(text, query_terms("kvantfysik", tokenize), tokenize, 600)
    assert start == 0 and 500 < end <= 600 and text[end] == " "
    assert best_window("Kort text.", frozenset({"text"}), tokenize, 600) == (0, 10)


def test_the_window_finds_what_the_highlighter_marks():
    # An inflected form matches as the analyzer stems it, in the window as in the marking.
    text = FILLER * 12 + "Regionens ansvar och regionernas uppdrag. " + FILLER * 12
    terms = query_terms("region", tokenize)
    start, end = best_window(text, terms, tokenize, 600)
    assert "Regionens ansvar och regionernas uppdrag." in text[start:end]
    found = matches(text, terms, tokenize)
    assert [text[a:b] for a, b in found] == ["Regionens", "regionernas"]
    assert highlight(text, terms, tokenize).count("<mark>") == len(found)
