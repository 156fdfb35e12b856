"""Check, before any work starts, that what a `Config` points to loads: lexicons, model, population.

`Config` only holds options; the modules that load lexicons, models and population files are the
ones that know whether a file is usable, so checking lives here, one layer above them (config ->
lexicon / model / municipalities -> loading -> batch). Called once in the calling process, so a
broken option fails with one clear message instead of once in every worker.
"""

from __future__ import annotations

from pathlib import Path

from themescan.config import Config, default_model_dir
from themescan.errors import ModelError


def check_model_dir(path: Path) -> None:
    """Fail with ModelError unless `path` is a model folder themescan can load: model.json
    against its schema, every array by its header and values (model.validate_model_dir)."""
    if not (path / "model.json").is_file() or not (path / "weights.npz").is_file():
        raise ModelError(f"not a themescan model folder (model.json, weights.npz): {path}")
    from themescan.model import validate_model_dir  # numpy: only when work is done

    validate_model_dir(path)


def check_config(config: Config) -> None:
    """Fail early on options that cannot work: broken lexicons, a missing or broken model folder,
    an unreadable population file, OCR asked for without Tesseract. Raises LexiconError, ModelError or UsageError."""
    from themescan.lexicon import load_lexicons
    from themescan.municipalities import read_population
    from themescan.ocr import check_mode

    check_mode(config.ocr)
    load_lexicons(config.lexicons)
    if not config.rule:
        check_model_dir(Path(config.model) if config.model else default_model_dir())
    if config.gemeenten:
        read_population(config.gemeenten)
