"""Imports between the project's packages point down the floors, never up.

A floor may import its own and every floor below it. ``revsok`` holds both the lowest floor (the
error types every package raises) and the top (settings, which name the tunables of ingest and
index, and the command line), so its modules are placed one by one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. A module's floor is that of the longest prefix here that names it.
FLOORS = (
    ("revsok.errors",),
    ("ingest",),
    ("index",),
    ("recommendations",),
    # Settings, the eval, and the orchestration that drives ingest into an index.
    ("revsok.settings", "revsok.update", "revsok.local_embedding", "revsok.ray_embedding", "eval"),
    ("search_app",),
    ("revsok",),
)
PACKAGES = ("ingest", "index", "recommendations", "eval", "search_app", "revsok")


def floor_of(module: str) -> int:
    best, floor = -1, None
    for number, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    if floor is None:
        raise ValueError(f"{module} is on no floor")
    return floor


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a project package in ``path``, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            # ``from revsok import errors`` imports revsok.errors, not the package's top.
            module = next((n for n in reversed(names) if _is_module(n)), node.module)
            found.append((node.lineno, module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] in PACKAGES]


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _modules() -> list[tuple[str, Path]]:
    return [
        (".".join(path.relative_to(ROOT).with_suffix("").parts), path)
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    ]


def test_every_import_between_packages_points_down() -> None:
    upward = []
    for module, path in _modules():
        floor = floor_of(module)
        for line, target in project_imports(path):
            if floor_of(target) > floor:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {module} -> {target}")
    assert not upward, "imports that point up a floor:\n" + "\n".join(upward)


def unit_of(module: str) -> str:
    """The part of the house a module belongs to: the longest prefix in FLOORS that names it."""
    return max(
        (p for ps in FLOORS for p in ps if module == p or module.startswith(p + ".")), key=len
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each reported once, from where it closes)."""
    found, state = [], {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            walk(node, [node])
    return found


def test_no_cycle_between_the_parts_of_the_house() -> None:
    # Floors alone allow a cycle between two parts on one floor (revsok.update and
    # revsok.ray_embedding once imported each other).
    edges: dict[str, set[str]] = {}
    for module, path in _modules():
        for _, target in project_imports(path):
            if unit_of(target) != unit_of(module):
                edges.setdefault(unit_of(module), set()).add(unit_of(target))
    assert not cycles(edges), cycles(edges)


def test_a_cycle_is_seen() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_index_does_not_drive_ingest() -> None:
    # Reading files into an index is orchestration (revsok.update, revsok.bench); index/ builds
    # and searches what it is given.
    driving = [
        f"{path.relative_to(ROOT)}:{line}: {target}"
        for module, path in _modules()
        if module.startswith("index.")
        for line, target in project_imports(path)
        if target.startswith(("ingest.pipeline", "ingest.ray_reading", "ingest.parallel"))
    ]
    assert not driving, "index/ imports the ingest pipeline:\n" + "\n".join(driving)


@pytest.mark.parametrize(
    ("source", "target", "upward"),
    [
        ("ingest.pipeline", "recommendations.store", True),
        ("index.builder", "recommendations.build", True),
        ("recommendations.similarity", "index.lexical", False),
        ("search_app.ui.recommendations", "revsok.commands.recommendations", True),
        ("index.lexical", "ingest.analysis", False),
        ("index.dense", "revsok.errors", False),
        ("revsok.settings", "search_app.core.uploads", True),
        ("revsok.commands.app", "search_app.core.uploads", False),
        ("search_app.core.uploads", "revsok.update", False),
        ("revsok.update", "revsok.bench.benchmark", True),
    ],
)
def test_the_floors_tell_up_from_down(source: str, target: str, upward: bool) -> None:
    assert (floor_of(target) > floor_of(source)) is upward


def test_imports_inside_functions_are_seen(tmp_path) -> None:
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from search_app.core import uploads\n", encoding="utf-8")
    assert project_imports(module) == [(2, "search_app.core.uploads")]
