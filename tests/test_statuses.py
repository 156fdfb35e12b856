"""Every status themescan can write is in statuses.STATUSES and in README's status table
(issue 13 item 8): the code is searched for status strings, so a new one cannot slip past."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from themescan.statuses import STATUSES, known

ROOT = Path(__file__).resolve().parents[1]
STATUS_START = re.compile(r"^(ok|error|damaged|no text)(: |$)")


def _status_literals() -> list[tuple[str, str]]:
    """(where, regex) for every string in the source that reads like a status."""
    found = []
    for path in sorted((ROOT / "src" / "themescan").rglob("*.py")):
        if path.name == "statuses.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_f = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if id(node) in inside_f:
                continue
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and STATUS_START.match(str(first.value)):
                    parts = [
                        re.escape(v.value) if isinstance(v, ast.Constant) else ".+"
                        for v in node.values
                    ]
                    found.append((f"{path.name}:{node.lineno}", "".join(parts)))
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and STATUS_START.match(node.value)
                and not node.value.endswith(": ")
            ):
                found.append((f"{path.name}:{node.lineno}", re.escape(node.value)))
    return found


def test_the_source_has_status_strings() -> None:
    assert len(_status_literals()) >= 15  # the search itself works


@pytest.mark.parametrize("where, pattern", _status_literals())
def test_every_status_in_the_code_is_in_the_table(where: str, pattern: str) -> None:
    texts = [s.text for s in STATUSES]
    # a whole status, or the start of one that code completes (TIMED_OUT + " after N s")
    ok = any(re.fullmatch(pattern, t) or re.fullmatch(pattern + " .+", t) for t in texts)
    assert ok, f"{where}: {pattern} not in STATUSES"


def test_every_status_is_in_readme_with_its_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in STATUSES:
        line = next((ln for ln in readme.splitlines() if f"| `{s.text}` |" in ln), None)
        assert line is not None, f"README's status table lacks `{s.text}`"
        assert line.rstrip().endswith(f"| {s.exit} |"), line


def test_runtime_statuses_are_known() -> None:
    from themescan.reading import DOC_CUT, PAGE_CUT
    from themescan.workers import CRASHED, timed_out

    for status in (DOC_CUT, PAGE_CUT, CRASHED, timed_out("x", 300).status):
        assert known(status), status
    assert not known("error: something new")
