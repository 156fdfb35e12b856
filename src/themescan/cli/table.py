"""`themescan table`: the BMC table from a classify results CSV."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from themescan.cli._util import app, console, err_console, escape, output_file, reports_errors
from themescan.config import DEFAULT_BOUNDS
from themescan.errors import UsageError


class Format(StrEnum):
    table = "table"
    csv = "csv"
    markdown = "markdown"
    json = "json"
    xlsx = "xlsx"


class Per(StrEnum):
    gemeente = "gemeente"
    document = "document"


class By(StrEnum):
    doc_type = "doc_type"
    jaar = "jaar"


_DEFAULT_KLASSEN = ",".join(str(b) for b in DEFAULT_BOUNDS)


SUFFIX_FORMATS = {
    ".csv": Format.csv,
    ".md": Format.markdown,
    ".json": Format.json,
    ".xlsx": Format.xlsx,
    ".txt": Format.table,
}
CHART_SUFFIXES = (".png", ".svg", ".pdf")  # matplotlib writes each by its extension


@app.command("table")
@reports_errors
def table_cli(
    results: list[Path] = typer.Argument(
        ...,
        metavar="RESULTS.csv...",
        help="CSV written by `themescan classify`, or a hand-coded CSV/XLSX with only `file` and "
        "the five theme columns (0/1); --gemeenten fills in the rest. Several (one run per "
        "year, say) are counted as one.",
    ),
    gemeenten: Path | None = typer.Option(
        None,
        "--gemeenten",
        metavar="FILE|DIR",
        help="Population file (CSV/TSV/XLSX): gemeente/Gemeenten/naam and inwoners/Inwonertal, "
        "optional file and code columns. The CBS files work as they are. A folder of such "
        "files, one per year (the year in each name), places each document with its year's file.",
    ),
    fmt: Format | None = typer.Option(
        None,
        "--format",
        help="table, csv, markdown, json or xlsx; default: from -o's extension "
        "(.csv .md .json .xlsx .txt), else a table on the terminal.",
    ),
    excel: bool = typer.Option(
        False, "--excel", help="CSV for Dutch Excel: semicolons, BOM, decimal comma."
    ),
    chart: Path | None = typer.Option(
        None,
        "--chart",
        metavar="FILE.png",
        help="Also write a bar chart of the themes by size class.",
    ),
    per: Per = typer.Option(
        Per.gemeente,
        "--per",
        help="gemeente: a municipality counts when any of its documents is flagged (as BMC). "
        "document: count documents.",
    ),
    by: By | None = typer.Option(None, "--by", help="One table per document type or per year."),
    klassen: str = typer.Option(
        _DEFAULT_KLASSEN,
        "--klassen",
        metavar="LOW,HIGH",
        help="Size class bounds: klein < LOW, middel LOW..HIGH inclusive, groot > HIGH.",
    ),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        metavar="FILE",
        parser=output_file("table.csv"),
        help="Write the table to FILE (required for xlsx); written whole or not at all.",
    ),
) -> None:
    """Share of municipalities giving each theme explicit attention, per size class and in total."""
    from themescan.aggregation import build_table, parse_bounds, read_results
    from themescan.municipalities import read_population
    from themescan.output import check_writable_target, replaced_atomically
    from themescan.tables import BINARY_FORMATS, render, to_csv, to_rich, write_chart, write_xlsx

    if (
        output is not None
        and fmt is None
        and not output.is_dir()  # said below: "is a folder"
        and output.suffix.lower() not in SUFFIX_FORMATS
    ):
        raise UsageError(
            f"-o {output.name}: the extension says no format themescan writes; use "
            f"{', '.join(SUFFIX_FORMATS)} or say --format"
        )
    if chart is not None and not chart.is_dir() and chart.suffix.lower() not in CHART_SUFFIXES:
        raise UsageError(f"--chart {chart.name}: a chart is written as {', '.join(CHART_SUFFIXES)}")
    implied = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and implied is not None and fmt is not implied:
        raise UsageError(
            f"--format {fmt.value} contradicts -o {output.name if output else ''}: "
            f"that extension holds {implied.value}; drop --format or change the extension"
        )
    fmt = fmt or implied or (Format.csv if excel else Format.table)
    if fmt.value in BINARY_FORMATS and output is None:
        raise UsageError(f"--format {fmt.value} writes a binary file; give -o FILE.{fmt.value}")
    if excel and fmt is not Format.csv:
        raise UsageError(f"--excel applies to CSV output, not {fmt.value}")
    for path in results:
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give the CSV written by `themescan classify`")
    if len({p.resolve() for p in results}) < len(results):
        raise UsageError("a results file is given twice; each is counted once, so name it once")
    for target, what in ((output, "-o"), (chart, "--chart")):
        if target is None:
            continue
        if target.exists() and any(target.resolve() == p.resolve() for p in results):
            raise UsageError(f"{what} {target} is a results file this table reads")
        check_writable_target(target, what)
    bounds = parse_bounds(klassen)
    population = read_population(gemeenten) if gemeenten is not None else None
    rows = [row for path in results for row in read_results(path, population, bounds)]
    report = build_table(
        rows, population=population, per=per.value, by=by.value if by else None, bounds=bounds
    )
    for warning in report.warnings:
        err_console().print(f"[yellow]warning:[/] {escape(warning)}")

    text = to_csv(report, excel) if fmt is Format.csv else None
    if output is not None:
        with replaced_atomically(output) as temp:
            if fmt is Format.xlsx:
                write_xlsx(report, temp)
            else:
                temp.write_text(text or render(report, fmt.value), encoding="utf-8", newline="")
        err_console().print(f"wrote {escape(str(output))}")
    elif fmt is Format.table:
        if sys.stdout.isatty():  # a narrow screen wraps the cells
            console(highlight=False).print(to_rich(report))
        else:  # a file or a pipe has no width: one line per theme
            from rich.console import Console

            Console(width=140, highlight=False).print(to_rich(report))
    else:
        sys.stdout.write(text or render(report, fmt.value))
        sys.stdout.flush()

    if chart is not None:
        with replaced_atomically(chart) as temp:
            write_chart(report, temp)
        err_console().print(f"wrote {escape(str(chart))}")
