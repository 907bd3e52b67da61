"""Measure PDF text extractors on the word-processor fixtures (tests/fixtures/word_processor/).

Each candidate reads every page of the committed PDFs; the real ingest (cleaning, sections,
chunks, recommendations) runs on what it reads. Printed per candidate:

- word F1 and word-bigram F1 of the chunk text against the text of the .fodt source (its
  paragraphs, headings, table cells, footnotes and text box; no page furniture). Bigrams
  count order: a text box or column spliced into other lines loses them;
- how many of the fixture checks pass (reading order, furniture gone, footnotes, hyphenation,
  ligatures, verdicts, recommendations): in short, what tests/ingest/test_word_processor_pdfs.py
  asserts for the extractor ingest uses.

    python scripts/measure_pdf_extractors.py
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import pairwise
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "word_processor"
sys.path.insert(0, str(REPO))

from ingest import readers  # noqa: E402
from ingest.pdftext import page_text  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from recommendations import extract_records  # noqa: E402

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
WORD = re.compile(r"[\wÅÄÖåäö]+(?:[:.,/-][\wÅÄÖåäö]+)*")

CANDIDATES = {
    "pypdf plain": lambda page: page.extract_text() or "",
    "pypdf layout": lambda page: page.extract_text(extraction_mode="layout") or "",
    "revsok (pypdf + positions)": page_text,
}

# (fixture, what must hold of the joined chunk text) — the checks of the test module, in short.
CHECKS = {
    "kolumn 1 före kolumn 2": lambda t: (
        0 <= t.find("den i mars 2021.") < t.find("I intervjuerna beskriver rektorerna")
    ),
    "textruta hel, ingen mening bruten": lambda t: (
        "Faktaruta: Hemtjänsten i Ludvika" in _flat(t)
        and "verksamhetsplan för 2023 fastställt tre mål" in _flat(t)
    ),
    "sidhuvud borta": lambda t: (
        "Elevhälsans arbete" not in t and "2023-10-12\n" not in t.split("Sammanfattning", 1)[-1]
    ),
    "sidfot borta": lambda t: "Sida " not in t and "KPMG global organization" not in t,
    "innehållsförteckning borta": lambda t: "....." not in t,
    "fotnot bryter ingen mening": lambda t: (
        "Enligt socialtjänstlagen ska insatser" in _flat(t)
        and "Har nämnden fastställt mål och riktlinjer för hemtjänsten? – Följer" in _flat(t)
    ),
    "avstavning återställd": lambda t: (
        "ändamålsenlig styrning" in t
        and "granskat socialnämndens" in _flat(t)
        and "elevhälsochefen ansvarar" in _flat(t).lower()
    ),
    "ligaturer som bokstäver": lambda t: all(w in t for w in ("officiell", "fler", "effektiv")),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def source_text(path: Path) -> str:
    body = ET.parse(path).getroot().find(f"{{{OFFICE}}}body")
    parts = []
    for element in body.iter():
        if element.tag in (f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
            # Only the element's own text and that of its spans, not nested paragraphs (a
            # footnote or text box inside a paragraph is its own element here).
            parts.append(_own_text(element))
    return "\n".join(parts)


def _own_text(element) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag not in (
            f"{{{TEXT}}}note",
            "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
        ):
            out.append(_own_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _f1(found: Counter, wanted: Counter) -> float:
    common = sum((found & wanted).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def measure(name: str, extractor) -> tuple[float, float, int, int, list[str]]:
    pdfs = sorted(FIXTURES.glob("*.pdf"))
    with mock.patch.object(readers, "page_text", extractor):
        result = ingest_paths(pdfs)
    words_f1, bigrams_f1 = [], []
    texts = {}
    for pdf in pdfs:
        chunks = [c for c in result.chunks if Path(c.source_file).name == pdf.name]
        # Overlapping chunks repeat text: each section's pieces, without the overlap, would be
        # exact, but the overlap is small and the same for every candidate.
        text = "\n".join(c.text for c in chunks)
        texts[pdf.name] = text
        found = WORD.findall(text.lower())
        wanted = WORD.findall(source_text(pdf.with_suffix(".fodt")).lower())
        words_f1.append(_f1(Counter(found), Counter(wanted)))
        bigrams_f1.append(_f1(Counter(pairwise(found)), Counter(pairwise(wanted))))
    joined = "\n".join(texts.values())
    failed = [label for label, check in CHECKS.items() if not check(joined)]
    records = extract_records(result.documents, result.chunks)
    if len({(qa.question, qa.level) for qa in records.question_answers}) != 7:
        failed.append("Ja/Delvis/Nej-svar (7)")
    # The six recommendations, each ending where the report's item ends.
    if sorted(len(r.text.split()) < 25 for r in records.recommendations) != [True] * 6:
        failed.append("rekommendationer (6)")
    total = len(CHECKS) + 2
    return (
        sum(words_f1) / len(words_f1),
        sum(bigrams_f1) / len(bigrams_f1),
        total - len(failed),
        total,
        failed,
    )


def main() -> int:
    print("| extraktor | ord-F1 | ordpar-F1 | kontroller | missade |")
    print("| --- | --- | --- | --- | --- |")
    for name, extractor in CANDIDATES.items():
        words, bigrams, passed, total, failed = measure(name, extractor)
        missed = ", ".join(failed) or "–"
        print(f"| {name} | {words:.3f} | {bigrams:.3f} | {passed}/{total} | {missed} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
