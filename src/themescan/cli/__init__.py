"""Command line: each module parses arguments and calls a silent library function."""

from themescan.cli._util import app
from themescan.cli import table  # noqa: F401  (registers its command)

__all__ = ["app"]
