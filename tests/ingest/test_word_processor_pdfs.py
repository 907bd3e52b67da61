"""PDFs as word processors make them: LibreOffice Writer output read through the real ingest.

The PDFs in tests/fixtures/word_processor/ are rendered from their .fodt sources by
scripts/build_word_processor_pdfs.py and committed; see the README there for what each exercises.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.collecting import collect_files
from ingest.models import page_reference
from ingest.pipeline import ingest_paths
from recommendations import extract_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "word_processor"
LUDVIKA = FIXTURES / "ludvika-2023-kpmg-hemtjanst.pdf"
TRANAS = FIXTURES / "tranas-2022-ey-elevhalsa.pdf"


@pytest.fixture(scope="module")
def result(token_counter):
    found = ingest_paths([LUDVIKA, TRANAS], counter=token_counter)
    assert not found.problems, found.problems
    return found


@pytest.fixture(scope="module")
def records(result):
    return extract_records(result.documents, result.chunks)


def _chunks(result, path: Path):
    return [c for c in result.chunks if Path(c.source_file).name == path.name]


def _text(result, path: Path) -> str:
    return "\n".join(c.text for c in _chunks(result, path))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _holding(result, path: Path, phrase: str):
    found = [c for c in _chunks(result, path) if phrase in _flat(c.text)]
    assert found, phrase
    return found[0]


def test_the_fixture_folder_is_skipped_when_a_parent_is_ingested() -> None:
    assert collect_files([FIXTURES]) == ([], [])


def test_the_pdfs_carry_what_a_word_processor_makes() -> None:
    """Guards the fixtures themselves: ligature glyphs (one code for "fi"), and page fields."""
    multi = set()
    for page in PdfReader(LUDVIKA).pages:
        for font in page["/Resources"]["/Font"].values():
            cmap = font.get_object().get("/ToUnicode")
            if cmap is not None:
                data = cmap.get_object().get_data().decode("latin-1")
                for code in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{8})>", data):
                    multi.add(bytes.fromhex(code).decode("utf-16-be"))
    assert {"fi", "fl"} <= multi
    last = PdfReader(LUDVIKA).pages[-1].extract_text()
    assert "Sida 7 av 7" in last


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (LUDVIKA, ("Ludvika kommun", 2023, "2023-10-12", "Socialnämnden", "KPMG")),
        (TRANAS, ("Tranås kommun", 2022, "2022-11-28", "Barn- och utbildningsnämnden", "EY")),
    ],
)
def test_metadata(result, path: Path, fields) -> None:
    (doc,) = [d for d in result.documents if Path(d.source_file).name == path.name]
    assert (doc.municipality, doc.year, doc.date, doc.committee, doc.audit_firm) == fields
    assert doc.doc_type == "granskningsrapport"
    assert all(
        (c.municipality, c.year, c.committee) == fields[:2] + fields[3:4]
        for c in _chunks(result, path)
    )


def test_two_columns_are_read_column_by_column(result) -> None:
    text = _flat(_text(result, TRANAS))
    end_of_first = text.index("beskrivs i elevhälsoplanen, som antogs av nämnden i mars 2021.")
    start_of_second = text.index("I intervjuerna beskriver rektorerna att samarbetet")
    assert end_of_first < start_of_second
    # The column's lines follow each other: no line of the other column between them.
    assert "Elevhälsan i Tranås är organiserad i en central elevhälsoenhet med skolläkare" in text


def test_a_text_box_is_read_whole_and_splits_no_sentence(result) -> None:
    chunk = _holding(result, LUDVIKA, "Faktaruta: Hemtjänsten i Ludvika")
    text = _flat(chunk.text)
    assert "Faktaruta: Hemtjänsten i Ludvika 410 brukare i genomsnitt under 2022." in text
    assert "Andelen utförd tid var 78 procent av den beviljade tiden." in text
    # The paragraph beside the box reads on without it.
    assert "Socialnämnden har i sin verksamhetsplan för 2023 fastställt tre mål" in text
    assert "Till varje mål finns indikatorer" in text
    # The box is the section's, not the page before's.
    assert chunk.section_number == "3.1"


def test_running_heads_feet_and_contents_are_gone(result) -> None:
    ludvika, tranas = _text(result, LUDVIKA), _text(result, TRANAS)
    assert "Sida " not in ludvika
    assert "KPMG global organization" not in ludvika
    assert ludvika.count("Granskning av socialnämndens styrning och uppföljning") <= 1  # cover
    assert "Elevhälsans arbete" not in tranas
    for text in (ludvika, tranas):
        assert "....." not in text
        assert not re.search(r"^Innehåll", text, re.MULTILINE)
        assert not re.search(r"^\d{1,2}$", text, re.MULTILINE), "a bare page number is left"


def test_a_footnote_splits_neither_its_sentence_nor_a_list(result, records) -> None:
    _holding(result, LUDVIKA, "Enligt socialtjänstlagen ska insatser inom socialtjänsten vara")
    _holding(result, LUDVIKA, "systematiskt kvalitetsarbete samt nämndens egna styrdokument")
    _holding(result, TRANAS, "Enligt skollagen ska det finnas tillgång till skolläkare")
    # The footnote text is kept, after the paragraph that cites it.
    chunk = _holding(result, LUDVIKA, "1 Socialtjänstlagen (2001:453)")
    assert chunk.section_number == "2.1"
    # The list of revisionsfrågor runs over a page break where the footnote stood.
    syfte = _holding(result, LUDVIKA, "Granskningen besvarar följande revisionsfrågor")
    assert "Socialtjänstlagen" not in syfte.text


def test_hyphenated_words_are_joined(result) -> None:
    ludvika, tranas = _flat(_text(result, LUDVIKA)), _flat(_text(result, TRANAS))
    for word in ("granskat", "ansvarsområde", "socialtjänstlagen", "dubbelbemanning"):
        assert re.search(rf"\b{word}\b", ludvika), word
    for word in ("Granskningen", "Elevhälsochefen", "varannan", "specialpedagogiska"):
        assert re.search(rf"\b{word}\b", tranas), word
    assert not re.search(r"[a-zåäö]- (?!och|eller|samt)[a-zåäö]", ludvika + tranas)


def test_ligatures_are_letters(result) -> None:
    text = _text(result, LUDVIKA) + _text(result, TRANAS)
    for word in ("officiell", "fler", "effektiva", "flesta", "fastställt"):
        assert re.search(rf"\b{word}\b", text), word
    assert not re.search("[\ufb00-\ufb06]", text)


def test_the_answer_table_gives_the_verdicts(records) -> None:
    found = {
        (Path(qa.source.source_file).name, qa.question.split("?")[0], qa.level, qa.method)
        for qa in records.question_answers
    }
    assert found == {
        (LUDVIKA.name, "Har nämnden fastställt mål och riktlinjer för hemtjänsten", "ja", "tabell"),
        (
            LUDVIKA.name,
            "Följer nämnden upp utförd tid i förhållande till beviljad tid på ett sätt som "
            "gör det möjligt att styra verksamheten",
            "delvis",
            "tabell",
        ),
        (
            LUDVIKA.name,
            "Får nämnden tillräcklig rapportering om kvalitet och kontinuitet",
            "delvis",
            "tabell",
        ),
        (
            LUDVIKA.name,
            "Hanteras avvikelser inom hemtjänsten på ett systematiskt sätt",
            "nej",
            "tabell",
        ),
        (TRANAS.name, "Finns det en ändamålsenlig organisation för elevhälsan", "ja", "tabell"),
        (
            TRANAS.name,
            "Har eleverna tillgång till samtliga kompetenser inom elevhälsan",
            "delvis",
            "tabell",
        ),
        (TRANAS.name, "Följer nämnden upp elevhälsans arbete och resultat", "nej", "tabell"),
    }
    assert {v.level for v in records.verdicts} == {"delvis"}


def test_recommendations_are_extracted_whole(records) -> None:
    found = [
        (Path(r.source.source_file).name, r.committee, r.text, tuple(r.cited_sections))
        for r in records.recommendations
    ]
    assert sorted(found) == sorted(
        [
            (
                LUDVIKA.name,
                "Socialnämnden",
                "Säkerställa att utförd tid regelbundet jämförs med beviljad tid och att "
                "avvikelser analyseras",
                ("3.2",),
            ),
            (
                LUDVIKA.name,
                "Socialnämnden",
                "Utveckla rapporteringen till nämnden om kontinuitet och brukarnas upplevda "
                "kvalitet",
                ("3.3",),
            ),
            (
                LUDVIKA.name,
                "Socialnämnden",
                "Fastställa en rutin för hur fler avvikelser inom hemtjänsten ska sammanställas "
                "och analyseras",
                ("3.4",),
            ),
            (
                TRANAS.name,
                "Barn- och utbildningsnämnden",
                "Tydliggöra hur elevhälsans centrala resurser ska prioriteras mellan skolorna",
                ("3.1",),
            ),
            (
                TRANAS.name,
                "Barn- och utbildningsnämnden",
                "Ta fram en plan för att säkerställa elevernas tillgång till skolpsykolog och "
                "följa upp väntetiderna för utredning",
                ("3.2",),
            ),
            (
                TRANAS.name,
                "Barn- och utbildningsnämnden",
                "Begära in en årlig analys av elevhälsans resultat, närvaro och väntetider",
                ("3.3",),
            ),
        ]
    )


@pytest.mark.parametrize(
    ("path", "phrase", "pdf_pages", "reference"),
    [
        (LUDVIKA, "Ludvika kommun Granskning av socialnämndens styrning", (1,), "PDF-s. 1"),
        (LUDVIKA, "KPMG har på uppdrag av de förtroendevalda", (3,), "s. 3"),
        (
            LUDVIKA,
            "Hanteras avvikelser inom hemtjänsten på ett systematiskt sätt?",
            (3, 4),
            "s. 3–4",
        ),
        (LUDVIKA, "Förvaltningen har en rutin för rapportering", (6,), "s. 6"),
        (LUDVIKA, "| 4 | Hanteras avvikelser", (7,), "s. 7"),
        (TRANAS, "Revisionsrapport Granskning av barn- och", (1,), "PDF-s. 1"),
        (TRANAS, "Ernst & Young AB (EY) har på uppdrag", (3,), "s. 1"),
        (TRANAS, "I intervjuerna beskriver rektorerna", (4,), "s. 2"),
        (TRANAS, "| 3 | Begära in en årlig analys", (5,), "s. 3"),
    ],
)
def test_every_passage_cites_its_pdf_page_and_printed_page(
    result, path, phrase, pdf_pages, reference
) -> None:
    chunk = _holding(result, path, phrase)
    assert chunk.pages == pdf_pages
    assert page_reference(chunk.pages, chunk.printed_pages) == reference


@pytest.mark.parametrize("path", [LUDVIKA, TRANAS], ids=lambda p: p.stem)
def test_printed_pages_follow_the_pdf_pages(result, path: Path) -> None:
    """Ludvika prints the PDF page number ("Sida 3 av 7"); Tranås restarts at 1 on PDF page 3."""
    offset = 0 if path == LUDVIKA else 2
    for chunk in _chunks(result, path):
        if chunk.pages[0] == 1:
            assert chunk.printed_pages == ()  # the cover prints no number
            continue
        assert chunk.printed_pages == tuple(str(p - offset) for p in chunk.pages), chunk.text


def test_a_layout_step_that_fails_leaves_the_page_its_plain_text(monkeypatch):
    import ingest.pdftext as pdftext

    page = PdfReader(FIXTURES / "ludvika-2023-kpmg-hemtjanst.pdf").pages[3]

    def broken(*_args):
        raise IndexError("odd page")

    monkeypatch.setattr(pdftext, "_drop_footnote_markers", broken)
    words = pdftext.page_text(page).split()
    assert words and words == (page.extract_text() or "").split()
