"""`themescan explain FILE`: the decision per theme and the passages behind it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from themescan.cli._util import (
    EXIT_SOME_UNREADABLE,
    app,
    console,
    err_console,
    escape,
    reports_errors,
)
from themescan.config import Config
from themescan.errors import DocumentError, UsageError
from themescan.themes import THEMES, TITLES

if TYPE_CHECKING:
    from rich.console import Console

    from themescan.pipeline import Explanation, Scored


def highlight(scored: Scored, theme: str) -> str:
    """The passage with this theme's lexicon terms in bold (cancelled ones struck through)."""
    text = scored.passage.text
    base = scored.passage.start
    out, pos = [], 0
    for h in sorted((h for h in scored.hits if h.theme == theme), key=lambda h: h.start):
        s, e = h.start - base, h.end - base
        if s < pos:
            continue
        style = "strike dim" if h.excluded else "bold yellow"
        out += [escape(text[pos:s]), f"[{style}]{escape(text[s:e])}[/]"]
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def render(exp: Explanation, themes: list[str], console: Console, top: int) -> None:
    from rich.panel import Panel

    r = exp.result
    console.print(
        f"[bold]{escape(r.file)}[/]  {r.pages} pages  status {r.status}  "
        f"gemeente {r.gemeente or '?'}  {r.doc_type or '?'} {r.jaar}"
    )
    for theme in themes:
        t = r.theme(theme)
        assert t is not None
        col = THEMES.index(theme)
        verdict = "[green]YES[/]" if t.flag else "[red]no[/]"
        console.rule(f"{TITLES[theme]} ({theme})")
        console.print(
            f"{verdict}  score {t.score:.3f}  (model {max((s.scores[col] for s in exp.top[theme]), default=0):.3f},"
            f" threshold {exp.thresholds[theme]:.3f})"
        )
        shown = [s for s in exp.top[theme] if s.scores[col] > 0.01][:top]
        if not shown:
            console.print("  no passage mentions this theme")
        for s in shown:
            terms = sorted({h.term for h in s.hits if h.theme == theme and not h.excluded})
            section = f"  section: {s.passage.heading}" if s.passage.heading else ""
            title = f"p{s.passage.page}{section}  model {s.scores[col]:.3f}" + (
                f"  terms: {', '.join(terms)}" if terms else "  no lexicon term"
            )
            console.print(Panel(highlight(s, theme), title=escape(title), title_align="left"))
        cancelled = [h for h in exp.excluded if h.theme == theme]
        for h in cancelled[:5]:
            console.print(f"  [dim]cancelled p{h.page} '{escape(h.term)}': {escape(h.reason)}[/]")


@app.command("explain")
@reports_errors
def explain_cli(
    file: Annotated[Path, typer.Argument(help="One document (.pdf, .txt, .html).")],
    theme: Annotated[str | None, typer.Option(help="Only this theme id.")] = None,
    top: Annotated[int, typer.Option(help="Passages shown per theme.")] = 3,
    model: Annotated[str | None, typer.Option(help="Model folder; 'none': lexicons only.")] = None,
    lexicons: Annotated[Path | None, typer.Option(help="Folder with your own lexicons.")] = None,
) -> None:
    """Why a document got its flags: scores and the passages behind them, terms highlighted."""
    if theme is not None and theme not in THEMES:
        raise UsageError(f"unknown theme {theme!r}; choose from {', '.join(THEMES)}")
    if not file.is_file():
        raise UsageError(f"no such file: {file}")
    from themescan.pipeline import explain

    config = Config(lexicons=str(lexicons) if lexicons else None, model=model)
    try:
        exp = explain(file, config, top=max(top, 1))
    except DocumentError as exc:
        err_console().print(f"[bold red]{escape(exc.status)}[/]: {escape(str(exc))}")
        raise typer.Exit(EXIT_SOME_UNREADABLE) from None
    render(exp, [theme] if theme else list(THEMES), console(highlight=False), top)
