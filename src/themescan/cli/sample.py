"""`themescan sample`: a stratified, seeded sample of decisions for a human coder."""

from __future__ import annotations

from pathlib import Path

import typer

from themescan.cli._util import app, err_console, escape, output_file, reports_errors
from themescan.config import Config
from themescan.errors import UsageError


@app.command("sample")
@reports_errors
def sample_cli(
    results: Path = typer.Argument(
        ..., metavar="RESULTS.csv", help="CSV written by `themescan classify`."
    ),
    n: int = typer.Option(
        60, "-n", metavar="N", help="Number of (document, theme) decisions to draw."
    ),
    output: Path = typer.Option(
        ...,
        "-o",
        "--output",
        metavar="FILE.xlsx",
        parser=output_file("sample.xlsx"),
        help="The coding sheet: .xlsx or .csv.",
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        metavar="N",
        help="Random seed (default fixed, so a rerun draws the same sample).",
    ),
    blind: bool = typer.Option(
        False, "--blind", help="Hide themescan's decision and score from the coder (second sheet)."
    ),
    docs: Path | None = typer.Option(
        None,
        "--docs",
        metavar="DIR",
        help="The folder classify read (files are relative to it). Links point there, and "
        "negatives get their best-scoring passages (as many as flags show) by re-scoring "
        "the document. Default: links to the folder classify recorded beside the results "
        "file (or the results file's own folder), negatives without a passage.",
    ),
    model: str | None = typer.Option(
        None, "--model", metavar="DIR", help="Model folder used with --docs."
    ),
    lexicons: Path | None = typer.Option(
        None, "--lexicons", metavar="DIR", help="Lexicons used with --docs."
    ),
) -> None:
    """Draw positives and negatives of every theme, with their evidence, for a human to code."""
    from themescan.aggregation import read_results
    from themescan.evidence import read_details
    from themescan.output import check_writable_target, documents_folder
    from themescan.sampling import (
        DEFAULT_SEED,
        draw_sample,
        find_passages,
        key_file,
        write_sample,
    )

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"-o must end in .xlsx or .csv; got {output.name}")
    check_writable_target(output)
    if output.is_file() and _has_codes(output):
        raise UsageError(
            f"-o {output} holds a coder's decisions: it is left as it is; choose another name"
        )
    if blind and output.suffix.lower() == ".csv":
        check_writable_target(key_file(output), "the key file")
    if docs is not None and not docs.is_dir():
        raise UsageError(f"--docs {docs} is not a folder")
    if blind and docs is None:
        raise UsageError(
            "--blind needs --docs DIR: without the documents only the flagged decisions have a "
            "passage, and a coder could tell them by that"
        )
    rows = read_results(results)
    sample = draw_sample(rows, read_details(results), n, DEFAULT_SEED if seed is None else seed)
    if blind and docs is not None:
        absent = sorted({it.file for it in sample.items if not (docs / it.file).is_file()})
        if absent:  # their negatives would have no passage: the sheet would not be blind
            raise UsageError(
                f"--docs {docs} lacks {len(absent)} of the sampled documents (e.g. {absent[0]}): "
                "in a blind sheet their negatives would be the rows without a passage; give the "
                "folder classify read"
            )
    if docs is not None:
        config = Config(lexicons=str(lexicons) if lexicons else None, model=model)
        sample = find_passages(sample, docs, config)
    without = sum(1 for it in sample.items if not it.evidence)
    for warning in sample.warnings:
        err_console().print(f"[yellow]warning:[/] {escape(warning)}")
    if without and blind:
        err_console().print(
            f"[yellow]warning:[/] {without} decisions have no passage in their document; in a "
            "blind sheet a coder can tell these are negatives"
        )
    elif without:
        hint = "" if docs is not None else " (give --docs DIR to find their best passages)"
        err_console().print(
            f"[yellow]note:[/] {without} of {len(sample.items)} decisions have no passage{hint}"
        )
    written = write_sample(
        sample,
        output,
        docs if docs is not None else documents_folder(results, [it.file for it in sample.items]),
        blind=blind,
        source=str(results),
    )
    positives = sum(it.themescan for it in sample.items)
    err_console().print(
        f"drew {len(sample.items)} decisions ({positives} flagged, "
        f"{len(sample.items) - positives} not), seed {sample.seed}; wrote "
        + ", ".join(escape(str(p)) for p in written)
    )


def _has_codes(sheet: Path) -> bool:
    """Does a coding sheet hold decisions a person has made (a 0 or 1 in `human`)?"""
    from themescan.errors import ThemescanError
    from themescan.sampling import read_coded

    try:
        read_coded(sheet)
    except (ThemescanError, OSError, ValueError):
        return False
    return True
