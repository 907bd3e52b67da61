"""What the subcommands share: the --index option, a worker count, one-line output of problems."""

from __future__ import annotations

import argparse
from pathlib import Path

from revsok.errors import RevsokError
from revsok.settings import Settings


class CommandError(RevsokError):
    """A wrong command line: printed as one line, exit code 2."""


def workers_count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"ska vara ett heltal, 0 eller större: {raw!r}")
    return value


def index_option(parser: argparse.ArgumentParser, *aliases: str) -> None:
    parser.add_argument(
        "--index",
        *aliases,
        dest="index",
        type=Path,
        help=f"indexmapp (standard {Settings().resolved_index_dir})",
    )


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
