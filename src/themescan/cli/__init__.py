"""Command line: each module parses arguments and calls a silent library function."""

from themescan.cli import (  # noqa: F401  (register commands)
    agreement,
    classify,
    explain,
    guide,
    info,
    report,
    sample,
    table,
    train,
)
from themescan.cli._util import app

__all__ = ["app"]
