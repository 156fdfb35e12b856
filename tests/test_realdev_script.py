"""scripts/realdev.py's bootstrap uses its own vectorised macro F1: it must agree with
evaluation.score, or the intervals it prints would be about a different number."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from themescan.evaluation import score
from themescan.themes import THEMES

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "realdev.py"


def _script():
    spec = importlib.util.spec_from_file_location("realdev_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _themes(row) -> frozenset[str]:
    return frozenset(t for t, on in zip(THEMES, row, strict=True) if on)


def test_bootstrap_macro_f1_is_the_evaluation_macro_f1():
    realdev = _script()
    rng = np.random.default_rng(1)
    for size in (1, 3, 40):
        for _ in range(30):
            pred = rng.random((size, len(THEMES))) < 0.3
            truth = rng.random((size, len(THEMES))) < 0.3
            names = [f"d{i}" for i in range(size)]
            flags = {n: _themes(row) for n, row in zip(names, pred, strict=True)}
            gold = {n: _themes(row) for n, row in zip(names, truth, strict=True)}
            assert realdev._macro_f1(pred, truth) == score(flags, gold).macro_f1
