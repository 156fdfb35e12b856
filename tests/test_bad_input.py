"""Bad input, nothing lost (issue 2 item 11): every file one row, a short reason, exit 1.

The folder (see conftest.bad_folder) holds an empty file, a truncated PDF, a text file named
.pdf, a password-protected PDF, a scanned PDF without text, two kinds of binary junk named .txt,
a 3-million-character .txt, names with spaces and diacritics and a folder link that loops,
next to good files. It is classified twice: by the installed command in a child process with
its default worker pool, and in this process with --workers 0.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BadFolder
from typer.testing import CliRunner

from themescan.cli import app
from themescan.themes import THEMES


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.stdout)))


@pytest.fixture(scope="module", params=["process", "in-process"])
def run(request: pytest.FixtureRequest, bad_folder: BadFolder) -> Run:
    if request.param == "process":
        done = subprocess.run(
            # OCR has its own tests (test_ocr.py): here the scan must stay "scanned?"
            [
                sys.executable,
                "-m",
                "themescan",
                "classify",
                str(bad_folder.root),
                "--no-cache",
                "--ocr",
                "never",
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)
    result = CliRunner().invoke(
        app,
        [
            "classify",
            str(bad_folder.root),
            "--no-cache",
            "--workers",
            "0",
            "--quiet",
            "--ocr",
            "never",
        ],
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def test_exit_status_is_1(run: Run) -> None:
    assert run.exit_code == 1, run.stderr


def test_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr


def test_one_row_per_input_file(run: Run, bad_folder: BadFolder) -> None:
    names = [row["file"] for row in run.rows]
    assert len(names) == len(set(names)), "a file got more than one row"
    assert sorted(names) == sorted(bad_folder.expected)


def test_rows_in_stable_order(run: Run) -> None:
    names = [row["file"] for row in run.rows]
    assert names == sorted(names, key=lambda n: n.split("/"))


def test_status_per_file(run: Run, bad_folder: BadFolder) -> None:
    wrong = {
        row["file"]: (row["status"], bad_folder.expected[row["file"]].__doc__)
        for row in run.rows
        if not bad_folder.expected[row["file"]](row["status"])
    }
    assert wrong == {}


def test_statuses_are_short(run: Run) -> None:
    for row in run.rows:
        assert 0 < len(row["status"]) <= 40, row
        assert "\n" not in row["status"]


def test_good_files_still_classified(run: Run, bad_folder: BadFolder) -> None:
    rows = {row["file"]: row for row in run.rows}
    for name, theme in bad_folder.good.items():
        row = rows[name]
        assert row["status"] == "ok"
        assert row[theme] == "1", f"{name}: {theme} not flagged"
        page, _, snippet = row[f"{theme}_evidence"].partition(": ")
        assert page.startswith("p") and page[1:].isdigit()
        assert len(snippet) <= 300


def test_big_text_is_read_whole(run: Run) -> None:
    row = next(r for r in run.rows if r["file"] == "groot.txt")
    assert "LoRaWAN" in row["smart_city_evidence"] or "sensoren" in row["smart_city_evidence"]


def test_unreadable_rows_are_not_judged(run: Run, bad_folder: BadFolder) -> None:
    """A document that could not be read gets empty theme cells, not 0: summing a column in a
    spreadsheet must not count it as a document without attention."""
    unread = [r for r in run.rows if r["status"].startswith(("error", "no text"))]
    assert unread
    for row in unread:
        for t in THEMES:
            assert row[t] == row[f"{t}_score"] == row[f"{t}_evidence"] == "", row
    for row in run.rows:
        if row["status"].startswith("ok"):
            assert all(row[t] in ("0", "1") for t in THEMES), row


def test_a_pdf_cut_before_its_text_is_not_judged(tmp_path: Path) -> None:
    """A download cut off before any text ("damaged: no text recovered") is no document without
    the themes: its theme cells stay empty, and explain says why it cannot explain it."""
    from conftest import multipage_pages, write_pdf, write_truncated_pdf

    folder = tmp_path / "docs"
    folder.mkdir()
    full = write_pdf(tmp_path / "heel.pdf", multipage_pages(6))
    cut = write_truncated_pdf(folder / "kromstede_begroting_2023.pdf", full, keep=0.11)
    result = CliRunner().invoke(app, ["classify", str(folder), "--no-cache", "--model", "none"])
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["status"] == "damaged: no text recovered"
    assert all(row[t] == row[f"{t}_score"] == "" for t in THEMES), row
    explained = CliRunner().invoke(app, ["explain", str(cut), "--model", "none"])
    assert explained.exit_code == 1
    assert "damaged: no text recovered" in explained.output and "score" not in explained.output


def test_names_with_spaces_and_diacritics_kept_exactly(run: Run) -> None:
    names = {row["file"] for row in run.rows}
    assert "sub map/Begroting Één café 2025.pdf" in names
    assert "sub map/Voorjaarsnota Súdwest-Fryslân.txt" in names
