"""Swedish analysis: tokens, stopwords, stems and the data-driven compound splitter."""

import pytest

from ingest.analysis import CompoundVocabulary, SwedishAnalyzer, VocabularyError

# A mini corpus where every part word occurs on its own at least twice, so the splitter knows it.
MINI = [
    "Missbruk och vård. Vården av personer med missbruk ska följas upp.",
    "Kvalitet i ledning och system: kvaliteten, ledningen och systemet granskas.",
    "Arbete pågår. Arbetet med kvalitet fortsätter.",
    "Ett ledningssystem för systematiskt kvalitetsarbete. Ledningssystemet är nytt.",
    "Äldre personer i ett boende. Boende för äldre har personal.",
    "Samverkan och verkan. Verkan av samverkan är oklar.",
    "Revisorerna i Karlshamn granskar. Nämnden i Karlshamn svarar.",
    "En karl i en hamn, karl och hamn.",
    "Regler för inga beslut. Regler och inga undantag.",
]


@pytest.fixture(scope="module")
def mini():
    return SwedishAnalyzer().fitted(MINI)


def test_casefold_keeps_swedish_letters_and_drops_stopwords():
    analyzer = SwedishAnalyzer()
    assert analyzer.tokenize("ÄLDRE Över Åtgärder och inte") == ["äldr", "åtgärd"]


def test_numbers_and_references_are_kept_whole_and_in_parts():
    analyzer = SwedishAnalyzer()
    assert analyzer.tokenize("SOSFS 2011:9") == ["sosf", "2011:9", "2011", "9"]
    assert analyzer.tokenize("Dnr SOC/2022-000030, § 26") == ["dnr", "soc", "2022", "000030", "26"]


def test_query_and_passage_share_stems():
    analyzer = SwedishAnalyzer()
    assert analyzer.tokenize("vården") == analyzer.tokenize("vård")
    assert analyzer.tokenize("ledningssystemet") == analyzer.tokenize("ledningssystem")


def test_unfitted_or_disabled_analyzer_splits_nothing(mini):
    assert SwedishAnalyzer().tokenize("missbruksvård") == ["missbruksvård"]
    off = mini.with_settings(split_compounds=False)
    assert off.tokenize("missbruksvård") == ["missbruksvård"]


def test_compound_splits_with_linking_s(mini):
    assert mini.tokenize("missbruksvården") == ["missbruksvård", "missbruk", "vård"]
    assert set(mini.tokenize("missbruk")) <= set(mini.tokenize("missbruksvård"))


def test_compound_splits_with_linking_e(mini):
    # äldre → "äldr", boende → "boend": the parts meet the standalone words.
    assert mini.tokenize("äldreboende") == ["äldreboend", "äldr", "boend"]
    assert set(mini.tokenize("boende")) <= set(mini.tokenize("äldreboende"))


def test_fewer_longer_parts_first_then_their_parts(mini):
    # "ledningssystem" is a known word, so the best split has two parts; it is split in turn.
    assert mini.compound_parts("kvalitetsledningssystemet") == (
        "kvalitet",
        "ledningssystem",
        "ledning",
        "system",
    )


def test_compound_query_meets_passage_with_only_the_parts(mini):
    query = set(mini.tokenize("kvalitetsledningssystemet"))
    passage = set(mini.tokenize("ledningssystem för systematiskt kvalitetsarbete"))
    assert {"kvalitet", "ledningssystem", "ledning", "system"} <= query & passage
    assert "arbet" in passage


def test_short_and_ordinary_words_are_not_split(mini):
    # "sam" is too short to be a part even though "verkan" is known.
    assert mini.compound_parts("samverkan") == ()
    # "ing" (the stem of "inga") is a suffix, never the head of a compound.
    assert mini.compound_parts("regleringen") == ()
    assert mini.compound_parts("systemet") == ()


def test_names_and_unknown_parts_are_not_split(mini):
    # "karl" and "hamn" are known, but the text writes Karlshamn as a name.
    assert "karlshamn" in mini.vocabulary.names
    assert mini.compound_parts("Karlshamn") == ()
    assert mini.compound_parts("kvalitetsxyzqsystem") == ()
    assert mini.tokenize("2022") == ["2022"]


def test_vocabulary_round_trips_through_json(mini, tmp_path):
    path = tmp_path / "analyzer.json"
    mini.save(path)
    loaded = SwedishAnalyzer.load(path)
    assert loaded.settings == mini.settings
    assert loaded.vocabulary == mini.vocabulary
    text = " ".join(MINI) + " kvalitetsledningssystemet missbruksvård äldreboende"
    assert loaded.tokenize(text) == mini.tokenize(text)


def test_unreadable_vocabulary_says_rebuild(tmp_path):
    path = tmp_path / "analyzer.json"
    path.write_text('{"settings": {}, "vocabulary": {"format": 99}}', encoding="utf-8")
    with pytest.raises(VocabularyError, match="bygg om"):
        SwedishAnalyzer.load(path)
    with pytest.raises(VocabularyError):
        CompoundVocabulary.from_json({"format": 99})


def test_real_corpus_compounds(corpus_result):
    analyzer = SwedishAnalyzer().fitted([c.text for c in corpus_result.chunks])
    assert {"kvalitet", "ledning", "system"} <= set(analyzer.tokenize("kvalitetsledningssystemet"))
    assert analyzer.tokenize("missbruk")[0] in analyzer.tokenize("missbruksvård")
    assert analyzer.tokenize("boende")[0] in analyzer.tokenize("äldreboende")
    assert analyzer.compound_parts("samverkan") == ()
    # Names are stemmed like any word ("Ragunda" → "ragund"), but never cut into parts.
    for place in ("Härnösand", "Härnösands", "Karlshamn", "Piteå", "Ragunda", "Västernorrland"):
        assert len(analyzer.tokenize(place)) == 1
        assert analyzer.compound_parts(place) == ()
