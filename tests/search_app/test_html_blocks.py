"""Cards show the passage's best window with the whole passage one click away; the answer says
where else its sentences stand. Every document string stays escaped text."""

from __future__ import annotations

import html
import re

from ingest.analysis import SwedishAnalyzer
from search_app.core.answer import AnswerSentence
from search_app.core.highlight import query_terms
from search_app.core.html_blocks import CARD_CHARS, SHOW_WHOLE, answer_block, passage

tokenize = SwedishAnalyzer().tokenize
FILLER = "Nämnden har tagit del av underlaget och lagt det till handlingarna. "


def _text_of(block: str) -> str:
    """What a browser shows of ``block``: the tags gone, the entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def test_a_long_passage_shows_its_window_and_the_whole_behind_a_summary():
    text = FILLER * 15 + "Samverkan med <regionen> & kommunen brister. " + FILLER * 15
    terms = query_terms("samverkan med regionen", tokenize)
    block = passage(text, terms, tokenize, CARD_CHARS)
    window, _, rest = block.partition("<details")
    assert 'class="rs-text rs-window"' in window
    shown = _text_of(window)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) <= CARD_CHARS + 4
    assert "<mark>Samverkan</mark> med &lt;<mark>regionen</mark>&gt; &amp; kommunen" in window
    # The whole passage, marked and escaped, is in the closed <details>.
    assert f'<summary><span class="rs-more-show">{SHOW_WHOLE}</span>' in rest
    assert "<details" in block and "open" not in block
    full = rest.split("</summary>", 1)[1]
    assert 'class="rs-text rs-full"' in full
    assert _text_of(full).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == (text)
    assert "<regionen>" not in block
    assert shown.startswith("… Samverkan med <regionen> & kommunen brister.")


def test_a_short_passage_is_shown_whole_without_a_summary():
    text = FILLER * 5
    block = passage(text, query_terms("nämnden", tokenize), tokenize, CARD_CHARS)
    assert "<details" not in block and 'class="rs-text rs-full"' in block
    assert _text_of(block).count("Nämnden") == 5
    # No limit: whole, however long.
    long_text = FILLER * 40
    assert "<details" not in passage(long_text, frozenset(), tokenize, None)


def test_the_answer_says_where_else_a_sentence_stands_escaped():
    sentence = AnswerSentence(
        text="Vi bedömer även att samverkan gentemot regionen behöver stärkas.",
        ref=1,
        score=1.0,
        also_in=("Härnösands kommun · 2022 · <b>Socialnämnden</b> · PDF-s. 261", "Annan · s. 1"),
    )
    block = answer_block([sentence, AnswerSentence("En mening till.", 2, 0.5)])
    assert (
        '<span class="rs-answer-also">(även i: Härnösands kommun · 2022 · '
        "&lt;b&gt;Socialnämnden&lt;/b&gt; · PDF-s. 261; Annan · s. 1)</span>"
    ) in block
    assert block.count("även i:") == 1
