"""Token counts come from the embedder's own tokenizer: counted word by word, they must equal the
model's count of the whole text, for the texts ingest measures and for awkward whitespace."""

from __future__ import annotations

import pytest

from ingest.chunking import TokenCounter
from tests.conftest import CORPUS_SRC

EDGE_CASES = [
    "",
    " ",
    "  a",
    "a  ",
    "a\n\nb",
    "\ta\r\n",
    "ord\u00a0med\u2009smala\u202fmellanrum",
    "noll\u200bbredd",
    "a \u200b",
    "\u200b",
    "a\u2581b",
    "\ufeffBOM först",
    "it´s ¨ tecken",
    "½ ﬁnns",
    "styrtecken\x01 \x01",
    "vertikal\x0btab",
    "fil\x1cseparator",
    "nästa\x85rad",
    "NUL\x00efter",
    "日本語 テキスト 😀",
    "§ 26 Dnr SOC/2022-000030 850312-XXXX",
    "Socialnämnden redovisar ett underskott motsvarande -5,1 mnkr ackumulerat februari.",
]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS_SRC.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += text.split("\n\n")  # paragraphs, as the splitter measures them
        texts += [text[i : i + 2000] for i in range(0, len(text), 5000)]  # about a chunk each
    return texts


def test_word_by_word_count_equals_the_models_count(corpus_texts):
    counter = TokenCounter()  # a fresh word cache
    for text in corpus_texts + EDGE_CASES:
        assert counter(text) == counter.count_whole(text), repr(text[:80])


def test_the_count_does_not_depend_on_what_was_counted_before():
    first, second = TokenCounter(), TokenCounter()
    text = "Nämnden följer upp avvikelser och klagomål minst en gång per år."
    second("avvikelser och klagomål ")
    second("Nämnden")
    assert first(text) == second(text) == first.count_whole(text)
