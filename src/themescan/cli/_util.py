"""The typer app every command registers on, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand

from themescan import __version__
from themescan.errors import ThemescanError

if TYPE_CHECKING:  # rich loads when something is printed: a quiet run never needs it
    from rich.console import Console


def _version(value: bool) -> None:
    if value:
        typer.echo(f"themescan {__version__}")
        raise typer.Exit(0)


class _Plain:
    """Usage lines that read as placeholders: `classify [OPTIONS] PATH...`, not `{PATH...}`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


class Command(_Plain, TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_repeats(self, args)
        return super().parse_args(ctx, args)


def _refuse_repeats(command: Any, args: list[str]) -> None:
    """An option that takes one value, given twice, is refused: click would keep the last one
    silently (`--gemeenten 2023.tsv --gemeenten 2024.tsv` read every document with 2024's)."""
    single: dict[str, str] = {}  # option string -> the name it is shown by
    for param in command.params:
        if param.param_type_name == "option" and not param.multiple and not param.is_flag:
            for opt in (*param.opts, *param.secondary_opts):
                single[opt] = param.opts[0]
    seen: dict[str, str] = {}
    for i, arg in enumerate(args):
        if arg == "--":
            break
        opt, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        name = single.get(opt)
        if name is None:
            continue
        value = value if eq else (args[i + 1] if i + 1 < len(args) else "")
        if name in seen:
            hint = (
                ": a population file, or a folder with one per year"
                if name == "--gemeenten"
                else ""
            )
            raise typer.BadParameter(
                f"given twice ({seen[name]} and {value}); it takes one value{hint}",
                param_hint=f"'{name}'",
            )
        seen[name] = value


class App(typer.Typer):
    """A Typer whose commands use those usage lines (and show help text as written)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


app = App(
    name="themescan",
    help="Which digital themes do Dutch municipal budgets give explicit attention to?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is shown as written: "themescan[dask]" keeps its brackets
)


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Which digital themes do Dutch municipal budgets give explicit attention to?

    The criterion behind every label: docs/labelling.md, or `themescan guide`.
    """


@cache
def console(stderr: bool = False, highlight: bool = True) -> Console:
    """The rich console for stdout or stderr, made on first use."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=highlight)


def err_console() -> Console:
    return console(stderr=True, highlight=False)


def escape(text: str) -> str:
    """Text shown as is inside rich markup."""
    from rich.markup import escape

    return escape(text)


def plural(n: int, word: str, shown: str | None = None) -> str:
    """'1 page', '2 pages' ('shown' replaces the number, e.g. with thousands separators)."""
    return f"{shown if shown is not None else n} {word}{'' if n == 1 else 's'}"


def warn(message: str) -> None:
    """A warning on stderr, one paragraph."""
    err_console().print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)


EXIT_OK = 0
EXIT_SOME_UNREADABLE = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
    """themescan's own warnings (a model made by another version, trained with other lexicons)
    as the commands' other warnings: one 'warning:' paragraph, no file and line of code."""
    if category.__module__.startswith("themescan"):
        warn(str(message))
    else:
        _default_showwarning(message, category, *args, **kw)


_default_showwarning = warnings.showwarning


def reports_errors(func: F) -> F:
    """Turn every error into a one-line message: themescan's own and the operating system's
    (a path that cannot be read or written) exit 2; an error of ours exits 1 with a short
    note instead of a traceback (THEMESCAN_DEBUG=1 shows the traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return func(*args, **kwargs)
        except ThemescanError as exc:
            err_console().print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(EXIT_OK) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            err_console().print(
                f"[bold red]error:[/] {escape(where + (exc.strerror or str(exc)))}", soft_wrap=True
            )
            raise typer.Exit(EXIT_USAGE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("THEMESCAN_DEBUG"):
                raise
            err_console().print(
                f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} "
                "(please report it with the command you ran; THEMESCAN_DEBUG=1 shows where)",
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_SOME_UNREADABLE) from None

    return wrapper  # type: ignore[return-value]


def output_file(example: str) -> Callable[[str], Path]:
    """A parser for an -o that names a file: "new/" (a folder that does not exist yet) would
    otherwise become the file "new", since a path loses its trailing slash."""

    def parse(value: str) -> Path:
        if not value.strip():
            raise typer.BadParameter(f"is empty; name a file, e.g. {example}")
        path = Path(value)
        if value.endswith(("/", os.sep)) and not path.is_dir():
            raise typer.BadParameter(
                f"{value} ends with a slash, so it names a folder; name a file, "
                f"e.g. {path / example}"
            )
        return path

    return parse


def check_scheduler(address: str, timeout: float = 3.0) -> None:
    """Fail within seconds, naming the address and the cause, when a dask scheduler address is
    malformed or nothing answers there (dask itself waits 30 s and prints a traceback)."""
    import socket

    from themescan.errors import UsageError

    try:
        from distributed.comm import parse_address, parse_host_port
    except ImportError:
        raise UsageError(
            "--scheduler needs the dask extra: pip install 'themescan[dask]'"
        ) from None
    try:
        scheme, location = parse_address(address)
        if scheme not in ("tcp", "tls"):
            raise ValueError(f"unsupported protocol {scheme}://")
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise UsageError(
            f"--scheduler {address!r} is not a scheduler address like tcp://host:8786 ({exc})"
        ) from None
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as exc:
        cause = (
            f"no answer within {timeout:.0f} s"
            if isinstance(exc, TimeoutError)
            else getattr(exc, "strerror", None) or str(exc)
        )
        raise UsageError(f"cannot reach the dask scheduler at {address}: {cause}") from None
    _handshake(address, timeout)


def _handshake(address: str, timeout: float) -> None:
    """Something answers at the address: make sure it is a dask scheduler (a web server, or a
    proxy that accepts any connection, makes dask's client hang or fail in odd ways)."""
    import asyncio
    import logging

    from themescan.errors import UsageError

    async def identity() -> object:
        from distributed.comm import connect

        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await asyncio.wait_for(comm.read(), timeout)
        finally:
            comm.abort()

    quiet = [logging.getLogger(n) for n in ("distributed", "tornado", "asyncio")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.CRITICAL)
    try:
        reply = asyncio.run(identity())
    except Exception as exc:
        reply = exc
    finally:
        for lg, level in zip(quiet, levels, strict=True):
            lg.setLevel(level)
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        cause = (
            f"no dask scheduler answered within {timeout:.0f} s"
            if isinstance(reply, TimeoutError)
            else f"what answers there is not a dask scheduler ({type(reply).__name__})"
        )
        raise UsageError(f"cannot use the dask scheduler at {address}: {cause}")
