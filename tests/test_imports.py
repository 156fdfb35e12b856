"""The modules of themescan import each other in one direction: no import circles.

Every import counts, also one inside a function or under TYPE_CHECKING: a circle that only
works because an import is deferred is still a circle in the design (config once imported
lexicon and aggregation to check itself, and both imported config).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "themescan"


def module_name(path: Path) -> str:
    parts = ["themescan", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the themescan modules it imports (`from themescan import x` counts x when x is
    a module, else the package itself)."""
    files = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor if is_package else anchor[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in files else base)
            for target in targets:
                if target in files and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_checker_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_deferred_imports() -> None:
    graph = import_graph()
    assert "themescan.pipeline" in graph["themescan.workers"]  # imported inside a function
    assert "themescan.municipalities" in graph["themescan.aggregation"]


def test_no_import_circles_among_themescan_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_config_holds_options_only() -> None:
    imported = import_graph()["themescan.config"]
    assert imported <= {"themescan", "themescan.errors"}, imported


def test_starting_the_command_line_imports_no_numerical_library() -> None:
    """A cached run answers in about 0.15 s, most of it starting Python: importing numpy (0.07 s),
    PyMuPDF, scikit-learn or scipy at start-up would cost every command that much again."""
    import subprocess
    import sys

    code = (
        "import sys, themescan.cli; "
        "print(sorted(m for m in ('numpy', 'pymupdf', 'sklearn', 'scipy', 'spacy', 'rich') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
