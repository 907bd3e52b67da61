"""``revsok ingest``: read files into the index (or update it)."""

from __future__ import annotations

import sys
from pathlib import Path

from revsok.commands.common import index_option, one_line, problem_lines, workers_count
from revsok.settings import Settings, index_settings

HELP = "läs in PDF- och textfiler och bygg/uppdatera indexet"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="SÖKVÄG", help="filer eller mappar")
    index_option(parser, "--out")
    parser.add_argument("--replace", action="store_true", help="bygg om indexet från grunden")
    # Defaults are shown from Settings, so the help cannot drift from what an ingest uses.
    defaults = Settings()
    parser.add_argument("--embedder", help=f"embedder (standard {defaults.embedder}; st:MODELL)")
    parser.add_argument(
        "--chunk-size", type=int, help=f"chunkstorlek i token (standard {defaults.chunk_size})"
    )
    parser.add_argument(
        "--chunk-overlap", type=int, help=f"överlapp i token (standard {defaults.chunk_overlap})"
    )
    parser.add_argument("--no-mask", action="store_true", help="maskera inte personnummer")
    parser.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")
    parser.add_argument(
        "--workers",
        type=workers_count,
        metavar="N",
        help="processer som läser filerna medan inbäddningen pågår (standard: kärnor minus en; "
        "0 = allt i en process)",
    )
    parser.add_argument(
        "--ray",
        nargs="?",
        const="auto",
        metavar="ADRESS",
        help="läs och bädda in på ett Ray-kluster: auto (klustret 'ray start' startat här, "
        "standard), en adress (ray://värd:10001 eller värd:6379) eller local (en egen "
        "Ray-instans); kräver pip install -e '.[ray]'",
    )
    parser.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="avbryt i stället för att vänta när ett annat bygge skriver till indexet",
    )


def run(args, settings: Settings) -> int:
    settings = settings.with_overrides(
        chunk_size=args.chunk_size,
        chunk_overlap=args.chunk_overlap,
        mask_personal_numbers=False if args.no_mask else None,
        index_dir=args.index,
        embedder=args.embedder,
        ingest_workers=args.workers,
    )
    return ingest_into_index(
        args.paths,
        settings,
        replace=args.replace,
        quiet=args.quiet,
        wait=args.wait,
        ray_address=args.ray,
    )


def ingest_into_index(
    paths: list[Path],
    settings: Settings,
    *,
    replace: bool = False,
    quiet: bool = False,
    wait: bool = True,
    ray_address: str | None = None,
) -> int:
    """Read ``paths`` into ``settings``' index (``revsok app`` does too, with the defaults of
    ``revsok ingest``), print what happened and return the exit code."""
    from index.embedders import load_embedder
    from index.embedding_cache import EmbeddingCache
    from ingest.ocr import OcrCache, OcrEngine
    from ingest.options import IngestOptions
    from revsok.update import update_index

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
        paths,
        index_dir,
        embedder,
        EmbeddingCache(settings.embedding_cache),
        options,
        index_settings(settings),
        replace=replace,
        show_progress=not quiet and sys.stderr.isatty(),
        wait=wait,
        ocr=OcrEngine(OcrCache(settings.ocr_cache)),
        workers=settings.ingest_workers,
        ray_address=ray_address,
    )
    failed = _print_ingest(report.ingest)
    if report.build is None:
        print("Inget index skrevs: inga chunkar.", file=sys.stderr)
        return 1
    build = report.build
    print(
        f"Index: {build.chunks} chunkar ({build.embedded} nya inbäddningar, {build.cached} från "
        f"cachen; {report.kept_documents} dokument från andra sökvägar behölls) → {index_dir}"
    )
    return 1 if failed else 0


def _print_ingest(result) -> int:
    """Problems and duplicates one line each on stderr, then the counts; the number of files
    that failed."""
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
    return failed
