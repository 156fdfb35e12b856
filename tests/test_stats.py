"""Agreement statistics (issue 15 item 3): hand-computed small cases, and agreement with
scikit-learn's cohen_kappa_score and the krippendorff package on random codings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from themescan import stats
from themescan.stats import Confusion

# A small coding whose statistics are worked out by hand below.
MACHINE = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
HUMAN = [1, 1, 1, 0, 0, 0, 0, 0, 1, 0]


def test_confusion_counts() -> None:
    assert Confusion.of(MACHINE, HUMAN) == Confusion(tp=3, fp=1, fn=1, tn=5)


def test_kappa_by_hand() -> None:
    # observed agreement 8/10; chance (4*4 + 6*6) / 100 = 0.52; kappa = 0.28 / 0.48
    assert stats.cohen_kappa(Confusion(3, 1, 1, 5)) == pytest.approx(0.28 / 0.48)


def test_alpha_by_hand() -> None:
    # 20 values: n1 = 2*3 + 2 = 8 ones, n0 = 2*5 + 2 = 12 zeros, 2 disagreeing units:
    # alpha = 1 - (20 - 1) * 2 / (12 * 8) = 1 - 38/96
    assert stats.krippendorff_alpha(Confusion(3, 1, 1, 5)) == pytest.approx(1 - 38 / 96)


def test_precision_recall_f1_by_hand() -> None:
    c = Confusion(3, 1, 1, 5)
    assert stats.precision(c) == pytest.approx(0.75)
    assert stats.recall(c) == pytest.approx(0.75)
    assert stats.f1(c) == pytest.approx(0.75)
    assert stats.f1(Confusion(0, 0, 0, 7)) is None
    assert stats.precision(Confusion(0, 0, 2, 3)) is None


@pytest.mark.parametrize("seed", range(20))
def test_kappa_matches_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 80))
    machine = rng.integers(0, 2, n)
    human = np.where(rng.random(n) < 0.8, machine, 1 - machine)
    ours = stats.cohen_kappa(Confusion.of(machine, human))
    theirs = cohen_kappa_score(machine, human)
    if math.isnan(theirs):
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-12)
    tp, fp, fn, tn = (np.array([x]) for x in vars(Confusion.of(machine, human)).values())
    many = stats.kappa_many(tp, fp, fn, tn)[0]
    assert (math.isnan(many) and ours is None) or many == pytest.approx(ours)


@pytest.mark.parametrize("seed", range(20))
def test_alpha_matches_krippendorff_package(seed: int) -> None:
    krippendorff = pytest.importorskip(
        "krippendorff", reason="the krippendorff package is a test extra"
    )
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(4, 80))
    machine = rng.integers(0, 2, n)
    human = np.where(rng.random(n) < 0.75, machine, 1 - machine)
    c = Confusion.of(machine, human)
    ours = stats.krippendorff_alpha(c)
    if ours is None:
        return
    theirs = krippendorff.alpha(
        reliability_data=np.vstack([machine, human]).astype(float), level_of_measurement="nominal"
    )
    assert ours == pytest.approx(theirs, abs=1e-9)
    arrays = (np.array([x]) for x in (c.tp, c.fp, c.fn, c.tn))
    assert stats.alpha_many(*arrays)[0] == pytest.approx(ours)


def test_undefined_statistics_are_none() -> None:
    everything_zero = Confusion(0, 0, 0, 9)
    assert stats.cohen_kappa(everything_zero) is None
    assert stats.krippendorff_alpha(everything_zero) is None
    assert stats.cohen_kappa(Confusion(0, 0, 0, 0)) is None
    # perfect agreement with both values present
    assert stats.cohen_kappa(Confusion(4, 0, 0, 6)) == pytest.approx(1.0)
    assert stats.krippendorff_alpha(Confusion(4, 0, 0, 6)) == pytest.approx(1.0)


def test_wilson_known_values() -> None:
    # The example: 6 of 17 gives about 17% to 59%.
    lo, hi = stats.wilson(6, 17)
    assert (round(100 * lo), round(100 * hi)) == (17, 59)
    lo, hi = stats.wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = stats.wilson(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.2775, abs=1e-4)
    assert stats.wilson(0, 0) is None


def test_rogan_gladen() -> None:
    assert stats.rogan_gladen(0.3, 0.9, 0.95) == pytest.approx(0.25 / 0.85)
    assert stats.rogan_gladen(0.02, 0.9, 0.95) == 0.0  # below the false-positive rate: clipped
    assert stats.rogan_gladen(0.99, 0.9, 0.99) == 1.0
    assert stats.rogan_gladen(0.5, 0.5, 0.5) is None  # no better than chance
    # a perfect machine changes nothing
    assert stats.rogan_gladen(0.42, 1.0, 1.0) == pytest.approx(0.42)


def test_corpus_rates_weight_the_strata_back() -> None:
    # A corpus of 100 flagged and 900 unflagged documents; the sample of 10 + 20 shows
    # precision 0.9 and negative predictive value 0.95. In the corpus: 90 true positives
    # found, 45 missed (5% of 900), 855 true negatives, 10 false positives.
    c = Confusion(tp=9, fp=1, fn=1, tn=19)
    sens, spec = stats.corpus_rates(c, 100, 900)
    assert sens == pytest.approx(90 / 135)
    assert spec == pytest.approx(855 / 865)
    # without the corpus counts: the sample's own rates
    assert stats.corpus_rates(c) == (pytest.approx(0.9), pytest.approx(19 / 20))


def test_bootstrap_is_seeded_and_keeps_strata() -> None:
    machine = np.array([1] * 10 + [0] * 10, dtype=bool)
    human = np.array([1] * 8 + [0] * 2 + [0] * 9 + [1], dtype=bool)
    a = stats.bootstrap_counts(machine, human, 500, np.random.default_rng(1))
    b = stats.bootstrap_counts(machine, human, 500, np.random.default_rng(1))
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x, y)
    tp, fp, fn, tn = a
    assert np.all(tp + fp == 10) and np.all(fn + tn == 10)
    lo, hi = stats.percentile_interval(stats.kappa_many(tp, fp, fn, tn))
    point = stats.cohen_kappa(Confusion.of(machine, human))
    assert lo < point < hi
