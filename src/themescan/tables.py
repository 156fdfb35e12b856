"""Render a BMC table (see themescan.aggregation) as terminal table, CSV, Markdown, JSON, XLSX, PNG.

Every renderer takes the `TableReport` that `build_table` returns and nothing else, so the
outputs agree. Text renderers return strings; xlsx and png write to a path. openpyxl and
matplotlib are imported only when those formats are asked for.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from themescan.aggregation import (
    CLASSES,
    CONFIDENCE,
    INTERVAL_METHOD,
    INTERVAL_NOTE,
    NOISE_NOTE,
    TOTAAL,
    ClassRow,
    Table,
    TableReport,
    format_number,
)
from themescan.errors import UsageError
from themescan.ownfiles import CREATOR
from themescan.themes import THEMES, TITLES

if TYPE_CHECKING:
    from rich.console import RenderableType

FORMATS: tuple[str, ...] = ("table", "csv", "markdown", "json", "xlsx")
BINARY_FORMATS: frozenset[str] = frozenset({"xlsx"})


def _group_title(report: TableReport, table: Table) -> str:
    if table.group is None:
        return ""
    return f"{report.by} = {table.group}"


def _pct1(row: ClassRow, theme: str) -> str:
    value = row.pct(theme, 1)
    return "" if value is None else f"{value:.1f}"


def _whole(row: ClassRow, theme: str) -> str:
    value = row.pct_whole(theme)
    return "–" if value is None else f"{value}%"


def _bounds1(row: ClassRow, theme: str) -> tuple[str, str]:
    bounds = row.interval_pct(theme, 1)
    return ("", "") if bounds is None else (f"{bounds[0]:.1f}", f"{bounds[1]:.1f}")


def cell_text(row: ClassRow, theme: str) -> str:
    """Whole percentage with its 95% interval, "35% (17-59)"; "–" for an empty class."""
    bounds = row.interval_pct(theme, 0)
    if bounds is None:
        return "–"
    return f"{_whole(row, theme)} ({bounds[0]:.0f}-{bounds[1]:.0f})"


def noise_text(table: Table, theme: str) -> str:
    """Which size classes differ within the noise of n for a theme: "klein ≈ middel", "alle
    klassen", or "–" when every pair differs by more than that."""
    pairs = table.within_noise(theme)
    present = [r for r in table.rows if r.grootteklasse in CLASSES and r.n > 0]
    possible = len(present) * (len(present) - 1) // 2
    if not pairs:
        return "–"
    if len(pairs) == possible and possible > 1:
        return "alle klassen"
    return ", ".join(f"{a} ≈ {b}" for a, b in pairs)


def _columns() -> list[str]:
    columns = ["grootteklasse", "omschrijving", "n"]
    for theme in THEMES:
        columns += [f"{theme}_n", f"{theme}_pct", f"{theme}_lo", f"{theme}_hi"]
    return columns


def csv_header(report: TableReport) -> list[str]:
    """The CSV contract: grootteklasse,omschrijving,n then <id>_n,<id>_pct,<id>_lo,<id>_hi per
    theme (_lo and _hi: the 95% Wilson interval in percent); with --by, that column first."""
    return ([report.by] if report.by else []) + _columns()


def to_csv(report: TableReport, excel: bool = False) -> str:
    """The table as CSV: one row per class and totaal, percentages and the bounds of their 95%
    Wilson interval with one decimal.

    With --by the first column holds the group value (doc_type or jaar). excel: for Dutch
    Excel, as classify --excel writes (semicolons, BOM, CRLF, decimal comma).
    """
    out = io.StringIO()
    if excel:
        out.write("\ufeff")
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow(csv_header(report))
    for table in report.tables:
        for row in table.rows:
            cells: list[Any] = [row.grootteklasse, row.omschrijving, row.n]
            for theme in THEMES:
                numbers = [_pct1(row, theme), *_bounds1(row, theme)]
                if excel:
                    numbers = [n.replace(".", ",") for n in numbers]
                cells += [row.count(theme), *numbers]
            writer.writerow(([table.group] if report.by else []) + cells)
    return out.getvalue()


def _class_heading(row: ClassRow) -> str:
    return f"{row.grootteklasse} ({row.omschrijving}, n={row.n})"


def noise_summary(table: Table) -> str:
    """One line naming, per theme, the size classes whose difference is within the noise of n
    ("Binnen de ruis van n: datagedreven werken: klein ≈ middel; ..."); "" when there are none."""
    by_text: dict[str, list[str]] = {}
    for theme in THEMES:
        text = noise_text(table, theme)
        if text != "–":
            by_text.setdefault(text, []).append(TITLES[theme])
    if not by_text:
        return ""
    parts = [f"{', '.join(titles)}: {text}" for text, titles in by_text.items()]
    return f"{NOISE_NOTE[:1].upper()}{NOISE_NOTE[1:]}. Hier: {'; '.join(parts)}."


def to_markdown(report: TableReport) -> str:
    """Markdown tables for reports: themes down, size classes across, '86% (74-93) [48]' per
    cell (95% Wilson interval in parentheses, the count in brackets), and a last column naming
    the classes whose difference is within the noise of n."""
    unit = "documenten" if report.per == "document" else "gemeenten"
    parts: list[str] = []
    for table in report.tables:
        title = _group_title(report, table)
        if title:
            parts.append(f"### {title}\n")
        header = ["Thema", *(_class_heading(r) for r in table.rows), "binnen de ruis van n"]
        lines = [
            "| " + " | ".join(header) + " |",
            "|---" + "|---:" * len(table.rows) + "|---|",
        ]
        for theme in THEMES:
            cells = [TITLES[theme]]
            for row in table.rows:
                cells.append("–" if row.n == 0 else f"{cell_text(row, theme)} [{row.count(theme)}]")
            cells.append(noise_text(table, theme))
            lines.append("| " + " | ".join(cells) + " |")
        parts.append("\n".join(lines) + "\n")
        note = (
            f"Aandeel {unit} met expliciete aandacht voor het thema; tussen haakjes het "
            f"{INTERVAL_NOTE}; tussen vierkante haken het aantal. {NOISE_NOTE[:1].upper()}"
            f"{NOISE_NOTE[1:]}."
        )
        if table.skipped:
            note += f" {table.skipped} document(en) niet meegeteld (status niet ok)."
        parts.append(note + "\n")
    return "\n".join(parts)


def _json_interval(row: ClassRow, theme: str) -> dict[str, float | int | None]:
    one, whole = row.interval_pct(theme, 1), row.interval_pct(theme, 0)
    return {
        "lo": one[0] if one else None,
        "hi": one[1] if one else None,
        "lo_rounded": whole[0] if whole else None,
        "hi_rounded": whole[1] if whole else None,
    }


def to_json(report: TableReport) -> str:
    """JSON for scripts: every count, the one-decimal and whole percentages, the 95% Wilson
    interval of each (lo, hi in percent with one decimal), the class pairs within the noise of
    n per theme, and warnings."""
    data = {
        "per": report.per,
        "by": report.by,
        "klassen": list(report.bounds),
        "themes": list(THEMES),
        "interval": {"method": INTERVAL_METHOD, "confidence": CONFIDENCE, "note": INTERVAL_NOTE},
        "tables": [
            {
                "group": table.group,
                "skipped": table.skipped,
                "within_noise": {
                    theme: [list(pair) for pair in table.within_noise(theme)] for theme in THEMES
                },
                "rows": [
                    {
                        "grootteklasse": row.grootteklasse,
                        "omschrijving": row.omschrijving,
                        "n": row.n,
                        "themes": {
                            theme: {
                                "n": row.count(theme),
                                "pct": row.pct(theme, 1),
                                "pct_rounded": row.pct_whole(theme),
                                **_json_interval(row, theme),
                            }
                            for theme in THEMES
                        },
                    }
                    for row in table.rows
                ],
            }
            for table in report.tables
        ],
        "warnings": list(report.warnings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_rich(report: TableReport) -> RenderableType:
    """Rich tables for the terminal: themes down, classes across, whole percentages with their
    95% interval ("35% (17-59)"), and per theme the classes whose difference is within the
    noise of n."""
    from rich import box
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    unit = "documenten" if report.per == "document" else "gemeenten"
    renderables: list[Any] = []
    for table in report.tables:
        title = f"Expliciete aandacht per thema ({unit})"
        group_title = _group_title(report, table)
        if group_title:
            title += f" — {group_title}"
        grid = RichTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
        grid.add_column("Thema", no_wrap=False, min_width=14, overflow="fold")
        for row in table.rows:
            label = row.grootteklasse if row.grootteklasse != TOTAAL else "totaal"
            style = "bold" if row.grootteklasse == TOTAAL else None
            grid.add_column(
                f"{label}\nn={row.n}",
                justify="right",
                style=style,
                header_style="bold",
                no_wrap=False,  # "75% (41-93)" goes on two lines rather than off an 80-column screen
            )
        for theme in THEMES:
            grid.add_row(TITLES[theme], *(cell_text(row, theme) for row in table.rows))
        renderables.append(grid)
        bounds = ", ".join(
            f"{r.grootteklasse}: {r.omschrijving}" for r in table.rows if r.grootteklasse != TOTAAL
        )
        caption = (
            f"{bounds}. Percentages afgerond (half naar boven); tussen haakjes het {INTERVAL_NOTE}."
        )
        if table.skipped:
            caption += f" {table.skipped} document(en) niet meegeteld (status niet ok)."
        renderables.append(Text(caption, style="dim"))
        noise = noise_summary(table)
        if noise:
            renderables.append(Text(noise))
    return Group(*renderables)


def to_text(report: TableReport, width: int = 100) -> str:
    """The terminal table as plain text, for `--format table -o FILE`."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    console.print(to_rich(report))
    return console.export_text()


def write_xlsx(report: TableReport, path: str | Path) -> Path:
    """Write the table to an .xlsx workbook: a header row, counts as integers, percentages as %.

    One sheet per table (one per --by value), same columns as the CSV; the pct cells hold the
    exact share (48/56 = 0.857...) and the lo/hi cells the bounds of its 95% Wilson interval,
    formatted as 0.0%, so spreadsheet sums stay exact. A last sheet lists the class bounds, the
    interval method and warnings.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise UsageError("--format xlsx needs openpyxl: pip install openpyxl") from None

    path = Path(path)
    workbook = Workbook()
    workbook.properties.creator = CREATOR  # -o may replace it (ownfiles)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="305496")
    bold = Font(bold=True)
    columns = _columns()

    first = True
    used: set[str] = set()
    for table in report.tables:
        name = "BMC-tabel" if table.group is None else f"{report.by} {table.group}"
        name = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "tabel"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = name
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in table.rows:
            values: list[Any] = [row.grootteklasse, row.omschrijving, row.n]
            for theme in THEMES:
                share = row.count(theme) / row.n if row.n else None
                bounds = row.interval(theme) or (None, None)
                values += [row.count(theme), share, *bounds]
            sheet.append(values)
            excel_row = sheet.max_row
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=excel_row, column=index)
                if column == "n" or column.endswith("_n"):
                    cell.number_format = "0"
                elif column.endswith(("_pct", "_lo", "_hi")):
                    cell.number_format = "0.0%"
                if row.grootteklasse == TOTAAL:
                    cell.font = bold
        sheet.freeze_panes = "B2"
        sheet.row_dimensions[1].height = 32
        for index, column in enumerate(columns, start=1):
            width = 24 if column == "omschrijving" else max(8, min(len(column) + 2, 28))
            sheet.column_dimensions[get_column_letter(index)].width = width

    notes = workbook.create_sheet("toelichting")
    low, high = report.bounds
    unit = "documenten" if report.per == "document" else "gemeenten"
    notes.append(["Telling", f"per {report.per}: aandeel {unit} met expliciete aandacht"])
    notes.append(["klein", f"< {format_number(low)} inwoners"])
    notes.append(["middel", f"{format_number(low)} t/m {format_number(high)} inwoners"])
    notes.append(["groot", f"> {format_number(high)} inwoners"])
    notes.append(["_lo, _hi", INTERVAL_NOTE])
    notes.append(["ruis van n", NOISE_NOTE])
    for warning in report.warnings:
        notes.append(["waarschuwing", warning])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 100
    for cell in notes["A"]:
        cell.font = bold
    try:
        workbook.save(path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


_CLASS_COLOURS = {
    "klein": "#9ecae1",
    "middel": "#4292c6",
    "groot": "#08519c",
    "onbekend": "#bdbdbd",
    "totaal": "#f28e2b",
}


def _chart_format(path: str | Path) -> str:
    """png, svg or pdf by the file's extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in ("svg", "pdf") else "png"


def write_chart(report: TableReport, path: str | Path) -> Path:
    """Write a PNG bar chart: the five themes, one bar per size class and totaal, in percent.

    Sized and labelled to paste into a report (200 dpi, whole percentages above the bars), with
    the 95% Wilson interval of every bar as an error bar. With --by, one panel per group.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        raise UsageError("--chart needs matplotlib: pip install matplotlib") from None

    path = Path(path)
    tables = report.tables
    panels = max(1, len(tables))
    fig, axes = plt.subplots(
        panels, 1, figsize=(10, 5.8 * panels), squeeze=False, constrained_layout=True
    )
    unit = "documenten" if report.per == "document" else "gemeenten"
    labels = ["\n".join(textwrap.wrap(TITLES[t], 18, break_long_words=False)) for t in THEMES]
    try:
        for ax, table in zip(axes[:, 0], tables, strict=False):
            rows = [r for r in table.rows if r.n > 0] or list(table.rows)
            width = 0.8 / max(1, len(rows))
            for i, row in enumerate(rows):
                offsets = [x + (i - (len(rows) - 1) / 2) * width for x in range(len(THEMES))]
                heights = [100 * row.count(t) / row.n if row.n else 0 for t in THEMES]
                bounds = [row.interval(t) or (0.0, 0.0) for t in THEMES]
                below = [max(0.0, h - 100 * lo) for h, (lo, _) in zip(heights, bounds, strict=True)]
                above = [max(0.0, 100 * hi - h) for h, (_, hi) in zip(heights, bounds, strict=True)]
                ax.bar(
                    offsets,
                    heights,
                    width=width * 0.95,
                    color=_CLASS_COLOURS.get(row.grootteklasse, "#969696"),
                    label=f"{row.grootteklasse} ({row.omschrijving}, n={row.n})",
                    yerr=[below, above] if row.n else None,
                    error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#404040"},
                )
                if row.n:
                    # each label just above its own bar, on a white ground over the error bar:
                    # above the interval's top a '0%' stood at 60-70% height (trial 14)
                    for x, h, theme in zip(offsets, heights, THEMES, strict=True):
                        ax.text(
                            x,
                            h + 1.5,
                            _whole(row, theme),
                            ha="center",
                            va="bottom",
                            fontsize=7,
                            rotation=90 if len(rows) > 4 else 0,
                            zorder=3,
                            bbox={
                                "facecolor": "white",
                                "edgecolor": "none",
                                "alpha": 0.85,
                                "pad": 0.6,
                            },
                        )
            ax.set_xticks(range(len(THEMES)), labels, fontsize=10)
            ax.set_ylim(0, 118)
            ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
            ax.set_ylabel(f"aandeel {unit}")
            title = (
                f"Expliciete aandacht voor digitale thema's per grootteklasse ({unit})\n"
                "strepen: 95%-interval (Wilson)"
            )
            if table.group is not None:
                title += f"\n{report.by} = {table.group}"
            ax.set_title(title, fontsize=12, loc="left")
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", alpha=0.3)
            ax.set_axisbelow(True)
            ax.legend(
                fontsize=8,
                frameon=False,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.16),
                ncols=min(len(rows), 3),
            )
        fig.savefig(path, dpi=200, format=_chart_format(path))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path


def render(report: TableReport, fmt: str) -> str:
    """A text format by name: table (plain text), csv, markdown or json."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "table":
        return to_text(report)
    raise UsageError(f"--format {fmt} is not a text format; choose one of {', '.join(FORMATS)}")
