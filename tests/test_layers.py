"""The package's shape, checked on every run: layers, no import cycles, short functions.

A small AST reading of leaddesk/ (no import-linter, no new dependency): which module
imports which, how long each function is, which names cross module boundaries. It
fails on

- an import cycle between modules of the package;
- an import across a layer in the forbidden direction (FORBIDDEN_LAYERS);
- a function or method longer than MAX_FUNCTION_LINES without a ``# long: <reason>``
  comment on the line above its ``def`` (or above its first decorator);
- a private name (``_x``) imported from another module of the package.

How imports are counted, and why:
- Every ``import`` statement counts, wherever it is: at module level, inside a
  function (a deferred import still ties the two modules together), and under
  ``if TYPE_CHECKING:`` (a type-only back-reference is the same design knot as a
  runtime one, merely one that does not crash; the issue asks for none).
- ``from a.b import c`` counts as an import of ``a.b.c`` when ``c`` is a submodule,
  otherwise of ``a.b``. ``import a.b.c`` counts as an import of ``a.b.c`` only: the
  parent packages it runs on the way are not edges (each package's ``__init__``
  would otherwise sit on a cycle with every module below it that it re-exports).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "leaddesk"
MAX_FUNCTION_LINES = 100
# The layer (first name below the package) -> what it must never import: other
# layers of the package, or outside packages by their top-level name.
FORBIDDEN_LAYERS: Mapping[str, frozenset[str]] = {
    "core": frozenset({"storage", "operations", "ui", "cli", "PySide6", "shiboken6"}),
    # Not Qt either: the CLI runs operations and storage without loading Qt.
    "operations": frozenset({"ui", "cli", "PySide6", "shiboken6"}),
    "storage": frozenset({"ui", "operations", "cli", "PySide6", "shiboken6"}),
}
LONG_REASON = re.compile(r"#\s*long:\s*\S")
# Until the CLI is one package, its loose modules (cli_merge.py, ...) are its layer too.
CLI_MODULE = re.compile(r"cli(_\w+)?|__main__")

# Known offenders on this branch, left for the other branches of issue #10 to fix.
# THIS MUST SHRINK TO EMPTY: once the branches are merged, delete every entry (the
# stale-entry test below names the ones that no longer occur) and keep it empty.
# Keys: "cycle" (the modules of one cycle, joined by " | "; a cycle among a subset of
# them is covered too), "layer" ("importer -> imported"), "long" ("module:function"),
# "private" ("importer imports module._name").
KNOWN_OFFENDERS: Mapping[str, frozenset[str]] = {
    "cycle": frozenset(),
    "layer": frozenset(),
    "long": frozenset(),
    "private": frozenset(),
}


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    path: Path
    lines: tuple[str, ...]
    # Every statement at any depth, with the dotted name of the function or class
    # it sits in ("Form.build." inside Form.build; "" at module level).
    statements: tuple[tuple[str, ast.stmt], ...]

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


@dataclass(frozen=True, slots=True)
class Import:
    importer: str
    imported: str  # a module of the package, or an outside package's top-level name
    inside: bool  # imported is a module of the package
    line: int
    names: tuple[str, ...]  # what ``from imported import ...`` takes (empty for ``import``)


@dataclass(frozen=True, slots=True)
class Report:
    """Every problem found, by kind; each problem is one line that says where it is."""

    cycles: tuple[tuple[str, ...], ...]  # each cycle's modules, sorted
    cycle_paths: tuple[str, ...]  # one concrete path around each cycle, for the message
    layers: tuple[str, ...]
    long: tuple[str, ...]
    private: tuple[str, ...]

    def keys(self) -> dict[str, frozenset[str]]:
        """The problems in the form KNOWN_OFFENDERS lists them."""
        return {
            "cycle": frozenset(" | ".join(cycle) for cycle in self.cycles),
            "layer": frozenset(entry.split(" (line")[0] for entry in self.layers),
            "long": frozenset(entry.split(" (")[0] for entry in self.long),
            "private": frozenset(entry.split(" (line")[0] for entry in self.private),
        }


def load_package(root: Path) -> dict[str, Module]:
    """Every module under ``root`` (a package directory), by dotted name."""
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        source = path.read_text(encoding="utf-8")
        name = ".".join(parts)
        tree = ast.parse(source, str(path))
        statements = tuple(_statements(tree.body))
        modules[name] = Module(name, path, tuple(source.splitlines()), statements)
    return modules


def _resolve_relative(module: Module, level: int, target: str | None) -> str:
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _known(name: str, modules: Mapping[str, Module]) -> str | None:
    """``name`` or its nearest enclosing module that is part of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _statements(body: list[ast.stmt], prefix: str = "") -> Iterator[tuple[str, ast.stmt]]:
    """Statements only, not expressions: imports and definitions are statements, and
    skipping the expressions keeps the whole check well under a second."""
    for statement in body:
        yield prefix, statement
        inner = prefix
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = f"{prefix}{statement.name}."
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                yield from _statements(block, inner)
        for handler in getattr(statement, "handlers", ()):
            yield from _statements(handler.body, inner)
        for case in getattr(statement, "cases", ()):
            yield from _statements(case.body, inner)


def imports_of(module: Module, modules: Mapping[str, Module]) -> Iterator[Import]:
    """Every import in ``module``, at any depth, resolved as the module docstring says."""
    for _prefix, node in module.statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _edge(module, alias.name, node.lineno, (), modules)
        elif isinstance(node, ast.ImportFrom):
            source = (
                _resolve_relative(module, node.level, node.module)
                if node.level
                else node.module or ""
            )
            names = tuple(alias.name for alias in node.names)
            plain = [n for n in names if f"{source}.{n}" not in modules]
            for name in names:
                if f"{source}.{name}" in modules:
                    yield Import(module.name, f"{source}.{name}", True, node.lineno, ())
            if plain:
                yield _edge(module, source, node.lineno, tuple(plain), modules)


def _edge(
    module: Module, name: str, line: int, names: tuple[str, ...], modules: Mapping[str, Module]
) -> Import:
    inside = _known(name, modules)
    if inside is not None:
        return Import(module.name, inside, True, line, names)
    return Import(module.name, name.split(".")[0], False, line, names)


def all_imports(modules: Mapping[str, Module]) -> dict[str, list[Import]]:
    """Each module's imports, read once for all the checks."""
    return {name: list(imports_of(module, modules)) for name, module in modules.items()}


def _graph(imports: Mapping[str, list[Import]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in imports}
    for name, edges in imports.items():
        graph[name].update(e.imported for e in edges if e.inside and e.imported != name)
    return graph


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the package is deep enough to worry recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def _path_around(component: list[str], graph: Mapping[str, set[str]]) -> str:
    """The shortest way from the component's first module back to itself."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [start]
                    while node != start:
                        path.append(node)
                        node = came_from[node]
                    return " -> ".join([start, *reversed(path[1:]), start])
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    return start


def import_cycles(
    imports: Mapping[str, list[Import]],
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Each set of modules that import each other, round, and one path around each."""
    graph = _graph(imports)
    cycles = [c for c in _strongly_connected(graph) if len(c) > 1]
    return [tuple(c) for c in cycles], [_path_around(c, graph) for c in cycles]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return "cli" if CLI_MODULE.fullmatch(parts[1]) else parts[1]


def layer_violations(imports: Mapping[str, list[Import]]) -> list[str]:
    found: list[str] = []
    for name, edges in imports.items():
        forbidden = FORBIDDEN_LAYERS.get(_layer(name) or "", frozenset())
        for edge in edges:
            target = _layer(edge.imported) if edge.inside else edge.imported
            if target in forbidden:
                found.append(f"{name} -> {edge.imported} (line {edge.line})")
    return sorted(set(found))


def long_functions(modules: Mapping[str, Module], limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions longer than ``limit`` lines, ``def`` to last line, with no reason given."""
    found: list[str] = []
    for module in modules.values():
        for prefix, function in module.statements:
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            name = prefix + function.name
            length = (function.end_lineno or function.lineno) - function.lineno + 1
            if length <= limit:
                continue
            first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
            above = module.lines[first - 2] if first >= 2 else ""
            if not LONG_REASON.search(above):
                found.append(f"{module.name}:{name} ({length} lines)")
    return sorted(found)


def private_imports(imports: Mapping[str, list[Import]]) -> list[str]:
    """``from pkg.a import _x``: a private name taken from another module of the package."""
    found: list[str] = []
    for importer, edges in imports.items():
        for edge in edges:
            if not edge.inside:
                continue
            for name in edge.names:
                if name.startswith("_") and not name.startswith("__"):
                    found.append(f"{importer} imports {edge.imported}.{name} (line {edge.line})")
    return sorted(set(found))


def check_package(root: Path) -> Report:
    """Every problem in the package whose directory is ``root``."""
    return _check(load_package(root))


def _check(modules: Mapping[str, Module]) -> Report:
    imports = all_imports(modules)
    cycles, paths = import_cycles(imports)
    return Report(
        cycles=tuple(cycles),
        cycle_paths=tuple(paths),
        layers=tuple(layer_violations(imports)),
        long=tuple(long_functions(modules)),
        private=tuple(private_imports(imports)),
    )


def new_problems(report: Report, known: Mapping[str, frozenset[str]]) -> list[str]:
    """What the report finds that ``known`` does not cover."""
    problems: list[str] = []
    known_cycles = [set(entry.split(" | ")) for entry in known.get("cycle", frozenset())]
    for cycle, path in zip(report.cycles, report.cycle_paths, strict=True):
        if not any(set(cycle) <= entry for entry in known_cycles):
            problems.append(f"import cycle: {path}")
    for kind, entries in (
        ("layer", report.layers),
        ("long", report.long),
        ("private", report.private),
    ):
        allowed = known.get(kind, frozenset())
        problems += [f"{kind}: {e}" for e in entries if e.split(" (")[0] not in allowed]
    return problems


def stale_entries(report: Report, known: Mapping[str, frozenset[str]]) -> list[str]:
    """Entries of ``known`` that nothing in the report needs any more."""
    found = report.keys()
    stale: list[str] = []
    for entry in known.get("cycle", frozenset()):
        members = set(entry.split(" | "))
        if not any(set(cycle) <= members for cycle in report.cycles):
            stale.append(f"cycle: {entry}")
    for kind in ("layer", "long", "private"):
        stale += [f"{kind}: {e}" for e in known.get(kind, frozenset()) if e not in found[kind]]
    return sorted(stale)


@cache
def _leaddesk() -> dict[str, Module]:
    return load_package(PACKAGE_ROOT)


@cache
def _leaddesk_report() -> Report:
    return _check(_leaddesk())


# The package itself ----------------------------------------------------------------------


def test_leaddesk_keeps_its_layers_and_short_functions() -> None:
    problems = new_problems(_leaddesk_report(), KNOWN_OFFENDERS)
    assert not problems, "\n".join(
        [
            "Import cycles, imports against the layers, long functions or private "
            "names imported across modules:",
            *problems,
        ]
    )


def test_the_known_offenders_list_only_shrinks() -> None:
    stale = stale_entries(_leaddesk_report(), KNOWN_OFFENDERS)
    assert not stale, "\n".join(
        ["Fixed; delete these entries from KNOWN_OFFENDERS in tests/test_layers.py:", *stale]
    )


def test_the_check_reads_the_whole_package() -> None:
    modules = _leaddesk()
    assert {"leaddesk", "leaddesk.core.fields", "leaddesk.ui.board.delegate"} <= set(modules)
    assert any(
        edge.imported == "leaddesk.core.fields"
        for edge in imports_of(modules["leaddesk.ui.board.delegate"], modules)
    )


# The check, on planted packages ----------------------------------------------------------


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    """A package ``pkg`` under ``root`` with the given modules (and every ``__init__``)."""
    package = root / "pkg"
    for relative, text in {"__init__.py": "", **files}.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(package).parents:
            (package / folder / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return package


def _body(lines: int, indent: int = 4) -> str:
    return "".join(f"{' ' * indent}x{i} = {i}\n" for i in range(lines))


CLEAN = {
    "core/rules.py": "import datetime\n\n\ndef rule() -> int:\n    return 1\n",
    "storage/rows.py": "from pkg.core.rules import rule\n",
    "operations/leads.py": "from pkg.core import rules\nfrom pkg.storage.rows import rule\n",
    "ui/board.py": (
        "from PySide6.QtWidgets import QWidget\nfrom pkg.operations import leads\n"
        "from ..storage import rows\n"
    ),
    "cli/__init__.py": "from pkg.operations.leads import rule\n",
}


def test_a_clean_planted_package_passes(tmp_path: Path) -> None:
    report = check_package(_plant(tmp_path, CLEAN))
    assert new_problems(report, {}) == []


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        pytest.param(
            {"core/a.py": "from pkg.core import b\n", "core/b.py": "import pkg.core.a\n"},
            ("pkg.core.a", "pkg.core.b"),
            id="module-level",
        ),
        pytest.param(
            {
                "core/a.py": "from . import b\n",
                "core/b.py": "from .c import thing\n",
                "core/c.py": "def thing() -> None:\n    from pkg.core.a import x\n",
            },
            ("pkg.core.a", "pkg.core.b", "pkg.core.c"),
            id="relative-and-in-a-function",
        ),
        pytest.param(
            {
                "ui/form.py": "from pkg.ui.header import Header\n",
                "ui/header.py": (
                    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                    "    from pkg.ui.form import Form\n"
                ),
            },
            ("pkg.ui.form", "pkg.ui.header"),
            id="type-checking-only",
        ),
        pytest.param(
            {
                "storage/a.py": (
                    "class Store:\n    def open(self) -> None:\n        try:\n"
                    "            pass\n        except OSError:\n"
                    "            with open('x') as f:\n                import pkg.storage.b\n"
                ),
                "storage/b.py": "match 1:\n    case 1:\n        from pkg.storage import a\n",
            },
            ("pkg.storage.a", "pkg.storage.b"),
            id="deep-in-class-try-with-match",
        ),
    ],
)
def test_the_check_fails_on_a_planted_cycle(
    tmp_path: Path, files: dict[str, str], cycle: tuple[str, ...]
) -> None:
    report = check_package(_plant(tmp_path, {**CLEAN, **files}))
    assert report.cycles == (cycle,)
    assert report.cycle_paths[0].startswith(cycle[0] + " -> ")
    assert len(new_problems(report, {})) == 1
    # Known, it passes; a known larger tangle covers it too.
    assert new_problems(report, {"cycle": frozenset({" | ".join(cycle)})}) == []
    assert new_problems(report, {"cycle": frozenset({" | ".join([*cycle, "pkg.x"])})}) == []


def test_a_package_importing_its_own_module_is_no_cycle(tmp_path: Path) -> None:
    report = check_package(
        _plant(tmp_path, {**CLEAN, "__init__.py": "from pkg.core import rules\n"})
    )
    assert report.cycles == ()


@pytest.mark.parametrize(
    ("importer", "text", "problem"),
    [
        ("core/x.py", "from pkg.storage.rows import rule\n", "pkg.core.x -> pkg.storage.rows"),
        ("core/x.py", "import pkg.operations.leads\n", "pkg.core.x -> pkg.operations.leads"),
        ("core/x.py", "from ..ui import board\n", "pkg.core.x -> pkg.ui.board"),
        ("core/x.py", "from pkg.cli import main\n", "pkg.core.x -> pkg.cli"),
        ("core/x.py", "from PySide6.QtCore import QObject\n", "pkg.core.x -> PySide6"),
        ("core/x.py", "import PySide6\n", "pkg.core.x -> PySide6"),
        ("operations/x.py", "from pkg.ui.board import B\n", "pkg.operations.x -> pkg.ui.board"),
        ("operations/x.py", "from pkg.cli import main\n", "pkg.operations.x -> pkg.cli"),
        ("operations/x.py", "from PySide6 import QtGui\n", "pkg.operations.x -> PySide6"),
        ("operations/x.py", "from pkg import cli_merge\n", "pkg.operations.x -> pkg.cli_merge"),
        ("storage/x.py", "from pkg.ui import board\n", "pkg.storage.x -> pkg.ui.board"),
        ("storage/x.py", "def f() -> None:\n    from pkg.operations import leads\n",
         "pkg.storage.x -> pkg.operations.leads"),
        ("storage/x.py", "from pkg.cli import main\n", "pkg.storage.x -> pkg.cli"),
        ("storage/x.py", "import shiboken6\n", "pkg.storage.x -> shiboken6"),
    ],
)  # fmt: skip
def test_the_check_fails_on_a_planted_bad_edge(
    tmp_path: Path, importer: str, text: str, problem: str
) -> None:
    files = {**CLEAN, importer: text, "cli_merge.py": ""}
    report = check_package(_plant(tmp_path, files))
    assert [entry.split(" (line")[0] for entry in report.layers] == [problem]
    assert new_problems(report, {}) == [f"layer: {report.layers[0]}"]


def test_the_check_fails_on_a_planted_long_function(tmp_path: Path) -> None:
    files = {
        **CLEAN,
        "ui/long.py": (
            f"def fine():\n{_body(MAX_FUNCTION_LINES - 1)}\n\n"
            f"def too_long():\n{_body(MAX_FUNCTION_LINES)}\n\n"
            "class Form:\n"
            f"    def build(self):\n{_body(MAX_FUNCTION_LINES, 8)}"
            f"        def inner():\n{_body(MAX_FUNCTION_LINES + 1, 12)}\n"
            "# long: one table of cases, read top to bottom\n"
            f"def excused():\n{_body(MAX_FUNCTION_LINES + 5)}\n"
            "# long: a reason above the decorator counts\n"
            f"@staticmethod\ndef decorated():\n{_body(MAX_FUNCTION_LINES + 5)}\n"
            "# a comment without the word does not\n"
            f"def unexcused():\n{_body(MAX_FUNCTION_LINES)}\n"
        ),
    }
    report = check_package(_plant(tmp_path, files))
    assert [entry.split(" (")[0] for entry in report.long] == [
        "pkg.ui.long:Form.build",
        "pkg.ui.long:Form.build.inner",
        "pkg.ui.long:too_long",
        "pkg.ui.long:unexcused",
    ]
    assert report.long[2] == f"pkg.ui.long:too_long ({MAX_FUNCTION_LINES + 1} lines)"


def test_the_check_fails_on_a_planted_private_import(tmp_path: Path) -> None:
    files = {
        **CLEAN,
        "core/a.py": "_HIDDEN = 1\nPUBLIC = 2\n",
        "core/b.py": "from pkg.core.a import PUBLIC, _HIDDEN\nfrom pkg import __version__\n",
        "ui/c.py": "def f() -> None:\n    from ..core.a import _HIDDEN as shown\n",
        "ui/d.py": "from os import _exit\n",  # outside the package: not this check's business
    }
    report = check_package(_plant(tmp_path, files))
    assert report.private == (
        "pkg.core.b imports pkg.core.a._HIDDEN (line 1)",
        "pkg.ui.c imports pkg.core.a._HIDDEN (line 2)",
    )
    assert len(new_problems(report, {})) == 2


def test_stale_known_offenders_are_named(tmp_path: Path) -> None:
    report = check_package(_plant(tmp_path, CLEAN))
    known = {
        "cycle": frozenset({"pkg.a | pkg.b"}),
        "layer": frozenset({"pkg.core.x -> pkg.ui.board"}),
        "long": frozenset(),
        "private": frozenset(),
    }
    assert stale_entries(report, known) == [
        "cycle: pkg.a | pkg.b",
        "layer: pkg.core.x -> pkg.ui.board",
    ]
