"""Issue 17 §3: no import circles in the package, and the engine stands below the glue and the generators.

Read from the source with :mod:`ast`, so every import counts: module level, inside a function (the
lazy ones) and under ``TYPE_CHECKING`` (a circle of types is still a circle of meaning). Importing a
submodule runs its package's ``__init__`` first; that implicit edge is Python's, not a design's, and
is left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import pytest_snapshot_cti

PACKAGE = "pytest_snapshot_cti"
ROOT = Path(pytest_snapshot_cti.__file__).parent

#: The engine: reading, contracts, rules, the compiled fast paths, bulk validation and its reports,
#: the recorder and the tallies. Usable without pytest running, so it imports no glue and no generator.
ENGINE = frozenset(
    {
        "assertions",
        "bulk",
        "contract",
        "coverage",
        "deep",
        "error_objects",
        "fastpath",
        "hints",
        "kind_detection",
        "lifecycle",
        "observers",
        "outcomes",
        "reader",
        "recorder",
        "refs",
        "reports",
        "rules",
        "run_context",
        "schemas",
        "structs",
        "violations",
        "warnings_log",
    }
)
#: The pytest glue: hooks, fixtures, capture-file items.
GLUE = frozenset({"plugin", "plugin_config", "plugin_session", "collect", "factory_fixtures", "js.fixture"})
#: The generators: factories, scenarios, the model's streams, Hypothesis strategies and mutants.
GENERATORS = frozenset({"factories", "scenarios", "stream_writer", "strategies", "mutations", "model"})


def _modules() -> dict[str, Path]:
    """Dotted names below the package (``contract``, ``js.fixture``; ``js`` for ``js/__init__.py``) -> file."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (dotted, below the package) is, or is defined in."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in MODULES else None


def _imports(module: str) -> Iterator[str]:
    """Every module of ours that ``module``'s source imports, wherever the import statement is."""
    path = MODULES[module]
    here = module.split(".") if module else []
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                source = ".".join([PACKAGE, *base, *(node.module.split(".") if node.module else [])])
            else:
                source = node.module or ""
            # `from .x import y` imports x, and y if it is a module; `from . import y` imports only y (the package runs anyway)
            targets = [f"{source}.{alias.name}" for alias in node.names]
            if node.module:
                targets.append(source)
        else:
            continue
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                resolved = _resolve(target[len(PACKAGE) + 1 :])
                if resolved is not None and resolved != module:
                    yield resolved


GRAPH: Mapping[str, frozenset[str]] = {module: frozenset(_imports(module)) for module in MODULES}


def _circles(graph: Mapping[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        for succ in GRAPH[pending.pop()]:
            if succ not in seen:
                seen.add(succ)
                pending.append(succ)
    return seen


def test_the_package_has_no_import_circle() -> None:
    assert _circles(GRAPH) == []


def test_the_graph_is_read_from_every_kind_of_import() -> None:
    """The reader sees what it must: relative and absolute, module level, lazy and TYPE_CHECKING-only imports."""
    assert "violations" in GRAPH["rules"]  # `from .violations import Severity`
    assert "fastpath" in GRAPH["contract"]  # `from . import fastpath, hints`
    assert "plugin_session" in GRAPH["collect"]  # inside CaptureItem.runtest
    assert "recorder" in GRAPH["js.fixture"]  # `from ..recorder import EventRecorder` under TYPE_CHECKING
    assert _circles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(ENGINE & set(MODULES)))
def test_the_engine_imports_no_glue_and_no_generator(module: str) -> None:
    assert sorted(_reachable(module) & (GLUE | GENERATORS)) == []


def test_every_layer_named_here_exists() -> None:
    assert sorted((ENGINE | GLUE | GENERATORS) - set(MODULES)) == []
