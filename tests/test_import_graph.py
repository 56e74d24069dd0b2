"""The package's import graph has no cycle. Every ``import`` counts, also those
inside functions (a lazy import hides a cycle from Python, not from a
reader), and importing ``pkg.sub`` counts as importing ``pkg`` too."""

from __future__ import annotations

import ast
from pathlib import Path

import skattention

ROOT = Path(skattention.__file__).parent


def _modules(root: Path) -> dict:
    """Dotted module name -> file, for every ``.py`` file under ``root``."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(root: Path) -> dict:
    """Module -> the package's modules it imports."""
    modules = _modules(root)
    top = root.name
    graph: dict = {name: set() for name in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                source = ".".join(base + [node.module] if node.module else base)
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            for target in targets:
                parts = target.split(".")
                for i in range(1, len(parts) + 1):  # pkg.sub imports pkg (its __init__) as well
                    ancestor = ".".join(parts[:i])
                    if ancestor in modules and ancestor.startswith(top) and ancestor != name \
                            and not name.startswith(ancestor + "."):
                        graph[name].add(ancestor)
    return graph


def cycles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_skattention_has_no_import_cycle():
    graph = import_graph(ROOT)
    assert "skattention.estimators._base" in graph["skattention.estimators.token"]  # the walker sees imports
    assert cycles(graph) == []


def test_the_walker_finds_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .a import x\n")
    (package / "a.py").write_text("from .sub.b import y\nx = 1\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("y = 2\n\ndef late():\n    from .. import a\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.sub.b"]]
    (package / "sub" / "b.py").write_text("y = 2\n")
    assert cycles(import_graph(package)) == []
