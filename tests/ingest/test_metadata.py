"""Metadata detection: known answers for the five seed documents, and generic cases."""

from __future__ import annotations

import re

import pytest

from ingest.metadata import DetectedMetadata, detect_metadata
from ingest.models import DOC_TYPES, ItemSpan
from ingest.vocabulary import parse_date
from tests.conftest import SEED_FILES

FOOTER = ("©", "Document classification")


def seed_text(prefix: str) -> str:
    path = SEED_FILES[prefix]
    return path.read_text(encoding="utf-8")


def clean_seed(raw: str) -> tuple[str, list[str]]:
    """Stand-in for the cleaning module: drop footer lines and lift out the header block.

    KPMG reports print "© 2021 KPMG AB" and "Document classification" at the foot of a page
    and the running header (kommun, title, date) at the top of the next one. The header block is
    the non-blank lines after such a footer up to and including a date line.
    """
    lines = raw.splitlines()
    kept: list[str] = []
    header: list[str] = []
    i = 0
    while i < len(lines):
        if not any(marker in lines[i] for marker in FOOTER):
            kept.append(lines[i])
            i += 1
            continue
        i += 1
        block: list[int] = []
        j = i
        while j < len(lines) and len(block) < 5:
            line = lines[j].strip()
            if line and not any(marker in line for marker in FOOTER):
                block.append(j)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", line):
                    header = header or [lines[k].strip() for k in block]
                    i = j + 1
                    break
            j += 1
    return "\n".join(kept), header


def seed_metadata(prefix: str) -> DetectedMetadata:
    text, header = clean_seed(seed_text(prefix))
    return detect_metadata(text, header_lines=header)


@pytest.fixture(scope="module")
def packet() -> DetectedMetadata:
    return seed_metadata("002")


# ------------------------------------------------------------------------------ seeds


def test_clean_seed_lifts_the_header_block() -> None:
    text, header = clean_seed(seed_text("000"))
    assert header == [
        "Härnösands kommun",
        "Uppföljande granskning av insatser för vuxna",
        "2021-11-11",
    ]
    assert "KPMG Public" not in text and "2021-11-11" not in text


@pytest.mark.parametrize(
    ("prefix", "municipality", "year", "doc_type", "audit_firm", "committee"),
    [
        ("000", "Härnösands kommun", 2021, "uppföljande granskning", "KPMG", "Socialnämnden"),
        ("001", "Ragunda kommun", 2022, "granskningsrapport", "KPMG", "Kommunstyrelsen"),
        ("003", "Karlshamns kommun", 2023, "granskningsrapport", "EY", "Socialnämnden"),
        ("004", "Piteå kommun", 2023, "granskningsrapport", "KPMG", "Socialnämnden"),
    ],
)
def test_seed_reports(prefix, municipality, year, doc_type, audit_firm, committee) -> None:
    md = seed_metadata(prefix)
    assert (md.municipality, md.year, md.doc_type, md.audit_firm, md.committee) == (
        municipality,
        year,
        doc_type,
        audit_firm,
        committee,
    )


def test_seed_000_reads_the_header_block() -> None:
    md = seed_metadata("000")
    assert md.date == "2021-11-11"
    assert md.title == "Uppföljande granskning av insatser för vuxna"
    assert md.sources["municipality"] == md.sources["date"] == md.sources["title"] == "rubrik"
    assert md.sources["audit_firm"] == "text"
    assert md.warnings == ()


def test_seed_001_date_and_title() -> None:
    md = seed_metadata("001")
    assert (md.date, md.title) == ("2022-12-05", "Granskning av missbruksvård")


def test_seed_003_year_is_inferred_and_says_so() -> None:
    md = seed_metadata("003")
    assert md.date is None
    assert md.sources["year"] == "härlett"
    assert "år härlett från senast nämnda år i texten (2023)" in md.warnings
    assert "datum saknas i dokumentet" in md.warnings
    assert md.title == "Granskning av socialnämndens styrning och uppföljning av öppenvårdsinsatser"
    assert md.sources["committee"] == "text"


def test_seed_004_year_from_revisionsplan_no_date_title_from_the_assignment() -> None:
    md = seed_metadata("004")
    # The report states no date; "Uppdraget ingår i revisionsplanen för år 2023" gives the year.
    assert (md.date, md.year, md.sources["year"]) == (None, 2023, "text")
    # No title page: "… fått i uppdrag att granska om socialnämnden säkerställer en
    # ändamålsenlig verksamhet inom LSS" names what is audited, and the title says it is derived.
    assert md.title == "Granskning: socialnämnden säkerställer en ändamålsenlig verksamhet inom LSS"
    assert md.sources["title"] == "härlett"
    assert "titel härledd ur granskningens uppdrag" in md.warnings
    assert "datum saknas i dokumentet" in md.warnings


@pytest.mark.parametrize(
    "text, title",
    [
        # The byrå's logo line ends in a full stop; the title page goes on below it.
        (
            "Deloitte.\n\nFalu kommun\nGranskning av nämndens arbete med elevfrånvaro\n"
            "Revisionsrapport 2022\n\n1 Sammanfattning\nVi har granskat frånvaron.",
            "Granskning av nämndens arbete med elevfrånvaro",
        ),
        # Set in capitals for the cover: lowered, abbreviations kept.
        (
            "GRANSKNING AV IFO:S ARBETE MED HVB-PLACERINGAR ENLIGT SOL OCH LSS\n\n"
            "1 Sammanfattning\nEY har granskat placeringarna.",
            "Granskning av IFO:s arbete med HVB-placeringar enligt SoL och LSS",
        ),
        # No title page: what the audit is commissioned to examine.
        (
            "1 Sammanfattning\nPwC har på uppdrag av de förtroendevalda revisorerna i Eda kommun "
            "granskat kommunstyrelsens arbete med upphandling och avtalstrohet.\n\n"
            "Vår sammanfattande bedömning är att kommunstyrelsen delvis har en ändamålsenlig "
            "styrning. Vi rekommenderar kommunstyrelsen att följa upp avtalstroheten.",
            "Granskning av kommunstyrelsens arbete med upphandling och avtalstrohet",
        ),
        # Neither: the first heading that names more than a part of a document.
        (
            "1 Ekonomisk redovisning\n1.1 Nämndens resultat\nNämnden redovisar ett underskott "
            "på 5 mnkr.",
            "Ekonomisk redovisning",
        ),
    ],
)
def test_a_title_is_found_or_derived_for_documents_without_a_title_line(text, title) -> None:
    assert detect_metadata(text).title == title


def test_a_document_with_no_title_anywhere_says_the_file_name_is_shown() -> None:
    md = detect_metadata("1 Sammanfattning\nNämnden har beslutat i ärendet.")
    assert md.title is None
    assert "titel saknas i dokumentet; filnamnet visas i stället" in md.warnings


def test_seed_002_packet_as_a_whole(packet: DetectedMetadata) -> None:
    assert packet.municipality == "Härnösands kommun"
    assert packet.year == 2022
    assert packet.committee == "Socialnämnden"
    assert packet.audit_firm is None
    # Tjänsteskrivelser in the packet quote KPMG's audits; the packet is not an audit report.
    assert packet.doc_type not in ("granskningsrapport", "uppföljande granskning")
    assert packet.sources["year"] == "härlett"
    assert any(w.startswith("år härlett") for w in packet.warnings)


def _packet_slice(start_marker: str, anchor: str, end_marker: str) -> str:
    text = seed_text("002")
    at = text.index(anchor)
    return text[text.rfind(start_marker, 0, at) : text.index(end_marker, at)]


def test_seed_002_tjansteskrivelse_item_uses_packet_context(packet: DetectedMetadata) -> None:
    text = _packet_slice("TJÄNSTESKRIVELSE", "2022–03-28", "Förvaltningschef")
    md = detect_metadata(text, item=ItemSpan(0, len(text)), context=packet)
    assert md.date == "2022-03-28"  # written with an en dash
    assert md.doc_type == "tjänsteskrivelse"
    assert md.audit_firm is None  # "KPMG har på uppdrag av kommunens revisorer" is quoted
    assert md.committee == "Socialnämnden" and md.sources["committee"] == "objekt"
    assert md.municipality == "Härnösands kommun" and md.sources["municipality"] == "paket"
    assert md.title == "Revisionens ”Grundläggande granskning – Socialnämnden”"


def test_seed_002_protocol_extract_item(packet: DetectedMetadata) -> None:
    text = _packet_slice("Kommunstyrelsen", "SAMMANTRÄDESPROTOKOLL", "Yttranden")
    md = detect_metadata(text, item=ItemSpan(0, len(text)), context=packet)
    assert (md.doc_type, md.committee, md.date) == ("protokoll", "Kommunstyrelsen", "2022-02-08")
    assert md.title == "Behov av nytt särskilt boende"


def test_item_fields_come_first() -> None:
    item = ItemSpan(
        0,
        10,
        doc_type="protokoll",
        title="Val av  justerare",
        date="den 2 februari 2022",
        committee="kommunstyrelsens",
    )
    md = detect_metadata("Datum 2021-01-01\nSocialnämnden\nText.", item=item)
    assert (md.doc_type, md.title, md.date, md.year, md.committee) == (
        "protokoll",
        "Val av justerare",
        "2022-02-02",
        2022,
        "Kommunstyrelsen",
    )
    assert {md.sources[k] for k in ("doc_type", "title", "date", "committee")} == {"objekt"}


# -------------------------------------------------------------------------- synthetic

GRANT_THORNTON = """Granskning av barn- och utbildningsnämndens arbete med elevhälsa

Upplands Väsby kommun

1. Sammanfattning
Grant Thornton har på uppdrag av de förtroendevalda revisorerna i Upplands Väsby kommun granskat
barn- och utbildningsnämndens arbete med elevhälsa. Uppdraget ingår i revisionsplanen för 2024.
Syftet med granskningen är att bedöma om nämnden säkerställer en ändamålsenlig elevhälsa.
Vår sammanfattande bedömning är att nämnden delvis säkerställer detta.
Kostnaden är lägre jämfört med Sollentuna kommun, Täby kommun och Järfälla kommun enligt Kolada.
Kostnaden är lägre jämfört med Sollentuna kommun, Täby kommun och Järfälla kommun enligt Kolada.
Vi rekommenderar barn- och utbildningsnämnden att:
- ta fram rutiner för elevhälsans uppföljning.
2. Revisionsfrågor och revisionskriterier
Kommunstyrelsen ansvarar för uppsikten. Kommunstyrelsen och kommunstyrelsen.
"""


def test_synthetic_grant_thornton_report() -> None:
    md = detect_metadata(GRANT_THORNTON)
    assert md.municipality == "Upplands Väsby kommun"
    assert md.audit_firm == "Grant Thornton"
    assert md.committee == "Barn- och utbildningsnämnden"
    assert md.doc_type == "granskningsrapport"
    assert (md.year, md.sources["year"]) == (2024, "text")
    assert md.title == "Granskning av barn- och utbildningsnämndens arbete med elevhälsa"


REGION_REPORT = """Granskning av regionens arbete med vårdplatser
PwC har på uppdrag av de förtroendevalda revisorerna i Region Västernorrland granskat
regionstyrelsens styrning. Granskningens syfte är att bedöma styrningen. Revisionsfrågor:
Är styrningen tydlig? Vi rekommenderar regionstyrelsen att säkerställa uppföljningen.
Samverkan sker med Sundsvalls kommun och Härnösands kommun.

Sundsvall den 14 mars 2024

Öhrlings PricewaterhouseCoopers AB
"""


def test_synthetic_region_report() -> None:
    md = detect_metadata(REGION_REPORT)
    assert md.municipality == "Region Västernorrland"
    assert (md.audit_firm, md.committee) == ("PwC", "Regionstyrelsen")
    assert md.doc_type == "granskningsrapport"


def test_no_kommun_gives_none_and_a_warning() -> None:
    md = detect_metadata("Protokoll\nNämnden beslutade att godkänna rapporten.\n")
    assert md.municipality is None
    assert "kommun saknas i dokumentet" in md.warnings
    assert md.year is None and "år saknas i dokumentet" in md.warnings
    assert md.doc_type == "protokoll"


def test_follow_up_ernst_young_and_scope_committee() -> None:
    text = (
        "Uppföljning av tidigare granskning av bistånd\n\n"
        "Ernst & Young har av revisorerna i Bjuvs kommun fått i uppdrag att följa upp. "
        "Granskningen syftar till att bedöma åtgärderna. Revisionsfrågor besvaras nedan.\n"
        "Vår sammanfattande bedömning är att åtgärder vidtagits.\n"
        "Granskningen avser socialnämnden.\n"
    )
    md = detect_metadata(text)
    assert (md.doc_type, md.audit_firm) == ("uppföljande granskning", "EY")
    assert (md.municipality, md.committee) == ("Bjuvs kommun", "Socialnämnden")


def test_latest_past_year_ignores_plans_and_law_references() -> None:
    text = (
        "Granskningen genomfördes under 2022 enligt Socialtjänstlagen (2001:453). "
        "I början av 2023 anställdes en utvecklare. Återrapportering ska ske i maj 2024. "
        "Verksamhetsplan 2025 är inte antagen."
    )
    md = detect_metadata(text)
    assert (md.year, md.sources["year"]) == (2023, "härlett")
    assert "år härlett från senast nämnda år i texten (2023)" in md.warnings


def test_non_audit_document_has_no_firm() -> None:
    text = (
        "TJÄNSTESKRIVELSE\nDatum\n2023-04-02\nBarn- och utbildningsnämnden\n\n"
        "Svar på granskning\n\nBeskrivning av ärendet\n"
        "KPMG har på uppdrag av kommunens revisorer genomfört en granskning av nämnden.\n"
    )
    md = detect_metadata(text)
    assert (md.doc_type, md.audit_firm) == ("tjänsteskrivelse", None)
    assert (md.date, md.committee, md.title) == (
        "2023-04-02",
        "Barn- och utbildningsnämnden",
        "Svar på granskning",
    )


def test_copyright_line_names_the_firm() -> None:
    text = GRANT_THORNTON.replace("Grant Thornton har", "Vi har") + "\n© 2024 BDO AB\n"
    assert detect_metadata(text).audit_firm == "BDO"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022–03-28", "2022-03-28"),
        ("den 2 februari 2022", "2022-02-02"),
        ("Datum: 2021-11-11", "2021-11-11"),
        ("2022-13-01", None),
        ("inget datum", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_doc_type_is_a_known_type(prefix: str) -> None:
    assert seed_metadata(prefix).doc_type in DOC_TYPES


def test_kolada_comparison_does_not_win_over_the_auditors_kommun() -> None:
    rows = "\n".join(
        f"Kolada: {year} jämfört med Lindesbergs kommun, Hällefors kommun och Ljusnarsbergs kommun."
        for year in (2019, 2020, 2021, 2022)
    )
    text = (
        "Granskning av hemtjänsten\n\n"
        "Deloitte har av Nora kommuns revisorer fått i uppdrag att granska hemtjänsten.\n"
        f"{rows}\n"
        "Granskningen syftar till att bedöma styrningen. Revisionsfrågor och revisionskriterier.\n"
        "Vi rekommenderar vård- och omsorgsnämnden att följa upp.\n"
    )
    md = detect_metadata(text)
    assert (md.municipality, md.audit_firm) == ("Nora kommun", "Deloitte")
    assert md.committee == "Vård- och omsorgsnämnden"
    assert "kommun" not in " ".join(md.warnings)


def test_signature_date_at_the_end_of_a_report() -> None:
    md = detect_metadata(GRANT_THORNTON + "\n" + "Text.\n" * 40 + "\nStockholm den 3 maj 2024\n")
    assert (md.date, md.year, md.sources["date"]) == ("2024-05-03", 2024, "text")


def test_list_of_underlag_is_not_the_date() -> None:
    text = "Beslutsunderlag\nProtokollsutdrag från beredningen, 2022-02-03\n"
    assert detect_metadata(text).date is None


def test_item_names_a_partner_region_but_belongs_to_the_packets_kommun() -> None:
    context = detect_metadata("Socialnämnden i Härnösands kommun.\nHärnösands kommun\n")
    text = (
        "TJÄNSTESKRIVELSE\nDatum\n2022-02-10\nSocialnämnden\n\n"
        "Samverkansavtal med Region Västernorrland\n\nBeskrivning av ärendet\n"
        "Avtalet med Region Västernorrland gäller hemsjukvård.\n"
    )
    md = detect_metadata(text, item=ItemSpan(0, len(text)), context=context)
    assert (md.municipality, md.sources["municipality"]) == ("Härnösands kommun", "paket")
    assert md.title == "Samverkansavtal med Region Västernorrland"


def test_item_letterhead_names_its_own_kommun() -> None:
    context = detect_metadata("Härnösands kommun\nSocialnämnden\n")
    text = "Timrå kommun\nSocialnämnden\nDatum 2022-02-10\n\nYttrande över remiss\n"
    md = detect_metadata(text, item=ItemSpan(0, len(text)), context=context)
    assert (md.municipality, md.sources["municipality"]) == ("Timrå kommun", "text")
