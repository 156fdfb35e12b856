"""`themescan classify`: documents in, one CSV (or JSON Lines) row per document out."""

from __future__ import annotations

import contextlib
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from themescan.batch import scan
from themescan.cache import Cache
from themescan.cli._util import (
    EXIT_OK,
    EXIT_SOME_UNREADABLE,
    app,
    console,
    err_console,
    escape,
    reports_errors,
)
from themescan.config import Config
from themescan.errors import UsageError
from themescan.output import CsvWriter, JsonlWriter, resume_file
from themescan.results import status_ok
from themescan.workers import default_workers


class Ocr(StrEnum):
    auto = "auto"
    never = "never"
    always = "always"


def warn(message: str) -> None:
    """A problem the run survives (a damaged or read-only cache), said once on stderr."""
    err_console().print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


class LazyProgress:
    """A progress bar on stderr that appears only once a run has taken more than a second.
    It redraws when a document finishes, not from a thread of its own: worker processes are
    forked after a crash, and forking while a thread writes to stderr can hang the child."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.progress = None
        self.task = None
        self.docs = 0
        self.pages = 0

    def advance(self, pages: int, name: str) -> None:
        self.docs += 1
        self.pages += pages
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if self.progress is None and elapsed > 1.0:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]classify"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs · {task.fields[rate]} pages/s · {task.fields[name]}"),
                TimeRemainingColumn(),
                console=console(stderr=True),
                transient=True,
                auto_refresh=False,
            )
            self.progress.start()
            self.task = self.progress.add_task("classify", total=None, rate="", name="")
        if self.progress is not None and self.task is not None:
            rate = f"{self.pages / elapsed:,.0f}" if elapsed > 0 else ""
            self.progress.update(self.task, completed=self.docs, rate=rate, name=name[-40:])
            self.progress.refresh()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@app.command("classify")
@reports_errors
def classify_cli(
    paths: Annotated[list[Path], typer.Argument(help="Folders or files (.pdf, .txt, .html).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="csv, or jsonl with every hit.")] = (
        Format.csv
    ),
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Dutch Excel: semicolons, BOM, decimal comma.")
    ] = False,
    model: Annotated[
        str | None, typer.Option(help="Model folder from `themescan train`; 'none': lexicons only.")
    ] = None,
    lexicons: Annotated[Path | None, typer.Option(help="Folder with your own lexicons.")] = None,
    gemeenten: Annotated[
        Path | None, typer.Option(help="Population file: fills gemeente, inwoners, grootteklasse.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: the number of cores).")
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Cache file (default: user cache).")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(help="Continue an interrupted run: keep the rows in -o FILE, add the rest."),
    ] = False,
    ocr: Annotated[
        Ocr,
        typer.Option(
            help="OCR with Tesseract (Dutch): auto = only pages without a usable text layer, "
            "when tesseract-ocr-nld is installed."
        ),
    ] = Ocr.auto,
    scheduler: Annotated[
        str | None, typer.Option(help="dask.distributed scheduler address (themescan[dask]).")
    ] = None,
) -> None:
    """Classify documents: a flag, a score and evidence per theme, one row per document."""
    config = Config(
        lexicons=str(lexicons) if lexicons else None,
        model=model,
        gemeenten=str(gemeenten) if gemeenten else None,
        ocr=ocr.value,
    )
    if workers is not None and workers < 0:
        raise UsageError("--workers must be 0 (in this process) or more")
    if resume and not output:
        raise UsageError("--resume needs the -o FILE of the interrupted run")
    done: dict[str, str] = {}
    if resume and output and output.exists():
        done = resume_file(output, fmt is Format.jsonl, excel)
    unreadable = sum(not status_ok(status) for status in done.values())
    written = 0
    with contextlib.ExitStack() as stack:
        if output:
            mode = "a" if resume and output.exists() and output.stat().st_size else "w"
            stream = stack.enter_context(open(output, mode, encoding="utf-8", newline=""))
        else:
            stream = sys.stdout
        header = not (output and mode == "a")
        writer = (
            JsonlWriter(stream) if fmt is Format.jsonl else CsvWriter(stream, excel, header=header)
        )
        store = None if no_cache else stack.enter_context(contextlib.closing(Cache(cache, warn)))
        progress = LazyProgress(enabled=not quiet and sys.stderr.isatty())
        stack.callback(progress.close)
        results = scan(
            paths,
            config,
            workers=default_workers() if workers is None else workers,
            cache=store,
            skip=done,
            scheduler=scheduler,
        )
        stack.callback(results.close)  # stops workers at once if the run is interrupted
        try:
            for result in results:
                writer.write(result)
                written += 1
                if not result.ok:
                    unreadable += 1
                progress.advance(result.pages, result.file)
        except KeyboardInterrupt:
            progress.close()
            where = f"{output}; run again with --resume to continue" if output else "stdout"
            err_console().print(f"interrupted: {written} more documents written to {where}")
            raise typer.Exit(130) from None
    raise typer.Exit(EXIT_SOME_UNREADABLE if unreadable else EXIT_OK)
