"""Check, before any work starts, that what a `Config` points to loads: lexicons, model, population.

`Config` only holds options; the modules that load lexicons, models and population files are the
ones that know whether a file is usable, so checking lives here, one layer above them (config ->
lexicon / modelfile / municipalities -> loading -> batch). Called in the calling process, so a
broken option fails with one clear message instead of once in every worker.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from themescan.config import Config, default_model_dir

_SAID: set[str] = set()


class LexiconMismatchWarning(UserWarning):
    """The model was trained with other lexicons than the ones in use."""


def lexicon_mismatch(model: Path, digest: str) -> str | None:
    """Why a model and the lexicons in use do not belong together, or None: a model learns
    weights for its lexicons' hits (model.json records their hash), and other lexicons give
    other hits, so other flags (trial 13: without a word)."""
    try:
        trained = json.loads((model / "model.json").read_text(encoding="utf-8")).get("lexicon_hash")
    except (OSError, ValueError, AttributeError):
        return None  # check_model_dir reports a broken model
    if not isinstance(trained, str) or trained == digest:
        return None
    return (
        f"the model was trained with other lexicons (hash {trained}) than the ones in use "
        f"({digest}): its weights belong to the hits of its own lexicons. Use the lexicons "
        "it was trained with (--lexicons), or train it again with these"
    )


def check_model_dir(path: Path, arrays: bool = True) -> None:
    """Fail with ModelError unless `path` is a model folder themescan can load: model.json
    against its schema and weights.npz against its hash; with `arrays`, every array by its
    header and values too (modelfile.validate_model_dir), which needs numpy."""
    from themescan.modelfile import check_model_file, validate_model_dir

    (validate_model_dir if arrays else check_model_file)(path)


def check_config(config: Config, arrays: bool = True) -> None:
    """Fail early on options that cannot work: broken lexicons, a missing or broken model folder,
    an unreadable population file, OCR asked for without Tesseract. Raises LexiconError,
    ModelError or UsageError.

    The command line checks with arrays=False before it opens any output (a run the cache
    answers needs no more); the model's arrays are checked in full before the first worker
    starts (batch.scan)."""
    from themescan.lexicon import load_lexicons
    from themescan.municipalities import read_population
    from themescan.ocr import check_mode

    check_mode(config.ocr)
    lexicons = load_lexicons(config.lexicons)
    if not config.rule:
        folder = Path(config.model) if config.model else default_model_dir()
        check_model_dir(folder, arrays)
        note = lexicon_mismatch(folder, lexicons.digest)
        if note and note not in _SAID:  # once per process (checked again before the workers)
            _SAID.add(note)
            warnings.warn(note, LexiconMismatchWarning, stacklevel=2)
    if config.gemeenten:
        read_population(config.gemeenten)
