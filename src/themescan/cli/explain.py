"""`themescan explain FILE`: the decision per theme and the passages behind it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from themescan.cli._util import (
    EXIT_SOME_UNREADABLE,
    app,
    console,
    err_console,
    escape,
    plural,
    reports_errors,
)
from themescan.config import Config
from themescan.errors import DocumentError, UsageError
from themescan.loading import check_config
from themescan.results import not_a_municipality
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


def render(exp: Explanation, themes: list[str], console: Console, top: int, name: str = "") -> None:
    from rich.panel import Panel

    r = exp.result
    # a joint body's document names its organisation in its status, and has no gemeente
    who = "" if not_a_municipality(r.status) else f"gemeente {r.gemeente or '?'}  "
    if r.inwoners is not None:
        who += f"{r.inwoners:,} inwoners ({r.grootteklasse})  ".replace(",", ".")
    console.print(
        f"[bold]{escape(name or r.file)}[/]  {plural(r.pages, 'page')}  "
        f"status {escape(r.status)}  {escape(who)}{r.doc_type or '?'} {r.jaar}"
    )
    for theme in themes:
        t = r.theme(theme)
        assert t is not None
        col = THEMES.index(theme)
        verdict = "[green]YES[/]" if t.flag else "[red]no[/]"
        console.rule(f"{TITLES[theme]} ({theme})")
        best = max((s.scores[col] for s in exp.top[theme]), default=0)
        console.print(
            f"{verdict}  score {t.score:.3f} (0.5 is the cut)  best passage {best:.3f} against "
            f"the threshold {exp.thresholds[theme]:.3f}"
        )
        shown = [s for s in exp.top[theme] if s.scores[col] > 0.01][:top]
        parts = exp.parts.get(theme, ())
        if not shown:
            console.print("  no passage mentions this theme")
        for i, s in enumerate(shown):
            terms = sorted({h.term for h in s.hits if h.theme == theme and not h.excluded})
            # the title holds what fits any terminal (a border cuts a long title off); the
            # blend's two parts, the section and the terms go in the panel, where they wrap
            title = f"p{s.passage.page}  passage {s.scores[col]:.3f}"
            found = f"terms: {', '.join(terms)}" if terms else "no lexicon term"
            if parts and parts[i][1]:
                found = f"model {parts[i][0]:.3f}, lexicon rule {parts[i][1]:.2f}; {found}"
            elif parts:  # the rule abstains without a term (model.blend)
                found = f"model {parts[i][0]:.3f}, no lexicon term: the model alone"
            head = [found]
            if s.passage.heading:
                head.insert(0, f"section: {s.passage.heading}")
            body = "\n".join(f"[dim]{escape(line)}[/]" for line in head)
            body += f"\n{highlight(s, theme)}"  # whole, never cut
            console.print(Panel(body, title=escape(title), title_align="left"))
        cancelled: dict[tuple[int, str, str], set[int]] = {}
        for h in exp.excluded:  # a hit once, however many passages hold it
            if h.theme == theme:
                cancelled.setdefault((h.page, h.term, h.reason), set()).add(h.start)
        for (page, term, reason), starts in list(cancelled.items())[:5]:
            times = f" ({len(starts)}x)" if len(starts) > 1 else ""
            console.print(f"  [dim]cancelled p{page} '{escape(term)}'{times}: {escape(reason)}[/]")


@app.command("explain")
@reports_errors
def explain_cli(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Documents (.pdf, .txt, .html); a folder explains each document in it.",
        ),
    ],
    theme: Annotated[
        str | None, typer.Option(metavar="THEME", help=f"Only this theme: {', '.join(THEMES)}.")
    ] = None,
    top: Annotated[int, typer.Option(metavar="N", help="Passages shown per theme (>= 1).")] = 3,
    model: Annotated[
        str | None,
        typer.Option(metavar="DIR", help="Model folder; 'none': lexicons only."),
    ] = None,
    lexicons: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Folder with your own lexicons.")
    ] = None,
    gemeenten: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE|DIR",
            help="Population file (or a folder, one per year), as given to classify: the "
            "municipality, its population and class are found as classify finds them.",
        ),
    ] = None,
) -> None:
    """Why a document got its flags: scores and the passages behind them, terms highlighted."""
    if theme is not None and theme not in THEMES:
        raise UsageError(f"unknown theme {theme!r}; choose from {', '.join(THEMES)}")
    if top < 1:
        raise UsageError("--top must be 1 or more")
    from themescan.pipeline import explain
    from themescan.reading import list_documents

    listing = list_documents(paths)
    if not listing.found:
        skipped = listing.describe_skipped()
        raise UsageError(
            f"no documents found in {', '.join(map(str, paths))}"
            + (f" (skipped: {skipped})" if skipped else "")
        )
    config = Config(
        lexicons=str(lexicons) if lexicons else None,
        model=model,
        gemeenten=str(gemeenten) if gemeenten else None,
    )
    check_config(config)
    out = console(highlight=False)
    unreadable = 0
    for n, found in enumerate(listing.found):
        if n:
            out.print()
        if found.status:
            err_console().print(f"[bold]{escape(found.name)}[/]: [red]{escape(found.status)}[/]")
            unreadable += 1
            continue
        try:
            exp = explain(found.path, config, top=top)
        except DocumentError as exc:
            err_console().print(f"[bold]{escape(found.name)}[/]: {_status_line(exc, found.name)}")
            unreadable += 1
            continue
        render(exp, [theme] if theme else list(THEMES), out, top, name=found.name)
    if unreadable:
        raise typer.Exit(EXIT_SOME_UNREADABLE)


def _status_line(exc: DocumentError, name: str) -> str:
    """The status, and the detail only where it adds something: 'no text: scanned? (no text
    layer)', not 'no text: scanned?: x.pdf: no text layer (scanned?)'."""
    status, detail = exc.status, str(exc)
    base = Path(name).name
    if detail.startswith(f"{base}: "):
        detail = detail[len(base) + 2 :]
    elif detail.startswith(base):
        detail = detail[len(base) :].strip()
    detail = re.sub(r"\s*\(([^)]*)\)", lambda m: "" if m.group(1) in status else m.group(0), detail)
    words = re.findall(r"\w+", detail.lower())
    said = re.findall(r"\w+", status.lower())
    if not words or words[:2] == said[:2] or set(words) - {"is", "a", "an", "the"} <= set(said):
        detail = ""
    return f"[red]{escape(status)}[/]" + (f" ({escape(detail)})" if detail else "")
