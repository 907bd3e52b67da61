"""A large, realistic Swedish audit report as plain text, for ``revsok bench`` to time ingest on.

The report reads like text extracted from a byrå's PDF: a title page (kommun, titel, rapporttyp,
datum, byrå), numbered headings three levels deep ("3.2 Uppföljning av placerade barn"),
"Bedömning" after most parts, paragraphs wrapped at about 90 characters, a running head at the
top of each page and "Sida N av M" at its foot, pages separated by form feeds (as
``pdftotext`` writes them and ``ingest.pagination.split_text_pages`` reads them) or, with
``form_feeds=False``, only by those footers.

Sentences are put together from parts chosen by a seeded random generator, so the text does not
repeat line for line: what is timed is parsing and chunking, not the removal of repeated lines.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

_WRAP = 90
_PAGE_LINES = 46
_SUBSECTION_CHARS = 2500

_MUNICIPALITIES = (
    ("Umeå kommun", "Umeå kommuns"),
    ("Härnösands kommun", "Härnösands kommuns"),
    ("Piteå kommun", "Piteå kommuns"),
    ("Karlshamns kommun", "Karlshamns kommuns"),
)
_COMMITTEES = (
    "socialnämnden",
    "individ- och familjenämnden",
    "omsorgs- och arbetsmarknadsnämnden",
    "barn- och utbildningsnämnden",
)
_TOPICS = (
    "Styrdokument och rutiner",
    "Uppföljning av placerade barn",
    "Samverkan med regionen",
    "Intern kontroll",
    "Ekonomisk uppföljning",
    "Kompetensförsörjning",
    "Dokumentation i verksamhetssystemet",
    "Handläggning av ärenden",
    "Ledningssystem för kvalitet",
    "Avvikelsehantering",
    "Delegationsordning",
    "Utredningstider",
    "Hemtjänstens planering",
    "Särskilt boende",
    "Insatser enligt LSS",
    "Missbruks- och beroendevård",
    "Öppenvårdsinsatser",
    "Ej verkställda beslut",
    "Klagomål och synpunkter",
    "Måluppfyllelse och nyckeltal",
)
_SUBJECTS = (
    "Nämnden",
    "Förvaltningen",
    "Verksamheten",
    "Enhetscheferna",
    "Socialsekreterarna",
    "Ledningsgruppen",
    "Kvalitetsutvecklaren",
    "Nämndens arbetsutskott",
    "Förvaltningsledningen",
    "Biståndshandläggarna",
)
_VERBS = (
    "följer upp",
    "dokumenterar",
    "redovisar",
    "har tagit fram",
    "saknar en rutin för",
    "har beslutat om",
    "arbetar med att förbättra",
    "rapporterar till nämnden om",
    "har inte säkerställt",
    "har påbörjat en översyn av",
    "analyserar",
    "har delvis infört",
)
_OBJECTS = (
    "uppföljningen av beviljade insatser",
    "avvikelser och klagomål",
    "utredningstiderna för barnavårdsärenden",
    "kostnaderna för externa placeringar",
    "samordnade individuella planer",
    "riskanalysen inför årets internkontrollplan",
    "handläggningen av ansökningar om bistånd",
    "kompetensen hos nyanställd personal",
    "resultaten i brukarundersökningen",
    "delegationsbesluten inom individ- och familjeomsorgen",
    "genomförandeplaner för den enskilde",
    "nyckeltalen i Kolada",
    "rutinen för lex Sarah-anmälningar",
    "ledningssystemet enligt SOSFS 2011:9",
    "hälso- och sjukvårdsinsatserna i hemtjänsten",
)
_QUALIFIERS = (
    "på individnivå",
    "på gruppnivå",
    "minst en gång per år",
    "i samband med delårsrapporten",
    "enligt socialtjänstlagen",
    "i enlighet med gällande riktlinjer",
    "utan dokumenterad analys",
    "med stöd av ett nytt verksamhetssystem",
    "i samverkan med regionen",
    "efter påpekanden från IVO",
    "inom ramen för budget i balans",
    "sedan föregående granskning",
)
_CONNECTIVES = (
    "Vidare framgår att",
    "Av intervjuerna framgår att",
    "Enligt uppgift från förvaltningen gäller att",
    "Vi noterar att",
    "Samtidigt konstaterar vi att",
    "Det framkom att",
    "I granskade dokument anges att",
    "Under år {year} framkom att",
)
_NUMBERS = (
    "Andelen ärenden som utreddes inom fyra månader var {p} procent år {year}.",
    "Kostnaden uppgick till {m},{d} mnkr, vilket är {p} procent över budget.",
    "Av {n} granskade akter saknade {k} en aktuell genomförandeplan.",
    "Nämnden redovisade ett underskott på {m},{d} mnkr per den 31 augusti {year}.",
    "Antalet ej verkställda beslut var {k} vid utgången av kvartal {q}.",
)
_ASSESSMENTS = (
    "Vår bedömning är att nämnden i huvudsak säkerställer en ändamålsenlig styrning inom området.",
    "Vi bedömer att nämnden delvis har säkerställt en tillräcklig uppföljning.",
    "Vi bedömer att den interna kontrollen inte är tillräcklig.",
    "Vår bedömning är att rutinerna är kända men inte tillämpas fullt ut i verksamheten.",
    "Vi bedömer att nämnden bör utveckla sin analys av avvikelserna.",
)


@dataclass(frozen=True)
class GeneratedText:
    """A generated report: its text, and every sentence of its body in reading order."""

    text: str
    sentences: tuple[str, ...]


class _Writer:
    """Lays out lines on pages: a running head on top, "Sida N av M" at the foot."""

    def __init__(self, running_head: str):
        self.running_head = running_head
        self.pages: list[list[str]] = [[]]
        self.size = 0  # bytes of UTF-8 written so far, furniture included

    def line(self, text: str) -> None:
        page = self.pages[-1]
        if len(page) >= _PAGE_LINES:
            page = []
            self.pages.append(page)
        if not page and len(self.pages) > 1:
            page.extend((self.running_head, ""))
        page.append(text)
        self.size += len(text.encode("utf-8")) + 1

    def paragraph(self, text: str) -> None:
        for line in _wrap(text):
            self.line(line)
        self.line("")

    def render(self, form_feeds: bool) -> str:
        total = len(self.pages)
        pages = [
            "\n".join([*lines, "", f"Sida {n} av {total}"])
            for n, lines in enumerate(self.pages, start=1)
        ]
        # Without form feeds the reader finds the pages by their "Sida N av M" footers.
        return ("\f" if form_feeds else "\n").join(pages) + "\n"


def _wrap(text: str) -> list[str]:
    lines, current, width = [], [], 0
    for word in text.split(" "):
        if current and width + 1 + len(word) > _WRAP:
            lines.append(" ".join(current))
            current, width = [], 0
        width += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def _sentence(rng: random.Random, committee: str, year: int, kommun: str) -> str:
    kind = rng.random()
    if kind < 0.18:
        template = rng.choice(_NUMBERS)
        return template.format(
            p=rng.randint(12, 97),
            m=rng.randint(1, 48),
            d=rng.randint(0, 9),
            n=rng.randint(15, 40),
            k=rng.randint(1, 14),
            q=rng.randint(1, 4),
            year=year - rng.randint(0, 2),
        )
    subject = rng.choice(_SUBJECTS)
    if rng.random() < 0.2:
        subject = committee[0].upper() + committee[1:]
    qualifier = f"i {kommun}" if rng.random() < 0.05 else rng.choice(_QUALIFIERS)
    body = f"{subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {qualifier}"
    if kind < 0.45:
        opener = rng.choice(_CONNECTIVES).format(year=year - 1)
        body = f"{opener} {body[0].lower()}{body[1:]}"
    if rng.random() < 0.3:
        body += f", och {rng.choice(_OBJECTS)} följs upp {rng.choice(_QUALIFIERS)}"
    return body + "."


@dataclass
class _Report:
    """The report being written: what it is about, its pages and the sentences of its body."""

    rng: random.Random
    kommun: str
    committee: str
    year: int
    writer: _Writer
    sentences: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        return _sentence(self.rng, self.committee, self.year, self.kommun)

    def paragraph(self, parts: list[str]) -> None:
        self.sentences.extend(parts)
        self.writer.paragraph(" ".join(parts))

    def paragraphs(self, count: int) -> None:
        for _ in range(count):
            self.paragraph([self.sentence() for _ in range(self.rng.randint(3, 7))])

    def heading(self, text: str) -> None:
        self.writer.line(text)
        self.writer.line("")


def generate_report(megabytes: float, seed: int = 13, *, form_feeds: bool = True) -> GeneratedText:
    """A report of about ``megabytes`` MB (UTF-8) of text, the same for the same seed."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    kommun, genitive = rng.choice(_MUNICIPALITIES)
    committee = rng.choice(_COMMITTEES)
    year = rng.randint(2019, 2024)
    title = f"Granskning av {committee}s styrning och uppföljning"
    report = _Report(rng, kommun, committee, year, _Writer(f"{kommun} – {title}"))
    for line in (
        kommun,
        title,
        "Granskningsrapport",
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "",
        "KPMG AB",
        "",
    ):
        report.writer.line(line)
    _introduction(report, genitive)
    chapter = _chapters(report, target)
    report.heading(f"{chapter + 1} Slutsatser och rekommendationer")
    report.paragraph(
        [
            f"Utifrån granskningens resultat rekommenderar vi {committee} att säkerställa att "
            f"uppföljningen sker {rng.choice(_QUALIFIERS)}."
        ]
    )
    return GeneratedText(report.writer.render(form_feeds), tuple(report.sentences))


def _introduction(report: _Report, genitive: str) -> None:
    """Chapters 1 and 2: the summary, then background, purpose, criteria and method."""
    kommun, committee, year = report.kommun, report.committee, report.year
    report.heading("1 Sammanfattning")
    report.paragraph(
        [
            f"KPMG har på uppdrag av de förtroendevalda revisorerna i {kommun} granskat "
            f"{committee}s styrning och uppföljning.",
            f"Vår sammanfattande bedömning är att {committee} delvis har säkerställt en "
            "ändamålsenlig styrning och uppföljning.",
        ]
    )
    report.paragraphs(2)
    report.heading("2 Inledning")
    report.heading("2.1 Bakgrund")
    report.paragraph(
        [
            f"{genitive} förtroendevalda revisorer har beslutat att granska området.",
            f"Granskningen ingår i revisionsplanen för {year}.",
            report.sentence(),
        ]
    )
    report.heading("2.2 Syfte och revisionsfrågor")
    report.paragraph(
        [
            f"Syftet med granskningen är att bedöma om {committee} har en ändamålsenlig "
            "styrning och uppföljning av verksamheten.",
            "Revisionsfrågorna besvaras i kapitel 3 och framåt.",
        ]
    )
    report.heading("2.3 Revisionskriterier")
    report.paragraph(["Socialtjänstlagen, kommunallagen 6 kap. 6 § och SOSFS 2011:9."])
    report.heading("2.4 Metod")
    report.paragraphs(1)


def _chapters(report: _Report, target: int) -> int:
    """Chapters from 3 on until the text reaches ``target`` bytes; the number of the last."""
    rng, writer = report.rng, report.writer
    # Three levels of numbering, wide enough that the outline never runs past 99 at any level.
    subsections = max(8, target // _SUBSECTION_CHARS)
    chapters = min(99, max(3, round(subsections ** (1 / 3) * 2)))
    per_level = max(2, math.ceil(math.sqrt(subsections / chapters)))
    chapter = 2
    while writer.size < target and chapter < 99:
        chapter += 1
        report.heading(f"{chapter} {rng.choice(_TOPICS)}")
        for section in range(1, per_level + 1):
            report.heading(f"{chapter}.{section} {rng.choice(_TOPICS)}")
            report.paragraphs(1)
            for sub in range(1, per_level + 1):
                report.heading(f"{chapter}.{section}.{sub} {rng.choice(_TOPICS)}")
                report.paragraphs(rng.randint(2, 5))
                if rng.random() < 0.6:
                    report.heading("Bedömning")
                    report.paragraph([rng.choice(_ASSESSMENTS), report.sentence()])
                if writer.size >= target:
                    break
            if writer.size >= target:
                break
    return chapter


def write_report(
    folder: Path, megabytes: float, seed: int = 13, *, form_feeds: bool = True
) -> tuple[Path, GeneratedText]:
    """Write a generated report to ``folder`` as a .txt file named after its size."""
    generated = generate_report(megabytes, seed, form_feeds=form_feeds)
    path = folder / f"bench-{megabytes:g}mb.txt"
    path.write_text(generated.text, encoding="utf-8")
    return path, generated
