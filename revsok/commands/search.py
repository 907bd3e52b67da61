"""``revsok search``: cited passages for a query, with how the query was understood."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict

from revsok.commands.common import index_option
from revsok.settings import Settings

HELP = "sök med källhänvisning"


def add_arguments(parser) -> None:
    parser.add_argument("query", metavar="FRÅGA")
    index_option(parser)
    parser.add_argument("--k", type=int, default=10, help="antal träffar (standard 10)")
    parser.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    parser.add_argument("--kommun", action="append", default=[], help="kommun (kan upprepas)")
    parser.add_argument("--from", dest="year_from", type=int, metavar="ÅR", help="från och med år")
    parser.add_argument("--to", dest="year_to", type=int, metavar="ÅR", help="till och med år")
    parser.add_argument("--nämnd", "--namnd", dest="committee", action="append", default=[])
    parser.add_argument("--type", dest="doc_type", action="append", default=[], help="dokumenttyp")
    parser.add_argument("--section", action="append", default=[], help="avsnittstyp")
    parser.add_argument("--byrå", "--byra", dest="audit_firm", action="append", default=[])
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")
    parser.add_argument(
        "--no-interpret",
        dest="interpret",
        action="store_false",
        help="tolka inte kommun, år, nämnd, dokumenttyp och avsnitt i frågan",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="NYCKEL",
        help="bortse från en tolkad del, t.ex. 'kommun:Ragunda kommun' (kan upprepas)",
    )


def run(args, settings: Settings) -> int:
    from index.searcher import Searcher

    index_dir = args.index or settings.resolved_index_dir
    searcher = Searcher.load(index_dir)
    hits = searcher.search(
        args.query,
        k=args.k,
        filters=_filters(args, searcher),
        mode=args.mode,
        understand=args.interpret,
        ignore=args.ignore,
    )
    if args.json:
        payload = {
            "interpretation": hits.interpretation.to_dict(),
            "query_truncated_from": hits.truncated_from or None,
            "hits": [
                {
                    "rank": hit.rank,
                    "score": hit.score,
                    "retrievers": list(hit.retrievers),
                    "retriever_ranks": hit.retriever_ranks,
                    "retriever_scores": hit.retriever_scores,
                    "similarity": hit.similarity,
                    "weak": hit.weak,
                    "citation": hit.citation(),
                    "also_in": hit.also_in(),
                    **asdict(hit.chunk),
                }
                for hit in hits
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    understood = hits.interpretation
    if hits.truncated_from:
        print(f"Frågan var {hits.truncated_from} tecken och kortades till {len(understood.query)}.")
    if understood.recognised:
        parts = ", ".join(f"{r.kind} {r.label}" for r in understood.recognised)
        print(f"Tolkning (väger in i rangordningen, filtrerar inte): {parts}")
        print(
            "  (bortse från en del med --ignore 'NYCKEL', t.ex. --ignore "
            f"'{understood.recognised[0].key}', eller från alla med --no-interpret)\n"
        )
    if not hits:
        print("Inga träffar. Pröva andra ord eller färre filter.")
        return 0
    for hit in hits:
        found = "+".join(hit.retrievers)
        weak = " · svag träff" if hit.weak else ""
        print(f"{hit.rank}. {hit.citation()}  [{hit.score:.4f} · {found}{weak}]")
        for place in hit.also_in():
            print(f"   även i: {place}")
        if hit.chunk.heading_path:
            print(f"   {hit.chunk.heading_path_text}")
        excerpt = " ".join(hit.chunk.text.split())
        excerpt = excerpt if len(excerpt) <= 500 else excerpt[:500].rsplit(" ", 1)[0] + " …"
        print(textwrap.indent(textwrap.fill(excerpt, width=96), "   "))
        print()
    return 0


def _filters(args, searcher):
    from index.models import Filters
    from revsok.known_values import known

    docs = searcher.documents
    return Filters(
        municipalities=known(
            args.kommun,
            (d.municipality for d in docs),
            "kommuner",
            resolve=searcher.resolve_municipality,
        ),
        year_from=args.year_from,
        year_to=args.year_to,
        committees=known(
            args.committee,
            (d.committee for d in docs),
            "nämnder",
            resolve=searcher.resolve_committee,
        ),
        doc_types=known(args.doc_type, (d.doc_type for d in docs), "dokumenttyper"),
        section_kinds=known(
            args.section,
            searcher.field_values()["section_kind"],
            "avsnittstyper",
            # "rekommendationer" selects "slutsats/rekommendationer"
            matches=lambda name, kind: name.casefold() in (kind, *kind.split("/")),
        ),
        audit_firms=known(args.audit_firm, (d.audit_firm for d in docs), "byråer"),
    )
