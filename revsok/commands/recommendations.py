"""``revsok recommendations``: list the recommendations stored with the index, with their links."""

from __future__ import annotations

import json
import logging
import textwrap
from dataclasses import asdict
from pathlib import Path

from recommendations.filtering import RECOMMENDATION_FIELDS
from recommendations.models import heading
from revsok.commands.common import index_option
from revsok.commands.filter_options import add_filter_options, filters_from_args
from revsok.settings import Settings

log = logging.getLogger(__name__)

HELP = "lista rekommendationer, bedömningar och nämndernas svar"

_WIDTH = 96


def add_arguments(parser) -> None:
    index_option(parser)
    add_filter_options(parser, RECOMMENDATION_FIELDS)
    parser.add_argument("--topic", action="append", default=[], help="ämne (eller del av ett)")
    parser.add_argument("--query", help="rangordna efter en fråga (ord och betydelse)")
    parser.add_argument("--k", type=int, default=20, help="antal träffar med --query")
    parser.add_argument(
        "--verdicts", action="store_true", help="visa rapporternas bedömningar och svar per fråga"
    )
    parser.add_argument("--topics", action="store_true", help="lista ämnesordlistan")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")


def run(args, settings: Settings) -> int:
    from recommendations.store import RecommendationStore
    from recommendations.topics import resolve_topic, topic_names

    index_dir = args.index or settings.resolved_index_dir
    if args.topics:
        print("\n".join(topic_names()))
        return 0
    unknown = [t for t in args.topic if not resolve_topic(t)]
    if unknown:
        raise ValueError(f"okänt ämne: {', '.join(unknown)} (ämnen: {', '.join(topic_names())})")
    store = RecommendationStore.load(index_dir)
    if not store.stored:
        print(
            "Obs: indexet byggdes före rekommendationerna; de togs fram ur chunkarna nu. "
            "Kör 'revsok ingest' igen för att spara dem med indexet."
        )
    values = store.field_values()
    filters = filters_from_args(
        args,
        lambda field: values[field.chunk_field],
        fields=RECOMMENDATION_FIELDS,
        holding="med rekommendationer",
    )
    if args.verdicts:
        return _verdicts(store, filters, args.json, args.verbose)
    topic = args.topic or None
    if args.query:
        embedder = _embedder(index_dir)
        hits = store.search(args.query, embedder, args.k, filters=filters, topic=topic)
        recs = [hit.recommendation for hit in hits]
    else:
        recs = store.recommendations(filters, topic=topic)
    if args.json:
        print(json.dumps([_as_json(store, r) for r in recs], ensure_ascii=False, indent=2))
        return 0
    if not recs:
        print("Inga rekommendationer. Pröva färre filter.")
        return 0
    for number, rec in enumerate(recs, start=1):
        _print_recommendation(store, rec, number)
    earlier = sum(r.earlier for r in recs)
    print(f"{len(recs)} rekommendationer ({earlier} tidigare, citerade i uppföljningar)")
    return 0


def _embedder(index_dir: Path):
    from index import layout
    from index.embedder_contract import EmbedderError
    from index.embedders import load_embedder
    from index.index_config import IndexConfig

    try:
        config = IndexConfig.read(layout.live_version(index_dir))
        return load_embedder(config.embedder_name)
    except EmbedderError as err:
        log.warning("ingen embedder (%s): rangordnar bara efter ord", err)
        return None


def _print_recommendation(store, rec, number: int) -> None:
    marker = f"tidigare ({rec.earlier_year or 'år okänt'}) · " if rec.earlier else ""
    origin = "citerad i handling · " if rec.origin == "handling" else ""
    print(f"{number}. {marker}{origin}{heading(rec)}")
    text = rec.text + (
        f" (se avsnitt {', '.join(rec.cited_sections)})" if rec.cited_sections else ""
    )
    print(textwrap.indent(textwrap.fill(text, width=_WIDTH), "   "))
    if rec.topics:
        print(f"   Ämnen: {', '.join(rec.topics)}")
    for linked in store.answers_for(rec.rec_id):
        excerpt = _excerpt(linked.link.excerpt or linked.answer.text)
        print(f"   Svar från nämnden ({linked.link.method}): {linked.answer.citation()}")
        print(textwrap.indent(textwrap.fill(f"”{excerpt}”", width=_WIDTH - 6), "      "))
    for link in store.follow_ups(rec.rec_id):
        label = (
            "Uppföljningens bedömning"
            if link.target_chunk
            else ("Samma rekommendation" if link.kind == "samma rekommendation" else "Uppföljs av")
        )
        print(f"   {label}: {link.citation}")
        print(
            textwrap.indent(
                textwrap.fill(f"”{_excerpt(link.excerpt)}”", width=_WIDTH - 6), "      "
            )
        )
    for earlier in store.earlier_versions(rec.rec_id):
        print(f"   Tidigare rekommendation ({earlier.earlier_year or '?'}): {earlier.text}")
    print()


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _as_json(store, rec) -> dict:
    return {
        **asdict(rec),
        "year": rec.year,
        "citation": rec.citation(),
        "heading": heading(rec),
        "answers": [
            {**asdict(linked.answer), "link": asdict(linked.link)}
            for linked in store.answers_for(rec.rec_id)
        ],
        "follow_ups": [asdict(link) for link in store.follow_ups(rec.rec_id)],
    }


def _verdicts(store, filters, as_json: bool, verbose: bool) -> int:
    verdicts = store.verdicts(filters)
    if as_json:
        payload = [
            {
                **asdict(v),
                "citation": v.citation(),
                "questions": [asdict(q) for q in store.question_answers(v.source.doc_id)],
            }
            for v in verdicts
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if not verdicts:
        print("Inga bedömningar. Pröva färre filter.")
        return 0
    for verdict in verdicts:
        print(f"{verdict.citation()}")
        print(f"   Sammanfattande bedömning: {verdict.level}")
        print(textwrap.indent(textwrap.fill(f"”{verdict.sentence}”", width=_WIDTH - 3), "   "))
        for qa in store.question_answers(verdict.source.doc_id):
            # No graded answer is shown as "–", as the README says; the bedömning text it was
            # looked for in follows only with -v.
            answer = (qa.answer if qa.method == "tabell" else qa.level) or "–"
            graded = qa.method != "tabell" and qa.level
            print(f"   – {qa.question}")
            print(f"     Svar: {answer}" + (f" ({qa.method})" if graded else ""))
            if verbose and qa.method != "tabell" and qa.answer:
                text = textwrap.fill(f"Bedömning: {qa.answer}", width=_WIDTH - 5)
                print(textwrap.indent(text, "     "))
        print()
    return 0
