"""The typer app every command registers on, and the one place errors become exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from themescan.errors import ThemescanError

if TYPE_CHECKING:  # rich loads when something is printed: a quiet run never needs it
    from rich.console import Console

app = typer.Typer(
    name="themescan",
    help="Which digital themes do Dutch municipal budgets give explicit attention to?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


EXIT_OK = 0
EXIT_SOME_UNREADABLE = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn themescan's own exceptions into a one-line message and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ThemescanError as exc:
            err_console().print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(EXIT_OK) from None

    return wrapper  # type: ignore[return-value]
