"""Command line: each module parses arguments and calls a silent library function."""

from themescan.cli import classify, explain, guide, info, table, train  # noqa: F401  (register commands)
from themescan.cli._util import app

__all__ = ["app"]
