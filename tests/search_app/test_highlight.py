from index.analysis import SwedishAnalyzer
from search_app.core.highlight import highlight, query_terms

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
