"""What themescan is running with: versions, language pipeline, lexicons and model."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

from themescan import __version__
from themescan.language import pipeline_name
from themescan.lexicon import load_lexicons
from themescan.model import PassageModel
from themescan.ocr import support as ocr_support


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe(model: str | None = None, lexicons: str | None = None) -> dict[str, str]:
    """Key facts as strings, for `themescan info` and bug reports."""
    lex = load_lexicons(lexicons)
    info = {
        "themescan": __version__,
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "pymupdf": _version("pymupdf"),
        "scikit-learn": _version("scikit-learn"),
        "language pipeline": pipeline_name(),
        "ocr": ocr_support().describe(),
        "lexicons": f"{lex.origin} (hash {lex.digest}, {sum(len(t.terms) for t in lex.themes)} terms)",
    }
    if (model or "").lower() == "none":
        info["model"] = "none: lexicon rule"
    else:
        m = PassageModel.load(model)
        made = m.meta.get("versions", {})
        info["model"] = (
            f"{m.meta.get('path')} (created {m.meta.get('created', '?')}, themescan "
            f"{made.get('themescan', '?')}, lexicon hash {m.meta.get('lexicon_hash', '?')})"
        )
        weights = {t: m.lexicon_weights.get(t, 0.0) for t in m.themes}
        info["lexicon rule in passage scores"] = (
            ", ".join(
                f"{t} {w:g}" if w > 0 else f"{t} none (model alone)" for t, w in weights.items()
            )
            if any(weights.values())
            else "none (model alone)"
        )
        # real text first: it is the figure that matters (text no one here wrote); the figures
        # on our own passages and composed budgets are optimistic, and say so
        real = m.meta.get("real_text")
        if real:
            whole = (
                f"{real['macro_f1']:.3f} on {real['set']} "
                f"(keyword search {real['keywords_macro_f1']:.3f})"
            )
            later = real.get("untouched")
            if isinstance(later, dict) and isinstance(later.get("macro_f1"), float):
                # the unbiased figure leads; the whole set was partly used to make choices
                whole = (
                    f"{later['macro_f1']:.3f} on {later.get('set', '')}; {whole}, "
                    "choices were made on part of them"
                )
            info["model on real text"] = f"macro F1 {whole}"
        held_out = m.meta.get("held_out")
        if held_out:
            info["model on composed budgets"] = (
                f"macro F1 {held_out['macro_f1']:.3f} on {held_out['set']} (written by the team "
                "like the training passages, and design choices were checked on it: optimistic)"
            )
        cv = m.meta.get("cross_validation", {})
        if cv.get("macro_f1") is not None:
            info["model cross-validation"] = (
                f"macro F1 {cv['macro_f1']:.3f} on the model's own training passages, "
                f"without the lexicon blend ({cv.get('method', '')})"
            )
    return info
