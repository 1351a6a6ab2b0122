"""The engine's shape, checked so that it cannot drift: layers that only point down, no cycles between
modules, no module-level state changed with `global`, no module over 350 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "briefsite"
# Lowest first: a module may import from its own layer and the ones before it, never from a later one.
LAYERS = ("errors", "values", "geo", "config", "model", "reading", "site", "media", "output", "memory", "build", "commands")
# Top-level modules of the lowest layer: the error type and what every layer uses to touch files and processes.
FOUNDATION = ("briefsite", "briefsite.errors", "briefsite.filesystem", "briefsite.faults", "briefsite.parallel",
              "briefsite.resources", "briefsite.yamlio")
MAX_LINES = 350


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer(module: str) -> str:
    if module in FOUNDATION:
        return "errors"
    part = module.split(".")[1]
    return "commands" if part == "__main__" else part


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports, at its top or inside functions."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from .x import y`: y may be a module of x, else a name in x
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in known and target != module)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_every_module_has_a_layer():
    assert sorted({layer(name) for name in modules()} - set(LAYERS)) == []


def test_layers_only_point_down():
    upward = [f"{a} ({layer(a)}) imports {b} ({layer(b)})" for a, targets in graph().items() for b in sorted(targets)
              if LAYERS.index(layer(b)) > LAYERS.index(layer(a))]
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    # A package's __init__ importing its own modules is how a package names its parts, not a cycle.
    assert [cycle for cycle in cycles if not _package_and_part(cycle)] == []


def _package_and_part(cycle: str) -> bool:
    first, *_ = cycle.split(" -> ")
    return all(step == first or step.startswith(first + ".") for step in cycle.split(" -> "))


def test_no_global_statements():
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in modules().values()
             for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Global)]
    assert found == []


def test_no_module_over_350_lines():
    long = {str(path.relative_to(ROOT)): count for path in modules().values()
            if (count := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}
