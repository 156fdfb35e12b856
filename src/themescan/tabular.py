"""Reading the delimited files themescan takes as input: population lists and results files.

Both are CSV or TSV (delimiter detected, UTF-8 with or without BOM, UTF-16 with a BOM as Excel's
"Unicode text" saves it, Windows-1252 as a fallback; binary data is refused),
or an .xlsx workbook (its first sheet, read with openpyxl). Every reader returns the same shape:
a header and (line number, cells as text) per non-empty row, so callers can name the line of a
problem. No knowledge of what the columns mean lives here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from themescan.errors import UsageError

Rows = tuple[list[str], list[tuple[int, list[str]]]]
"""A header and (1-based line number, cells) for every non-empty row."""


def read_text(path: Path, what: str) -> str:
    """Read a text file as UTF-8 (a BOM is stripped), falling back to Windows-1252."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path} is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with a BOM
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in raw[:65536]:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")
    raise UsageError(
        f"{what} {path} is not a text table (it holds binary data); give a CSV, TSV or .xlsx file"
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def show_cells(cells: Sequence[str], limit: int = 8, width: int = 30) -> str:
    """Cells for a message: the first `limit`, each cut to `width` characters, control
    characters escaped, so that a garbled header does not flood the terminal."""
    shown = []
    for cell in cells[:limit]:
        text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cell.strip())
        shown.append(text if len(text) <= width else text[: width - 1] + "…")
    more = f" and {len(cells) - limit} more" if len(cells) > limit else ""
    return ", ".join(shown) + more


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV/TSV: the candidate that occurs most in the header line."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in ("\t", ";", ",", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) for each non-empty row; line numbers are 1-based."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((reader.line_num, cells))
    return header or [], rows


def find_column(header: Sequence[str], names: Iterable[str]) -> int | None:
    wanted = [n.lower() for n in names]
    lowered = [h.strip().lower() for h in header]
    for name in wanted:
        if name in lowered:
            return lowered.index(name)
    return None


_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")


def parse_inwoners(value: str) -> int | None:
    """Parse a population figure: 25724, 25.724, 25 724, 25724.0; blank is None.

    Raises ValueError for anything else (negative numbers, words, fractions).
    """
    text = value.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    match = _WHOLE_FLOAT.match(text)
    if match:
        return int(match.group(1))
    raise ValueError(f"not a whole number of inhabitants: {value!r}")


XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold: 1.0 -> "1", True -> "1", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx_rows(path: Path, what: str) -> Rows:
    """Header and rows of the first sheet of a workbook; line numbers are Excel's row numbers."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise UsageError(
            f"reading the {what} {path} needs openpyxl: pip install openpyxl"
        ) from None
    import zipfile

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError(f"{what} {path} is not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                while cells and not cells[-1]:
                    cells.pop()
                header = cells
                continue
            rows.append((number, cells))
    finally:
        workbook.close()
    return header or [], rows


def read_rows(path: str | Path, what: str) -> Rows:
    """Header and rows of a CSV/TSV (delimiter detected) or, by its suffix, an .xlsx workbook.

    `what` names the file in messages ("population file", "results file").
    """
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx_rows(path, what)
    return parse_rows(read_text(path, what))


def read_grid(path: str | Path, what: str) -> list[list[str]]:
    """The header and then every non-empty row of a CSV/TSV or XLSX file, as lists of cells
    (for readers that find their columns themselves)."""
    header, rows = read_rows(path, what)
    return [header, *(cells for _, cells in rows)] if header else []
