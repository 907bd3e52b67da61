"""The command line the dev-only side experiments share: an index in, a markdown table out."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from revsok.settings import Settings


def run_on_index(
    description: str, measure: Callable[[Path], str], argv: Sequence[str] | None = None
) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--index", type=Path, default=Settings().resolved_index_dir)
    args = parser.parse_args(argv)
    print(measure(args.index))
    return 0
