"""Scores and evidence of a results file, and links from an output file to a cited page.

`aggregation.read_results` gives what the table needs (flags and metadata); the sample and the
report also show why: the `<id>_score` and `<id>_evidence` columns of classify's CSV
(`p<page>: <snippet>`). Both columns are optional (a hand-coded flags file has neither), so a
missing column or cell is simply an empty `Detail`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from themescan.tabular import read_grid
from themescan.themes import THEMES

_CITE = re.compile(r"^p(\d+):\s?(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Detail:
    """Score and first evidence of one theme in one document; empty fields where unknown."""

    score: float | None = None
    page: int | None = None
    snippet: str = ""


def parse_cite(text: str) -> tuple[int | None, str]:
    """`p12: snippet` -> (12, "snippet"); text without a page prefix -> (None, text)."""
    text = (text or "").strip()
    m = _CITE.match(text)
    if m:
        return int(m.group(1)), m.group(2).strip()
    return None, text


def _score(text: str) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _table(path: Path) -> list[list[str]]:
    """Rows of cells of a CSV/TSV (comma, semicolon or tab; with or without BOM) or XLSX."""
    return read_grid(path, "results file")


def read_details(path: str | Path) -> dict[str, dict[str, Detail]]:
    """{file: {theme: Detail}} from a results file's score and evidence columns.

    Only rows with a file name are kept; themes without either column get an empty Detail.
    """
    rows = _table(Path(path))
    if not rows:
        return {}
    header = [h.strip().lower() for h in rows[0]]
    if "file" not in header:
        return {}
    at = {name: i for i, name in enumerate(header)}

    def cell(cells: list[str], name: str) -> str:
        i = at.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    out: dict[str, dict[str, Detail]] = {}
    for cells in rows[1:]:
        file = cell(cells, "file").strip()
        if not file:
            continue
        per_theme = {}
        for theme in THEMES:
            page, snippet = parse_cite(cell(cells, f"{theme}_evidence"))
            per_theme[theme] = Detail(_score(cell(cells, f"{theme}_score")), page, snippet)
        out[file] = per_theme
    return out


def page_link(file: str, page: int | None, docs: str | Path, out_dir: str | Path) -> str:
    """A link from a file written in out_dir to `file` (relative to the documents folder docs),
    at its page for a PDF: `../budgets/a.pdf#page=4`. Forward slashes, URL-quoted."""
    target = Path(docs) / file
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(out_dir))
    except ValueError:  # another drive on Windows
        rel = str(target.resolve())
    link = quote(rel.replace(os.sep, "/"), safe="/:._-~")
    if page and file.lower().endswith(".pdf"):
        link += f"#page={page}"
    return link
