"""The ``revsok`` command: one entry point, one module per subcommand (``revsok.commands``), all
over the Python API. Errors the user can act on are mapped to one line and an exit code here."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from revsok.commands import app, bench, evaluation, ingest, inspect, recommendations, search
from revsok.commands.common import CommandError
from revsok.errors import RevsokError
from revsok.settings import Settings, load_settings

__all__ = ["CommandError", "main"]

log = logging.getLogger("revsok")


def _recommendations(args, settings: Settings) -> int:
    return recommendations.run(args, args.index or settings.resolved_index_dir)


# name: (help, add_arguments, run), in the order ``revsok --help`` lists them.
COMMANDS = {
    "ingest": (ingest.HELP, ingest.add_arguments, ingest.run),
    "inspect": (inspect.HELP, inspect.add_arguments, inspect.run),
    "search": (search.HELP, search.add_arguments, search.run),
    "eval": (evaluation.HELP, evaluation.add_arguments, evaluation.run),
    "app": (app.HELP, app.add_arguments, app.run),
    "recommendations": (
        "lista rekommendationer, bedömningar och nämndernas svar",
        recommendations.add_arguments,
        _recommendations,
    ),
    "bench": (bench.HELP, bench.add_arguments, bench.run),
}


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revsok",
        description="Sök i kommunala revisionsrapporter, protokoll och handlingar.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa mer loggning")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        add_arguments(commands.add_parser(name, help=help_text))
    return parser


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
        return COMMANDS[args.command][2](args, settings)
    except RevsokError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return err.exit_code
    except ValueError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("revsok: avbrutet; indexet är som före körningen", file=sys.stderr)
        return 130


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so an ingest that is told to stop cleans up.

    Without this SIGTERM ends the process on the spot and leaves its unfinished version folder
    (hundreds of MB for a large file) until the next writer removes it.
    """

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
