"""Writing results: the CSV contract (plain or for Dutch Excel), JSON Lines with every hit, and
XLSX; written atomically, with a sidecar that records what made them.

Rows are written and flushed one document at a time to `<output>.partial`, so an interrupted run
leaves a valid file of the documents that finished; the partial file replaces the output only
when the run completes, so a failed run never damages an existing output.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import hashlib
import io
import json
import math
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; two runs on one output are not caught there
    fcntl = None  # type: ignore[assignment]

from themescan.config import Config, population_files
from themescan.errors import UsageError
from themescan.ownfiles import (
    CREATOR,
    first_cells,
    head_of,
    results_head,
    sidecar_path,
    written_by_themescan,
)
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
        row[theme] = "" if t is None else "1" if t.flag else "0"  # "": not judged (status)
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


# --- formats follow the file name ------------------------------------------------------------------

FORMAT_BY_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx"}


def output_format(path: str | os.PathLike[str] | None, requested: str | None) -> str:
    """The format to write: from -o's extension, or --format, which must not contradict it."""
    suffix = Path(path).suffix.lower() if path is not None else ""
    implied = FORMAT_BY_SUFFIX.get(suffix)
    if requested and implied and requested != implied:
        raise UsageError(
            f"--format {requested} contradicts -o {Path(str(path)).name}: a {suffix} file "
            f"holds {implied}; drop --format or change the extension"
        )
    fmt = requested or implied or "csv"
    if fmt == "xlsx" and path is None:
        raise UsageError("xlsx is a binary format; give -o FILE.xlsx")
    return fmt


# --- XLSX ------------------------------------------------------------------------------------------


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def xlsx_values(result: DocumentResult) -> list[Any]:
    """One result as a worksheet row in CSV_COLUMNS order: numbers as numbers, text as text."""
    jaar: Any = int(result.jaar) if result.jaar.isdigit() else result.jaar
    row: list[Any] = [
        _xlsx_text(result.file),
        result.status,
        result.pages,
        _xlsx_text(result.gemeente),
        result.inwoners,
        result.grootteklasse,
        result.doc_type,
        jaar,
    ]
    themes = [result.theme(t) for t in THEMES]
    row += [None if t is None else int(t.flag) for t in themes]
    row += [round(t.score, 3) if t else None for t in themes]
    row += [_xlsx_text(t.evidence[0].cite()) if t and t.evidence else "" for t in themes]
    return row


class XlsxWriter:
    """A workbook with a bold header row, frozen panes and number formats. An XLSX file is a zip
    that is complete only when closed, so rows are kept and the file is written by `close`
    (an interrupted run closes it too; only a killed run loses the rows of this run)."""

    def __init__(self, path: str | os.PathLike[str], rows: Iterable[list[Any]] = ()) -> None:
        self.path = Path(path)
        self.rows: list[list[Any]] = list(rows)

    def write(self, result: DocumentResult) -> None:
        self.rows.append(xlsx_values(result))

    def close(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        wb = Workbook()

        wb.properties.creator = CREATOR  # -o may replace it (ownfiles)
        ws = wb.active
        ws.title = "themescan"
        ws.append(list(CSV_COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        formats = {"pages": "0", "inwoners": "#,##0", "jaar": "0"}
        formats.update({t: "0" for t in THEMES})
        formats.update({f"{t}_score": "0.000" for t in THEMES})
        for values in self.rows:
            ws.append(values)
        for col, name in enumerate(CSV_COLUMNS, 1):
            letter = get_column_letter(col)
            fmt = formats.get(name)
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text a document contains, never a formula
                elif fmt and isinstance(cell.value, int | float):
                    cell.number_format = fmt
            width = 60 if name.endswith("_evidence") else 40 if name == "file" else 12
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "C2"  # header row and the file and status columns stay in view
        ws.auto_filter.ref = ws.dimensions
        wb.save(self.path)


def read_xlsx_rows(path: str | os.PathLike[str]) -> list[list[Any]]:
    """The data rows of a workbook themescan wrote (for --resume); checks the header."""
    from openpyxl import load_workbook

    try:
        # from the bytes: openpyxl judges a path by its suffix and refuses results.xlsx.partial
        wb = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise UsageError(
            f"{path} is not a readable XLSX file ({type(exc).__name__}); cannot resume"
        ) from None
    try:
        rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows or tuple(rows[0]) != CSV_COLUMNS:
        raise UsageError(f"{path} does not start with themescan's header row; cannot resume")
    return [
        [
            ("" if v is None and i >= len(META_COLUMNS) + 2 * len(THEMES) else v)
            for i, v in enumerate(r)
        ]
        for r in rows[1:]
        if r and r[0]
    ]


# --- the sidecar: what made an output --------------------------------------------------------------

PARTIAL_SUFFIX = ".partial"


def partial_path(path: str | os.PathLike[str]) -> Path:
    """Where a run writes before its output is complete: `results.csv.partial`, beside it."""
    path = Path(path)
    return path.with_name(path.name + PARTIAL_SUFFIX)


def _sha256(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"(unreadable)")
    return h.hexdigest()[:16]


def run_record(
    config: Config, inputs: Sequence[str | os.PathLike[str]], fmt: str, excel: bool = False
) -> dict[str, Any]:
    """What the sidecar says about an output: settings, hashes of the model, lexicons and
    population file, themescan's version and the inputs. Two runs may share one output file
    only when these agree (see `record_differences`)."""
    from themescan import __version__
    from themescan.config import default_model_dir
    from themescan.lexicon import load_lexicons

    if config.rule:
        model: dict[str, Any] = {"rule": config.rule}
    else:
        folder = Path(config.model) if config.model else default_model_dir()
        model = {
            "path": config.model or "(packaged)",
            "sha256": _sha256([folder / "model.json", folder / "weights.npz"]),
        }
    record: dict[str, Any] = {
        "themescan": __version__,
        "format": "csv (excel)" if excel and fmt == "csv" else fmt,
        "fingerprint": config.fingerprint(),
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
        "model": model,
        "lexicons": {  # by the hash `themescan info` and a model's model.json give them
            "path": config.lexicons or "(packaged)",
            "hash": load_lexicons(config.lexicons).digest,
        },
        "gemeenten": (
            {"path": config.gemeenten, "sha256": _sha256(population_files(config.gemeenten))}
            if config.gemeenten
            else None
        ),
        "inputs": [os.path.abspath(p) for p in inputs],
    }
    return record


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return " ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


def record_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two run records, one phrase each ('model: was X, now Y')."""
    out = []
    for key in ("themescan", "format", "model", "lexicons", "gemeenten", "inputs"):
        if old.get(key) != new.get(key):
            out.append(f"{key}: was {_show(old.get(key))}, now {_show(new.get(key))}")
    old_config, new_config = old.get("config") or {}, new.get("config") or {}
    for key in sorted(set(old_config) | set(new_config)):
        if key in ("model", "lexicons", "gemeenten"):
            continue
        if old_config.get(key) != new_config.get(key):
            out.append(f"{key}: was {_show(old_config.get(key))}, now {_show(new_config.get(key))}")
    if not out and old.get("fingerprint") != new.get("fingerprint"):
        out.append(f"configuration: was {old.get('fingerprint')}, now {new.get('fingerprint')}")
    return out


def read_record(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The sidecar of an output file, or None when there is none (or it is not ours)."""
    try:
        data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def documents_folder(results: Path, files: list[str]) -> Path:
    """Where the documents of a results file are: of the folder beside it and the inputs its
    sidecar records (the folder classify read, or the folder of a file it was given), the one
    that holds most of them; the folder beside it when none holds any. Page links and
    re-reading start there (report, sample)."""
    record = read_record(results) or {}
    inputs = record.get("inputs") if isinstance(record.get("inputs"), list) else []
    candidates = [results.parent]
    for given in inputs:
        if isinstance(given, str):
            path = Path(given)
            candidates.append(path if path.is_dir() else path.parent)
    found = [sum((c / f).is_file() for f in files) for c in candidates]
    return candidates[found.index(max(found))]


def write_record(path: str | os.PathLike[str], record: dict[str, Any]) -> None:
    sidecar_path(path).write_text(
        json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


# --- one writer per output ------------------------------------------------------------------------


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The hidden file a run holds locked while it writes `path`: `.results.csv.lock`."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


class WriterLock:
    """One run writes an output at a time. Two runs with the same -o would interleave their
    rows in one partial file and rename a mix onto the output; the second is refused instead.
    The lock is an exclusive flock on a hidden file beside the output, taken before anything is
    written and dropped by the system when the process ends, however it ends."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = lock_path(target)
        self.fd: int | None = None

    def acquire(self) -> None:
        if fcntl is None or self.fd is not None:
            return
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return  # a folder we may not write: opening the output says so
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise UsageError(
                    f"another themescan run is writing {self.target} (it holds {self.path.name}); "
                    "wait for it to finish, or write to another file with -o"
                ) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if same:
                self.fd = fd
                atexit.register(self.release)
                return
            os.close(fd)  # locked the file of a run that has just finished and removed it

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # before the lock goes: the next run locks a file of its own
        os.close(self.fd)
        self.fd = None


# --- atomic output ---------------------------------------------------------------------------------


class AtomicOutput:
    """An output file that is never left damaged.

    Rows go to `<target>.partial` beside the target (flushed one by one) and the partial file
    is renamed onto the target only when the run completes, with its sidecar. An interrupted or
    crashed run leaves the partial file (a valid file of the finished rows) and the target as
    it was; `--resume` continues the partial file, or, when there is none, a copy of the
    target. Nothing is created until `open`, which the caller runs after every check.
    """

    def __init__(self, target: str | os.PathLike[str], fmt: str, excel: bool, record: dict) -> None:
        self.target = Path(target)
        self.partial = partial_path(self.target)
        self.fmt = fmt
        self.excel = excel
        self.record = record
        self.stream: IO[str] | None = None
        self.writer: CsvWriter | JsonlWriter | XlsxWriter | None = None
        self._resume_from: Path | None = None
        self._xlsx_rows: list[list[Any]] = []
        self.unchecked = False  # resumed a file without a sidecar: settings could not be compared
        self.lock = WriterLock(self.target)

    def check(self, resuming: bool = False) -> None:
        """Fail before anything is written when the target cannot be one: a folder, a file in
        a missing folder, or a file themescan did not write (labels beside the documents must
        not be lost to a mistyped -o); `resuming` continues the target, so it may be any
        file the resume reads."""
        target = self.target
        if target.is_dir():
            raise UsageError(
                f"-o {target} is a folder; name a file, e.g. {target / ('results.' + self.fmt)}"
            )
        parent = target.parent
        if not parent.exists():
            raise UsageError(f"cannot write {target}: folder {parent} does not exist")
        if not parent.is_dir():
            raise UsageError(f"cannot write {target}: {parent} is not a folder")
        if target.exists() and not target.is_file():
            raise UsageError(f"cannot write {target}: not a regular file")
        if not resuming and target.is_file() and not _replaceable(target):
            raise UsageError(
                f"-o {target} exists and is not an output of themescan (no "
                f"{sidecar_path(target).name} beside it): it is left as it is; remove it or "
                "choose another name"
            )
        self.lock.acquire()  # before --resume reads the partial file another run may be writing

    def changed_since(self, paths: dict[str, Path]) -> list[str]:
        """Names of the files (name -> path) modified after the run that --resume continues
        began (its settings record was written then): their rows may describe older content."""
        if self._resume_from is None:
            return []
        try:
            began = sidecar_path(self._resume_from).stat().st_mtime
        except OSError:
            return []
        out = []
        for name, path in paths.items():
            try:
                if path.stat().st_mtime > began:
                    out.append(name)
            except OSError:
                continue
        return out

    def resume(self, force: bool = False) -> dict[str, str]:
        """{file: status} of the rows already written by the run this one continues; refuses
        to continue one made with other settings unless `force`."""
        source = self.partial if self.partial.exists() else self.target
        if not source.exists():
            return {}
        old = read_record(source)
        self.unchecked = old is None
        if old is not None and not force:
            differs = record_differences(old, self.record)
            if differs:
                raise UsageError(
                    f"--resume: {source} was made with other settings: "
                    + "; ".join(differs)
                    + ". Run without --resume to start over, or add --force to mix them on purpose"
                )
        self._resume_from = source
        if self.fmt == "xlsx":
            self._xlsx_rows = read_xlsx_rows(source)
            return {str(r[0]): str(r[1]) for r in self._xlsx_rows}
        if source != self.partial:
            shutil.copyfile(source, self.partial)
        try:
            return resume_file(self.partial, self.fmt == "jsonl", self.excel)
        except UsageError:
            if source != self.partial:
                self.partial.unlink(missing_ok=True)
            raise

    def drop(self, files: Collection[str]) -> None:
        """Take the rows of `files` out of the run being resumed (documents no longer among
        the inputs): the finished output must hold one row per input, as a fresh run would.
        The partial file is rewritten whole, then replaced."""
        if not files or self._resume_from is None:
            return
        if self.fmt == "xlsx":
            self._xlsx_rows = [r for r in self._xlsx_rows if str(r[0]) not in files]
            return
        self._rewrite(lambda records: [(n, line) for n, line in records if n not in files])

    def reorder(self, order: Sequence[str]) -> None:
        """Put a resumed run's rows in input order, as a fresh run writes them (the rows of
        files read again after a resume came last; trial 13). CSV and JSON Lines."""
        if self._resume_from is None or self.fmt == "xlsx":
            return
        place = {name: i for i, name in enumerate(order)}
        self._rewrite(
            lambda records: sorted(records, key=lambda r: place.get(r[0], len(place)))  # type: ignore[arg-type]
        )

    def _rewrite(self, edit: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]) -> None:
        """Rewrite the partial file with its records (file name, line) edited; the header and
        the end stay where they are."""
        with open(self.partial, encoding="utf-8", newline="") as fh:
            lines = fh.read().split("\n")  # records are one line each (csv_row, json_record)
        delimiter = ";" if self.excel else ","
        head, records, tail = [], [], []
        for i, line in enumerate(lines):
            if not line.strip():
                tail.append(line)
            elif self.fmt != "jsonl" and i == 0:
                head.append(line)
            elif self.fmt == "jsonl":
                records.append((json.loads(line)["file"], line))
            else:
                records.append(
                    (next(csv.reader([line.rstrip("\r")], delimiter=delimiter))[0], line)
                )
        kept = head + [line for _, line in edit(records)] + tail
        with replaced_atomically(self.partial) as tmp:
            tmp.write_text("\n".join(kept), encoding="utf-8", newline="")

    def open(self) -> CsvWriter | JsonlWriter | XlsxWriter:
        """Create the partial file (continuing it on --resume) and return its row writer."""
        try:
            if self.fmt == "xlsx":
                self.writer = XlsxWriter(self.partial, self._xlsx_rows)
                self.writer.close()  # fails now, not at the end, if the folder is not writable
                return self.writer
            append = self._resume_from is not None and self.partial.stat().st_size > 0
            self.stream = open(  # noqa: SIM115 (closed by close or discard)
                self.partial, "a" if append else "w", encoding="utf-8", newline=""
            )
            write_record(self.partial, self.record)
        except OSError as exc:
            raise UsageError(f"cannot write {self.target}: {exc.strerror or exc}") from None
        if self.fmt == "jsonl":
            self.writer = JsonlWriter(self.stream)
        else:
            self.writer = CsvWriter(self.stream, self.excel, header=not append)
        return self.writer

    def close(self, complete: bool) -> Path:
        """Finish: rename onto the target when `complete`, else leave the partial file.
        Returns the path that now holds the rows."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if isinstance(self.writer, XlsxWriter):
            self.writer.close()
            write_record(self.partial, self.record)
        if not complete:
            self.lock.release()
            return self.partial
        os.replace(self.partial, self.target)
        os.replace(sidecar_path(self.partial), sidecar_path(self.target))
        self.lock.release()
        return self.target

    def discard(self) -> None:
        """Remove the partial file this run made (one it continues is kept)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self._resume_from != self.partial:  # a partial file from before is kept
            self.partial.unlink(missing_ok=True)
            sidecar_path(self.partial).unlink(missing_ok=True)
        self.lock.release()


def _replaceable(path: Path) -> bool:
    """May -o replace this file: empty, or written by themescan (its sidecar lies beside it,
    or it starts as themescan's CSV or JSON Lines do)?"""
    if sidecar_path(path).exists():
        return True
    head = head_of(path)
    return head is None or not head.strip() or results_head(head)  # None: the write will say


def check_writable_target(target: str | os.PathLike[str], what: str = "-o") -> Path:
    """A UsageError, before any work, when `target` cannot become a file."""
    target = Path(target)
    if target.is_dir():
        raise UsageError(f"{what} {target} is a folder; name a file in it")
    if target.exists() and not target.is_file():
        raise UsageError(f"cannot write {target}: not a regular file")
    if not target.parent.exists():
        raise UsageError(f"cannot write {target}: folder {target.parent} does not exist")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: {target.parent} is not a folder")
    if target.is_file() and _holds_decisions(target):
        raise UsageError(
            f"{what} {target} holds labels or classify results (a file column and the five "
            "theme columns): it is left as it is; choose another name"
        )
    if target.is_file() and target.stat().st_size and not written_by_themescan(target):
        raise UsageError(
            f"{what} {target} exists and themescan did not write it: it is left as it is; "
            "choose another name, or remove it first"
        )
    return target


def _holds_decisions(path: Path) -> bool:
    """Is this a label file or classify's results (file + the five theme columns, or our
    sidecar beside it)? No table, report or sample output looks like that, so a -o that names
    one is a slip that would destroy hand-made labels or a long run's results."""
    if sidecar_path(path).exists():
        return True
    head = head_of(path)
    cells = first_cells(head) if head is not None else []
    return bool(cells) and cells[0] == "file" and set(THEMES) <= set(cells)


@contextlib.contextmanager
def replaced_atomically(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside `target` (same extension) to write; renamed onto `target` when
    the block ends without error, removed when it fails, so `target` is whole or untouched."""
    target = Path(target)
    temp = target.with_name(f".{target.stem}.partial{target.suffix}")
    try:
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
