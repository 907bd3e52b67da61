import itertools

from ingest.sections import classify_title, split_sections
from tests.conftest import SEEDS


def _outline(name):
    text = SEEDS[name].read_text(encoding="utf-8")
    return text, split_sections(text)


def test_harnosand_outline_follows_numbered_headings_and_skips_footnotes():
    _, sections = _outline("harnosand")
    numbers = [s.number for s in sections]
    assert numbers == [
        "1",
        "2",
        "2.1",
        "2.2",
        "2.3",
        "3",
        "4",
        "4.1",
        "4.1.1",
        "4.2",
        "4.2.1",
        "5",
    ]
    bedomning = next(s for s in sections if s.number == "4.2.1")
    assert bedomning.kind == "bedömning"
    assert bedomning.heading_path == (
        "4 Resultat av uppföljningen",
        "4.2 Samverkan",
        "4.2.1 Bedömning",
    )
    assert sections[-1].kind == "slutsats/rekommendationer"


def test_sections_cover_the_text_without_gaps():
    for name in ("harnosand", "ragunda", "karlshamn", "pitea"):
        text, sections = _outline(name)
        assert sections[0].start == 0
        assert sections[-1].end == len(text)
        for before, after in itertools.pairwise(sections):
            assert before.end == after.start


def test_section_kinds_of_an_ey_report_with_dotted_numbers():
    _, sections = _outline("karlshamn")
    kinds = {s.number: s.kind for s in sections}
    assert kinds["1"] == "sammanfattning"
    assert kinds["2.2"] == "syfte/revisionsfrågor"
    assert kinds["4.3"] == "bedömning"
    assert kinds["5.2"] == "iakttagelser/resultat"
    assert kinds["7"] == "slutsats/rekommendationer"
    assert kinds["8"] == "källor/bilaga"
    assert kinds["9.1"] == "revisionskriterier"
    # The table of contents before "1. Sammanfattning" is not an outline.
    assert sections[0].number is None


def test_unnumbered_headings_open_subsections():
    text = (
        "3 Samverkan\nText om samverkan med regionen.\nBedömning\n"
        "Vi bedömer att samverkan delvis fungerar.\n4 Slutsats\nText.\n"
    )
    sections = split_sections(text)
    assert [(s.number, s.title, s.kind) for s in sections] == [
        ("3", "Samverkan", "annat"),
        (None, "Bedömning", "bedömning"),
        ("4", "Slutsats", "slutsats/rekommendationer"),
    ]
    assert sections[1].heading_path == ("3 Samverkan", "Bedömning")


def test_numbered_list_and_toc_lines_are_not_headings():
    text = (
        "1 Inledning\nBakgrunden är följande.\n"
        "Innehåll 1 Sammanfattning 2\n"
        "7 av 10 brukare var nöjda.\n"
        "2 Metod\nIntervjuer.\n"
    )
    assert [s.number for s in split_sections(text)] == ["1", "2"]


def test_classify_title():
    assert classify_title("Slutsats och rekommendationer") == "slutsats/rekommendationer"
    assert classify_title("Syfte, revisionsfrågor och avgränsning") == "syfte/revisionsfrågor"
    assert classify_title("Källförteckning") == "källor/bilaga"
    assert classify_title("Organisation") is None


def test_a_long_report_keeps_its_whole_outline_and_skips_its_footnotes():
    # 40 chapters × 12 × 6: 3 400 headings, and a footnote after every subsection. The outline
    # is found by number, not by comparing every heading with every earlier one.
    expected, lines = [], []
    footnote = 0
    for chapter in range(1, 41):
        for number in [(chapter,)] + [
            (chapter, s, *sub) for s in range(1, 13) for sub in [(), *((t,) for t in range(1, 7))]
        ]:
            label = ".".join(map(str, number))
            expected.append(label)
            lines += [f"{label} Uppföljning av insatser", "", "Nämnden följer upp insatserna.", ""]
            if len(number) == 3:
                footnote += 1
                lines += [f"{footnote} Socialnämnden 2021-03-18, § 34", ""]
    sections = split_sections("\n".join(lines))
    assert [s.number for s in sections] == expected
    assert sections[-1].heading_path == (
        "40 Uppföljning av insatser",
        "40.12 Uppföljning av insatser",
        "40.12.6 Uppföljning av insatser",
    )


def test_marked_headings_make_the_outline_instead_of_numbered_lines():
    from ingest.models import MarkedHeading

    text = (
        "Inledning\n\nNämnden har tre mål:\n\n1 Trygg hemtjänst\n\n2 Kontinuitet\n\n"
        "Bakgrund\n\nText om bakgrunden.\n\nBedömning\n\nVi bedömer att målen är tydliga."
    )
    marked = [
        MarkedHeading(1, "Inledning", text.index("Inledning")),
        MarkedHeading(2, "Bakgrund", text.index("Bakgrund")),
    ]
    sections = split_sections(text, marked=marked)
    assert [(s.heading_path, s.kind) for s in sections] == [
        (("Inledning",), "bakgrund"),
        (("Inledning", "Bakgrund"), "bakgrund"),
        (("Inledning", "Bakgrund", "Bedömning"), "bedömning"),
    ]
    # The numbered list stays in its section; without marks it would open sections "1" and "2".
    assert "2 Kontinuitet" in text[sections[0].start : sections[0].end]
    assert "1" in [s.number for s in split_sections(text)]
