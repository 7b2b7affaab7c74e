"""No import cycle between the modules of bot/: imports inside functions count too.

The graph is read from the source with ``ast`` (nothing is imported): an edge goes from a
module to every bot module it imports, at the top or inside a function. A cycle is a
strongly connected component of more than one module; each package is checked on its own
so that a known cycle in one does not hide a new one elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in BOT.rglob("*.py")}


def known_module(name: str) -> str | None:
    """The bot module ``name`` refers to (a name inside a module resolves to the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (known_module(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found.update(
                filter(None, (known_module(f"{base}.{alias.name}") for alias in node.names))
            )
    found.discard(module)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            target = next(edges, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(graph[target]))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return found


CYCLES = cycles({module: imports_of(module) for module in MODULES})
PACKAGES = sorted({".".join(name.split(".")[:2]) for name in MODULES if name.count(".") >= 1})


def test_the_checker_finds_a_cycle_and_resolves_imports():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert "bot.runtime.service_checks" in imports_of("bot.runtime.profiles")
    assert "bot.store.queue" in imports_of("bot.store.summary")  # from . import queue


@pytest.mark.parametrize(
    "package",
    [
        pytest.param(
            "bot.store",
            marks=pytest.mark.xfail(
                strict=True,
                reason="Store.migrate imports sender_ids, which imports store and summary",
            ),
        )
        if package == "bot.store"
        else package
        for package in PACKAGES
    ],
)
def test_no_import_cycle_in(package):
    involved = [c for c in CYCLES if any(m == package or m.startswith(f"{package}.") for m in c)]
    assert involved == []
