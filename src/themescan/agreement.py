"""How well the machine agrees with a human coder, and the table corrected for its errors.

Per theme, on the coded sample: n, precision, recall, F1, Cohen's kappa and Krippendorff's
alpha (nominal, two coders: themescan and the human), each with a 95% interval: Wilson for the
proportions (precision, recall), a percentile bootstrap (stratified by the machine's decision,
as the sample was drawn, each stratum's rate drawn from its Jeffreys posterior so that a small
stratum that agrees fully still shows its uncertainty; fixed seed) for F1, kappa and alpha.
With the results file, per size class the raw share and the share corrected for the measured
sensitivity and specificity (Rogan-Gladen), its interval from the same bootstrap plus a
resampled raw count.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from themescan import stats
from themescan.aggregation import ResultRow, TableReport, round_half_up
from themescan.errors import UsageError
from themescan.sampling import CodedSheet
from themescan.themes import THEMES, TITLES

BOOTSTRAP = 2000
SEED = 15
FORMATS = ("text", "json", "markdown")


@dataclass(frozen=True)
class Estimate:
    """A statistic with its 95% interval; None where undefined (e.g. no positives)."""

    value: float | None
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    n: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: Estimate
    recall: Estimate
    f1: Estimate
    kappa: Estimate
    alpha: Estimate
    sensitivity: Estimate
    specificity: Estimate
    """Of the corpus (weighted by the results file's positives and negatives) when `weighted`."""
    weighted: bool
    corpus_flagged: int | None = None
    """Documents of the results file the machine flagged for this theme (None without it)."""
    corpus_unflagged: int | None = None


@dataclass(frozen=True)
class Prevalence:
    """One cell of the table: the machine's share and the share corrected for its errors."""

    theme: str
    grootteklasse: str
    n: int
    count: int
    raw: Estimate
    corrected: Estimate
    group: str | None = None
    """The year or document type of its table with --by; None for one table of all."""


@dataclass(frozen=True)
class AgreementReport:
    themes: tuple[ThemeAgreement, ...]
    prevalence: tuple[Prevalence, ...]
    coded: int
    uncoded: int
    bootstrap: int
    seed: int
    warnings: tuple[str, ...] = ()
    method: str = (
        "95% intervals: Wilson score for precision, recall and the raw shares; percentile "
        "bootstrap within themescan's flagged and unflagged decisions (each rate drawn from its "
        "Jeffreys posterior) for F1, kappa, alpha, sensitivity, specificity and the corrected "
        "shares (Rogan-Gladen, clipped to 0-1)."
    )


def _wilson(k: int, n: int) -> Estimate:
    ci = stats.wilson(k, n)
    if ci is None:
        return Estimate(None)
    return Estimate(k / n, ci[0], ci[1])


def _boot(value: float | None, replicates: np.ndarray) -> Estimate:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Estimate(None)
    ci = stats.percentile_interval(replicates)
    return Estimate(value, *(ci or (None, None)))


def _rates_many(tp, fp, fn, tn, positives: int | None, negatives: int | None):
    """Vectorised stats.corpus_rates over bootstrap replicates."""
    if positives is None or negatives is None:
        return stats.safe_div(tp, tp + fn), stats.safe_div(tn, tn + fp)
    ppv = stats.safe_div(tp, tp + fp)
    npv = stats.safe_div(tn, tn + fn)
    ppv = np.where(np.isnan(ppv), 0.0 if not positives else np.nan, ppv)
    npv = np.where(np.isnan(npv), 1.0 if not negatives else np.nan, npv)
    true_pos, false_neg = positives * ppv, negatives * (1 - npv)
    true_neg, false_pos = negatives * npv, positives * (1 - ppv)
    return (
        stats.safe_div(true_pos, true_pos + false_neg),
        stats.safe_div(true_neg, true_neg + false_pos),
    )


def _check_drawn_from(sheet: CodedSheet, flagged: dict[str, ResultRow]) -> None:
    """The error rates are weighted, and the shares corrected, with the results the sample was
    drawn from: a sample whose decisions the results file does not hold (another model's
    results, another corpus) would mix two machines, so it is refused."""
    if not sheet.items:
        return
    files = {it.file for it in sheet.items}
    absent = files - set(flagged)
    if len(absent) * 2 > len(files):
        raise UsageError(
            f"--results holds {len(files) - len(absent)} of the sample's {len(files)} files: "
            "give the results file the sample was drawn from"
        )
    differ = [
        it
        for it in sheet.items
        if it.file in flagged and (it.theme in flagged[it.file].flags) != it.themescan
    ]
    if differ:
        shown = "; ".join(
            f"{it.file} {it.theme}: {'flagged' if it.themescan else 'not flagged'} in the "
            "sample, not so in --results"
            for it in differ[:3]
        )
        raise UsageError(
            f"{len(differ)} of the sample's decisions differ from those in --results ({shown}"
            f"{'; ...' if len(differ) > 3 else ''}): give the results file the sample was "
            "drawn from (another model or settings give other decisions)"
        )


def compute_agreement(
    sheet: CodedSheet,
    results: Sequence[ResultRow] | None = None,
    table: TableReport | None = None,
    replicates: int = BOOTSTRAP,
    seed: int = SEED,
) -> AgreementReport:
    """Agreement per theme on the coded sample; the machine's positives and negatives per theme
    in `results` (or, without it, as the sheet's `steekproef` sheet recorded them when it was
    drawn) weight sensitivity and specificity back to the corpus, and with `table`
    (build_table of the same results) each cell gets its corrected share."""
    rng = np.random.default_rng(seed)
    warnings: list[str] = []
    if sheet.uncoded:
        warnings.append(f"{sheet.uncoded} row(s) have no human code yet and are left out")
    if sheet.missing:
        warnings.append(
            f"{sheet.missing} decision(s) drawn for this sample are no longer in the sheet "
            "(rows deleted?): the figures rest on the rest, and leaving out the hard cases "
            "makes agreement look better than it is"
        )
    counts: dict[str, tuple[int, int]] = {}
    if results is not None:
        ok = {r.file: r for r in results if r.ok}
        for theme in THEMES:
            pos = sum(1 for r in ok.values() if theme in r.flags)
            counts[theme] = (pos, len(ok) - pos)
        _check_drawn_from(sheet, ok)
        unknown = sorted({it.file for it in sheet.items} - set(ok))
        if unknown:
            warnings.append(
                f"{len(unknown)} file(s) of the sample are not in the results file "
                f"(another results file?): {', '.join(unknown[:3])}"
            )
    elif sheet.strata:
        counts = dict(sheet.strata)
    else:
        warnings.append(
            "sensitivity and specificity are those of the sample, where flagged and unflagged "
            "decisions are drawn in equal numbers; give --results to weight them to the corpus"
        )

    themes: list[ThemeAgreement] = []
    rates: dict[str, tuple[float | None, float | None, np.ndarray, np.ndarray]] = {}
    for theme in THEMES:
        items = [it for it in sheet.items if it.theme == theme]
        if not items:
            continue
        machine = np.array([it.themescan for it in items], dtype=bool)
        human = np.array([it.human for it in items], dtype=bool)
        c = stats.Confusion.of(machine, human)
        tp, fp, fn, tn = stats.bootstrap_counts(machine, human, replicates, rng)
        pos, neg = counts.get(theme, (None, None))
        sens, spec = stats.corpus_rates(c, pos, neg)
        sens_b, spec_b = _rates_many(tp, fp, fn, tn, pos, neg)
        rates[theme] = (sens, spec, sens_b, spec_b)
        themes.append(
            ThemeAgreement(
                theme=theme,
                n=c.n,
                tp=c.tp,
                fp=c.fp,
                fn=c.fn,
                tn=c.tn,
                precision=_wilson(c.tp, c.tp + c.fp),
                recall=_wilson(c.tp, c.tp + c.fn),
                f1=_boot(stats.f1(c), stats.f1_many(tp, fp, fn, tn)),
                kappa=_boot(stats.cohen_kappa(c), stats.kappa_many(tp, fp, fn, tn)),
                alpha=_boot(stats.krippendorff_alpha(c), stats.alpha_many(tp, fp, fn, tn)),
                sensitivity=_boot(sens, sens_b),
                specificity=_boot(spec, spec_b),
                weighted=pos is not None,
                corpus_flagged=pos,
                corpus_unflagged=neg,
            )
        )
        if c.tp + c.fp == 0 or c.fn + c.tn == 0:
            warnings.append(
                f"{theme}: the sample has no {'flagged' if c.tp + c.fp == 0 else 'unflagged'} "
                "decisions, so its error rates are only partly measured"
            )

    prevalence: list[Prevalence] = []
    for each in table.tables if table is not None else ():
        for row in each.rows:
            for theme in THEMES:
                k, n = row.count(theme), row.n
                raw = _wilson(k, n)
                corrected = Estimate(None)
                if theme in rates and n:
                    sens, spec, sens_b, spec_b = rates[theme]
                    value = None
                    if sens is not None and spec is not None:
                        value = stats.rogan_gladen(k / n, sens, spec)
                    if value is not None:
                        p_b = stats.jeffreys_draws(k, n, replicates, rng) / n
                        with np.errstate(divide="ignore", invalid="ignore"):
                            den = sens_b + spec_b - 1
                            rg = np.where(den > 0, (p_b + spec_b - 1) / den, np.nan)
                        corrected = _boot(value, np.clip(rg, 0.0, 1.0))
                prevalence.append(
                    Prevalence(theme, row.grootteklasse, n, k, raw, corrected, each.group)
                )
    if table is not None and table.tables and table.per == "gemeente":
        warnings.append(
            "the error rates are measured per document and applied to municipalities; "
            "exact where each municipality has one document"
        )
    return AgreementReport(
        tuple(themes),
        tuple(prevalence),
        coded=len(sheet.items),
        uncoded=sheet.uncoded,
        bootstrap=replicates,
        seed=seed,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _est(e: Estimate, digits: int = 2) -> str:
    if e.value is None:
        return "–"
    if e.lo is None or e.hi is None:
        return _num(e.value, digits)
    return f"{e.value:.{digits}f} [{e.lo:.{digits}f}, {e.hi:.{digits}f}]"


def _pct(e: Estimate) -> str:
    if e.value is None:
        return "–"
    # rounded as `table` rounds (half up, the share from its one-decimal value), so the same
    # 16 of 33 reads 49% here and there
    text = f"{round_half_up(round_half_up(100 * e.value, 1)):.0f}%"
    if e.lo is not None and e.hi is not None:
        text += f" ({round_half_up(100 * e.lo):.0f}-{round_half_up(100 * e.hi):.0f})"
    return text


_AGREEMENT_HEAD = (
    "theme",
    "n",
    "tp",
    "fp",
    "fn",
    "tn",
    "precision",
    "recall",
    "F1",
    "kappa",
    "alpha",
)
_PREVALENCE_HEAD = ("theme", "grootteklasse", "n", "ruw", "gecorrigeerd")
_GROUPED_HEAD = ("group", *_PREVALENCE_HEAD)


def _agreement_cells(t: ThemeAgreement) -> list[str]:
    return [
        t.theme,
        str(t.n),
        str(t.tp),
        str(t.fp),
        str(t.fn),
        str(t.tn),
        _est(t.precision),
        _est(t.recall),
        _est(t.f1),
        _est(t.kappa),
        _est(t.alpha),
    ]


def _rates_cells(t: ThemeAgreement) -> list[str]:
    where = f"results ({t.corpus_flagged} + {t.corpus_unflagged})" if t.weighted else "sample"
    return [t.theme, _est(t.sensitivity), _est(t.specificity), where]


def _prevalence_cells(p: Prevalence, grouped: bool = False) -> list[str]:
    cells = [TITLES[p.theme], p.grootteklasse, str(p.n), _pct(p.raw), _pct(p.corrected)]
    return [p.group or "", *cells] if grouped else cells


def _aligned(head: Sequence[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _markdown(head: Sequence[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def to_text(report: AgreementReport, markdown: bool = False) -> str:
    """The report as aligned plain text or, with markdown, Markdown tables."""
    table = _markdown if markdown else _aligned
    h = "## " if markdown else ""
    parts = [
        f"{h}Agreement of themescan with the human coder ({report.coded} coded decisions)",
        "",
        table(_AGREEMENT_HEAD, [_agreement_cells(t) for t in report.themes]),
        "",
        f"{h}Error rates"
        + (
            ", weighted to the corpus"
            if any(t.weighted for t in report.themes)
            else " in the sample (give --results to weight them to the corpus)"
        )
        + (" (used for the correction below)" if report.prevalence else ""),
        "",
        table(
            ("theme", "sensitivity", "specificity", "weighted to (flagged + unflagged)"),
            [_rates_cells(t) for t in report.themes],
        ),
    ]
    if report.prevalence:
        grouped = any(p.group is not None for p in report.prevalence)
        parts += [
            "",
            f"{h}Share per size class: raw and corrected for the error rates"
            + (" (per group, each with the same error rates)" if grouped else ""),
            "",
            table(
                _GROUPED_HEAD if grouped else _PREVALENCE_HEAD,
                [_prevalence_cells(p, grouped) for p in report.prevalence],
            ),
        ]
    parts += ["", f"{report.method} Bootstrap: {report.bootstrap} resamples, seed {report.seed}."]
    return "\n".join(parts) + "\n"


def to_json(report: AgreementReport) -> str:
    data = asdict(report)
    data["warnings"] = list(report.warnings)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(report: AgreementReport, fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "markdown":
        return to_text(report, markdown=True)
    if fmt == "text":
        return to_text(report)
    raise ValueError(fmt)
