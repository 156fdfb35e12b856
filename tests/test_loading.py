"""check_config: options that cannot work fail once, early, with themescan's own errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from themescan.config import Config
from themescan.errors import LexiconError, ModelError, UsageError
from themescan.loading import check_config


def test_the_packaged_defaults_pass() -> None:
    check_config(Config())


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a themescan model folder"):
        check_config(Config(model=str(tmp_path)))


def test_rule_models_need_no_folder() -> None:
    check_config(Config(model="keywords"))


def test_a_broken_population_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("gemeente,inwoners\nKwakveen,veel\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 2"):
        check_config(Config(model="none", gemeenten=str(bad)))


def test_a_missing_lexicon_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LexiconError):
        check_config(Config(model="none", lexicons=str(tmp_path / "nowhere")))
