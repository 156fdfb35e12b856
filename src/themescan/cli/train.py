"""`themescan train` and `themescan evaluate`: fit the classifier, and score any classifier."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from themescan.batch import scan
from themescan.cli._util import app, console, err_console, reports_errors
from themescan.config import Config
from themescan.errors import UsageError
from themescan.themes import THEMES

if TYPE_CHECKING:
    from rich.table import Table

    from themescan.evaluation import Scores


@app.command("train")
@reports_errors
def train_cli(
    docs: Annotated[Path | None, typer.Argument(help="Folder of labelled documents.")] = None,
    labels: Annotated[Path | None, typer.Option(help="Label CSV for the documents.")] = None,
    passages: Annotated[
        list[Path] | None, typer.Option("--passages", help="Labelled passages (.jsonl or folder).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model folder to write.")] = Path(
        "model"
    ),
    lexicons: Annotated[Path | None, typer.Option(help="Lexicon folder to train with.")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds.")] = 5,
) -> None:
    """Fit the classifier on labelled documents and/or passages; print cross-validated scores."""
    from themescan.training import train

    if folds < 2:
        raise UsageError("--folds must be at least 2")
    model, report = train(docs, labels, passages or [], lexicons, folds=folds)
    model.save(output)
    from rich.table import Table

    table = Table(title=f"cross-validated ({report.method})")
    for col in ("theme", "precision", "recall", "F1", "passage F1", "threshold"):
        table.add_column(col, justify="left" if col == "theme" else "right")
    for theme in THEMES:
        s = report.per_theme[theme]
        table.add_row(
            theme,
            f"{s['precision']:.3f}",
            f"{s['recall']:.3f}",
            f"{s['f1']:.3f}",
            f"{s['passage_f1']:.3f}" if "passage_f1" in s else "",
            f"{model.thresholds[theme]:.3f}",
        )
    out = console()
    out.print(table)
    out.print(
        f"macro F1 {report.macro_f1:.3f} · {report.n_passages} passages, "
        f"{report.n_documents} documents · saved to {output}"
    )


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


class Baseline(StrEnum):
    keywords = "keywords"


def _predictions(source: Path, config: Config) -> dict[str, frozenset[str]]:
    from themescan.aggregation import read_results

    if source.is_dir():
        out = {}
        for r in scan([source], config):
            out[r.file] = frozenset(t.theme for t in r.themes if t.flag)
        return out
    return {row.file: row.flags for row in read_results(source)}


def _table(title: str, s: Scores) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for col in ("theme", "P", "R", "F1", "kappa", "tp", "fp", "fn", "tn"):
        table.add_column(col, justify="left" if col == "theme" else "right")
    for t in s.themes:
        table.add_row(
            t.theme,
            f"{t.precision:.3f}",
            f"{t.recall:.3f}",
            f"{t.f1:.3f}",
            f"{t.kappa:.3f}",
            *(str(n) for n in (t.tp, t.fp, t.fn, t.tn)),
        )
    table.caption = f"macro F1 {s.macro_f1:.3f} · kappa {s.kappa:.3f} · {s.documents} documents"
    return table


@app.command("evaluate")
@reports_errors
def evaluate_cli(
    results: Annotated[Path, typer.Argument(help="Results CSV from classify, or a folder.")],
    labels: Annotated[Path, typer.Option(help="Gold label CSV (labelling.md format).")],
    baseline: Annotated[
        Baseline | None, typer.Option(help="Also score the keyword-presence peer.")
    ] = None,
    docs: Annotated[
        Path | None, typer.Option(help="Documents folder, for --baseline with a results CSV.")
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="Model folder, when RESULTS is a folder.")
    ] = None,
    lexicons: Annotated[Path | None, typer.Option(help="Lexicon folder.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format")] = EvalFormat.table,
) -> None:
    """Precision, recall, F1 per theme, macro F1 and Cohen's kappa against gold labels."""
    if not results.exists():
        raise UsageError(f"no such file or folder: {results}")
    from themescan.evaluation import score
    from themescan.training import read_labels

    gold = read_labels(labels)
    lex = str(lexicons) if lexicons else None
    scores = {"themescan": score(_predictions(results, Config(lexicons=lex, model=model)), gold)}
    if baseline:
        folder = results if results.is_dir() else docs
        if folder is None:
            raise UsageError("--baseline with a results CSV needs --docs FOLDER")
        preds = _predictions(folder, Config(lexicons=lex, model=baseline.value))
        scores["baseline_keywords"] = score(preds, gold)
    if fmt is EvalFormat.json:
        payload = {k: v.as_dict() for k, v in scores.items()}
        if baseline:
            payload["margin_macro_f1"] = round(
                scores["themescan"].macro_f1 - scores["baseline_keywords"].macro_f1, 4
            )
        typer.echo(json.dumps(payload, indent=2))
        return
    out = console()
    for name, s in scores.items():
        out.print(_table(name, s))
        if s.unmatched:
            err_console().print(f"not in both results and labels: {', '.join(s.unmatched[:10])}")
    if baseline:
        margin = scores["themescan"].macro_f1 - scores["baseline_keywords"].macro_f1
        out.print(f"margin over the keyword baseline: {margin:+.3f} macro F1")
