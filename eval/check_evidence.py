"""Check the eval set eval/queries.jsonl against the seed texts in corpus/src.

Run from anywhere:  python eval/check_evidence.py  [--queries PATH] [--corpus DIR]

Checks every line of queries.jsonl:
  * valid JSON object with exactly the fields id, query, type, style, judgments;
  * ids unique and of the form q001; query text unique and non-empty;
  * type and style from the declared vocabularies;
  * judgments: document is a file stem in corpus/src, grade is 1 or 2, at least one grade 2,
    no judgment repeated within a query;
  * evidence is 40-300 characters and occurs verbatim in its document after whitespace
    normalisation (every run of whitespace, including no-break spaces, becomes one space);
  * evidence does not start or end inside a word and does not contain page furniture
    (copyright lines, "Document classification", "Sida 2 av 8", "Justerandes sign", ...).

Prints each failure with the query id and the span, a few notes (spans that match more than
one place in their document, spans that contain a word hyphenated across a line break), and a
summary: counts per type, per style, per document and how many queries have grade-2 evidence
in more than one kommun. Exit code 0 when there are no failures, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_QUERIES = HERE / "queries.jsonl"
DEFAULT_CORPUS = HERE.parent / "corpus" / "src"

FIELDS = {"id", "query", "type", "style", "judgments"}
# Optional: what the query text itself names, the way revisorer narrow a search.
OPTIONAL_FIELDS = {"mentions"}
MENTIONS = ("kommun", "år", "nämnd", "dokumenttyp", "avsnitt")
JUDGMENT_FIELDS = {"document", "evidence", "grade"}
TYPES = (
    "rekommendation",
    "bedömning",
    "fakta",
    "revisionsfråga",
    "metod",
    "protokoll",
    "patientsäkerhet",
    "ej verkställda beslut",
    "parafras",
    "flera kommuner",
    "ekonomi",
    "styrning",
)
STYLES = ("nyckelord", "fråga")
MIN_LEN, MAX_LEN = 40, 300
ID_RE = re.compile(r"^q\d{3}$")
WS_RE = re.compile(r"\s+")

# Page furniture that must never be part of an evidence span.
FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"©\s*\d{4}\s*KPMG",
        r"All rights reserved",
        r"Document classification",
        r"\bSida\s+\d+\s*(av|\()\s*\d+",
        r"\bSida\s+\d+\(\d+\)",
        r"Justerandes sign",
        r"Utdragsbestyrkande",
        r"\bÄrende \d+\b",
        r"Granskning av missbruksvård \d{4}-\d{2}-\d{2}",
        r"insatser för vuxna \d{4}-\d{2}-\d{2}",
        r"Härnösands kommun Datum",
        r"HANDLINGSPLAN \d+ \(\d+\)",
        r"Organisationsnr",
        r"Bankgiro",
    )
]


def normalise(text: str) -> str:
    """Collapse every run of whitespace (str.isspace, so also U+00A0 and U+202F) to one space."""
    return WS_RE.sub(" ", text).strip()


def kommun_of(stem: str) -> str:
    return stem.split("-", 1)[0]


def load_corpus(corpus_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Return {stem: normalised text} and {stem: raw text} for every .txt in corpus_dir."""
    norm, raw = {}, {}
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        raw[path.stem] = text
        norm[path.stem] = normalise(text)
    return norm, raw


def hyphen_break_words(raw: str, evidence: str) -> list[str]:
    """Words in the evidence that the raw file hyphenates at a line end ("kvalitets-\\nledning")."""
    found = []
    for m in re.finditer(r"(\w+)- (\w+)", evidence):
        left, right = m.group(1), m.group(2)
        if right in ("och", "eller", "samt", "respektive", "som"):
            continue  # "missbruks- och beroendevård": a real compound ellipsis, not a break
        if re.search(re.escape(left) + r"-[ \t]*\n\s*" + re.escape(right), raw):
            found.append(f"{left}-{right}")
    return found


def check_span(doc_text: str, evidence: str) -> tuple[int, str | None]:
    """Return (number of occurrences, boundary problem or None)."""
    count = doc_text.count(evidence)
    if count == 0:
        return 0, None
    problems = []
    start = 0
    ok_somewhere = False
    while True:
        i = doc_text.find(evidence, start)
        if i < 0:
            break
        before = doc_text[i - 1] if i > 0 else " "
        after = doc_text[i + len(evidence)] if i + len(evidence) < len(doc_text) else " "
        bad_start = evidence[0].isalnum() and before.isalnum()
        bad_end = evidence[-1].isalnum() and after.isalnum()
        if not (bad_start or bad_end):
            ok_somewhere = True
        else:
            problems.append("starts mid-word" if bad_start else "ends mid-word")
        start = i + 1
    return count, None if ok_somewhere else problems[0]


@dataclass
class Tally:
    """What the check found so far: failures and notes to print, and the counts of the summary."""

    corpus: dict[str, str]
    raw_corpus: dict[str, str]
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    seen_queries: set[str] = field(default_factory=set)
    per_type: Counter = field(default_factory=Counter)
    per_style: Counter = field(default_factory=Counter)
    per_mention: Counter = field(default_factory=Counter)
    docs_any: Counter = field(default_factory=Counter)
    docs_grade2: Counter = field(default_factory=Counter)
    judgments_per_doc: Counter = field(default_factory=Counter)
    grades: Counter = field(default_factory=Counter)
    multi_kommun: int = 0
    multi_doc: int = 0
    n_queries: int = 0

    def fail(self, qid: str, msg: str, span: str | None = None) -> None:
        self.failures.append(
            f"{qid}: {msg}" + (f"\n      span: {span!r}" if span is not None else "")
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    corpus, raw_corpus = load_corpus(args.corpus)
    if not corpus:
        print(f"FEL: inga .txt-filer i {args.corpus}")
        return 1
    tally = Tally(corpus, raw_corpus)
    lines = args.queries.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            tally.fail(f"rad {lineno}", f"ogiltig JSON: {exc}")
            continue
        if not isinstance(q, dict):
            tally.fail(f"rad {lineno}", "raden är inte ett JSON-objekt")
            continue
        tally.n_queries += 1
        qid = q.get("id", f"rad {lineno}")
        check_query_fields(q, qid, tally)
        check_judgments(q, qid, tally)
    print_report(tally)
    return 1 if tally.failures else 0


def check_query_fields(q: dict, qid, tally: Tally) -> None:
    """The query's own fields: the set of fields, mentions, id, text, type and style."""
    if not FIELDS <= set(q) <= FIELDS | OPTIONAL_FIELDS:
        tally.fail(qid, f"fält {sorted(q)}; väntade {sorted(FIELDS)} (+ {sorted(OPTIONAL_FIELDS)})")
    mentions = q.get("mentions", [])
    if not isinstance(mentions, list) or not set(mentions) <= set(MENTIONS):
        tally.fail(qid, f"mentions ska vara en lista ur {MENTIONS}: {mentions!r}")
    elif mentions:
        tally.per_mention["någon"] += 1
        for m in mentions:
            tally.per_mention[m] += 1
    if not isinstance(qid, str) or not ID_RE.match(qid):
        tally.fail(str(qid), "id ska se ut som q001")
    elif qid in tally.seen_ids:
        tally.fail(qid, "id förekommer mer än en gång")
    tally.seen_ids.add(str(qid))

    text = q.get("query")
    if not isinstance(text, str) or not text.strip():
        tally.fail(qid, "query saknas eller är tom")
    elif normalise(text).lower() in tally.seen_queries:
        tally.fail(qid, f"samma query finns redan: {text!r}")
    else:
        tally.seen_queries.add(normalise(text).lower())

    qtype, style = q.get("type"), q.get("style")
    if qtype not in TYPES:
        tally.fail(qid, f"okänd type {qtype!r}")
    else:
        tally.per_type[qtype] += 1
    if style not in STYLES:
        tally.fail(qid, f"okänd style {style!r}")
    else:
        tally.per_style[style] += 1


def check_judgments(q: dict, qid, tally: Tally) -> None:
    """Every judgment of a query, and what the query's grade-2 evidence spans."""
    judgments = q.get("judgments")
    if not isinstance(judgments, list) or not judgments:
        tally.fail(qid, "judgments saknas eller är tom")
        return
    seen_pairs: set[tuple[str, str]] = set()
    g2_kommuner, g2_docs, any_docs = set(), set(), set()
    for j in judgments:
        doc = check_judgment(j, qid, tally, seen_pairs)
        if doc is None:
            continue
        tally.judgments_per_doc[doc] += 1
        any_docs.add(doc)
        if j["grade"] == 2:
            g2_docs.add(doc)
            g2_kommuner.add(kommun_of(doc))
    if 2 not in {j.get("grade") for j in judgments if isinstance(j, dict)}:
        tally.fail(qid, "ingen judgment med grade 2")
    for doc in any_docs:
        tally.docs_any[doc] += 1
    for doc in g2_docs:
        tally.docs_grade2[doc] += 1
    if len(g2_kommuner) >= 2:
        tally.multi_kommun += 1
    if len(g2_docs) >= 2:
        tally.multi_doc += 1


def check_judgment(j, qid, tally: Tally, seen_pairs: set) -> str | None:
    """One judgment; its document when the evidence was found there, else None."""
    if not isinstance(j, dict) or set(j) != JUDGMENT_FIELDS:
        tally.fail(qid, f"judgment ska ha fälten {sorted(JUDGMENT_FIELDS)}: {j!r}")
        return None
    doc, evidence, grade = j["document"], j["evidence"], j["grade"]
    if grade not in (1, 2) or isinstance(grade, bool):
        tally.fail(qid, f"grade ska vara 1 eller 2, inte {grade!r}", evidence)
    else:
        tally.grades[grade] += 1
    if doc not in tally.corpus:
        tally.fail(qid, f"okänt dokument {doc!r}", evidence)
        return None
    if not isinstance(evidence, str):
        tally.fail(qid, "evidence är inte en sträng")
        return None
    span = normalise(evidence)
    if span != evidence:
        tally.notes.append(f"{qid}: evidence normaliserades (extra blanksteg) i {doc}")
    if (doc, span) in seen_pairs:
        tally.fail(qid, f"samma evidence två gånger för {doc}", span)
    seen_pairs.add((doc, span))
    if not MIN_LEN <= len(span) <= MAX_LEN:
        tally.fail(qid, f"evidence har {len(span)} tecken (ska vara {MIN_LEN}-{MAX_LEN})", span)
    for pat in FURNITURE:
        if pat.search(span):
            tally.fail(qid, f"evidence innehåller sidhuvud/sidfot ({pat.pattern})", span)
    count, boundary = check_span(tally.corpus[doc], span)
    if count == 0:
        tally.fail(qid, f"evidence finns inte i {doc}", span)
        return None
    if boundary:
        tally.fail(qid, f"evidence {boundary} i {doc}", span)
    if count > 1:
        tally.notes.append(f"{qid}: evidence matchar {count} ställen i {doc}: {span[:70]!r}…")
    broken = hyphen_break_words(tally.raw_corpus[doc], span)
    if broken:
        tally.notes.append(f"{qid}: avstavat ord över radbrytning i {doc}: {', '.join(broken)}")
    return doc


def print_report(tally: Tally) -> None:
    for f in tally.failures:
        print("FEL  " + f)
    for n in tally.notes:
        print("not  " + n)

    grades = tally.grades
    print()
    print(
        f"Frågor: {tally.n_queries}   judgments: {sum(grades.values())} "
        f"(grade 2: {grades[2]}, grade 1: {grades[1]})"
    )
    print("Per type:")
    for t in TYPES:
        print(f"  {t:<24}{tally.per_type[t]:>4}")
    print("Per style:")
    for s in STYLES:
        print(f"  {s:<24}{tally.per_style[s]:>4}")
    print("Frågan nämner (mentions):")
    for m in ("någon", *MENTIONS):
        print(f"  {m:<24}{tally.per_mention[m]:>4}")
    print("Per dokument (frågor med någon judgment / med grade 2 / antal judgments):")
    for doc in sorted(tally.corpus):
        counts = (tally.docs_any[doc], tally.docs_grade2[doc], tally.judgments_per_doc[doc])
        print(f"  {doc:<58}{counts[0]:>4}{counts[1]:>4}{counts[2]:>5}")
    print(f"Frågor med grade-2-evidens i minst två kommuner: {tally.multi_kommun}")
    print(f"Frågor med grade-2-evidens i minst två dokument: {tally.multi_doc}")
    print(f"Fel: {len(tally.failures)}")


if __name__ == "__main__":
    sys.exit(main())
