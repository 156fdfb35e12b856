"""`themescan info` and `themescan lexicon check`: what is active, and whether lexicons are sound."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from themescan.cli._util import EXIT_OK, EXIT_USAGE, App, app, console, err_console, reports_errors

lexicon_app = App(help="Work with lexicons.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(lexicon_app, name="lexicon")


@app.command("info")
@reports_errors
def info_cli(
    model: Annotated[
        str | None, typer.Option(metavar="DIR", help="Model folder to describe.")
    ] = None,
    lexicons: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Lexicon folder to describe.")
    ] = None,
) -> None:
    """Versions, and which language pipeline, lexicons and model are active."""
    from rich.table import Table

    from themescan.info import describe

    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")  # a long path folds; it is never cut with an ellipsis
    for key, value in describe(model, str(lexicons) if lexicons else None).items():
        table.add_row(f"[bold]{key}[/]", value)
    console().print(table)


@lexicon_app.command("check")
@reports_errors
def lexicon_check_cli(
    directory: Annotated[
        Path | None, typer.Argument(metavar="DIR", help="Lexicon folder (default: packaged).")
    ] = None,
) -> None:
    """Report every problem in a lexicon folder with its file and line."""
    from themescan.lexicon import check_lexicons

    problems = check_lexicons(directory)
    for p in problems:
        err_console().print(p, markup=False, highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(EXIT_USAGE)
    console().print(f"lexicons OK: {directory or 'packaged'}")
    raise typer.Exit(EXIT_OK)
