"""Property test (issue 13 item 1): any file name a Linux file system allows and any snippet
text survive write -> read: one record per document in CSV (plain and --excel) and JSON Lines,
read back by --resume and by `table`/`evaluate` (aggregation.read_results) under the same name."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themescan.aggregation import read_results
from themescan.output import CSV_COLUMNS, CsvWriter, JsonlWriter, resume_file
from themescan.results import DocumentResult, Evidence, ThemeResult
from themescan.sanitise import display_name
from themescan.themes import THEMES

# a path component: any bytes but "/" and NUL (what Linux allows), as Python sees it
names = st.binary(min_size=1, max_size=40).map(
    lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\0", b"_"))
)
texts = st.text(min_size=0, max_size=300)


def _result(name: str, snippet: str, gemeente: str, flag: bool) -> DocumentResult:
    evidence = (Evidence(3, snippet, 0.8, ("term",), snippet),) if flag else ()
    themes = tuple(ThemeResult(t, flag, 0.75, evidence) for t in THEMES)
    return DocumentResult(file=name, status="ok", pages=3, gemeente=gemeente, themes=themes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(names, texts, texts, st.booleans()), min_size=1, max_size=4), st.booleans()
)
def test_any_name_and_snippet_round_trip(docs, excel: bool) -> None:
    results = [_result(*d) for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.csv"
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = CsvWriter(fh, excel=excel)
            for r in results:
                writer.write(r)
        text = out.read_text(encoding="utf-8").lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
        assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(results) + 1
        for row, r in zip(rows[1:], results, strict=True):
            assert len(row) == len(CSV_COLUMNS)
            assert row[0] == display_name(r.file)
            assert not any(ord(c) < 32 and c != "\t" for cell in row for c in cell)
            evidence = row[CSV_COLUMNS.index(f"{THEMES[0]}_evidence")]
            assert evidence.startswith("p3: ") if r.themes[0].flag else evidence == ""
        # --resume sees every document under the name this run would give it
        done = resume_file(out, excel=excel)
        assert set(done) == {display_name(r.file) for r in results}
        # table and evaluate read the same rows
        read = read_results(out)
        assert [row.file for row in read] == [
            display_name(r.file).strip() or display_name(r.file) for r in results
        ]
        assert [bool(row.flags) for row in read] == [r.themes[0].flag for r in results]

        jsonl = Path(tmp) / "r.jsonl"
        with open(jsonl, "w", encoding="utf-8", newline="") as fh:
            writer = JsonlWriter(fh)
            for r in results:
                writer.write(r)
        lines = jsonl.read_text(encoding="utf-8").split("\n")
        assert lines[-1] == "" and len(lines) == len(results) + 1
        assert [json.loads(line)["file"] for line in lines[:-1]] == [
            display_name(r.file) for r in results
        ]
        assert set(resume_file(jsonl, jsonl=True)) == {display_name(r.file) for r in results}


@given(names)
def test_display_name_is_printable_utf8_and_stable(name: str) -> None:
    shown = display_name(name)
    shown.encode("utf-8")
    assert all(c.isprintable() or c == " " for c in shown)
    assert display_name(shown) == shown
