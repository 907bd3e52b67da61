"""Document text in a markdown label renders as the same characters, never as formatting."""

import html

import pytest
from markdown_it import MarkdownIt

from search_app.core.markdown_literal import literal

PLANTED = [
    "**x** $y^2$ [länk](javascript:alert(1)) <b>fet</b>",
    "Socialnämnden _kursiv_ `kod` # rubrik > citat",
    "1. inte en lista - inte heller | tabell | ~~struket~~",
    "Rapport: Ändamålsenlighet & kvalitet (2023) – Härnösand!",
]


@pytest.mark.parametrize("text", PLANTED)
def test_commonmark_renders_the_escaped_text_as_the_original_characters(text):
    rendered = MarkdownIt("commonmark").renderInline(literal(text))
    assert html.unescape(rendered) == text
    assert "<strong>" not in rendered and "<a " not in rendered and "<em>" not in rendered


def test_dollar_signs_cannot_open_katex():
    assert "$" not in literal("kostnad $x$").replace("\\$", "")


def test_newlines_do_not_split_a_label():
    assert "\n" not in literal("rad ett\nrad två")
