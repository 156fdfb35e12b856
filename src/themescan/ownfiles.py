"""Recognising the files themescan writes: the sidecar beside an output, the first line of its
CSV or JSON Lines, the generator tag of its HTML report.

Two stages need this and must agree: a folder walk passes over our outputs (read as budgets they
would be credited with the themes of every document they quote), and `-o` replaces only what we
wrote, never a user's labels. One place, so the two cannot drift apart.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SIDECAR_SUFFIX = ".themescan.json"
CREATOR = "themescan"
"""The creator our XLSX workbooks carry in their document properties."""
GENERATOR = "themescan"
"""The generator that `themescan report` writes in its HTML head."""
_CELL_SPLIT = re.compile(r"[,;\t]")


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """`results.csv` -> `results.csv.themescan.json`."""
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def head_of(path: Path, size: int = 4096) -> str | None:
    """The first `size` bytes of a file as text (a BOM dropped); None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size).decode("utf-8-sig", errors="replace")
    except OSError:
        return None


def first_cells(head: str) -> list[str]:
    """The first line's cells, lower case, quotes and spaces stripped (comma, semicolon, tab)."""
    first = head.split("\n", 1)[0].rstrip("\r")
    return [c.strip().strip('"').lower() for c in _CELL_SPLIT.split(first)]


def results_head(head: str) -> bool:
    """Does a file start as classify's CSV (file, status, ...) or JSON Lines (a record's first
    key; a record may be longer than the head) do?"""
    return head.startswith('{"file": ') or first_cells(head)[:2] == ["file", "status"]


def report_head(head: str) -> bool:
    return f'<meta name="generator" content="{GENERATOR}">' in head


def written_by_themescan(path: Path) -> bool:
    """Did themescan write this file (so that -o may replace it)? Its sidecar lies beside it,
    or it starts as one of our outputs does: classify's results, a table (CSV, Markdown, JSON,
    text), a coding sheet, an agreement, a report; an XLSX names us as its creator."""
    if sidecar_path(path).exists():
        return True
    if path.suffix.lower() == ".xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                core = z.read("docProps/core.xml").decode("utf-8", "replace")
        except (OSError, KeyError, zipfile.BadZipFile):
            return False
        return f">{CREATOR}</dc:creator>" in core
    head = head_of(path)
    if head is None:
        return False
    cells = first_cells(head)
    return (
        results_head(head)
        or report_head(head)
        or ("n" in cells and any(c.endswith("_pct") for c in cells))  # table, CSV
        or head.startswith(("| Thema |", "| Theme |"))  # table, Markdown
        or ('"klassen"' in head and '"per"' in head)  # table, JSON
        or head.lstrip().startswith("Expliciete aandacht per thema")  # table, text
        or {"file", "theme", "human"} <= set(cells)  # a coding sheet
        or cells[:3] == ["id", "themescan", "score"]  # the key of a blind one
        or "Agreement of themescan with" in head[:200]  # agreement, text or Markdown
        or ('"themes"' in head and '"kappa"' in head)  # agreement, JSON
    )
