"""`themescan classify`: documents in, one CSV, JSON Lines or XLSX row per document out."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from themescan.batch import scan
from themescan.cli._util import (
    EXIT_OK,
    EXIT_SOME_UNREADABLE,
    app,
    check_scheduler,
    console,
    err_console,
    escape,
    output_file,
    plural,
    reports_errors,
    warn,
)
from themescan.config import Config
from themescan.errors import ThemescanError, UsageError
from themescan.loading import check_config
from themescan.output import (
    AtomicOutput,
    CsvWriter,
    JsonlWriter,
    output_format,
    run_record,
    sidecar_path,
)
from themescan.reading import Listing, list_documents
from themescan.results import guess_year, not_a_municipality, status_ok
from themescan.sanitise import display_name
from themescan.themes import THEMES
from themescan.workers import default_workers

if TYPE_CHECKING:
    from collections.abc import Iterator

    from themescan.cache import Cache
    from themescan.ocr import OcrProgress
    from themescan.results import DocumentResult


class Ocr(StrEnum):
    auto = "auto"
    never = "never"
    always = "always"


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


class LazyProgress:
    """A progress bar on stderr that appears only once a run has taken more than a second:
    documents done of the total, pages/s and the time left; while a document is being OCR'd,
    a second line under it says which page of how many (one line per document in OCR). It
    redraws when a document finishes or an OCR event comes in, not from a thread of its own:
    worker processes are forked after a crash, and forking while a thread writes to stderr can
    hang the child."""

    def __init__(self, enabled: bool, total: int | None = None) -> None:
        self.enabled = enabled
        self.total = total
        self.started = time.monotonic()
        self.progress = None
        self.task = None
        self.docs = 0
        self.pages = 0
        self.name = ""
        self.ocr_tasks: dict[str, Any] = {}  # document name -> its OCR line

    def _start(self) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[name]}"),
            console=console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("[bold]classify", total=self.total, count="", name="")

    def advance(self, pages: int, name: str) -> None:
        self.docs += 1
        self.pages += pages
        self.name = name
        if not self.enabled:
            return
        if self.progress is None and time.monotonic() - self.started > 1.0:
            self._start()
        self._draw()

    def ocr(self, event: OcrProgress) -> None:
        """Show (or end) the OCR line of a document: OCR takes seconds a page, and a long scan
        would otherwise leave the bar standing still for minutes."""
        if not self.enabled:
            return
        if self.progress is None:  # OCR means a run of seconds at least: no need to wait
            self._start()
        assert self.progress is not None
        line = self.ocr_tasks.pop(event.file, None)
        if event.done:
            if line is not None:
                self.progress.remove_task(line)
        else:
            fields = {
                "count": f"page {event.page} of {event.pages} · ETA",
                "name": escape(event.file[-40:]),
            }
            if line is None:
                line = self.progress.add_task("  OCR", total=event.pages, **fields)
            self.progress.update(line, completed=event.page - 1, **fields)
            self.ocr_tasks[event.file] = line
        self._draw()

    def _draw(self) -> None:
        if self.progress is None or self.task is None:
            return
        elapsed = time.monotonic() - self.started
        speed = self.pages / elapsed if elapsed > 0 else 0.0
        rate = f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"  # OCR: a page in seconds
        of = f"{self.docs}/{self.total}" if self.total is not None else f"{self.docs}"
        self.progress.update(
            self.task,
            completed=self.docs,
            count=f"{of} docs · {rate} pages/s · ETA",
            name=escape(self.name[-40:]),
        )
        self.progress.refresh()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


class TerminalTable:
    """What a person at a terminal reads: file, status, the five flags and the top score."""

    SHORT = {
        "informatieveiligheid": "IV",
        "digitalisering": "DG",
        "datagedreven": "DD",
        "smart_city": "SC",
        "digitale_transformatie": "DT",
    }

    def __init__(self) -> None:
        self.results: list[DocumentResult] = []

    def write(self, result: DocumentResult) -> None:
        self.results.append(result)

    def show(self) -> None:
        from rich.table import Table

        table = Table(caption=" · ".join(f"{v} {k}" for k, v in self.SHORT.items()))
        table.add_column("file", overflow="fold")
        table.add_column("status")
        for theme in THEMES:
            table.add_column(self.SHORT[theme], justify="center")
        table.add_column("top score", justify="right")
        for r in self.results:
            flags = [("[green]1[/]" if (t := r.theme(x)) and t.flag else "·") for x in THEMES]
            best = max(r.themes, key=lambda t: t.score, default=None)
            top = f"{best.score:.2f} {self.SHORT[best.theme]}" if best else ""
            status = escape(r.status) if r.ok else f"[red]{escape(r.status)}[/]"
            table.add_row(escape(r.file), status, *flags, top)
        console(highlight=False).print(table)
        err_console().print(
            "hint: every column, scores and evidence as CSV: add -o results.csv "
            "(or pipe the output: themescan classify ... > results.csv)"
        )


class Summary:
    """Counts for the one line a run ends with."""

    def __init__(self, earlier: dict[str, str], skipped: str = "") -> None:
        self.started = time.monotonic()
        self.skipped = skipped  # "3 .docx": files a folder walk passed over
        self.earlier = len(earlier)
        self.statuses: Counter[str] = Counter(earlier.values())
        self.pages = 0
        self.written = 0
        self.without_population: list[str] = []
        self.other_year: list[str] = []  # "x.pdf (2023 in its name, 2022 in the document)"
        self.jaren: set[str] = set()  # the years of the municipal documents read

    def add(self, result: DocumentResult) -> None:
        self.statuses[result.status] += 1
        self.pages += result.pages
        self.written += 1
        if not status_ok(result.status):
            return
        if not not_a_municipality(result.status):
            self.jaren.add(result.jaar)
        if result.inwoners is None and not not_a_municipality(result.status):
            self.without_population.append(result.file)
        named = guess_year(Path(result.file).name)
        if named and result.jaar and named != result.jaar:
            self.other_year.append(
                f"{result.file} ({named} in its name, {result.jaar} in the document)"
            )

    @property
    def unreadable(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status_ok(status))

    def line(self, where: str) -> str:
        total = sum(self.statuses.values())
        ok = total - self.unreadable  # "ok: 2 of 40 pages OCR'd" was read too
        parts = [plural(total, "document"), f"{ok} ok"]
        if self.unreadable:
            reasons = ", ".join(
                f"{n} {status}"
                for status, n in self.statuses.most_common()
                if not status_ok(status)
            )
            parts.append(f"{self.unreadable} not read cleanly ({reasons})")
        if self.earlier:
            parts.append(f"{self.earlier} from the earlier run")
        if self.skipped:
            parts.append(f"skipped: {self.skipped}")
        elapsed = time.monotonic() - self.started
        pages = plural(self.pages, "page", f"{self.pages:,}")
        return f"{', '.join(parts)}; {pages} in {elapsed:.1f} s; {where}"


def _check_not_an_input(target: Path, paths: list[Path], listing: Listing) -> None:
    """Refuse to write over a document or folder the run reads."""
    real = os.path.realpath(target)
    for candidate in [*paths, *(f.path for f in listing.found)]:
        if os.path.realpath(candidate) == real:
            raise UsageError(f"-o {target} is one of the inputs; write the results elsewhere")


_terminated = False


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (`timeout`, `kill`, a scheduler stopping a job) ends the run as Ctrl-C does: the
    finished rows are kept in the .partial file and the message says how to resume."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        global _terminated
        _terminated = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_cache(path: Path | None) -> None:
    """A --cache FILE that is a folder, or an existing file that was never a cache (a PDF, a
    results file, someone's database), is refused before anything is read or written."""
    from themescan.cache import not_a_cache

    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"--cache {path} is a folder; name a file, e.g. {path / 'cache.sqlite'}")
    reason = not_a_cache(path)
    if reason:
        raise UsageError(f"--cache {path} {reason}; name a new file or an existing cache")


@contextlib.contextmanager
def _writing(target: AtomicOutput | None) -> Iterator[None]:
    """Hold the lock that keeps other runs off the output (taken by its check) to the end."""
    try:
        yield
    finally:
        if target is not None:
            target.lock.release()


def _open_cache(path: Path | None) -> Cache:
    from themescan.cache import Cache

    _check_cache(path)
    try:
        return Cache(path, warn)  # damage is healed with a warning, never fatal
    except OSError as exc:
        raise UsageError(
            f"cannot use cache {path}: {exc.strerror or exc} (try --no-cache)"
        ) from None


@app.command("classify")
@reports_errors
def classify_cli(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Folders or files (.pdf, .txt, .html)."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            parser=output_file("results.csv"),
            help="Write here (.csv, .jsonl or .xlsx: the extension picks the format). Written "
            "to FILE.partial and renamed onto FILE when the run completes; an existing FILE is "
            "never damaged. Without -o: CSV on stdout, or a short table on a terminal.",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="csv, jsonl (every hit) or xlsx; default: from -o's extension, else csv.",
        ),
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Dutch Excel: semicolons, BOM, decimal comma.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="Model folder from `themescan train`; 'none': lexicons only; "
            "'keywords': the keyword baseline.",
        ),
    ] = None,
    lexicons: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Folder with your own lexicons.")
    ] = None,
    gemeenten: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE|DIR",
            help="Population file: fills gemeente, inwoners, grootteklasse. A folder of files, "
            "one per year (the year in each name), places each document with its year's file.",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Worker processes (default: the number of cores); 0: in this process, "
            "without crash isolation.",
        ),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Cache file (default: user cache).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            help="Continue an interrupted run: keep the rows in FILE.partial (or FILE) and add "
            "the rest. Refused when the settings differ from the earlier run's."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="With --resume: continue even though the settings differ."),
    ] = False,
    ocr: Annotated[
        Ocr,
        typer.Option(
            help="OCR with Tesseract (Dutch): auto = only pages without a usable text layer, "
            "when tesseract-ocr-nld is installed."
        ),
    ] = Ocr.auto,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="dask.distributed scheduler, e.g. tcp://host:8786 (needs themescan[dask]).",
        ),
    ] = None,
) -> None:
    """Classify documents: a flag, a score and evidence per theme, one row per document."""
    # 1. everything the user typed, before any output is opened
    if workers is not None and workers < 0:
        raise UsageError("--workers must be 0 (in this process) or more")
    if not no_cache:
        _check_cache(cache)
    if resume and not output:
        raise UsageError("--resume needs the -o FILE of the interrupted run")
    if force and not resume:
        raise UsageError("--force only applies with --resume")
    kind = output_format(output, fmt.value if fmt else None)
    if excel and kind != "csv":
        raise UsageError(f"--excel applies to CSV output, not {kind}")
    config = Config(
        lexicons=str(lexicons) if lexicons else None,
        model=model,
        gemeenten=str(gemeenten) if gemeenten else None,
        ocr=ocr.value,
    )
    listing = list_documents(paths)
    if not listing.found:
        skipped = listing.describe_skipped()
        where = ", ".join(str(p) for p in paths)
        err_console().print(
            f"[bold red]no documents found[/] in {escape(where)}"
            + (f" (skipped: {escape(skipped)})" if skipped else "")
            + "; themescan reads .pdf, .txt and .html",
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_SOME_UNREADABLE)
    check_config(config, arrays=False)  # arrays: before the first worker (batch.scan)
    target = None
    if output is not None:
        _check_not_an_input(output, paths, listing)
        target = AtomicOutput(output, kind, excel, run_record(config, paths, kind, excel))
        target.check(resuming=resume)
    with _writing(target):  # the output's lock goes with the run, however it ends
        if scheduler:
            check_scheduler(scheduler)
        done = target.resume(force) if target and resume else {}
        if target is not None and done:
            inputs = {display_name(f.name) for f in listing.found}
            gone = [name for name in done if name not in inputs]
            if gone:  # a document deleted since: a fresh run would have no row for it either
                target.drop(set(gone))
                done = {name: status for name, status in done.items() if name in inputs}
                # with another input the file column names each file's folder too (docs/a.txt),
                # or no longer does: the same files under other names, read again
                bases = {name.rsplit("/", 1)[-1] for name in inputs}
                renamed = [name for name in gone if name.rsplit("/", 1)[-1] in bases]
                gone = [name for name in gone if name not in renamed]
                if renamed:
                    warn(
                        f"--resume: {plural(len(renamed), 'row')} of the earlier run name their "
                        f"files otherwise than this run does ({_some(renamed)}): with more than "
                        "one input the file column names each file's folder too; they are read "
                        "again under the new names"
                    )
                if gone:
                    warn(
                        f"--resume: dropped {plural(len(gone), 'row')} of the earlier run for "
                        f"files no longer among the inputs: {_some(gone)}"
                    )
        if target is not None and done:
            changed = target.changed_since(
                {
                    display_name(f.name): f.path
                    for f in listing.found
                    if display_name(f.name) in done
                }
            )
            if changed:  # its row says what the file held then: read it again
                target.drop(set(changed))
                done = {name: status for name, status in done.items() if name not in changed}
                shown = _some(changed)
                warn(
                    f"--resume: {plural(len(changed), 'file')} changed since the earlier run "
                    f"began and will be read again: {shown}"
                )
        if target is not None and target.unchecked:
            warn(
                f"no record of the settings that made {output} ({sidecar_path(output)}); "
                "continuing without checking that they match"
            )
        if target is not None and not resume and target.partial.exists():
            warn(
                f"starting over: {target.partial} of an interrupted run is replaced (--resume continues it)"
            )

        # 2. the run
        summary = Summary(done, listing.describe_skipped())
        table = TerminalTable() if output is None and _stdout_is_terminal() else None
        with contextlib.ExitStack() as stack:
            store = (
                None if no_cache else stack.enter_context(contextlib.closing(_open_cache(cache)))
            )
            if target is not None:
                writer = target.open()
            elif table is not None:
                writer = table
            else:
                writer = (
                    JsonlWriter(sys.stdout) if kind == "jsonl" else CsvWriter(sys.stdout, excel)
                )
            progress = LazyProgress(
                enabled=not quiet and sys.stderr.isatty(), total=listing_total(listing, done)
            )
            stack.callback(progress.close)
            results = scan(
                paths,
                config,
                workers=default_workers() if workers is None else workers,
                cache=store,
                skip=done,
                scheduler=scheduler,
                listing=listing,
                progress=progress.ocr if progress.enabled else None,  # no OCR events unless shown
            )
            stack.callback(results.close)  # stops workers at once if the run is interrupted
            stack.enter_context(_terminate_as_interrupt())
            try:
                for result in results:
                    writer.write(result)
                    summary.add(result)
                    progress.advance(result.pages, result.file)
            except KeyboardInterrupt:
                progress.close()
                if target is not None:
                    kept = target.close(complete=False)
                    where = (
                        f"{summary.written} documents finished and kept in {kept}; run the same "
                        f"command with --resume to do the rest ({output} is untouched until the run "
                        "completes)"
                    )
                else:
                    where = f"{summary.written} documents written to stdout"
                if table is not None:
                    table.show()
                err_console().print(f"interrupted: {escape(where)}", soft_wrap=True)
                raise typer.Exit(143 if _terminated else 130) from None
            except BaseException as exc:
                if target is not None:
                    if summary.written:
                        kept = target.close(complete=False)
                        err_console().print(
                            f"the {summary.written} rows written so far are in {escape(str(kept))}"
                        )
                    else:
                        target.discard()
                if scheduler and isinstance(exc, Exception) and not isinstance(exc, ThemescanError):
                    raise UsageError(
                        f"the dask scheduler at {scheduler} failed during the run: "
                        f"{type(exc).__name__}: {exc}"
                    ) from None
                raise
        if target is not None:
            if resume:  # rows read again came last: in input order, as a fresh run writes them
                target.reorder([display_name(f.name) for f in listing.found])
            where = f"wrote {target.close(complete=True)}"
        elif table is not None:
            table.show()
            where = "shown above"
        else:
            where = "written to stdout"
        if gemeenten is not None and summary.without_population:
            # here: it imports numpy, which a start avoids
            from themescan.aggregation import ONBEKEND

            missing = summary.without_population
            warn(
                f"{plural(len(missing), 'document')} without a municipality from {gemeenten} "
                f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}): their size class "
                f"is '{ONBEKEND}'. A name the file spells otherwise, or shares with another "
                "municipality, is named by `themescan table --gemeenten` with the closest names; a "
                "code like GM0363 in a file name needs a population file with a code column"
            )
        from themescan.cache import same_content

        twins = same_content([f.path for f in listing.found if not f.status])
        if twins:  # one budget under two names counts twice, or in a year it is not of
            names = {f.path: display_name(f.name) for f in listing.found}  # as the CSV has them

            def named(group: list) -> str:
                more = f" and {len(group) - 5} more" if len(group) > 5 else ""
                return " = ".join(names[p] for p in group[:5]) + more

            shown = "; ".join(named(group) for group in twins[:3])
            warn(
                f"{plural(len(twins), 'set')} of files with the same content: {shown}"
                f"{'; ...' if len(twins) > 3 else ''}. A copy under another name is read as "
                "another document; remove the copies you did not mean to count"
            )
        if gemeenten is not None and gemeenten.is_dir():
            from themescan.municipalities import PopulationYears, read_population, stand_in_note

            population = read_population(gemeenten)  # checked before the run: it reads
            if isinstance(population, PopulationYears):
                stand_ins = population.stand_ins(summary.jaren)
                if stand_ins:
                    warn(stand_in_note(stand_ins, str(gemeenten))[0])
        if summary.other_year:
            other = summary.other_year
            warn(
                f"{plural(len(other), 'document')} with another year than in the file name (the "
                f"document's is used): {'; '.join(other[:3])}{'; ...' if len(other) > 3 else ''}. "
                "A copy under a new name, or a budget for next year made this year? Check before "
                "`table --by jaar`"
            )
        if not quiet:
            err_console().print(escape(summary.line(where)), soft_wrap=True)
        raise typer.Exit(EXIT_SOME_UNREADABLE if summary.unreadable else EXIT_OK)


def listing_total(listing: Listing, done: dict[str, str]) -> int:
    """Rows this run will write: what was found, less what an earlier run did."""
    return sum(f.name not in done for f in listing.found)


def _some(names: list[str]) -> str:
    """Three names and how many more."""
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
