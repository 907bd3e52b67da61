"""Word documents built in the test with python-docx: an audit report with numbered heading styles,
a cover, a Ja/Delvis/Nej table of revisionsfrågor, header and footer, a tracked deletion and
insertion, and a comment; and a short memo with Swedish "Rubrik 1"/"Rubrik 2" styles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# Words that stand only where ingest must not read them.
HEADER_WORD = "Sidhuvudmarkör"
FOOTER_WORD = "Sidfotsmarkör"
DELETED_WORD = "STRUKEN"
COMMENT_WORD = "Kommentarsmarkör"

QUESTIONS = (
    ("Finns det aktuella rutiner för hemtjänstens genomförandeplaner?", "Ja", "Rutinerna är nya."),
    ("Följer nämnden upp att insatserna utförs enligt beslut?", "Delvis", "Uppföljning saknas."),
    ("Rapporteras avvikelser till nämnden på ett systematiskt sätt?", "Nej", "Ingen rapportering."),
)

# Heading 1 and 2 numbered "1", "1.1" by a multi-level list, the way byråernas mallar do it.
_OUTLINE_NUMBERING = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:pStyle w:val="Heading1"/><w:lvlText w:val="%1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
"""


def _number_headings(document) -> None:
    numbering = document.part.numbering_part.element
    abstract = parse_xml(_OUTLINE_NUMBERING)
    # abstractNum elements come before every num element.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for name in ("Heading 1", "Heading 2"):
        ppr = document.styles[name].element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="90"/></w:numPr>'))


def _tracked_paragraph(document) -> None:
    """ "Nämnden har [STRUKEN ]säkerställt [i huvudsak ]…", the deletion and insertion tracked."""
    paragraph = document.add_paragraph()
    paragraph.add_run("Vi bedömer att nämnden har ")
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="Granskare" w:date="2023-05-01T10:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{DELETED_WORD} inte </w:delText></w:r>'
            "</w:del>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="2" w:author="Granskare" w:date="2023-05-01T10:00:00Z">'
            '<w:r><w:t xml:space="preserve">i huvudsak </w:t></w:r></w:ins>'
        )
    )
    paragraph.add_run("säkerställt att brukarna får insatser med god kvalitet.")


def build_report(path: Path) -> Path:
    document = Document()
    _number_headings(document)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{HEADER_WORD} Orsa kommun Sida 1 av 3"
    section.footer.paragraphs[0].text = f"© 2023 {FOOTER_WORD} AB Sida 1"
    document.core_properties.title = "Mall för granskningsrapport"
    document.core_properties.created = dt.datetime(2019, 1, 2, 9, 0)

    document.add_paragraph("Granskning av hemtjänstens kvalitet", style="Title")
    document.add_paragraph("Orsa kommun")
    document.add_paragraph("Revisionsrapport")
    document.add_paragraph("2023-05-04")

    document.add_heading("Sammanfattning", level=1)
    summary = document.add_paragraph(
        "KPMG har av de förtroendevalda revisorerna i Orsa kommun fått i uppdrag att granska "
        "socialnämndens styrning och uppföljning av hemtjänsten. "
    )
    commented = summary.add_run("Granskningen ingår i revisionsplanen för år 2023.")
    document.add_comment(commented, text=f"{COMMENT_WORD}: stämmer året?", author="Granskare")
    _tracked_paragraph(document)
    document.add_paragraph(
        "Vår sammanfattande bedömning är att socialnämnden delvis har säkerställt en "
        "ändamålsenlig styrning av hemtjänsten."
    )

    document.add_heading("Inledning", level=1)
    document.add_heading("Bakgrund", level=2)
    document.add_paragraph(
        "Hemtjänsten i Orsa kommun ger stöd i hemmet till omkring 200 personer. Socialnämnden "
        "ansvarar för att verksamheten bedrivs enligt socialtjänstlagen och med god kvalitet."
    )
    document.add_heading("Syfte och revisionsfrågor", level=2)
    document.add_paragraph(
        "Syftet med granskningen är att bedöma om socialnämnden säkerställer en ändamålsenlig "
        "styrning och uppföljning av hemtjänsten. Granskningen besvarar följande revisionsfrågor:"
    )
    for question, _, _ in QUESTIONS:
        document.add_paragraph(question, style="List Bullet")
    document.add_heading("Revisionskriterier", level=2)
    document.add_paragraph("Socialtjänstlagen (2001:453) och SOSFS 2011:9 om ledningssystem.")

    document.add_heading("Resultat", level=1)
    document.add_heading("Genomförandeplaner", level=2)
    document.add_paragraph(
        "Vi har tagit del av tjugo genomförandeplaner. Samtliga var upprättade inom tre veckor "
        "och undertecknade av brukaren. Matsituationen och nutritionen beskrivs i varje plan."
    )
    document.add_paragraph("Bedömning")
    document.add_paragraph("Vi bedömer att rutinerna för genomförandeplaner är ändamålsenliga.")

    document.add_heading("Svar på revisionsfrågorna", level=1)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ("Revisionsfråga", "Svar", "Kommentar"), strict=True
    ):
        cell.text = text
    for question, answer, comment in QUESTIONS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = question, answer, comment
    document.add_heading("Rekommendationer", level=2)
    document.add_paragraph("Utifrån granskningen rekommenderar vi socialnämnden att:")
    document.add_paragraph(
        "säkerställa att insatserna följs upp enligt beslut, se avsnitt 3.1.", style="List Bullet"
    )
    document.save(path)
    return path


def build_memo(
    path: Path,
    *,
    headings: bool = True,
    title: str | None = None,
    created: dt.datetime | None = None,
) -> Path:
    """A short memo with no kommun, date or year in its text; its headings (when wanted) in the
    style names of Swedish Word, "Rubrik 1" and "Rubrik 2", which carry no outline level."""
    document = Document()
    for name in ("Rubrik 1", "Rubrik 2"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.core_properties.title = title or ""
    if created is not None:
        document.core_properties.created = created
    if headings:
        document.add_paragraph("Anteckningar om hemtjänstens nattpatrull", style="Rubrik 1")
    document.add_paragraph("Nattpatrullen besöker brukarna enligt ett fast schema varje natt.")
    if headings:
        document.add_paragraph("Larmhantering", style="Rubrik 2")
    document.add_paragraph("Trygghetslarmen besvaras av en larmcentral som kontaktar patrullen.")
    document.save(path)
    return path


def build_letter(path: Path) -> Path:
    """A nämnd's tjänsteskrivelse: its head (Datum, Diarienummer) in a borderless table above the
    text, as kommunernas mallar set it, and a table of measures below it."""
    document = Document()
    document.add_paragraph("Orsa kommun")
    document.add_paragraph("Tjänsteskrivelse")
    head = document.add_table(rows=2, cols=2)
    for row, (label, value) in zip(
        head.rows, (("Datum", "2023-06-12"), ("Diarienummer", "SN 2023/12")), strict=True
    ):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph("Svar på revisionens granskning av hemtjänstens kvalitet")
    document.add_paragraph("Förslag till beslut")
    document.add_paragraph(
        "Socialnämnden antar förvaltningens yttrande som sitt svar till de förtroendevalda "
        "revisorerna i Orsa kommun och uppdrar åt förvaltningen att redovisa åtgärderna för "
        "nämnden senast i december 2023, tillsammans med en plan för den fortsatta uppföljningen."
    )
    document.add_paragraph("Beskrivning av ärendet")
    document.add_paragraph("Förvaltningen har tagit fram följande åtgärder:")
    measures = document.add_table(rows=2, cols=2)
    measures.rows[0].cells[0].text, measures.rows[0].cells[1].text = "Rekommendation", "Åtgärd"
    measures.rows[1].cells[0].text = "Säkerställa att insatserna följs upp enligt beslut"
    measures.rows[1].cells[1].text = "Ny rutin för uppföljning från september 2023"
    document.save(path)
    return path


def without_core_properties(path: Path) -> Path:
    """``path`` rewritten without docProps/core.xml, as some generators save a .docx."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for item, data in items:
            if item.filename == "docProps/core.xml":
                continue
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            target.writestr(item, data)
    return path
