"""``revsok eval``: retrieval quality on the eval set (held-out split by default)."""

from __future__ import annotations

import json
from pathlib import Path

from revsok.commands.common import CommandError, index_option
from revsok.settings import Settings

HELP = "utvärdera sökningen med evalmängden"


def add_arguments(parser) -> None:
    index_option(parser)
    parser.add_argument("--set", type=Path, help="evalmängd (standard eval/queries.jsonl)")
    parser.add_argument(
        "--modes",
        default="bm25,dense,hybrid,hybrid-v1,bm25-plain",
        help="söklägen, kommaseparerade (hybrid-v1: förra standarden; bm25-plain: bm25s med "
        "Snowball, baslinjen)",
    )
    parser.add_argument(
        "--previous-index",
        type=Path,
        metavar="MAPP",
        help="index byggt med förra standardens chunkning (300/50), för hybrid-v1",
    )
    parser.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="test",
        help="del av evalmängden: test (hålls utanför all inställning), dev eller all",
    )
    parser.add_argument("--json", action="store_true", help="skriv ut hela körningen som JSON")
    parser.add_argument("--save", metavar="NAMN", help="spara körningen under NAMN")
    parser.add_argument("--compare", metavar="NAMN", help="jämför med en sparad körning")
    parser.add_argument("--fusion", choices=("rrf", "weighted"), help="fusion att utvärdera")
    parser.add_argument("--rrf-k", type=int, help="k i reciprocal rank fusion")
    parser.add_argument("--dense-weight", type=float, help="tät vikt i weighted-fusion")
    parser.add_argument("--export", type=Path, metavar="MAPP", help="exportera TREC-qrels och BEIR")


def run(args, settings: Settings) -> int:
    from eval import report as eval_report
    from eval.evalset import DEFAULT_SET, load_eval_set
    from eval.export import export_beir, export_trec_qrels
    from eval.runner import MODES as EVAL_MODES
    from eval.runner import compare, evaluate, load_run, save_run, worst_queries
    from index.searcher import Searcher

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - set(EVAL_MODES)
    if unknown:
        raise CommandError(f"okända söklägen: {', '.join(sorted(unknown))}")
    queries = load_eval_set(args.set or DEFAULT_SET)
    searcher = Searcher.load(args.index or settings.resolved_index_dir)
    fusion = _fusion(searcher.fusion, args)
    runs_dir = settings.data_dir / "eval"
    if args.export:
        export_trec_qrels(queries, searcher.chunks, args.export / "qrels.trec")
        export_beir(queries, searcher.chunks, args.export / "beir")
        print(f"Exporterat: {args.export / 'qrels.trec'} och {args.export / 'beir'}")
    previous = Searcher.load(args.previous_index) if args.previous_index else None
    result = evaluate(searcher, queries, modes, fusion, split=args.split, previous=previous)
    comparison = None
    if args.compare:
        try:
            comparison = compare(result, load_run(runs_dir, args.compare))
        except FileNotFoundError as err:
            raise CommandError(str(err)) from err
    worst_mode = "hybrid" if "hybrid" in modes else modes[-1]
    worst = worst_queries(result, searcher, worst_mode)
    name = args.save or "senaste"
    save_run(result, runs_dir, name)
    markdown = eval_report.markdown(result, worst, comparison)
    (runs_dir / f"{name}.md").write_text(markdown, encoding="utf-8")
    eval_report.chart(result, runs_dir / f"{name}.png")
    _print_result(args, result, worst, comparison, markdown, runs_dir / name)
    return 0


def _fusion(fusion, args):
    """The index's fusion with what the command line sets instead."""
    from dataclasses import replace

    given = {"method": args.fusion, "rrf_k": args.rrf_k, "dense_weight": args.dense_weight}
    return replace(fusion, **{k: v for k, v in given.items() if v is not None})


def _print_result(args, result, worst, comparison, markdown: str, report: Path) -> None:
    if args.json:
        payload = {**result, "worst": worst, "comparison": comparison}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print(markdown)
    print(f"Rapport: {report}.md, {report}.json, {report}.png")
