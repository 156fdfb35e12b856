"""Agreement statistics for two coders (the machine and a human) on 0/1 decisions.

Pure functions on counts and numpy arrays, no I/O: Wilson intervals for proportions, Cohen's
kappa, Krippendorff's alpha (nominal), precision/recall/F1, a stratified bootstrap for the
statistics that have no simple interval, and the Rogan-Gladen correction of a prevalence for
known sensitivity and specificity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""


def fisher_exact(a_count: int, a_n: int, b_count: int, b_n: int) -> float:
    """Two-sided p-value of Fisher's exact test that two shares, a_count/a_n and b_count/b_n,
    come from one rate: the chance, with the margins fixed, of a split at most as likely as
    the one seen. Exact at any n, so it holds for size classes of 1 or 2 municipalities where
    an interval-based reading says a 0% against 100% differs. 1.0 when an n is 0."""
    if a_n <= 0 or b_n <= 0:
        return 1.0
    if not (0 <= a_count <= a_n and 0 <= b_count <= b_n):
        raise ValueError("a count lies outside 0..n")
    total, flagged = a_n + b_n, a_count + b_count
    denominator = math.comb(total, a_n)

    def chance(k: int) -> float:  # k of the flagged fall in group a
        return math.comb(flagged, k) * math.comb(total - flagged, a_n - k) / denominator

    seen = chance(a_count)
    low, high = max(0, flagged - b_n), min(flagged, a_n)
    p = sum(q for k in range(low, high + 1) if (q := chance(k)) <= seen * (1 + 1e-7))
    return min(1.0, p)


def wilson(count: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval of the share count/n, as proportions (0-1); None when n is 0.

    Chosen over the plain normal (Wald) interval, which collapses to a point at 0 and n and
    runs outside 0-1, and over Clopper-Pearson, which is wider than 95% needs: Wilson keeps
    close to its nominal coverage for the n of a size class. 6 of 17 gives 0.173-0.587.
    The one implementation: the table, the report and the agreement statistics use it.
    """
    if n <= 0:
        return None
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is not between 0 and n={n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; got {confidence}")
    z = Z95 if confidence == 0.95 else NormalDist().inv_cdf(0.5 + confidence / 2)
    share = count / n
    z2n = z * z / n
    centre = (share + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(share * (1 - share) / n + z2n / (4 * n)) / (1 + z2n)
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Confusion:
    """Counts of (machine, human) pairs: tp = both 1, fp = machine 1 human 0, and so on."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @classmethod
    def of(cls, machine: list[int] | np.ndarray, human: list[int] | np.ndarray) -> Confusion:
        m = np.asarray(machine, dtype=bool)
        h = np.asarray(human, dtype=bool)
        if m.shape != h.shape:
            raise ValueError("machine and human codes differ in length")
        return cls(
            int(np.sum(m & h)), int(np.sum(m & ~h)), int(np.sum(~m & h)), int(np.sum(~m & ~h))
        )


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


def precision(c: Confusion) -> float | None:
    """Share of the machine's positives that the human confirms; None without positives."""
    return _ratio(c.tp, c.tp + c.fp)


def recall(c: Confusion) -> float | None:
    """Share of the human's positives that the machine found; None without any."""
    return _ratio(c.tp, c.tp + c.fn)


def f1(c: Confusion) -> float | None:
    """Harmonic mean of precision and recall; None when neither coder has a positive."""
    return _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)


def cohen_kappa(c: Confusion) -> float | None:
    """Cohen's kappa: agreement beyond what the two coders' base rates give by chance.

    None when chance agreement is already perfect (both coders gave one and the same code to
    every unit), where kappa is 0/0.
    """
    n = c.n
    if n == 0:
        return None
    observed = (c.tp + c.tn) / n
    chance = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n)
    if chance >= 1.0:
        return None
    return (observed - chance) / (1 - chance)


def krippendorff_alpha(c: Confusion) -> float | None:
    """Krippendorff's alpha, nominal, for two coders who coded every unit.

    From the coincidence matrix: each unit adds its pair of values both ways, so with N units,
    D of them disagreeing and n0, n1 the number of 0 and 1 values among the 2N,
    alpha = 1 - (2N - 1) * D / (n0 * n1). None when only one value occurs (no variation to
    agree on) or with fewer than two units.
    """
    n_units = c.n
    n1 = 2 * c.tp + c.fp + c.fn
    n0 = 2 * c.tn + c.fp + c.fn
    if n_units < 2 or n0 == 0 or n1 == 0:
        return None
    return 1.0 - (2 * n_units - 1) * (c.fp + c.fn) / (n0 * n1)


def corpus_rates(
    c: Confusion, positives: int | None = None, negatives: int | None = None
) -> tuple[float | None, float | None]:
    """Sensitivity and specificity of the machine, (sens, spec), each None when undefined.

    The sample draws the machine's positives and negatives separately (not in proportion), so
    given the number of machine positives and negatives in the whole results file the sample's
    precision (PPV) and negative predictive value are weighted back to the corpus:
    sens = N1*PPV / (N1*PPV + N0*FOR), spec = N0*NPV / (N0*NPV + N1*(1-PPV)).
    Without those numbers: the plain sample rates tp/(tp+fn) and tn/(tn+fp).
    """
    if positives is None or negatives is None:
        return recall(c), _ratio(c.tn, c.tn + c.fp)
    ppv = _ratio(c.tp, c.tp + c.fp)
    npv = _ratio(c.tn, c.tn + c.fn)
    if (positives and ppv is None) or (negatives and npv is None):
        return None, None  # a stratum of the corpus was not sampled: nothing to weight
    ppv = ppv or 0.0
    npv = npv if npv is not None else 1.0
    true_pos = positives * ppv
    false_neg = negatives * (1 - npv)
    true_neg = negatives * npv
    false_pos = positives * (1 - ppv)
    return _ratio(true_pos, true_pos + false_neg), _ratio(true_neg, true_neg + false_pos)


def rogan_gladen(p: float, sens: float, spec: float) -> float | None:
    """The true prevalence behind an observed share p: (p + spec - 1) / (sens + spec - 1),
    clipped to [0, 1]. None when sens + spec <= 1 (the machine is no better than chance)."""
    den = sens + spec - 1
    if den <= 0:
        return None
    return min(1.0, max(0.0, (p + spec - 1) / den))


# ---------------------------------------------------------------------------------------------
# Vectorised versions over bootstrap replicates (arrays of counts)
# ---------------------------------------------------------------------------------------------


def safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def kappa_many(tp, fp, fn, tn) -> np.ndarray:
    n = tp + fp + fn + tn
    observed = safe_div(tp + tn, n)
    chance = safe_div((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n)
    return np.where(chance < 1.0, safe_div(observed - chance, 1 - chance), np.nan)


def alpha_many(tp, fp, fn, tn) -> np.ndarray:
    n_units = tp + fp + fn + tn
    n1 = 2 * tp + fp + fn
    n0 = 2 * tn + fp + fn
    return np.where(n_units >= 2, 1.0 - safe_div((2 * n_units - 1) * (fp + fn), n0 * n1), np.nan)


def f1_many(tp, fp, fn, tn) -> np.ndarray:
    return safe_div(2 * tp, 2 * tp + fp + fn)


def jeffreys_draws(k: int, n: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Resampled counts of 1s among n with k observed: the rate drawn from its Jeffreys
    posterior Beta(k + 1/2, n - k + 1/2), then the count binomially.

    A plain resample of a stratum whose n items all agree always agrees again, which gives
    the interval [1, 1] for 4 of 4; the Jeffreys draw keeps the uncertainty of a small n there
    and is close to the plain bootstrap elsewhere.
    """
    if n <= 0:
        return np.zeros(replicates, dtype=np.int64)
    return rng.binomial(n, rng.beta(k + 0.5, n - k + 0.5, size=replicates))


def bootstrap_counts(
    machine: np.ndarray, human: np.ndarray, replicates: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """tp, fp, fn, tn of `replicates` resamples drawn within the machine's positives and within
    its negatives separately, as the sample was drawn (see jeffreys_draws)."""
    machine = np.asarray(machine, dtype=bool)
    human = np.asarray(human, dtype=bool)
    pos = human[machine]
    neg = human[~machine]
    hp = jeffreys_draws(int(pos.sum()), len(pos), replicates, rng)
    hn = jeffreys_draws(int(neg.sum()), len(neg), replicates, rng)
    return hp, len(pos) - hp, hn, len(neg) - hn


def percentile_interval(values: np.ndarray) -> tuple[float, float] | None:
    """The 2.5th and 97.5th percentiles of the replicates that are defined; None if under half
    of them are (the statistic is mostly undefined on resamples)."""
    finite = values[np.isfinite(values)]
    if len(finite) < max(1, len(values) // 2):
        return None
    lo, hi = np.percentile(finite, [2.5, 97.5])
    return float(lo), float(hi)
