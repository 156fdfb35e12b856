"""`themescan agreement`: the machine against a human coder, from a coded sample."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from themescan.cli._util import app, err_console, escape, output_file, reports_errors
from themescan.cli.table import By
from themescan.errors import UsageError


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("agreement")
@reports_errors
def agreement_cli(
    sheet: Path = typer.Argument(
        ..., metavar="SAMPLE.xlsx", help="A sample from `themescan sample`, coded (xlsx or csv)."
    ),
    fmt: Format = typer.Option(
        Format.text, "--format", metavar="text|json|markdown", help="Output format."
    ),
    results: Path | None = typer.Option(
        None,
        "--results",
        metavar="RESULTS.csv",
        help="The results the sample was drawn from: weights the error rates to the corpus "
        "and adds the share per size class, raw and corrected.",
    ),
    gemeenten: Path | None = typer.Option(
        None,
        "--gemeenten",
        metavar="FILE|DIR",
        help="Population file for the size classes, or a folder with one per year.",
    ),
    by: By | None = typer.Option(
        None,
        "--by",
        help="With --results: the shares raw and corrected per year or per document type "
        "(each with the sample's error rates).",
    ),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        metavar="FILE",
        parser=output_file("agreement.txt"),
        help="Write to FILE.",
    ),
) -> None:
    """Precision, recall, F1, Cohen's kappa and Krippendorff's alpha per theme, with intervals."""
    from themescan.aggregation import build_table, read_population, read_results
    from themescan.agreement import compute_agreement, render
    from themescan.output import check_writable_target, replaced_atomically
    from themescan.sampling import read_coded

    if gemeenten is not None and results is None:
        raise UsageError("--gemeenten needs --results (the size classes are those of the results)")
    if by is not None and results is None:
        raise UsageError("--by needs --results (the shares are those of the results)")
    if output is not None:
        if output.exists() and sheet.exists() and output.resolve() == sheet.resolve():
            raise UsageError(f"-o {output} is the coding sheet this agreement reads")
        check_writable_target(output)
    coded = read_coded(sheet)
    rows = table = None
    if results is not None:
        population = read_population(gemeenten) if gemeenten is not None else None
        rows = read_results(results, population)
        table = build_table(rows, population=population, by=by.value if by else None)
    report = compute_agreement(coded, rows, table)  # refuses results the sheet is not of
    for warning in table.warnings if table is not None else ():  # then, not before, the table's
        err_console().print(f"[yellow]warning:[/] {escape(warning)}")
    for warning in report.warnings:
        err_console().print(f"[yellow]note:[/] {escape(warning)}")
    text = render(report, fmt.value)
    if output is not None:
        with replaced_atomically(output) as temp:
            temp.write_text(text, encoding="utf-8")
        err_console().print(f"wrote {escape(str(output))}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
