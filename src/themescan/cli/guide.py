"""`themescan guide`: the labelling guide, the criterion behind every flag."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from themescan.cli._util import app, console, reports_errors
from themescan.errors import UsageError


def guide_path() -> Path:
    """docs/labelling.md as installed (themescan/data/labelling.md) or in a source checkout."""
    packaged = resources.files("themescan").joinpath("data", "labelling.md")
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "docs" / "labelling.md"
    if checkout.is_file():
        return checkout
    raise UsageError("the labelling guide is missing from this installation; reinstall themescan")


@app.command("guide")
@reports_errors
def guide_cli() -> None:
    """Print the labelling guide: what counts as explicit attention, per theme, hard cases."""
    text = guide_path().read_text(encoding="utf-8")
    if sys.stdout.isatty():
        from rich.markdown import Markdown

        console().print(Markdown(text))
    else:
        sys.stdout.write(text)
