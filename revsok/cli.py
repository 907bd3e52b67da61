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
from revsok.settings import load_settings

__all__ = ["CommandError", "main"]

log = logging.getLogger("revsok")


# name: its module, with HELP, add_arguments(parser) and run(args, settings) -> int; in the order
# ``revsok --help`` lists them.
COMMANDS = {
    "ingest": ingest,
    "inspect": inspect,
    "search": search,
    "eval": evaluation,
    "app": app,
    "recommendations": recommendations,
    "bench": bench,
}


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revsok",
        description="Sök i kommunala revisionsrapporter, protokoll och handlingar.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa mer loggning")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for name, command in COMMANDS.items():
        command.add_arguments(commands.add_parser(name, help=command.HELP))
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
        return COMMANDS[args.command].run(args, settings)
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
