"""`themescan train` and `themescan evaluate`: fit the classifier, and score any classifier."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from themescan.batch import scan
from themescan.cli._util import app, console, err_console, escape, plural, reports_errors, warn
from themescan.config import Config
from themescan.errors import UsageError
from themescan.loading import check_config
from themescan.themes import THEMES

if TYPE_CHECKING:
    from rich.table import Table

    from themescan.evaluation import Scores
    from themescan.model import PassageModel


def _check_output(output: Path) -> None:
    """Refuse an -o that could not take the model, before minutes of training are spent."""
    if output.exists():
        if not output.is_dir():
            raise UsageError(f"-o {output} is a file; the model is a folder: name a new folder")
        if any(output.iterdir()) and not (output / "model.json").is_file():
            raise UsageError(
                f"-o {output} is a folder with other files, not a themescan model; "
                "name a new folder"
            )
    if not output.parent.is_dir():
        raise UsageError(f"cannot write {output}: folder {output.parent} does not exist")


def _save_model(model: PassageModel, output: Path) -> None:
    """Write the model folder beside its place and swap it in whole: a failed save never leaves
    half a model, and an existing folder that is not a themescan model is never replaced."""
    import shutil

    _check_output(output)  # again: the folder may have changed while the model trained
    partial = output.with_name(output.name + ".partial")
    old = output.with_name(output.name + ".old")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        model.save(partial)
        if output.exists():
            shutil.rmtree(old, ignore_errors=True)
            output.rename(old)
        partial.rename(output)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise UsageError(f"cannot write the model to {output}: {exc.strerror or exc}") from None
    shutil.rmtree(old, ignore_errors=True)


@app.command("train")
@reports_errors
def train_cli(
    docs: Annotated[
        Path | None,
        typer.Argument(metavar="DIR", help="Folder of labelled documents (with --labels)."),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Label CSV for the documents: file plus five 0/1 theme columns."
        ),
    ] = None,
    passages: Annotated[
        list[Path] | None,
        typer.Option(
            "--passages", metavar="PATH", help="Labelled passages (.jsonl or folder); repeatable."
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="Model folder to write.")
    ] = Path("model"),
    lexicons: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Lexicon folder to train with.")
    ] = None,
    folds: Annotated[int, typer.Option(metavar="K", help="Cross-validation folds (>= 2).")] = 5,
    lexicon_weight: Annotated[
        float | None,
        typer.Option(
            metavar="W",
            help="Share of the lexicon rule in every passage score, all themes (0: the model "
            "alone). Default: 0.5, and 0 for digitale_transformatie.",
        ),
    ] = None,
) -> None:
    """Fit the classifier on labelled documents and/or passages; print cross-validated scores.

    Labels follow the labelling guide (docs/labelling.md, `themescan guide`).
    """
    from themescan.training import train

    if folds < 2:
        raise UsageError("--folds must be at least 2")
    if docs is not None and not docs.is_dir():
        raise UsageError(
            f"{docs} is not a folder; train reads the labelled documents in a folder"
            if docs.exists()
            else f"no such folder: {docs}"
        )
    for p in passages or []:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    _check_output(output)
    if lexicon_weight is not None and not 0 <= lexicon_weight < 1:
        raise UsageError("--lexicon-weight must be from 0 up to (not including) 1")
    weights = None if lexicon_weight is None else dict.fromkeys(THEMES, lexicon_weight)
    with err_console().status(
        "training with cross-validation (a few minutes for the packaged passages)"
    ):
        model, report = train(
            docs, labels, passages or [], lexicons, folds=folds, lexicon_weights=weights
        )
    _save_model(model, output)
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
        f"{report.n_documents} documents · saved to {escape(str(output))}"
    )
    for warning in report.warnings:
        warn(warning)


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
    interval = f" (95% bootstrap {s.interval[0]:.2f}-{s.interval[1]:.2f})" if s.interval else ""
    worst = s.wrong_share_bound
    if worst is not None:
        interval = (
            f" (not one of {s.decisions} decisions wrong, so the bootstrap gives no interval; "
            f"at 95%, up to {100 * worst:.0f}% of decisions like these could still be wrong)"
        )
    table.caption = (
        f"macro F1 {s.macro_f1:.3f}{interval} · kappa {s.kappa:.3f} · {s.documents} documents"
    )
    return table


@app.command("evaluate")
@reports_errors
def evaluate_cli(
    results: Annotated[
        Path,
        typer.Argument(
            metavar="RESULTS", help="Results CSV from classify, or a folder of documents."
        ),
    ],
    labels: Annotated[
        Path,
        typer.Option(
            metavar="FILE", help="Gold label CSV: file plus five 0/1 theme columns (the guide)."
        ),
    ],
    baseline: Annotated[
        Baseline | None, typer.Option(help="Also score the keyword-presence peer.")
    ] = None,
    docs: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Documents folder, for --baseline with a results CSV (and to check whether "
            "the model has seen them).",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(metavar="DIR", help="Model folder, when RESULTS is a folder."),
    ] = None,
    lexicons: Annotated[Path | None, typer.Option(metavar="DIR", help="Lexicon folder.")] = None,
    fmt: Annotated[
        EvalFormat,
        typer.Option("--format", help="table (for people) or json (for scripts)."),
    ] = EvalFormat.table,
) -> None:
    """Precision, recall, F1 per theme, macro F1 and Cohen's kappa against gold labels.

    Labels follow the labelling guide (docs/labelling.md, `themescan guide`).
    """
    if not results.exists():
        raise UsageError(f"no such file or folder: {results}")
    if docs is not None and not docs.is_dir():
        raise UsageError(f"--docs {docs} is not a folder")
    if not results.is_dir() and (model is not None or lexicons is not None):
        # trial 13: --model was ignored here without a word, and the figures read as its own
        raise UsageError(
            f"--model and --lexicons judge documents; {results} holds decisions already made by "
            "the model of its run. Give the documents folder as RESULTS to score another model, "
            "or classify again with --model"
        )
    from themescan.evaluation import score
    from themescan.training import read_labels

    _check_labels(labels, results)
    gold = read_labels(labels)
    lex = str(lexicons) if lexicons else None
    config = Config(lexicons=lex, model=model)
    folder = results if results.is_dir() else docs
    if results.is_dir():
        check_config(config)
    if baseline and folder is None:
        raise UsageError("--baseline with a results CSV needs --docs FOLDER")
    scores = {"themescan": score(_predictions(results, config), gold)}
    if baseline:
        assert folder is not None
        preds = _predictions(folder, Config(lexicons=lex, model=baseline.value))
        scores["baseline_keywords"] = score(preds, gold)
    main = scores["themescan"]
    _warn_if_seen(results, folder, model, scored=set(gold) - set(main.unmatched))
    # a label without a document is a mistake; a document without a label is the usual case of
    # labelling a subset, said only as a count (said before any figure, with JSON on stderr)
    unlabelled = [f for f in main.unmatched if f not in gold]
    missing = [f for f in main.unmatched if f in gold]
    if missing:
        names = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        warn(
            f"{plural(len(missing), 'labelled file')} not among the results, not scored; the "
            f"figures rest on {plural(main.documents, 'document')}: {names}"
        )
    if unlabelled:
        err_console().print(
            f"note: {plural(len(unlabelled), 'document')} without labels not scored; "
            f"the figures rest on the {plural(main.documents, 'labelled document')}"
        )
    if fmt is EvalFormat.json:
        payload: dict = {
            "model": model or "(packaged)",
            **{k: v.as_dict() for k, v in scores.items()},
        }
        if baseline:
            payload["margin_macro_f1"] = round(
                scores["themescan"].macro_f1 - scores["baseline_keywords"].macro_f1, 4
            )
        typer.echo(json.dumps(payload, indent=2))
        return
    out = console()
    for name, s in scores.items():
        out.print(_table(name, s))
    if baseline:
        margin = scores["themescan"].macro_f1 - scores["baseline_keywords"].macro_f1
        out.print(f"margin over the keyword baseline: {margin:+.3f} macro F1")


def _check_labels(labels: Path, results: Path) -> None:
    """Gold labels are a reader's: classify's own results given as labels would score the
    machine against itself (perfectly), so they are refused."""
    from themescan.ownfiles import head_of, results_head

    if results.is_file() and labels.is_file() and labels.resolve() == results.resolve():
        raise UsageError(f"--labels {labels} is the results file being scored")
    head = head_of(labels) if labels.is_file() else None
    if head is not None and results_head(head):
        raise UsageError(
            f"--labels {labels} is a results file of `themescan classify`, not gold labels: "
            "label the documents by reading them (docs/labelling.md), or draw a sample to code "
            "with `themescan sample`"
        )


def _warn_if_seen(
    results: Path, folder: Path | None, model: str | None, scored: set[str] | None = None
) -> None:
    """Warn when the model scored documents it was trained on (of those `scored`: documents
    without labels do not count). For a results CSV, the sidecar classify wrote says which
    model and which inputs."""
    from themescan.evaluation import seen_documents, shared_sentences
    from themescan.output import read_record

    inputs: list[Path] = [folder] if folder is not None else []
    if not results.is_dir():
        record = read_record(results)
        if record is not None:
            model = (record.get("config") or {}).get("model")
            if not inputs:
                inputs = [Path(p) for p in record.get("inputs") or () if Path(p).exists()]
    if not inputs:
        return
    seen = [name for name in seen_documents(inputs, model) if scored is None or name in scored]
    if seen:
        names = ", ".join(seen[:5]) + (" ..." if len(seen) > 5 else "")
        warn(
            f"the model was trained on {len(seen)} of these documents ({names}): its scores on "
            "them show what it remembers, not how it judges a budget it has not seen"
        )
    shared = [
        s
        for s in shared_sentences(inputs, model)
        if s[0] not in seen and (scored is None or s[0] in scored)
    ]
    if shared:
        name, most, total = max(shared, key=lambda s: s[1] / max(s[2], 1))
        warn(
            f"{len(shared)} of these documents share sentences with the passages the model was "
            f"trained on (most: {most} of {total} sentences of {name}): its scores on them "
            "show, in part, what it remembers"
        )
