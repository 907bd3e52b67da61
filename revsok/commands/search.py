"""``revsok search``: cited passages for a query, with how the query was understood."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict

from index.models import DEFAULT_K, MODES
from revsok.commands.common import index_option
from revsok.commands.filter_options import add_filter_options, filters_from_args
from revsok.settings import Settings

HELP = "sök med källhänvisning"


def add_arguments(parser) -> None:
    parser.add_argument("query", metavar="FRÅGA")
    index_option(parser)
    parser.add_argument(
        "--k", type=int, default=DEFAULT_K, help="antal träffar (standard %(default)s)"
    )
    parser.add_argument("--mode", choices=MODES, default=MODES[0])
    add_filter_options(parser)
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
        print(json.dumps(_as_json(hits), ensure_ascii=False, indent=2))
    else:
        _print_hits(hits)
    return 0


def _as_json(hits) -> dict:
    return {
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


def _print_hits(hits) -> None:
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
        return
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


def _filters(args, searcher):
    values = searcher.field_values()
    return filters_from_args(
        args,
        lambda field: values[field.chunk_field],
        # The index's own names first: a kommun or region that places.csv does not know.
        resolve={"municipalities": searcher.resolve_municipality},
        # "rekommendationer" selects "slutsats/rekommendationer"
        matches={"section_kinds": lambda name, kind: name.casefold() in (kind, *kind.split("/"))},
    )
