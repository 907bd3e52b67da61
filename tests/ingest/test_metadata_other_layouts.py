"""Metadata of documents laid out as other kommuner, regions and byråer lay them out.

Each text is written for the test after the openings of real reports, protocols and letters
from kommuner outside the sample corpus (Stockholm's Stadsrevisionen, a PwC report whose cover
lists its authors, a protocol with its head in capitals, a tjänsteutlåtande). Each pattern was
read wrongly before: the test names what a reader of the document sees.
"""

from __future__ import annotations

import pytest

from index.query_understanding import interpret
from ingest.furniture_lines import is_footer_line
from ingest.metadata import detect_metadata
from ingest.places import find_committees, find_municipalities
from ingest.sections import split_sections


def test_a_revisionsrapport_cover_is_an_audit_report_with_its_byrå() -> None:
    text = (
        "Revisionsrapport\n\nGranskning av bidragshanteringen\n\nBoxholms kommun\n\n"
        "Oktober 2019\n\n"
        "Sammanfattning\n"
        "På uppdrag av de förtroendevalda revisorerna i Boxholms kommun har PwC granskat "
        "kommunstyrelsens hantering av föreningsbidrag. Vi bedömer att hanteringen i huvudsak "
        "fungerar.\n"
    )
    md = detect_metadata(text)
    assert md.doc_type == "granskningsrapport"  # was "rapport/berättelse"
    assert md.audit_firm == "PwC"
    assert md.municipality == "Boxholms kommun"
    assert md.year == 2019


@pytest.mark.parametrize(
    ("opening", "firm"),
    [
        ("Revisorerna i Bjurholms kommun har gett KPMG i uppdrag att granska hemtjänsten.", "KPMG"),
        ("Kommunens revisorer har uppdragit åt Deloitte att granska hemtjänsten.", "Deloitte"),
        ("På uppdrag av Bjurholms kommuns revisorer har EY granskat hemtjänsten.", "EY"),
    ],
)
def test_the_byrå_is_read_from_how_the_auditors_commissioned_it(opening, firm) -> None:
    text = (
        f"Hemtjänstens styrning\n\n{opening}\n\nRevisionsfrågor\nHar nämnden säkerställt "
        "en ändamålsenlig styrning?\n\nRevisionskriterier\nSocialtjänstlagen.\n"
    )
    md = detect_metadata(text)
    assert md.doc_type == "granskningsrapport"
    assert md.audit_firm == firm


def test_a_letter_from_the_auditors_names_the_byrå_that_wrote_the_attached_report() -> None:
    text = (
        "Kommunens revisorer\n\nTill kommunfullmäktige i Bjurholms kommun\n\n"
        "Granskning av delårsrapport 2019\n\n"
        "Revisorerna har granskat delårsrapporten. Resultatet framgår av den bifogade rapporten, "
        "som utarbetats av Deloitte.\n"
    )
    assert detect_metadata(text).audit_firm == "Deloitte"


def test_a_nämnd_document_that_quotes_the_byrå_gets_no_byrå() -> None:
    text = (
        "Tjänsteskrivelse\n\nSvar på granskning av hemtjänsten\n\n"
        "Bjurholms kommuns revisorer har gett KPMG i uppdrag att granska hemtjänsten. "
        "Förvaltningen föreslår att nämnden antar svaret.\n"
    )
    md = detect_metadata(text)
    assert md.doc_type == "tjänsteskrivelse"
    assert md.audit_firm is None


def test_stadsrevisionen_names_its_city_without_the_word_stad() -> None:
    text = (
        "STADSREVISIONEN\n\nÅrsrapport 2012\n\nTEKNISKA NÄMNDEN\n\n"
        "Stadsrevisionen i Stockholm granskar nämndernas ansvarstagande för verksamheten. "
        "Revisorerna har avslutat revisionen av nämndens verksamhet under år 2012.\n"
    )
    md = detect_metadata(text)
    assert md.municipality == "Stockholms stad"
    assert md.committee == "Tekniska nämnden"


@pytest.mark.parametrize(
    "head",
    [
        "VILHELMINA KOMMUN PROTOKOLL 1(12)\nSocialnämnden 2016-06-09",
        "Socialnämnden SAMMANTRÄDESPROTOKOLL\nSocialnämnden 2016-06-09",
        "Socialnämnden 2016-06-09\n\nPlats och tid Kommunhuset kl 13.00–15.30\n"
        "Utses att justera Anna Berg",
    ],
)
def test_a_protocol_is_known_by_its_head_and_dated_by_it(head) -> None:
    text = (
        f"{head}\n\nBeslutande Karin Ek (S), ordförande\n\n"
        "§ 61 Ärendebeskrivning\nFörvaltningen har tagit fram en handlingsplan för hemtjänsten. "
        "Socialnämnden beslutar att godkänna handlingsplanen.\n"
    )
    md = detect_metadata(text)
    assert md.doc_type == "protokoll"  # was "annat" or "tjänsteskrivelse"
    assert md.date == "2016-06-09"
    assert md.title is None or not md.title.startswith(("Plats och tid", "Beslutande"))


def test_a_tjänsteutlåtande_dated_in_a_letterhead_with_case_and_page_number() -> None:
    text = (
        "1 september 2014 KS-2014/742.912 1 (11)\nHANDLÄGGARE\nAnna Berg\n\n"
        "Kommunstyrelsen\n\nTjänsteutlåtande\n\nGranskning av utbetalningar, svar på "
        "revisionsskrivelse\n\nFörslag till beslut\nKommunstyrelsen antar svaret.\n"
    )
    md = detect_metadata(text)
    assert md.doc_type == "tjänsteskrivelse"
    assert md.date == "2014-09-01"
    assert md.title == "Granskning av utbetalningar, svar på revisionsskrivelse"


def test_the_people_under_a_cover_title_are_not_the_title() -> None:
    text = (
        "Samlad uppföljande granskning\n\nRegion Jämtland Härjedalen Juni 2021\n\n"
        "Anna Berg, projektledare Erik Ek, revisionskonsult\n\n"
        "Karin Lind, certifierad kommunal revisor\n\nInnehållsförteckning\n\n"
        "Sammanfattning\nPwC har på uppdrag av de förtroendevalda revisorerna i Region Jämtland "
        "Härjedalen genomfört en samlad uppföljande granskning. Revisionsfrågorna besvaras nedan. "
        "Vi rekommenderar regionstyrelsen att följa upp arbetet.\n"
    )
    md = detect_metadata(text)
    assert md.title == "Samlad uppföljande granskning"
    assert md.doc_type == "uppföljande granskning"


def test_national_authorities_named_like_a_nämnd_are_no_committees() -> None:
    names = [m.name for m in find_committees("enligt Bokföringsnämndens allmänna råd")]
    assert names == []
    assert [m.name for m in find_committees("Sociala resursnämnden")] == ["Sociala resursnämnden"]
    # An adjective that says which nämnd is meant is not part of a name.
    assert [m.name for m in find_committees("den berörda nämnden")] == []


def test_a_long_line_holding_a_footers_words_is_body_text_and_kept() -> None:
    assert is_footer_line(
        "© 2021 KPMG AB, a Swedish limited liability company. All rights reserved."
    )
    page_run_together = (
        "Granskning av handläggningstider inom försörjningsstödet Arboga kommun 2014 KPMG AB "
        + "Vi har granskat handläggningen av ansökningar om ekonomiskt bistånd. " * 6
        + "All rights reserved."
    )
    assert not is_footer_line(page_run_together)


# -- a second set of layouts ----------------------------------------------------------------


def test_contents_lines_with_dot_leaders_are_no_headings() -> None:
    # The contents list is a longer outline than the body's first pages; it must not win.
    contents = "".join(
        f"{n} {title} ...{page}\n\n"
        for n, title, page in [
            ("1.", "Sammanfattning och rekommendationer", 2),
            ("2.", "Granskningen", 2),
            ("2.1.", "Bakgrund", 2),
            ("2.2.", "Syfte", 3),
            ("3.", "Förvaltningsberättelsen", 3),
            ("3.1.", "Utformning och innehåll", 4),
            ("3.2.", "Kommunfullmäktiges mål", 4),
            ("4.", "Årsbokslutet", 6),
        ]
    )
    text = (
        f"Granskning av årsredovisning 2017\n\nInnehåll\n\n{contents}"
        "1. Sammanfattning och rekommendationer\n"
        "Vi har granskat årsredovisningen för 2017 och rekommenderar att målen följs upp.\n\n"
        "2. Granskningen\nGranskningen har utförts enligt god revisionssed.\n"
    )
    titles = [s.title for s in split_sections(text) if s.title]
    assert titles == ["Sammanfattning och rekommendationer", "Granskningen"]


def test_a_word_revisionsrapport_without_any_audit_cue_is_a_label_not_an_audit() -> None:
    # A kommun's table of what it did after the audits, with "Revisionsrapport" as a column.
    text = (
        "Åtgärder efter revisionsrapporter 2021\n\nRevisionsrapport\n\n"
        "Vilket beslut har fattats om rapporten?\n\n"
        "Kommunstyrelsen ställer sig bakom revisorernas synpunkter och uppdaterar planerna.\n"
    )
    assert detect_metadata(text).doc_type not in ("granskningsrapport", "uppföljande granskning")


def test_a_byrås_cover_line_and_a_running_header_give_the_report_date() -> None:
    cover = (
        "Granskning av informationssäkerhet\n\nRapport\n\n"
        "KPMG AB 2020-12-03 Antal sidor 21 Bilaga: 1 Boxholms kommun\n\n"
        "1 Sammanfattning\nVi har på uppdrag av de förtroendevalda revisorerna i Boxholms kommun "
        "granskat informationssäkerheten.\n"
    )
    assert detect_metadata(cover).date == "2020-12-03"
    running = detect_metadata(
        "1 Sammanfattning\nVi har granskat informationssäkerheten.\n",
        header_lines=["Boxholms kommun", "Granskning av informationssäkerhet 2020-12-03"],
    )
    assert running.date == "2020-12-03"


def test_a_protocols_plats_och_tid_line_gives_the_meeting_date() -> None:
    text = (
        "Äldre- och omsorgsnämnden\n\n"
        "Plats och tid Kommunhuset, torsdagen den 21 februari 2019, kl. 17.30–19.25\n\n"
        "Beslutande Karin Ek (S), ordförande\n\n§ 14 Förvaltningen informerar\n"
    )
    assert detect_metadata(text).date == "2019-02-21"


def test_web_addresses_case_numbers_and_page_counts_are_no_titles() -> None:
    text = (
        "Årsrapport 2020 för Södermalms stadsdelsnämnd\n\nRapport från stadsrevisionen\n\n"
        "Nr 29, 2021 Dnr: RVK 2021/31\n\nHemsida:\n\nwww.stockholm.se/revision\n\n"
        "Den kommunala revisionen är fullmäktiges kontrollinstrument för att granska verksamheten."
        "\n"
    )
    md = detect_metadata(text)
    assert md.title == "Årsrapport 2020 för Södermalms stadsdelsnämnd"
    assert md.committee == "Södermalms stadsdelsnämnd"


def test_a_districts_stadsdelsnämnd_keeps_the_district_in_its_name() -> None:
    found = find_committees("Enskede-Årsta- Vantörs stadsdelsnämnds verksamhet och Till Södermalms")
    assert [m.name for m in found] == ["Enskede-Årsta-Vantörs stadsdelsnämnd"]
    assert [m.name for m in find_committees("Till Västra Hisingens stadsdelsnämnd")] == [
        "Västra Hisingens stadsdelsnämnd"
    ]
    assert [m.name for m in find_committees("stadsdelsnämnden beslutade")] == ["Stadsdelsnämnden"]


@pytest.mark.parametrize(
    "name", ["Norrbottens läns landsting", "Landstinget i Norrbotten", "Landstinget Norrbotten"]
)
def test_a_landsting_before_2019_is_its_region(name) -> None:
    assert [m.official_name for m in find_municipalities(f"Revisorerna i {name}")] == [
        "Region Norrbotten"
    ]
    assert interpret(f"{name.lower()} bisysslor").values("kommun") == ("Region Norrbotten",)


def test_handläggare_and_förslag_till_beslut_make_a_tjänsteskrivelse() -> None:
    text = (
        "SOCIALFÖRVALTNINGEN\nHandläggare\nAnna Berg\n\nSocialnämnden\n\n"
        "Yttrande till IVO om bostadssamordningen\n\n"
        "Förslag till beslut\nSocialnämnden föreslås besluta att avge yttrande till IVO.\n"
    )
    assert detect_metadata(text).doc_type == "tjänsteskrivelse"


def test_a_protocols_agenda_naming_delegationsbeslut_does_not_make_it_a_delegationslista() -> None:
    text = (
        "Äldre- och omsorgsnämnden\n\nÄrenden\n14 Förvaltningen informerar\n"
        "25 Anmälan av delegationsbeslut februari 2019\n\n"
        "Plats och tid Kommunhuset, torsdagen den 21 februari 2019\n"
    )
    assert detect_metadata(text).doc_type != "delegationslista"
    assert detect_metadata("Delegationsbeslut februari 2019\n\nBeslut om bistånd.").doc_type == (
        "delegationslista"
    )
