"""`themescan table`: the BMC table from a classify results CSV."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from themescan.cli._util import app, console, err_console, escape, reports_errors
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


@app.command("table")
@reports_errors
def table_cli(
    results: Path = typer.Argument(
        ...,
        metavar="RESULTS.csv",
        help="CSV written by `themescan classify`, or a hand-coded CSV/XLSX with only `file` and "
        "the five theme columns (0/1); --gemeenten fills in the rest.",
    ),
    gemeenten: Path | None = typer.Option(
        None,
        "--gemeenten",
        metavar="FILE",
        help="Population file (CSV/TSV/XLSX): gemeente/Gemeenten/naam and inwoners/Inwonertal, "
        "optional file and code columns. The CBS files work as they are.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
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
        None, "-o", "--output", metavar="FILE", help="Write the table to FILE (required for xlsx)."
    ),
) -> None:
    """Share of municipalities giving each theme explicit attention, per size class and in total."""
    from themescan.aggregation import build_table, parse_bounds, read_results
    from themescan.municipalities import read_population
    from themescan.tables import BINARY_FORMATS, render, to_rich, write_chart, write_xlsx

    if fmt.value in BINARY_FORMATS and output is None:
        raise UsageError(f"--format {fmt.value} writes a binary file; give -o FILE.{fmt.value}")
    bounds = parse_bounds(klassen)
    population = read_population(gemeenten) if gemeenten is not None else None
    rows = read_results(results, population, bounds)
    report = build_table(
        rows, population=population, per=per.value, by=by.value if by else None, bounds=bounds
    )
    for warning in report.warnings:
        err_console().print(f"[yellow]warning:[/] {escape(warning)}")

    if fmt is Format.xlsx:
        assert output is not None
        write_xlsx(report, output)
        err_console().print(f"wrote {escape(str(output))}")
    elif output is not None:
        try:
            output.write_text(render(report, fmt.value), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
        err_console().print(f"wrote {escape(str(output))}")
    elif fmt is Format.table:
        console(highlight=False).print(to_rich(report))
    else:
        sys.stdout.write(render(report, fmt.value))
        sys.stdout.flush()

    if chart is not None:
        write_chart(report, chart)
        err_console().print(f"wrote {escape(str(chart))}")
