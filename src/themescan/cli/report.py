"""`themescan report`: one self-contained HTML page with the table, the chart and the evidence."""

from __future__ import annotations

from pathlib import Path

import typer

from themescan.cli._util import app, err_console, escape, output_file, reports_errors
from themescan.cli.table import By
from themescan.config import DEFAULT_BOUNDS
from themescan.errors import UsageError

_DEFAULT_KLASSEN = ",".join(str(b) for b in DEFAULT_BOUNDS)


@app.command("report")
@reports_errors
def report_cli(
    results: Path = typer.Argument(
        ..., metavar="RESULTS.csv", help="CSV written by `themescan classify`."
    ),
    output: Path = typer.Option(
        ...,
        "-o",
        "--output",
        metavar="REPORT.html",
        parser=output_file("report.html"),
        help="The HTML file to write.",
    ),
    gemeenten: Path | None = typer.Option(
        None,
        "--gemeenten",
        metavar="FILE|DIR",
        help="Population file, or a folder with one per year (as for `themescan table`).",
    ),
    docs: Path | None = typer.Option(
        None,
        "--docs",
        metavar="DIR",
        help="The folder classify read, for the links to the PDFs (default: the folder "
        "classify recorded beside the results file, or the results file's own folder).",
    ),
    by: By | None = typer.Option(
        None,
        "--by",
        help="One table and chart per document type or per year; the matrix "
        "then has a row per municipality and year (or type).",
    ),
    klassen: str = typer.Option(
        _DEFAULT_KLASSEN, "--klassen", metavar="LOW,HIGH", help="Size class bounds."
    ),
    title: str = typer.Option(
        "Expliciete aandacht voor digitale thema's",
        "--title",
        metavar="TEXT",
        help="Title of the page.",
    ),
) -> None:
    """The BMC table with intervals, a chart and a municipality x theme matrix with evidence."""
    from themescan.aggregation import build_table, parse_bounds, read_population, read_results
    from themescan.evidence import read_details
    from themescan.output import check_writable_target, documents_folder
    from themescan.report import accuracy_note, municipalities, render_report

    if output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"-o must end in .html; got {output.name}")
    check_writable_target(output)
    if docs is not None and not docs.is_dir():  # as sample refuses it: every link would be dead
        raise UsageError(f"--docs {docs} is not a folder")
    bounds = parse_bounds(klassen)
    population = read_population(gemeenten) if gemeenten is not None else None
    rows = read_results(results, population, bounds)
    group = by.value if by is not None else None
    table = build_table(rows, population=population, by=group, bounds=bounds)
    for warning in table.warnings:
        err_console().print(f"[yellow]warning:[/] {escape(warning)}")
    out_dir = output.parent if str(output.parent) else Path(".")
    folder = docs if docs is not None else documents_folder(results, [row.file for row in rows])
    absent = [row.file for row in rows if not (folder / row.file).is_file()]
    if absent:
        err_console().print(
            f"[yellow]warning:[/] {len(absent)} of {len(rows)} documents are not in "
            f"{escape(str(folder)) if str(folder) not in ('', '.') else 'the current folder'} "
            f"(e.g. {escape(absent[0])}): their page links will not open"
            + ("" if docs is not None else "; give --docs DIR, the folder classify read")
        )
    units = municipalities(
        rows,
        read_details(results),
        population,
        folder,
        out_dir,
        bounds,
        group,
    )
    page = render_report(
        table,
        units,
        title=title,
        source=results.name,
        warnings=table.warnings,
        accuracy=accuracy_note(*_judge_of(results)),
    )
    tmp = output.with_name(output.name + ".tmp")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    err_console().print(f"wrote {escape(str(output))} ({len(page.encode()) // 1024} KB)")


def _judge_of(results: Path) -> tuple[dict | None, str]:
    """Who made the decisions in `results`, and the real-text figures of that model: its
    sidecar names the model or rule ("model", "none", "keywords"); without a sidecar, a file
    with themescan's score columns is "unknown" (the packaged model's figures with a caveat),
    one without is "hand" (coded by people, or by another tool)."""
    import json

    from themescan.config import RULES, default_model_dir
    from themescan.output import read_record
    from themescan.ownfiles import head_of

    record = read_record(results)
    packaged = default_model_dir()
    if record is None:
        head = head_of(results) or ""
        first = head.splitlines()[0] if head else ""
        origin = "unknown" if "_score" in first else "hand"
        folder: Path = packaged
    else:
        model = (record.get("config") or {}).get("model")
        if model and str(model).lower() in RULES:
            origin, folder = str(model).lower(), packaged  # a rule: the packaged model's record
        else:
            origin, folder = "model", Path(model) if model else packaged
    try:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, origin
    real = meta.get("real_text") if isinstance(meta, dict) else None
    return (real if isinstance(real, dict) else None), origin
