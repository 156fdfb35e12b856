"""Scoring flags against gold labels: precision, recall, F1, Cohen's kappa and the counts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from themescan.errors import UsageError
from themescan.themes import THEMES


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    @property
    def kappa(self) -> float:
        n = self.tp + self.fp + self.fn + self.tn
        if not n:
            return 0.0
        observed = (self.tp + self.tn) / n
        expected = (
            (self.tp + self.fp) * (self.tp + self.fn) + (self.fn + self.tn) * (self.fp + self.tn)
        ) / (n * n)
        return (observed - expected) / (1 - expected) if expected < 1 else 1.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(
            precision=round(self.precision, 4),
            recall=round(self.recall, 4),
            f1=round(self.f1, 4),
            kappa=round(self.kappa, 4),
        )
        return d


@dataclass(frozen=True)
class Scores:
    """Agreement of predicted flags with gold labels over the same documents."""

    themes: tuple[ThemeScore, ...]
    documents: int
    unmatched: tuple[str, ...] = ()
    # 95% bootstrap interval of the macro F1 (documents resampled; see macro_f1_interval)
    interval: tuple[float, float] | None = None

    @property
    def macro_f1(self) -> float:
        return sum(t.f1 for t in self.themes) / len(self.themes)

    @property
    def kappa(self) -> float:
        """Cohen's kappa over all document-theme decisions pooled."""
        pooled = ThemeScore(
            "all",
            sum(t.tp for t in self.themes),
            sum(t.fp for t in self.themes),
            sum(t.fn for t in self.themes),
            sum(t.tn for t in self.themes),
        )
        return pooled.kappa

    @property
    def decisions(self) -> int:
        return self.documents * len(self.themes)

    @property
    def wrong(self) -> int:
        return sum(t.fp + t.fn for t in self.themes)

    @property
    def wrong_share_bound(self) -> float | None:
        """With no wrong decision the bootstrap cannot see past the set: the share of wrong
        decisions that a perfect score on this many still allows (exact, one-sided 95%)."""
        if self.wrong or not self.decisions:
            return None
        return 1 - 0.025 ** (1 / self.decisions)

    def as_dict(self) -> dict:
        bound = self.wrong_share_bound
        return {
            "documents": self.documents,
            "macro_f1": round(self.macro_f1, 4),
            "macro_f1_interval": [round(x, 4) for x in self.interval] if self.interval else None,
            "wrong_share_bound": round(bound, 4) if bound is not None else None,
            "kappa": round(self.kappa, 4),
            "themes": {t.theme: t.as_dict() for t in self.themes},
            "unmatched": list(self.unmatched),
        }


def score(predicted: Mapping[str, frozenset[str]], gold: Mapping[str, frozenset[str]]) -> Scores:
    """Compare flags per file; files in one but not the other are listed, not counted."""
    common = [f for f in gold if f in predicted]
    if not common:
        ours = ", ".join(sorted(predicted)[:2]) or "none"
        theirs = ", ".join(sorted(gold)[:2]) or "none"
        raise UsageError(
            "no file in the results matches a file in the labels (names are compared as "
            f"written, relative to the documents folder): results have {ours}; labels have "
            f"{theirs}"
        )
    unmatched = tuple(sorted(set(gold) ^ set(predicted)))
    themes = []
    for theme in THEMES:
        tp = sum(theme in predicted[f] and theme in gold[f] for f in common)
        fp = sum(theme in predicted[f] and theme not in gold[f] for f in common)
        fn = sum(theme not in predicted[f] and theme in gold[f] for f in common)
        themes.append(ThemeScore(theme, tp, fp, fn, len(common) - tp - fp - fn))
    interval = None
    if any(t.fp + t.fn for t in themes):  # else every resample is as perfect as the set
        interval = macro_f1_interval(
            [[t in predicted[f] for t in THEMES] for f in common],
            [[t in gold[f] for t in THEMES] for f in common],
        )
    return Scores(tuple(themes), len(common), unmatched, interval)


BOOTSTRAP = 1000


def macro_f1_interval(
    predicted: Sequence[Sequence[bool]], gold: Sequence[Sequence[bool]], seed: int = 2026
) -> tuple[float, float] | None:
    """The 95% percentile bootstrap interval of the macro F1 (documents drawn with replacement,
    BOOTSTRAP times, fixed seed): on 30 documents with a handful of positives per theme one
    document moves a theme's F1 by 0.1, and the interval says how far the figure could be from
    what more documents like these would give. None for fewer than 2 documents."""
    import numpy as np

    pred, truth = np.asarray(predicted, dtype=bool), np.asarray(gold, dtype=bool)
    if len(pred) < 2:
        return None
    draws = np.random.default_rng(seed).integers(0, len(pred), (BOOTSTRAP, len(pred)))
    p, t = pred[draws], truth[draws]  # resamples x documents x themes
    tp = (p & t).sum(axis=1)
    wrong = (p != t).sum(axis=1)
    f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0)  # no tp: 0, as ThemeScore
    lo, hi = np.percentile(f1.mean(axis=1), [2.5, 97.5])
    return float(lo), float(hi)


def trained_on(model: str | None) -> frozenset[str]:
    """Content hashes of the documents a model was trained on (from its model.json; empty for a
    rule, a model trained on passages only, or one made before models recorded them)."""
    import json
    from pathlib import Path

    from themescan.config import RULES, default_model_dir

    if model and model.lower() in RULES:
        return frozenset()
    folder = Path(model) if model else default_model_dir()
    try:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    hashes = meta.get("trained_on") if isinstance(meta, dict) else None
    return frozenset(h for h in hashes or () if isinstance(h, str))


def shared_sentences(
    paths: Iterable[str | os.PathLike[str]], model: str | None
) -> list[tuple[str, int, int]]:
    """(name, sentences shared with the model's training passages, sentences) for each document
    under `paths` made in good part of them (fingerprints.MIN_SHARED and MIN_SHARE): its score
    shows what the model remembers. Empty for a rule or a model without fingerprints."""
    from pathlib import Path

    from themescan.config import RULES, default_model_dir
    from themescan.errors import DocumentError
    from themescan.fingerprints import FILE, MIN_SHARE, MIN_SHARED, sentence_fingerprints
    from themescan.reading import find_documents, read_document

    if model and model.lower() in RULES:
        return []
    folder = Path(model) if model else default_model_dir()
    try:
        known = set((folder / FILE).read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return []
    out = []
    for path, name in find_documents(paths):
        try:
            document = read_document(path)
        except (DocumentError, OSError):
            continue
        prints = sentence_fingerprints("\n\n".join(p.text for p in document.pages))
        shared = len(prints & known)
        if shared >= MIN_SHARED and shared >= MIN_SHARE * len(prints):
            out.append((name, shared, len(prints)))
    return out


def seen_documents(paths: Iterable[str | os.PathLike[str]], model: str | None) -> list[str]:
    """Names of the documents under `paths` that `model` was trained on: scores on them say
    how well the model remembers, not how well it judges a new budget."""
    from themescan.cache import content_hash
    from themescan.reading import find_documents

    known = trained_on(model)
    if not known:
        return []
    seen = []
    for path, name in find_documents(paths):
        try:
            if content_hash(path) in known:
                seen.append(name)
        except OSError:
            continue
    return seen
