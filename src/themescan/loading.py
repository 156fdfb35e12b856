"""Check, before any work starts, that what a `Config` points to loads: lexicons, model, population.

`Config` only holds options; the modules that load lexicons, models and population files are the
ones that know whether a file is usable, so checking lives here, one layer above them (config ->
lexicon / modelfile / municipalities -> loading -> batch). Called in the calling process, so a
broken option fails with one clear message instead of once in every worker.
"""

from __future__ import annotations

from pathlib import Path

from themescan.config import Config, default_model_dir


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
    load_lexicons(config.lexicons)
    if not config.rule:
        check_model_dir(Path(config.model) if config.model else default_model_dir(), arrays)
    if config.gemeenten:
        read_population(config.gemeenten)
