"""Cards show a passage reflowed: PDF line breaks undone, lists, rows and paragraphs kept."""

from __future__ import annotations

from search_app.core.passage_text import display_text, reflow


def words(text: str) -> list[str]:
    return text.split()


def test_lines_that_go_on_mid_sentence_are_joined_across_pdf_blank_lines():
    text = (
        "Enligt gällande avgiftsbeslut i kommunfullmäktige debiteras alla brukare som\n"
        "önskar matabonnemang. Beslutet bygger på socialnämndens\n\n"
        "beslut från sammanträde 2012-12-19.\n\n"
        "Beräkningarna gjordes 2012."
    )
    shown = reflow(text)
    assert shown.split("\n") == [
        "Enligt gällande avgiftsbeslut i kommunfullmäktige debiteras alla brukare som önskar "
        "matabonnemang. Beslutet bygger på socialnämndens beslut från sammanträde 2012-12-19.",
        "",
        "Beräkningarna gjordes 2012.",
    ]
    assert words(shown) == words(text)


def test_list_items_table_rows_and_list_intros_keep_their_lines():
    text = (
        "Revisionen rekommenderar socialnämnden att:\n"
        "• se över arbetet med målstyrning\n"
        "• upprätta en handlingsplan\n"
        "— följa upp och säkerställa arbetet, se avsnitt 3.2\n"
        "— utveckla samverkan med regionen, se avsnitt 3.3\n"
        "o arbetet med rutiner\n"
        "Revisionsfråga    Svar\n"
        "Finns rutiner?    Delvis\n"
        "1. Följa upp avvikelser\n"
        "2) Rapportera till nämnden"
    )
    assert reflow(text) == text


def test_a_long_line_cut_by_the_page_width_continues_even_before_a_capital():
    text = (
        "Granskningen har genomförts genom dokumentstudier och intervjuer med berörda på\n"
        "Socialförvaltningen under hösten.\n"
        "Kort rad\n"
        "Ny mening."
    )
    assert reflow(text).split("\n") == [
        "Granskningen har genomförts genom dokumentstudier och intervjuer med berörda på "
        "Socialförvaltningen under hösten.",
        "Kort rad",
        "Ny mening.",
    ]


def test_a_first_line_repeating_the_heading_is_left_to_the_heading_path():
    text = "4.2.1  Bedömning\nVi bedömer att samverkan med regionen\ndelvis fungerar."
    shown = display_text(text, ("4 Resultat", "4.2 Samverkan", "4.2.1 Bedömning"))
    assert shown == "Vi bedömer att samverkan med regionen delvis fungerar."
    # A heading that is all the passage has is kept, and other first lines are never dropped.
    assert display_text("4.2.1 Bedömning", ("4.2.1 Bedömning",)) == "4.2.1 Bedömning"
    assert display_text(text, ("4.2 Samverkan",)).startswith("4.2.1  Bedömning\n")


def test_a_table_row_wrapped_by_the_page_is_one_line_again():
    text = (
        "| Revisionsfråga | Svar |\n"
        "|---|---|\n"
        "| ▶ Har nämnden säkerställt en ändamålsenlig samverkan\n"
        "avseende öppenvårdsinsatser? | Nej. Vi kan konstatera att det saknas såväl rutiner som\n"
        "samverkansforum för hur samverkan ska bedrivas. |\n"
        "| ▶ Följs resultaten upp? | Nej. Det sker ingen uppföljning på gruppnivå.\n"
        "|\n"
        "\n"
        "Vi rekommenderar nämnden att:"
    )
    assert reflow(text) == (
        "| Revisionsfråga | Svar |\n"
        "|---|---|\n"
        "| ▶ Har nämnden säkerställt en ändamålsenlig samverkan avseende öppenvårdsinsatser? | "
        "Nej. Vi kan konstatera att det saknas såväl rutiner som samverkansforum för hur samverkan "
        "ska bedrivas. |\n"
        "| ▶ Följs resultaten upp? | Nej. Det sker ingen uppföljning på gruppnivå. |\n"
        "\n"
        "Vi rekommenderar nämnden att:"
    )
