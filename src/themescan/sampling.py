"""The validation sample: draw (document, theme) decisions for a human coder, write the coding
sheet (XLSX or CSV), and read it back once coded.

The sample is stratified by theme and by the machine's decision (ten strata), with the same
number drawn from each where the results allow, so that every theme has positives to confirm
(precision) and negatives to check for misses. The draw is seeded: the same results file, n
and seed give the same sample.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from themescan.aggregation import ResultRow
from themescan.config import Config
from themescan.errors import DocumentError, UsageError
from themescan.evidence import Detail, page_link
from themescan.ownfiles import CREATOR
from themescan.tabular import read_grid
from themescan.themes import THEMES

SAMPLE_COLUMNS: tuple[str, ...] = (
    "file",
    "theme",
    "themescan",
    "score",
    "page",
    "evidence",
    "link",
    "human",
    "note",
)
"""The coding sheet's columns, in this order; `human` and `note` are for the coder."""
BLIND_COLUMNS: tuple[str, ...] = (
    "id",
    "file",
    "theme",
    "page",
    "evidence",
    "link",
    "human",
    "note",
)
"""With --blind the coder's sheet has these; `themescan` and `score` sit on MACHINE_SHEET."""
KEY_COLUMNS: tuple[str, ...] = ("id", "themescan", "score")
CODING_SHEET = "codering"
MACHINE_SHEET = "themescan"
INFO_SHEET = "steekproef"
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class SampleItem:
    """One decision to code: the machine's flag and score for one theme of one document."""

    id: int
    file: str
    theme: str
    themescan: int
    score: float | None
    page: int | None
    evidence: str
    derived: bool = False
    """True when the document was read and scored again for its passages (--docs)."""


@dataclass(frozen=True)
class Stratum:
    theme: str
    themescan: int
    available: int
    """Documents in the results file with this theme and decision (status ok)."""
    drawn: int


@dataclass(frozen=True)
class Sample:
    items: tuple[SampleItem, ...]
    strata: tuple[Stratum, ...]
    seed: int
    warnings: tuple[str, ...] = ()


def _allocate(sizes: Sequence[int], n: int) -> list[int]:
    """Split n over strata as evenly as their sizes allow; what a small stratum cannot take
    goes to the others (largest remaining first, ties in stratum order)."""
    take = [0] * len(sizes)
    left = n
    while left > 0:
        open_ = [i for i, s in enumerate(sizes) if take[i] < s]
        if not open_:
            break
        share, extra = divmod(left, len(open_))
        if share == 0:  # fewer left than open strata: one more for the ones with most room
            for i in sorted(open_, key=lambda i: (-(sizes[i] - take[i]), i))[:extra]:
                take[i] += 1
            break
        for i in open_:
            add = min(share, sizes[i] - take[i])
            take[i] += add
            left -= add
    return take


def draw_sample(
    rows: Sequence[ResultRow],
    details: Mapping[str, Mapping[str, Detail]],
    n: int = 60,
    seed: int = DEFAULT_SEED,
    themes: Sequence[str] = THEMES,
) -> Sample:
    """A seeded random sample of n (document, theme) decisions, stratified by theme and flag.

    Only documents whose status is ok take part. Items are ordered by file and theme (so a
    coder reads a document's themes together); ids number them from 1.
    """
    if n < 1:
        raise UsageError(f"-n must be at least 1; got {n}")
    ok = sorted({r.file: r for r in rows if r.ok}.values(), key=lambda r: r.file)
    if not ok:
        raise UsageError("the results file has no readable documents (status ok) to sample")
    strata_keys = [(t, flag) for t in themes for flag in (1, 0)]
    members = {key: [r for r in ok if (key[0] in r.flags) == bool(key[1])] for key in strata_keys}
    take = _allocate([len(members[k]) for k in strata_keys], n)
    rng = random.Random(seed)
    chosen: list[tuple[str, str, int]] = []
    strata: list[Stratum] = []
    warnings: list[str] = []
    for key, k in zip(strata_keys, take, strict=True):
        pool = members[key]
        strata.append(Stratum(key[0], key[1], len(pool), k))
        chosen += [(r.file, key[0], key[1]) for r in rng.sample(pool, k)]
        if not pool:
            what = "flagged" if key[1] else "unflagged"
            warnings.append(f"no {what} documents for {key[0]}: that stratum is empty")
    total = sum(len(v) for v in members.values())
    if n > total:
        warnings.append(f"asked for {n} decisions, the results hold only {total}: took all")
    items = []
    for i, (file, theme, flag) in enumerate(
        sorted(chosen, key=lambda c: (c[0], themes.index(c[1])))
    ):
        d = details.get(file, {}).get(theme, Detail())
        items.append(
            SampleItem(
                id=i + 1,
                file=file,
                theme=theme,
                themescan=flag,
                score=d.score,
                page=d.page,
                evidence=d.snippet,
            )
        )
    return Sample(tuple(items), tuple(strata), seed, tuple(warnings))


def find_passages(sample: Sample, docs: str | Path, config: Config | None = None) -> Sample:
    """Read and score each sampled document from the documents folder `docs` again, to show the
    passages behind every decision: every decision, flag or not, gets the theme's best-scoring
    passages (Config.evidence of them, fewer only when the document has fewer), the first with
    its page, the others as `p<page>: <snippet>` on paragraphs of their own. For a flag these
    are its evidence, led by the one the results hold; for a negative the passages that came
    closest (where a miss would be). The same number for both, so that a blind coder cannot
    tell a flag by how much text it shows.

    Documents that are missing or unreadable keep what the results hold (a warning names them).
    Loads the model once.
    """
    from themescan.pipeline import Classifier, make_evidence
    from themescan.reading import read_document

    classifier = Classifier(config)
    updated: dict[int, SampleItem] = {}
    missing: list[str] = []
    for file in sorted({it.file for it in sample.items}):
        path = Path(docs) / file
        try:
            if not path.is_file():
                raise DocumentError("error: cannot open")
            document = read_document(path)
        except DocumentError:
            missing.append(file)
            continue
        scored, _ = classifier.score_passages(document)
        thresholds = classifier.thresholds(len(scored))
        for it in (it for it in sample.items if it.file == file):
            col = THEMES.index(it.theme)
            top = sorted(scored, key=lambda s, c=col: -s.scores[c])[: classifier.config.evidence]
            if not top:
                continue
            picks = [(col, s) for s in top]
            anchors = classifier.anchors(document, picks, thresholds)
            passages = [
                make_evidence(document, s, it.theme, s.scores[col], anchor)
                for (_, s), anchor in zip(picks, anchors, strict=True)
            ]
            page, first = it.page, it.evidence
            if not first:
                page, first = passages[0].page, passages[0].snippet
            more = [e for e in passages if e.snippet != first][: len(passages) - 1]
            # with more than one passage each says its page (the first's is in `page` too)
            head = f"p{page}: {first}" if more and page is not None else first
            text = "".join([head, *(f"\n\np{e.page}: {e.snippet}" for e in more)])
            updated[it.id] = replace(it, page=page, evidence=text, derived=True)
    items = tuple(updated.get(it.id, it) for it in sample.items)
    warnings = list(sample.warnings)
    if missing:
        warnings.append(
            f"{len(missing)} sampled document(s) not found or unreadable under {docs}; they show "
            f"only what the results hold: {', '.join(missing[:5])}"
            + (" ..." if len(missing) > 5 else "")
        )
    return replace(sample, items=items, warnings=tuple(warnings))


def _sheet_rows(
    sample: Sample, docs: str | Path, out_dir: str | Path, blind: bool
) -> tuple[list[list], list[list]]:
    """(coder's rows, key rows): the cells of the coding sheet and, with blind, of the key."""
    coder: list[list] = []
    key: list[list] = []
    for it in sample.items:
        link = page_link(it.file, it.page, docs, out_dir)
        score = "" if it.score is None else it.score
        page = "" if it.page is None else it.page
        if blind:
            coder.append([it.id, it.file, it.theme, page, it.evidence, link, "", ""])
            key.append([it.id, it.themescan, score])
        else:
            coder.append([it.file, it.theme, it.themescan, score, page, it.evidence, link, "", ""])
    return coder, key


def write_sample(
    sample: Sample, path: str | Path, docs: str | Path, blind: bool = False, source: str = ""
) -> list[Path]:
    """Write the coding sheet: XLSX (by extension .xlsx) or CSV; returns the files written.

    XLSX: the coding sheet is protected except `human` and `note`, `human` accepts only 0 or 1,
    links are clickable; a sheet `steekproef` records seed and strata. CSV: one file, and with
    blind a second `<name>_themescan.csv` with id, themescan and score. The links point from
    the sheet's folder to `docs/file` (at the page, for PDFs).
    """
    path = Path(path)
    out_dir = path.parent if str(path.parent) else Path(".")
    coder, key = _sheet_rows(sample, docs, out_dir, blind)
    header = list(BLIND_COLUMNS if blind else SAMPLE_COLUMNS)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(sample, path, header, coder, key, blind, source)
        return [path]
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise UsageError(f"write the sample as .xlsx or .csv; got {path.name}")
    written = [path]
    _write_csv(path, header, coder)
    if blind:
        key_path = key_file(path)
        _write_csv(key_path, list(KEY_COLUMNS), key)
        written.append(key_path)
    return written


def key_file(path: Path) -> Path:
    """Where a blind CSV sample keeps the machine's decisions."""
    return path.with_name(f"{path.stem}_{MACHINE_SHEET}{path.suffix}")


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(out.getvalue(), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_xlsx(
    sample: Sample,
    path: Path,
    header: list[str],
    coder: list[list],
    key: list[list],
    blind: bool,
    source: str,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()

    wb.properties.creator = CREATOR  # -o may replace it (ownfiles)
    ws = wb.active
    ws.title = CODING_SHEET
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in coder:
        ws.append(row)
    widths = {"file": 38, "theme": 22, "evidence": 80, "link": 30, "note": 40, "human": 8}
    human_col = header.index("human") + 1
    note_col = header.index("note") + 1
    link_col = header.index("link") + 1
    evidence_col = header.index("evidence") + 1
    fill = PatternFill("solid", fgColor="FFF2CC")
    last = len(coder) + 1
    for c, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(name, 11)
    for r in range(2, last + 1):
        ws.cell(r, evidence_col).alignment = Alignment(wrap_text=True, vertical="top")
        link = ws.cell(r, link_col)
        if link.value:
            link.hyperlink = str(link.value)
            link.font = Font(color="0563C1", underline="single")
        for c in (human_col, note_col):
            cell = ws.cell(r, c)
            cell.protection = Protection(locked=False)
            cell.fill = fill
    dv = DataValidation(
        type="list",
        formula1='"0,1"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="0 of 1",
        error="Vul 1 in (expliciete aandacht) of 0 (geen expliciete aandacht).",
    )
    ws.add_data_validation(dv)
    col = get_column_letter(human_col)
    dv.add(f"{col}2:{col}{max(last, 2)}")
    ws.freeze_panes = "A2"
    # Protected so that a coder cannot change the decisions by accident; no password. Sorting,
    # filtering and resizing stay allowed.
    ws.protection.sheet = True
    ws.protection.sort = False
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(last, 2)}"

    if blind:
        ks = wb.create_sheet(MACHINE_SHEET)
        ks.append(list(KEY_COLUMNS))
        for row in key:
            ks.append(row)
        # veryHidden: Excel's Unhide does not list it; with the workbook's structure locked
        # a coder cannot add, show or move sheets either (no password: a guard, not a safe)
        ks.sheet_state = "veryHidden"
        ks.protection.sheet = True
        wb.security = WorkbookProtection(lockStructure=True)

    info = wb.create_sheet(INFO_SHEET)
    info.append(["results", source])
    info.append(["seed", sample.seed])
    info.append(["n", len(sample.items)])
    info.append([])
    info.append(["theme", "themescan", "in results", "drawn"])
    for s in sample.strata:
        info.append([s.theme, s.themescan, s.available, s.drawn])
    info.protection.sheet = True

    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------------
# Reading a coded sheet
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodedItem:
    """One coded decision: the machine's and the human's 0/1 for one theme of one document."""

    file: str
    theme: str
    themescan: int
    human: int
    score: float | None = None
    note: str = ""


@dataclass(frozen=True)
class CodedSheet:
    items: tuple[CodedItem, ...]
    uncoded: int
    """Rows without a human code, left out."""
    source: str = ""
    strata: dict[str, tuple[int, int]] | None = None
    """Per theme the flagged and unflagged documents the sample was drawn from, as its
    `steekproef` sheet records them (XLSX only); None when unknown."""
    missing: int = 0
    """Decisions the key of a blind sample holds that the sheet no longer has (rows deleted)."""


_ONE = {"1", "1.0", "ja", "yes", "true", "waar", "j", "y"}
_ZERO = {"0", "0.0", "nee", "no", "false", "onwaar", "n"}


def _code(value: object) -> int | str | None:
    """0, 1, None for an empty cell, or the text that is neither."""
    if value is None:
        return None
    text = str(value).strip().lower().replace(",", ".")
    if not text:
        return None
    if text in _ONE:
        return 1
    if text in _ZERO:
        return 0
    return str(value)


def _strata(rows: list[list]) -> dict[str, tuple[int, int]] | None:
    """{theme: (flagged, unflagged)} from the `steekproef` sheet, None if it cannot be read."""
    out: dict[str, list[int]] = {}
    header = None
    for r in rows:
        cells = ["" if v is None else str(v).strip().lower() for v in r]
        if header is None:
            if "theme" in cells and "in results" in cells:
                header = {c: i for i, c in enumerate(cells)}
            continue
        try:
            theme = cells[header["theme"]]
            flag = int(float(cells[header["themescan"]]))
            count = int(float(cells[header["in results"]]))
        except (KeyError, IndexError, ValueError):
            return None
        if theme in THEMES and flag in (0, 1):
            out.setdefault(theme, [0, 0])[1 - flag] = count
    return {t: (v[0], v[1]) for t, v in out.items()} or None


def _grid_xlsx(path: Path) -> tuple[list[list], list[list] | None, list[list] | None]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise UsageError(f"cannot read {path} as XLSX: {exc}") from None
    sheet = wb[CODING_SHEET] if CODING_SHEET in wb.sheetnames else wb.worksheets[0]
    grid = [list(r) for r in sheet.iter_rows(values_only=True)]
    key = None
    if MACHINE_SHEET in wb.sheetnames:
        key = [list(r) for r in wb[MACHINE_SHEET].iter_rows(values_only=True)]
    info = None
    if INFO_SHEET in wb.sheetnames:
        info = [list(r) for r in wb[INFO_SHEET].iter_rows(values_only=True)]
    return grid, key, info


def _grid_csv(path: Path) -> list[list]:
    return read_grid(path, "coded sheet")


def _columns(header: list, need: Sequence[str], where: str) -> dict[str, int]:
    names = ["" if h is None else str(h).strip().lower() for h in header]
    missing = [c for c in need if c not in names]
    if missing:
        raise UsageError(f"{where} lacks the column(s) {', '.join(missing)}")
    return {n: i for i, n in enumerate(names) if n}


def read_coded(path: str | Path) -> CodedSheet:
    """Read a coded sample (XLSX or CSV, blind or not) into machine/human pairs.

    Rows without a human code are counted and skipped; a code other than 0/1, an unknown theme
    or a missing column raises UsageError naming the rows. A blind sheet takes the machine's
    decisions from its `themescan` sheet (XLSX) or `<name>_themescan.csv` (CSV) by id.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    if path.suffix.lower() == ".xlsx":
        grid, key, info = _grid_xlsx(path)
    else:
        grid, key, info = _grid_csv(path), None, None
    grid = [r for r in grid if any(v not in (None, "") for v in r)]
    if not grid:
        raise UsageError(f"{path} is empty")
    col = _columns(grid[0], ("file", "theme", "human"), str(path))
    machine_by_id: dict[str, tuple[object, object]] = {}
    if "themescan" not in col:
        if "id" not in col:
            raise UsageError(
                f"{path} has neither a themescan column nor an id to look it up by "
                "(expected the sheet written by `themescan sample`)"
            )
        if key is None and path.suffix.lower() != ".xlsx":
            kp = key_file(path)
            if not kp.is_file():
                raise UsageError(
                    f"{path} is a blind sample; its machine decisions should be in {kp} "
                    "(`themescan sample` wrote them beside the sheet: keep the two names "
                    "together, or copy the key to that name)"
                )
            key = _grid_csv(kp)
        if not key:
            raise UsageError(f"{path} is a blind sample without its {MACHINE_SHEET} sheet")
        kcol = _columns(key[0], ("id", "themescan"), f"the {MACHINE_SHEET} key of {path}")
        for r in key[1:]:
            rid = r[kcol["id"]] if kcol["id"] < len(r) else None
            if rid in (None, ""):
                continue
            score = r[kcol["score"]] if "score" in kcol and kcol["score"] < len(r) else None
            machine_by_id[str(rid).strip().removesuffix(".0")] = (r[kcol["themescan"]], score)

    def get(r: list, name: str) -> object:
        i = col.get(name)
        return r[i] if i is not None and i < len(r) else None

    items: list[CodedItem] = []
    uncoded = 0
    problems: list[str] = []
    ids = {str(get(r, "id") or "").strip().removesuffix(".0") for r in grid[1:]}
    missing = len(machine_by_id.keys() - ids)
    for line, r in enumerate(grid[1:], start=2):
        file = str(get(r, "file") or "").strip()
        theme = str(get(r, "theme") or "").strip()
        if theme not in THEMES:
            problems.append(f"row {line}: theme {theme!r} is not one of {', '.join(THEMES)}")
            continue
        if "themescan" in col:
            machine_raw, score_raw = get(r, "themescan"), get(r, "score")
        else:
            rid = str(get(r, "id") or "").strip().removesuffix(".0")
            if rid not in machine_by_id:
                problems.append(f"row {line}: id {rid!r} is not in the {MACHINE_SHEET} key")
                continue
            machine_raw, score_raw = machine_by_id[rid]
        machine = _code(machine_raw)
        if machine not in (0, 1):
            problems.append(f"row {line}: themescan is {machine_raw!r}, expected 0 or 1")
            continue
        human = _code(get(r, "human"))
        if human is None:
            uncoded += 1
            continue
        if human not in (0, 1):
            problems.append(f"row {line}: human is {human!r}, expected 0 or 1 (or empty)")
            continue
        try:
            score = None if score_raw in (None, "") else float(str(score_raw).replace(",", "."))
        except ValueError:
            score = None
        note = get(r, "note")
        items.append(
            CodedItem(
                file, theme, int(machine), int(human), score, "" if note is None else str(note)
            )
        )
    if problems:
        more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
        raise UsageError(f"{path}: " + "; ".join(problems[:8]) + more)
    if not items:
        raise UsageError(
            f"{path} has no coded rows yet ({uncoded} without a 0/1 in the human column)"
        )
    strata = _strata(info) if info else None
    return CodedSheet(tuple(items), uncoded, str(path), strata, missing)
