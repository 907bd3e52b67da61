"""HTML fragments printed in a source become plain text at ingest; text that merely has angle
brackets or ampersands stays as it is."""

from __future__ import annotations

import re

import pytest

from ingest.cleaning import clean_pages
from ingest.markup import markup_to_text
from ingest.models import RawPage
from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS, corpus_pdf

MARKUP = re.compile(r"</?(?:p|ul|ol|li|i|b|br|div|span|td|tr|table)\b[^>]*>|&(?:nbsp|amp|lt|gt);")


def test_paragraph_tags_become_paragraph_breaks():
    text = "utföras.</p> <p>Vi noterar att arbetet har påbörjats.</p>"
    assert markup_to_text(text) == "utföras.\n\nVi noterar att arbetet har påbörjats.\n\n"


def test_line_breaks_and_list_items():
    assert markup_to_text("rad ett<br>rad två<BR/>rad tre") == "rad ett\nrad två\nrad tre"
    text = "Vi rekommenderar att:\n<ul>\n<li>ta fram rutiner</li>\n<li>följa upp</li>\n</ul>\nSlut"
    assert markup_to_text(text) == "Vi rekommenderar att:\n- ta fram rutiner\n- följa upp\nSlut"
    # Unclosed items, all on one line, read the same.
    assert markup_to_text("Att:<ul><li>ta fram<li>följa upp</ul>Slut") == (
        "Att:\n- ta fram\n- följa upp\nSlut"
    )


def test_inline_tags_go_without_joining_or_splitting_words():
    assert markup_to_text("Nämnden <b>ska</b> stärka sam<i>verkan</i>.") == (
        "Nämnden ska stärka samverkan."
    )


def test_tags_with_attributes_and_tags_split_over_a_line_break():
    text = '<ul  style="list-style-type:\nnone">▶ Är rutinerna <span\nclass="x">fastställda</span>?'
    # A list opens on a line of its own.
    assert markup_to_text(text) == "\n▶ Är rutinerna fastställda?"
    assert markup_to_text('<w:sdt id="12">Text</w:sdt> <o:p></o:p>') == "Text "


def test_html_table_becomes_pipe_rows():
    text = (
        "Före\n<table>\n  <tr><th>Fråga</th><th>Svar</th></tr>\n"
        "  <tr><td>Är det bra?</td><td><p>Ja.</p><p>Mycket.</p></td></tr>\n</table>\nEfter"
    )
    assert markup_to_text(text) == ("Före\n| Fråga | Svar |\n| Är det bra? | Ja. Mycket. |\nEfter")


def test_markup_inside_a_pipe_row_keeps_the_row_together():
    text = (
        "| Revisionsfråga | Svar |\n"
        "|---|---|\n"
        '|  <ul  style="list-style-type:  none">  ▶  Är rutinerna\n'
        "fastställda?  |  <p>Nej.  Det saknas\n"
        "rutiner.</p> <p>Vi noterar att arbete pågår.</p> |\n"
        '| <ul style="x"> ▶ Följs det upp? | <p>Delvis.</p>\n'
        "|\n"
        "Efter tabellen."
    )
    assert markup_to_text(text) == (
        "| Revisionsfråga | Svar |\n"
        "|---|---|\n"
        "| ▶  Är rutinerna\n"
        "fastställda?  | Nej.  Det saknas\n"
        "rutiner. Vi noterar att arbete pågår. |\n"
        "| ▶ Följs det upp? | Delvis. \n"
        "|\n"
        "Efter tabellen."
    )


def test_entities_are_unescaped_after_the_tags_are_gone():
    assert markup_to_text("Kost&amp;logi&nbsp;och x&#8211;y, &#x2013;") == "Kost&logi och x–y, –"
    # Text about a tag, escaped in the source, stays text about a tag.
    assert markup_to_text("Skriv &lt;p&gt; för stycke") == "Skriv <p> för stycke"
    # Not entities: no semicolon, or no such name.
    assert markup_to_text("R&D och AT&T, &foo; &amp") == "R&D och AT&T, &foo; &amp"


@pytest.mark.parametrize(
    "text",
    [
        "Barn <5 år och vuxna >65 år",
        "om a < b och 3 > 2 gäller",
        "Ange <Ansökan> och <namn på nämnd>",
        "x<y och y>z",
        "pilen -> och <-",
        "<<Rubrik>>",
        "<!DOCTYPE ska inte tas som kommentar",
        # A lone one-letter tag may be a placeholder: kept unless the page has other markup.
        "Granskning av **x** $y$ [l](javascript:z) <b>",
    ],
)
def test_text_with_angle_brackets_is_left_alone(text):
    assert markup_to_text(text) == text


def test_a_one_letter_tag_goes_when_the_page_has_other_markup():
    assert markup_to_text("<p>Vi <b>rekommenderar</b> att</p>") == "\n\nVi rekommenderar att\n\n"


def test_cleaning_removes_markup_page_by_page():
    pages = [
        RawPage(1, "Inledning\n\n<p>Nämnden har&nbsp;rutiner.</p>\n"),
        RawPage(2, "Text med a < b.\n\nOch <5 år."),
    ]
    cleaned = clean_pages(pages)
    assert cleaned.text == "Inledning\n\nNämnden har rutiner.\n\nText med a < b.\n\nOch <5 år."


@pytest.mark.parametrize("path", [corpus_pdf("karlshamn"), SEEDS["karlshamn"]], ids=["pdf", "txt"])
def test_karlshamn_passages_have_no_markup(path):
    result = ingest_paths([path])
    assert result.chunks
    for chunk in result.chunks:
        assert not MARKUP.search(chunk.text), chunk.text
    answers = [c.text for c in result.chunks if "Delvis. Vi ser positivt" in c.text]
    assert answers, "the table's answer cell is kept as text"
    # The table's cells stay on their rows, separated by " | ".
    joined = " ".join(answers[0].split())
    assert "som erbjuds? | Delvis. Vi ser positivt på att förvaltningen" in joined
    assert "i nuläget. Det faktum att det saknas strukturer" in joined


def test_tags_of_any_name_with_attributes_go_with_their_closing_tags():
    assert markup_to_text('<foo bar="1">Text</foo> och </Ansökan>') == "Text och </Ansökan>"
