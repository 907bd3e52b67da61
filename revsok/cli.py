"""The ``revsok`` command: one entry point, one subcommand per job, all over the Python API."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from revsok.errors import RevsokError
from revsok.settings import Settings, load_settings, ranking_settings

log = logging.getLogger("revsok")


class CommandError(RevsokError):
    """A wrong command line: printed as one line, exit code 2."""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revsok",
        description="Sök i kommunala revisionsrapporter, protokoll och handlingar.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa mer loggning")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    ingest = commands.add_parser(
        "ingest", help="läs in PDF- och textfiler och bygg/uppdatera indexet"
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="SÖKVÄG", help="filer eller mappar")
    _index_option(ingest, "--out")
    ingest.add_argument("--replace", action="store_true", help="bygg om indexet från grunden")
    # Defaults are shown from Settings, so the help cannot drift from what an ingest uses.
    defaults = Settings()
    ingest.add_argument("--embedder", help=f"embedder (standard {defaults.embedder}; st:MODELL)")
    ingest.add_argument(
        "--chunk-size", type=int, help=f"chunkstorlek i token (standard {defaults.chunk_size})"
    )
    ingest.add_argument(
        "--chunk-overlap", type=int, help=f"överlapp i token (standard {defaults.chunk_overlap})"
    )
    ingest.add_argument("--no-mask", action="store_true", help="maskera inte personnummer")
    ingest.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")
    ingest.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="processer som läser filerna medan inbäddningen pågår (standard: kärnor minus en; "
        "0 = allt i en process)",
    )
    ingest.add_argument(
        "--ray",
        nargs="?",
        const="auto",
        metavar="ADRESS",
        help="läs och bädda in på ett Ray-kluster: auto (klustret 'ray start' startat här, "
        "standard), en adress (ray://värd:10001 eller värd:6379) eller local (en egen "
        "Ray-instans); kräver pip install -e '.[ray]'",
    )
    ingest.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="avbryt i stället för att vänta när ett annat bygge skriver till indexet",
    )

    inspect = commands.add_parser("inspect", help="lista indexets dokument, metadata och varningar")
    inspect.add_argument("dir", nargs="?", type=Path, metavar="MAPP", help="indexmapp")
    inspect.add_argument("--json", action="store_true", help="skriv ut som JSON")

    search = commands.add_parser("search", help="sök med källhänvisning")
    search.add_argument("query", metavar="FRÅGA")
    _index_option(search)
    search.add_argument("--k", type=int, default=10, help="antal träffar (standard 10)")
    search.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    search.add_argument("--kommun", action="append", default=[], help="kommun (kan upprepas)")
    search.add_argument("--from", dest="year_from", type=int, metavar="ÅR", help="från och med år")
    search.add_argument("--to", dest="year_to", type=int, metavar="ÅR", help="till och med år")
    search.add_argument("--nämnd", "--namnd", dest="committee", action="append", default=[])
    search.add_argument("--type", dest="doc_type", action="append", default=[], help="dokumenttyp")
    search.add_argument("--section", action="append", default=[], help="avsnittstyp")
    search.add_argument("--byrå", "--byra", dest="audit_firm", action="append", default=[])
    search.add_argument("--json", action="store_true", help="skriv ut som JSON")
    search.add_argument(
        "--no-interpret",
        dest="interpret",
        action="store_false",
        help="tolka inte kommun, år, nämnd, dokumenttyp och avsnitt i frågan",
    )
    search.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="NYCKEL",
        help="bortse från en tolkad del, t.ex. 'kommun:Ragunda kommun' (kan upprepas)",
    )

    evaluate = commands.add_parser("eval", help="utvärdera sökningen med evalmängden")
    _index_option(evaluate)
    evaluate.add_argument("--set", type=Path, help="evalmängd (standard eval/queries.jsonl)")
    evaluate.add_argument(
        "--modes",
        default="bm25,dense,hybrid,hybrid-v1,bm25-plain",
        help="söklägen, kommaseparerade (hybrid-v1: förra standarden; bm25-plain: bm25s med "
        "Snowball, baslinjen)",
    )
    evaluate.add_argument(
        "--previous-index",
        type=Path,
        metavar="MAPP",
        help="index byggt med förra standardens chunkning (300/50), för hybrid-v1",
    )
    evaluate.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="test",
        help="del av evalmängden: test (hålls utanför all inställning), dev eller all",
    )
    evaluate.add_argument("--json", action="store_true", help="skriv ut hela körningen som JSON")
    evaluate.add_argument("--save", metavar="NAMN", help="spara körningen under NAMN")
    evaluate.add_argument("--compare", metavar="NAMN", help="jämför med en sparad körning")
    evaluate.add_argument("--fusion", choices=("rrf", "weighted"), help="fusion att utvärdera")
    evaluate.add_argument("--rrf-k", type=int, help="k i reciprocal rank fusion")
    evaluate.add_argument("--dense-weight", type=float, help="tät vikt i weighted-fusion")
    evaluate.add_argument(
        "--export", type=Path, metavar="MAPP", help="exportera TREC-qrels och BEIR"
    )

    app = commands.add_parser(
        "app", help="starta webbappen (läser in exempelkorpusen om inget index finns)"
    )
    _index_option(app)
    app.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        metavar="MAPP",
        help="läses in om indexet saknas (standard corpus/)",
    )
    app.add_argument("--port", type=int, default=8501, help="port (standard 8501)")
    app.add_argument(
        "--host", default="127.0.0.1", help="adress att lyssna på (standard bara den här datorn)"
    )
    app.add_argument("--no-ingest", action="store_true", help="läs aldrig in korpusen automatiskt")

    from revsok import recommendations_cli

    recommendations = commands.add_parser(
        "recommendations", help="lista rekommendationer, bedömningar och nämndernas svar"
    )
    recommendations_cli.add_arguments(recommendations)

    bench = commands.add_parser("bench", help="mät ingest, sökfördröjning och skalning")
    bench.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="SÖKVÄG")
    bench.add_argument(
        "--scale",
        type=int,
        action="append",
        help="antal chunkar att skala upp till (standard 100 000 och 1 000 000; 0 hoppar över)",
    )
    bench.add_argument("--queries", type=int, default=50, help="antal frågor per mätning")
    bench.add_argument(
        "--text-mb",
        type=float,
        action="append",
        metavar="MB",
        help="storlek på den genererade textfil vars inläsning mäts (standard 50; 0 hoppar över)",
    )
    bench.add_argument(
        "--ocr-pages",
        type=int,
        default=0,
        metavar="N",
        help="mät OCR-läsning på N sidor av en skannad kopia (standard 0: mäts inte)",
    )
    bench.add_argument(
        "--cold-ingest",
        action="store_true",
        help="mät hela inläsningen med tom embeddingcache mot enbart inbäddningen (tar minuter)",
    )
    bench.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="läsprocesser i --cold-ingest (standard: kärnor minus en); jämförs med 0",
    )
    bench.add_argument(
        "--scale-corpus",
        choices=("realistic", "copies"),
        default="realistic",
        help="skalningskorpus: realistic (blandningar av verkliga vektorer, verkliga meningar; "
        "standard) eller copies (brusiga kopior, stressfall)",
    )
    bench.add_argument(
        "--load",
        action="store_true",
        help="mät också hybridsökning vid högst 100 000 chunkar medan en ingest bäddar in och "
        "med 8 samtidiga användare",
    )
    bench.add_argument(
        "--startup",
        type=int,
        action="append",
        metavar="N",
        help="skriv N genererade chunkar som ett index och mät Searcher.load, minne och sökning "
        "i en ny process (t.ex. 1000000; tar minuter)",
    )
    bench.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADRESS",
        help="mät inbäddning per kärna här och som Ray-uppgifter (standard: en egen Ray-instans)",
    )
    bench.add_argument(
        "--only-ingest",
        action="store_true",
        help="mät bara läsning och inläsning, inte sökning, skalning och textfil",
    )
    bench.add_argument("--json", action="store_true", help="skriv ut som JSON")
    return parser


def _workers(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"ska vara ett heltal, 0 eller större: {raw!r}")
    return value


def _index_option(parser: argparse.ArgumentParser, *aliases: str) -> None:
    parser.add_argument(
        "--index", *aliases, dest="index", type=Path, help="indexmapp (standard revsok-data/index)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        # pypdf logs what it repairs in a damaged PDF ("EOF marker not found"); the file's own
        # FEL or varning line already says what matters.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
    _stop_on_sigterm()
    try:
        settings = load_settings()
        handler = {
            "ingest": _ingest,
            "inspect": _inspect,
            "search": _search,
            "eval": _eval,
            "bench": _bench,
            "recommendations": _recommendations,
            "app": _app,
        }
        return handler[args.command](args, settings)
    except RevsokError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return err.exit_code
    except ValueError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("revsok: avbrutet; indexet är som före körningen", file=sys.stderr)
        return 130


def problem_lines(problems) -> list[str]:
    """One line per file: "FEL: fil: skäl" for each failure, and the file's warnings gathered
    on one "varning: fil: a; b; c" line, so a corpus of 28 documents is not 26 lines of noise."""
    lines, warnings = [], {}
    for problem in problems:
        if problem.fatal:
            lines.append(f"FEL: {problem.source_file}: {problem.reason}")
        else:
            warnings.setdefault(problem.source_file, []).append(problem.reason)
    for source, reasons in warnings.items():
        lines.append(f"varning: {source}: {'; '.join(dict.fromkeys(reasons))}")
    return lines


def one_line(text: str) -> str:
    """``text`` on one line: a newline or other control character (a file may be named with one)
    is written as its escape, so one problem stays one line of output."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so an ingest that is told to stop cleans up.

    Without this SIGTERM ends the process on the spot and leaves its unfinished version folder
    (hundreds of MB for a large file) until the next writer removes it.
    """

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _index_settings(settings: Settings):
    from index.builder import IndexSettings
    from index.dense import DenseSettings
    from index.hybrid import FusionSettings

    return IndexSettings(
        embed_context=settings.embed_context,
        split_compounds=settings.split_compounds,
        dense=DenseSettings(
            approximate_above=settings.approximate_above,
            hnsw_ef_search=settings.hnsw_ef_search,
            ivf_above=settings.ivf_above,
            ivf_nprobe=settings.ivf_nprobe,
        ),
        fusion=FusionSettings(
            method=settings.fusion,
            rrf_k=settings.rrf_k,
            dense_weight=settings.dense_weight,
            depth=settings.fusion_depth,
            normalisation=settings.fusion_normalisation,
            confidence_weighting=settings.confidence_weighting,
        ),
        ranking=ranking_settings(settings),
    )


def _ingest(args, settings: Settings) -> int:
    from index.embedders import load_embedder
    from index.embedding_cache import EmbeddingCache
    from index.update import update_index
    from ingest.ocr import OcrCache, OcrEngine
    from ingest.pipeline import IngestOptions

    settings = settings.with_overrides(
        chunk_size=args.chunk_size,
        chunk_overlap=args.chunk_overlap,
        mask_personal_numbers=False if args.no_mask else None,
        index_dir=args.index,
        embedder=args.embedder,
        ingest_workers=getattr(args, "workers", None),
    )
    options = IngestOptions(
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        mask_personal_numbers=settings.mask_personal_numbers,
    )
    options.chunk_settings()  # validates before any work is done
    index_dir = settings.resolved_index_dir
    embedder = load_embedder(settings.embedder)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    report = update_index(
        args.paths,
        index_dir,
        embedder,
        EmbeddingCache(settings.embedding_cache),
        options,
        _index_settings(settings),
        replace=args.replace,
        show_progress=not args.quiet and sys.stderr.isatty(),
        wait=args.wait,
        ocr=OcrEngine(OcrCache(settings.ocr_cache)),
        workers=settings.ingest_workers,
        ray_address=args.ray,
    )
    result = report.ingest
    for line in problem_lines(result.problems):
        print(one_line(line), file=sys.stderr)
    for duplicate in result.duplicates:
        print(
            one_line(
                f"dubblett: {duplicate.source_file} har samma innehåll som "
                f"{duplicate.duplicate_of} (indexeras en gång)"
            ),
            file=sys.stderr,
        )
    failed = sum(1 for p in result.problems if p.fatal)
    warned = sum(1 for p in result.problems if not p.fatal)
    print(
        f"Inläst: {result.files_seen} filer ({result.files_reused} oförändrade), "
        f"{len(result.documents)} dokument, {len(result.chunks)} chunkar, {failed} fel, "
        f"{warned} varningar, {len(result.duplicates)} dubbletter"
    )
    if report.build is None:
        print("Inget index skrevs: inga chunkar.", file=sys.stderr)
        return 1
    build = report.build
    print(
        f"Index: {build.chunks} chunkar ({build.embedded} nya inbäddningar, {build.cached} från "
        f"cachen; {report.kept_documents} dokument från andra sökvägar behölls) → {index_dir}"
    )
    return 1 if failed else 0


def _inspect(args, settings: Settings) -> int:
    from index import layout
    from index.chunk_store import read_documents
    from index.index_config import IndexConfig

    folder = args.dir or settings.resolved_index_dir
    version = layout.live_version(folder)
    config = IndexConfig.read(version)
    documents = read_documents(version)
    if args.json:
        payload = {"config": config.to_dict(), "documents": [asdict(d) for d in documents]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for doc in sorted(documents, key=lambda d: (d.source_file, d.item_index or 0)):
        pages = f"s. {doc.page_start}–{doc.page_end}" if doc.page_start else ""
        fields = [
            doc.municipality or "(kommun saknas)",
            str(doc.year or "(år saknas)"),
            doc.committee or "(nämnd saknas)",
            doc.doc_type,
            doc.audit_firm or "",
            doc.title or "(titel saknas)",
        ]
        extra = [x for x in (doc.case_number and f"Dnr {doc.case_number}", doc.paragraph) if x]
        print(f"{doc.doc_id}  " + " · ".join(f for f in fields if f))
        print(
            f"    {one_line(doc.source_file)} {pages} · {doc.chunk_count} chunkar"
            + (f" · {' · '.join(extra)}" if extra else "")
        )
        for warning in doc.warnings:
            print(f"    varning: {warning}")
    counts, chunking = config.counts, config.chunking
    print(
        f"\n{counts.documents} dokument, {counts.chunks} chunkar · embedder "
        f"{config.embedder_name} · chunk_size {chunking.get('chunk_size')}, "
        f"overlap {chunking.get('chunk_overlap')} · tät sökning {config.dense_kind}"
    )
    for problem in config.ingest_report.get("problems", []):
        if problem.get("fatal"):
            print(one_line(f"FEL: {problem.get('source_file')}: {problem.get('reason')}"))
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


def _search(args, settings: Settings) -> int:
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


def _eval(args, settings: Settings) -> int:
    from dataclasses import replace

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
    fusion = replace(
        searcher.fusion,
        **{
            k: v
            for k, v in {
                "method": args.fusion,
                "rrf_k": args.rrf_k,
                "dense_weight": args.dense_weight,
            }.items()
            if v is not None
        },
    )
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
    if args.json:
        print(
            json.dumps(
                {**result, "worst": worst, "comparison": comparison}, ensure_ascii=False, indent=2
            )
        )
    else:
        print(markdown)
        print(
            f"Rapport: {runs_dir / (name + '.md')}, {runs_dir / (name + '.json')}, "
            f"{runs_dir / (name + '.png')}"
        )
    return 0


def _recommendations(args, settings: Settings) -> int:
    from revsok import recommendations_cli

    return recommendations_cli.run(args, args.index or settings.resolved_index_dir)


def _bench(args, settings: Settings) -> int:
    from index.bench import run_benchmark

    report = run_benchmark(
        args.paths,
        settings,
        scales=[n for n in args.scale or [100_000, 1_000_000] if n > 0],
        queries=args.queries,
        text_sizes=[size for size in args.text_mb or [50.0] if size > 0],
        search=not args.only_ingest,
        ocr_pages=args.ocr_pages,
        cold_workers=_cold_workers(args, settings),
        corpus_kind=args.scale_corpus,
        load=args.load,
        ray_address=args.ray,
        startup=args.startup or [],
    )
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else report["text"])
    return 0


def _cold_workers(args, settings: Settings) -> list[int]:
    if not args.cold_ingest:
        return []
    workers = args.workers if args.workers is not None else settings.ingest_workers
    # Reading in one process too, for what the worker processes gain.
    return list(dict.fromkeys([workers, 0]))


def _app(args, settings: Settings) -> int:
    from index import layout
    from revsok.app_command import run_app

    settings = settings.with_overrides(index_dir=args.index)
    index_dir = settings.resolved_index_dir
    if not layout.exists(index_dir):
        if args.no_ingest:
            raise CommandError(f"inget index i {index_dir}; kör 'revsok ingest' först")
        if not args.corpus.exists():
            raise CommandError(
                f"inget index i {index_dir} och korpusen {args.corpus} finns inte; "
                "ange --corpus MAPP eller kör 'revsok ingest' först"
            )
        print(f"Inget index i {index_dir}: läser in {args.corpus} först …", flush=True)
        # Parsed by the ingest command's own parser, so its defaults cannot drift from here.
        ingest_argv = ["ingest", str(args.corpus)]
        if args.index is not None:
            ingest_argv += ["--index", str(args.index)]
        ingest_args = _build_parser().parse_args(ingest_argv)
        if _ingest(ingest_args, settings) != 0 and not layout.exists(index_dir):
            raise CommandError("inläsningen gav inget index; se felen ovan")
    return run_app(args.host, args.port, index_dir)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
