"""``revsok app``: start the web app, ingesting the sample corpus first when there is no index."""

from __future__ import annotations

from pathlib import Path

from revsok.commands import ingest
from revsok.commands.common import CommandError, index_option
from revsok.settings import Settings

HELP = "starta webbappen (läser in exempelkorpusen om inget index finns)"


def add_arguments(parser) -> None:
    index_option(parser)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        metavar="MAPP",
        help="läses in om indexet saknas (standard %(default)s/)",
    )
    parser.add_argument("--port", type=int, default=8501, help="port (standard %(default)s)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="adress att lyssna på (standard bara den här datorn)"
    )
    parser.add_argument(
        "--no-ingest", action="store_true", help="läs aldrig in korpusen automatiskt"
    )


def run(args, settings: Settings) -> int:
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
        ingested = ingest.ingest_into_index([args.corpus], settings)
        if ingested != 0 and not layout.exists(index_dir):
            raise CommandError("inläsningen gav inget index; se felen ovan")
    return run_app(args.host, args.port, index_dir, serve_originals=settings.serve_originals)
