"""Writing results: the CSV contract (plain or for Dutch Excel) and JSON Lines with every hit.

Rows are written and flushed one document at a time, so an interrupted run leaves a valid file
of the documents that finished.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from themescan.errors import UsageError
from themescan.results import DocumentResult
from themescan.themes import THEMES

META_COLUMNS = (
    "file",
    "status",
    "pages",
    "gemeente",
    "inwoners",
    "grootteklasse",
    "doc_type",
    "jaar",
)
CSV_COLUMNS: tuple[str, ...] = (
    *META_COLUMNS,
    *THEMES,
    *(f"{t}_score" for t in THEMES),
    *(f"{t}_evidence" for t in THEMES),
)


def csv_row(result: DocumentResult, decimal: str = ".") -> dict[str, str]:
    """One result as the CSV contract's row of strings."""
    row: dict[str, str] = {
        "file": result.file,
        "status": result.status,
        "pages": str(result.pages),
        "gemeente": result.gemeente,
        "inwoners": "" if result.inwoners is None else str(result.inwoners),
        "grootteklasse": result.grootteklasse,
        "doc_type": result.doc_type,
        "jaar": result.jaar,
    }
    for theme in THEMES:
        t = result.theme(theme)
        row[theme] = "1" if t and t.flag else "0"
        row[f"{theme}_score"] = f"{t.score:.3f}".replace(".", decimal) if t else ""
        row[f"{theme}_evidence"] = t.evidence[0].cite() if t and t.evidence else ""
    return row


class CsvWriter:
    """Writes the header once, then one flushed row per result."""

    def __init__(self, stream: IO[str], excel: bool = False, header: bool = True) -> None:
        self.stream = stream
        self.excel = excel
        if excel and header:
            stream.write("\ufeff")
        self.writer = csv.DictWriter(
            stream,
            fieldnames=CSV_COLUMNS,
            delimiter=";" if excel else ",",
            lineterminator="\r\n" if excel else "\n",
        )
        if header:
            self.writer.writeheader()
            stream.flush()

    def write(self, result: DocumentResult) -> None:
        self.writer.writerow(csv_row(result, "," if self.excel else "."))
        self.stream.flush()


def json_record(result: DocumentResult) -> dict[str, Any]:
    """Everything about one document, every hit with its page and character offsets."""
    return {
        "file": result.file,
        "status": result.status,
        "pages": result.pages,
        "gemeente": result.gemeente,
        "inwoners": result.inwoners,
        "grootteklasse": result.grootteklasse,
        "doc_type": result.doc_type,
        "jaar": result.jaar,
        "themes": {
            t.theme: {
                "flag": int(t.flag),
                "score": t.score,
                "evidence": [asdict(e) for e in t.evidence],
            }
            for t in result.themes
        },
        "hits": [asdict(h) for h in result.hits],
    }


class JsonlWriter:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, result: DocumentResult) -> None:
        self.stream.write(json.dumps(json_record(result), ensure_ascii=False) + "\n")
        self.stream.flush()


def resume_file(
    path: str | os.PathLike[str], jsonl: bool = False, excel: bool = False
) -> dict[str, str]:
    """Prepare an interrupted output file for --resume: cut a half-written last line, check
    the header, and return {file: status} of the rows it already holds."""
    path = Path(path)
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with open(path, "r+b") as fh:
            fh.truncate(len(complete))
    text = complete.decode("utf-8-sig", errors="replace")
    done: dict[str, str] = {}
    if jsonl:
        for line in text.splitlines():
            try:
                record = json.loads(line)
                done[record["file"]] = record["status"]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise UsageError(
                    f"{path} is not themescan JSON Lines output; cannot resume"
                ) from None
        return done
    if not text:
        return done
    reader = csv.reader(io.StringIO(text), delimiter=";" if excel else ",")
    header = next(reader, None)
    if header is None or tuple(header) != CSV_COLUMNS:
        raise UsageError(
            f"{path} does not start with themescan's CSV header"
            + (" (add --excel if it was written with --excel)" if not excel else "")
        )
    for row in reader:
        if len(row) == len(CSV_COLUMNS):
            done[row[0]] = row[1]
    return done
