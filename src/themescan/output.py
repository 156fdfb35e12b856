"""Writing results: the CSV contract (plain or for Dutch Excel) and JSON Lines with every hit.

Rows are written and flushed one document at a time, so an interrupted run leaves a valid file
of the documents that finished.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from themescan.errors import UsageError
from themescan.results import DocumentResult
from themescan.sanitise import clean_text, display_name
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
    """One result as the CSV contract's row of strings, safe for any CSV reader or spreadsheet:
    the file name in its printable form (sanitise.display_name), no control characters in text
    (a carriage return or NUL would split or end a record)."""
    row: dict[str, str] = {
        "file": display_name(result.file),
        "status": clean_text(result.status),
        "pages": str(result.pages),
        "gemeente": _one_line(result.gemeente),
        "inwoners": "" if result.inwoners is None else str(result.inwoners),
        "grootteklasse": _one_line(result.grootteklasse),
        "doc_type": _one_line(result.doc_type),
        "jaar": _one_line(result.jaar),
    }
    for theme in THEMES:
        t = result.theme(theme)
        row[theme] = "1" if t and t.flag else "0"
        row[f"{theme}_score"] = f"{t.score:.3f}".replace(".", decimal) if t else ""
        row[f"{theme}_evidence"] = _one_line(t.evidence[0].cite()) if t and t.evidence else ""
    return row


def _one_line(text: str) -> str:
    return clean_text(text).replace("\n", " ")


def csv_dialect(excel: bool = False) -> dict[str, Any]:
    """The CSV dialect themescan writes and reads: comma and LF, or for Dutch Excel semicolon
    and CRLF. Fields with a delimiter, quote or LF are quoted; no field holds a CR or another
    control character (csv_row), so every record is one row to every reader."""
    return {
        "delimiter": ";" if excel else ",",
        "lineterminator": "\r\n" if excel else "\n",
        "quoting": csv.QUOTE_MINIMAL,
    }


class CsvWriter:
    """Writes the header once, then one flushed row per result."""

    def __init__(self, stream: IO[str], excel: bool = False, header: bool = True) -> None:
        self.stream = stream
        self.excel = excel
        if excel and header:
            stream.write("\ufeff")
        self.writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, **csv_dialect(excel))
        if header:
            self.writer.writeheader()
            stream.flush()

    def write(self, result: DocumentResult) -> None:
        row = csv_row(result, "," if self.excel else ".")
        # csv quotes a field with LF but not one with a lone CR when the line ends in LF;
        # csv_row leaves no CR, and this guard keeps it so should a new column forget
        self.writer.writerow({k: v.replace("\r", " ") for k, v in row.items()})
        self.stream.flush()


def json_record(result: DocumentResult) -> dict[str, Any]:
    """Everything about one document, every hit with its page and character offsets. Strings are
    cleaned as in csv_row (tab and newline may stay in a passage), so the record encodes as
    UTF-8 and every line of the file is one record."""
    return _clean_json(
        {
            "file": display_name(result.file),
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
    )


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN is not JSON
    return value


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
        for line in text.split("\n"):  # not splitlines: U+2028 and friends are not line ends
            if not line.strip():
                continue
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ",")
    try:
        header = next(reader, None)
        if header is None or tuple(header) != CSV_COLUMNS:
            raise UsageError(
                f"{path} does not start with themescan's CSV header"
                + (" (add --excel if it was written with --excel)" if not excel else "")
            )
        for row in reader:
            if len(row) == len(CSV_COLUMNS):
                done[row[0]] = row[1]
    except csv.Error as exc:
        raise UsageError(f"{path} is not valid CSV ({exc}); cannot resume") from None
    return done
