"""Reading kommun, years, nämnd, document type and section intent out of a revisor's query."""

import pytest

from index.models import FILTER_FIELDS, Filters
from index.query_understanding import KINDS, interpret


def _parts(query, **kw):
    return [(r.kind, r.label) for r in interpret(query, **kw).recognised]


@pytest.mark.parametrize(
    ("query", "kommun", "matched"),
    [
        ("Orsas hemtjänst", "Orsa kommun", "Orsas"),
        ("socialnämnden i Kiruna 2022", "Kiruna kommun", "Kiruna"),
        ("Ragunda kommun missbruk", "Ragunda kommun", "Ragunda kommun"),
        ("piteå lss", "Piteå kommun", "piteå"),
        ("Härnösands kommuns revisorer", "Härnösands kommun", "Härnösands kommun"),
        ("Piteås LSS", "Piteå kommun", "Piteås"),
        ("samverkan Region Västernorrland", "Region Västernorrland", "Region Västernorrland"),
        ("Stockholms stad äldreomsorg", "Stockholms stad", "Stockholms stad"),
    ],
)
def test_kommun_by_short_genitive_or_official_name(query, kommun, matched):
    places = interpret(query).of_kind("kommun")
    assert [(p.label, p.matched) for p in places] == [(kommun, matched)]


@pytest.mark.parametrize(
    "query",
    ["vad ska vara med i rutinen", "mark och exploatering", "Mark och exploatering", "en lund"],
)
def test_kommun_names_that_are_everyday_words_need_a_capital_inside_the_query(query):
    assert interpret(query).of_kind("kommun") == ()


def test_an_everyday_word_name_capitalised_inside_the_query_is_a_place():
    assert interpret("äldreomsorg i Vara").values("kommun") == ("Vara kommun",)


@pytest.mark.parametrize("query", ["Mark kommun äldreomsorg", "mark kommun äldreomsorg"])
def test_an_everyday_word_name_before_kommun_is_a_place_without_the_genitive(query):
    # Written without the genitive of "Marks kommun", and first in the query.
    assert interpret(query).values("kommun") == ("Marks kommun",)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("LSS 2019", (2019, 2019)),
        ("LSS 2020–2022", (2020, 2022)),
        ("LSS 2020-22", (2020, 2022)),
        ("sedan 2021", (2021, None)),
        ("före 2022", (None, 2021)),
        ("till och med 2022", (None, 2022)),
        ("2021 och 2023", (2021, 2023)),
    ],
)
def test_years_and_ranges(query, expected):
    assert interpret(query).year_range == expected


@pytest.mark.parametrize(
    "query", ["SOSFS 2011:9 ledningssystem", "Dnr SOC/2022-000030", "beslut 2022-03-15"]
)
def test_years_inside_identifiers_and_dates_are_not_read_as_a_year_filter(query):
    # A Dnr, a regulation number or a meeting date is something to match, not a period.
    assert interpret(query).of_kind("år") == ()


def test_nämnd_document_type_and_section_intent():
    parts = _parts("KS protokoll Härnösand rekommendationer")
    assert ("nämnd", "Kommunstyrelsen") in parts
    assert ("dokumenttyp", "protokoll") in parts
    assert ("avsnitt", "slutsats/rekommendationer") in parts
    assert ("kommun", "Härnösands kommun") in parts
    assert _parts("bedömning i granskningen")[0] == ("avsnitt", "bedömning")
    assert ("dokumenttyp", "tjänsteskrivelse") in _parts("tjänsteskrivelsen om budget")
    assert ("dokumenttyp", "rapport/berättelse") in _parts("patientsäkerhetsberättelsen 2021")


@pytest.mark.parametrize(
    "query",
    [
        "nämndens svar på granskningen av insatser för vuxna",
        "socialnämndens yttrande över revisionens granskning av LSS",
        "yttrandet på den uppföljande granskningen",
        "svar på revisionsrapporten om hemtjänsten",
        "svaren på PwC:s IT-granskning",
        "yttranden över granskningarna",
        "Hur svarade socialnämnden på den grundläggande granskningen?",
        "vad har nämnden svarat på revisionens granskning",
        "nämndsvaret på granskningen av hemtjänsten",
        "hur besvarade socialnämnden granskningen",
        "har nämnden besvarat revisionens granskning",
    ],
)
def test_an_answer_to_an_audit_is_not_read_as_asking_for_the_audit_report(query):
    # The user wants what the nämnd replied, so no audit-report chip may steer toward the report.
    assert interpret(query).of_kind("dokumenttyp") == ()


@pytest.mark.parametrize(
    "query",
    [
        "granskningen av insatser för vuxna",
        # A report's own section "Svar på revisionsfrågorna" is asked for in the report.
        "svar på revisionsfrågorna i granskningen av hemtjänsten",
        # "ansvar" ends in "svar" but is no answer; the report's questions are "besvarade" in it.
        "nämndens ansvar över granskningen",
        "besvarade revisionsfrågorna i granskningen",
        "Hur besvarades revisionsfrågorna i granskningen?",
    ],
)
def test_an_audit_asked_for_without_an_answer_to_it_is_still_read_as_one(query):
    assert interpret(query).values("dokumenttyp") == (
        "granskningsrapport",
        "uppföljande granskning",
    )


def test_place_and_year_words_leave_the_lexical_query_but_nothing_empties_it():
    understood = interpret("socialnämnden i Kiruna 2022 hemtjänst")
    assert understood.stripped_query(("kommun", "år")) == "socialnämnden i hemtjänst"
    assert understood.stripped_query(()) == understood.query
    # A query that is only a place keeps its words: an empty query would find nothing.
    assert interpret("Ragunda").stripped_query(("kommun",)) == "Ragunda"


def test_dropped_chips_are_not_used_and_are_reported():
    understood = interpret("Ragunda missbruk 2022", ignore=("kommun:Ragunda kommun",))
    assert understood.values("kommun") == ()
    assert understood.year_range == (2022, 2022)
    assert understood.ignored == ("kommun:Ragunda kommun",)


def test_a_chip_becomes_a_hard_filter_added_to_the_user_filters():
    understood = interpret("Piteå socialnämnden 2020–2022")
    base = Filters(doc_types=("granskningsrapport",))
    filters = understood.as_filters(("kommun", "år"), base=base)
    assert filters.municipalities == ("Piteå kommun",)
    assert (filters.year_from, filters.year_to) == (2020, 2022)
    assert filters.doc_types == ("granskningsrapport",)
    assert filters.committees == ()  # not asked for
    assert understood.as_filters(("nämnd",)).committees == ("Socialnämnden",)


def test_interpretation_as_json():
    data = interpret("Karlshamns öppenvård 2023").to_dict()
    assert list(data)[:7] == [
        "query",
        "kommun",
        "år_från",
        "år_till",
        "nämnd",
        "dokumenttyp",
        "avsnitt",
    ]
    assert data["kommun"] == ["Karlshamns kommun"]
    assert (data["år_från"], data["år_till"]) == (2023, 2023)
    assert {item["nyckel"] for item in data["igenkänt"]} == {
        "kommun:Karlshamns kommun",
        "år:2023",
    }


def test_a_year_chip_made_a_filter_meets_the_users_range_where_they_overlap():
    understood = interpret("LSS 2020–2023")
    assert understood.as_filters(("år",), base=Filters(year_from=2022)).year_from == 2022
    narrowed = understood.as_filters(("år",), base=Filters(year_from=2021, year_to=2022))
    assert (narrowed.year_from, narrowed.year_to) == (2021, 2022)
    # No overlap: the range the user just asked for in the query wins.
    apart = understood.as_filters(("år",), base=Filters(year_from=2024))
    assert (apart.year_from, apart.year_to) == (2020, 2023)


def test_every_kind_but_the_year_becomes_a_filter_field():
    recognised = {f.query_kind: f.name for f in FILTER_FIELDS if f.query_kind}
    assert set(KINDS) - set(recognised) == {"år"}
    understood = interpret("protokoll från socialnämnden i Ragunda om rekommendationer")
    filters = understood.as_filters()
    for kind, name in recognised.items():
        assert getattr(filters, name) == understood.values(kind) != (), kind
