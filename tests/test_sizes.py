"""Modules stay under 400 lines and functions under 60, so each reads in one sitting.

Any that must be over are listed with their size: the list may only shrink. A listed module or
function that grows fails, as does a new one over the limit; one that gets under its limit must
leave the list (so the list stays true).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "index", "recommendations", "eval", "search_app", "revsok")
MODULE_LINES = 400
FUNCTION_LINES = 60
# Over the limit and not yet split: path -> lines today. Empty since issue 16; a module that must
# stay long for a reason is listed here with the reason.
MODULES_OVER: dict[str, int] = {}
# path::function -> lines today. The CLI's argument tables are exempt by design.
FUNCTIONS_OVER: dict[str, int] = {}
EXEMPT_FUNCTIONS = {"add_arguments", "_build_parser"}


def _sources() -> list[tuple[str, str]]:
    return [
        (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    ]


def module_sizes() -> dict[str, int]:
    return {name: len(text.splitlines()) for name, text in _sources()}


def function_sizes() -> dict[str, int]:
    sizes = {}
    for name, text in _sources():
        for node in ast.walk(ast.parse(text)):
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and node.name not in EXEMPT_FUNCTIONS:
                sizes[f"{name}::{node.name}"] = node.end_lineno - node.lineno + 1
    return sizes


def _over(sizes: dict[str, int], limit: int, listed: dict[str, int]) -> list[str]:
    wrong = []
    for name, size in sizes.items():
        allowed = listed.get(name, limit)
        if size > allowed:
            wrong.append(f"{name}: {size} lines (at most {allowed})")
    for name in listed:
        if sizes.get(name, 0) <= limit:
            wrong.append(f"{name} is within {limit} lines now: take it off the list")
    return wrong


def test_modules_are_short() -> None:
    wrong = _over(module_sizes(), MODULE_LINES, MODULES_OVER)
    assert not wrong, "\n".join(wrong)


def test_functions_are_short() -> None:
    wrong = _over(function_sizes(), FUNCTION_LINES, FUNCTIONS_OVER)
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    sizes = {"m.py::f": len(f"def f():\n{body}\n".splitlines())}
    assert _over(sizes, FUNCTION_LINES, {}) == ["m.py::f: 71 lines (at most 60)"]
