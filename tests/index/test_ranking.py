"""After fusion: boosts from what the query names, folding copies, the cap on one document."""

from dataclasses import replace

import pytest

from index.chunk_table import ChunkColumns
from index.query_understanding import interpret
from index.ranking import RankingSettings, boost, group
from ingest.models import Chunk


def _chunk(row, text, *, doc="d1", kommun="Ragunda kommun", year=2022, index=None, heading=("1",)):
    return Chunk(
        chunk_id=f"c{row}",
        doc_id=doc,
        source_id=doc,
        chunk_index=row if index is None else index,
        text=text,
        municipality=kommun,
        year=year,
        date=None,
        committee="Socialnämnden",
        doc_type="granskningsrapport",
        audit_firm=None,
        title="T",
        case_number=None,
        paragraph=None,
        section_number="1",
        section_title="S",
        section_kind="bedömning",
        heading_path=heading,
        pages=(1,),
        printed_pages=(),
        source_file=f"{doc}.pdf",
        content_hash="h",
        text_hash=f"t{row}",
        token_count=10,
    )


WORDS = "samverkan med regionen kring missbruk och psykiatri behöver utvecklas vidare"


def test_a_named_kommun_lifts_its_passages_but_a_clearly_better_one_stays_first():
    chunks = [
        _chunk(0, "a", kommun="Härnösands kommun"),
        _chunk(1, "b", kommun="Ragunda kommun"),
        _chunk(2, "c", kommun="Härnösands kommun"),
    ]
    fused = [(0, 1.0), (2, 0.9), (1, 0.8)]
    settings = RankingSettings(boost_kommun=0.15, boost_year=0.0)
    columns = ChunkColumns.of(chunks)
    ranked = boost(fused, columns, interpret("Ragunda samverkan"), settings)
    # Scaled to 0..1: 1.0, 0.5, 0 (+0.15 for Ragunda) → the clearly better row 0 keeps first place.
    assert [row for row, _ in ranked] == [0, 2, 1]
    ranked = boost(
        fused, columns, interpret("Ragunda samverkan"), replace(settings, boost_kommun=0.6)
    )
    assert [row for row, _ in ranked] == [0, 1, 2]
    # A query naming nothing leaves the order alone.
    assert [row for row, _ in boost(fused, columns, interpret("samverkan"), settings)] == [0, 2, 1]


def test_year_range_boost_and_an_open_range():
    chunks = [_chunk(0, "a", year=2019), _chunk(1, "b", year=2022), _chunk(2, "c", year=None)]
    fused = [(0, 1.0), (1, 0.95), (2, 0.9)]
    settings = RankingSettings(boost_year=0.6, boost_kommun=0.0)
    ranked = boost(fused, ChunkColumns.of(chunks), interpret("sedan 2021 samverkan"), settings)
    # Scaled 1.0, 0.5, 0; 2022 is "sedan 2021" (+0.6), 2019 and an unknown year are not.
    assert [row for row, _ in ranked] == [1, 0, 2]


def test_copies_fold_into_the_better_passage_and_are_kept():
    text = " ".join([WORDS] * 3)
    chunks = [
        _chunk(0, text, doc="rapport"),
        _chunk(1, "helt annan text om ekonomi i balans och budget", doc="rapport", index=7),
        _chunk(2, "Nämnden citerar: " + text, doc="handling", kommun="Härnösands kommun"),
    ]
    groups = group([(0, 1.0), (1, 0.8), (2, 0.7)], chunks, 10, RankingSettings())
    assert [(g.row, g.copies) for g in groups] == [(0, (2,)), (1, ())]
    # Folding off: three passages.
    plain = group(
        [(0, 1.0), (1, 0.8), (2, 0.7)], chunks, 10, RankingSettings(collapse_duplicates=False)
    )
    assert [g.row for g in plain] == [0, 1, 2]


def test_neighbouring_windows_of_one_section_are_one_passage():
    chunks = [
        _chunk(0, "första delen av avsnittet om uppföljning", index=3),
        _chunk(1, "andra delen av avsnittet med annan text", index=4),
        _chunk(2, "andra delen men ett annat avsnitt med annan text", index=5, heading=("2",)),
    ]
    groups = group([(1, 1.0), (0, 0.9), (2, 0.8)], chunks, 10, RankingSettings())
    assert [(g.row, g.copies) for g in groups] == [(1, (0,)), (2, ())]


def test_document_cap_defers_but_never_drops():
    chunks = [
        _chunk(i, f"text nummer {i} om olika saker {i * 7}", doc="plan", index=i * 3)
        for i in range(5)
    ]
    chunks.append(_chunk(5, "ett annat dokument om samma fråga", doc="rapport"))
    ranked = [(i, 1.0 - i / 10) for i in range(6)]
    capped = group(ranked, chunks, 3, RankingSettings(document_cap=2))
    assert [g.row for g in capped] == [0, 1, 5]
    # The query is about the plan itself: no cap.
    about = group(ranked, chunks, 3, RankingSettings(document_cap=2), frozenset({"plan"}))
    assert [g.row for g in about] == [0, 1, 2]
    # Not enough other passages: the capped ones fill the list rather than leave it short.
    short = group(ranked[:5], chunks, 4, RankingSettings(document_cap=2))
    assert [g.row for g in short] == [0, 1, 2, 3]


def test_settings_are_validated_and_read_from_an_index_config():
    with pytest.raises(ValueError, match="strip_lexical"):
        RankingSettings(strip_lexical=("nämnd",))
    settings = RankingSettings.from_config({"strip_lexical": ["kommun"], "unknown": 1})
    assert settings.strip_lexical == ("kommun",)
    assert RankingSettings.from_config(None) == RankingSettings()


def test_parent_window_adds_a_share_of_the_best_neighbour():
    from index.ranking import with_neighbours

    neighbours = {0: (1,), 1: (0, 2), 2: (1,), 3: ()}
    fused = [(3, 1.0), (1, 0.9), (0, 0.5), (2, 0.1)]
    widened = dict(with_neighbours(fused, neighbours.__getitem__, 0.5))
    assert widened == {
        3: pytest.approx(1.0),
        1: pytest.approx(0.9 + 0.5 * 0.5),
        0: pytest.approx(0.5 + 0.5 * 0.9),
        2: pytest.approx(0.1 + 0.5 * 0.9),
    }
    assert with_neighbours(fused, neighbours.__getitem__, 0.0) == fused


def _boost_row_by_row(fused, chunks, interpretation, settings):
    """The boost's definition, one chunk at a time: what the column version must equal."""
    top, low = max(s for _, s in fused), min(s for _, s in fused)
    span = (top - low) or 1.0
    kommuner = {v.casefold() for v in interpretation.values("kommun")}
    committees = {v.casefold() for v in interpretation.values("nämnd")}
    doc_types = set(interpretation.values("dokumenttyp"))
    sections = set(interpretation.values("avsnitt"))
    year_from, year_to = interpretation.year_range
    out = []
    for row, score in fused:
        chunk = chunks[row]
        value = (score - low) / span
        if chunk.municipality and chunk.municipality.casefold() in kommuner:
            value += settings.boost_kommun
        if (
            interpretation.of_kind("år")
            and chunk.year is not None
            and (year_from is None or chunk.year >= year_from)
            and (year_to is None or chunk.year <= year_to)
        ):
            value += settings.boost_year
        if chunk.committee and chunk.committee.casefold() in committees:
            value += settings.boost_committee
        if chunk.doc_type in doc_types:
            value += settings.boost_doc_type
        if chunk.section_kind in sections:
            value += settings.boost_section
        out.append((row, value))
    return sorted(out, key=lambda item: (-item[1], item[0]))


@pytest.mark.parametrize(
    "query",
    [
        "Ragundas missbruksvård",
        "socialnämnden i Härnösand 2022 rekommendationer",
        "protokoll sedan 2021 om ekonomi",
        "bedömning av intern kontroll 2019–2023 granskning",
        "samverkan med regionen",
    ],
)
def test_the_boost_on_columns_equals_its_row_by_row_definition(corpus_searcher, query):
    chunks = corpus_searcher.chunks
    interpretation = interpret(query)
    fused = [(row, 1.0 / (1 + row % 37)) for row in range(0, len(chunks), 3)]
    settings = RankingSettings(
        boost_kommun=0.5, boost_year=0.1, boost_committee=0.05, boost_doc_type=0.07
    )
    columns = ChunkColumns.of(chunks)
    expected = _boost_row_by_row(fused, chunks, interpretation, settings)
    assert boost(fused, columns, interpretation, settings) == expected
    plain = _boost_row_by_row(fused, chunks, interpret("samverkan"), settings)
    lifted = sum(a != b for a, b in zip(sorted(expected), sorted(plain), strict=True))
    # Every query but the last names something the corpus holds, and lifts some rows.
    assert (lifted > 0) == (query != "samverkan med regionen")
