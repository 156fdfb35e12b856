"""The library as a notebook user meets it (trial 11): paths as Path objects, themescan's own
exceptions for bad arguments, the same status for a file whichever function reads it, names
that editors and type checkers can see, and a repr that fits on a screen."""

from __future__ import annotations

from pathlib import Path

import pytest

import themescan
from themescan import Config, DocumentError, UsageError, classify_file, explain, scan

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_paths_may_be_path_objects_everywhere(tmp_path: Path) -> None:
    """Config(gemeenten=Path(...)) crashed inside scan with 'PosixPath is not JSON
    serializable'; Path objects now work as text does, and a Config with klassen as a list
    is hashable."""
    config = Config(gemeenten=SAMPLES / "gemeenten.csv", lexicons=Path("lexicons").resolve())
    assert config.gemeenten == str(SAMPLES / "gemeenten.csv")
    assert (
        config.fingerprint()
        == Config(
            gemeenten=str(SAMPLES / "gemeenten.csv"), lexicons=str(Path("lexicons").resolve())
        ).fingerprint()
    )
    rows = list(scan(SAMPLES, config))
    assert len(rows) == 9 and all(r.inwoners for r in rows)
    assert hash(Config(klassen=[50_000, 100_000])) == hash(Config())


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: list(scan(None)), "a path or an iterable of paths"),
        (lambda: list(scan(5)), "a path or an iterable of paths"),
        (lambda: list(scan(b"/tmp")), "a path or an iterable of paths"),
        (lambda: list(scan(SAMPLES, "none")), "must be a themescan Config"),
        (lambda: list(scan(SAMPLES, workers=-1)), "workers must be 0"),
        (lambda: list(scan(SAMPLES, workers="2")), "workers must be 0"),
        (lambda: Config(model=3), "model must be a path or None"),
        # trial 12: a cache given as a path crashed with AttributeError deep in scan
        (lambda: list(scan(SAMPLES, cache="results.csv")), "cache must be a themescan Cache"),
        # trial 12: table accepted bounds the CLI refuses, and printed 'middel 100.000-5'
        (lambda: themescan.table([], bounds=(100_000, 5)), "ascending population bounds"),
        (lambda: themescan.table([], bounds=(-5, 0)), "ascending population bounds"),
        # trial 12: a folder where a file belongs is a usage mistake, as in classify_file
        (lambda: explain(SAMPLES), "explain takes one file"),
    ],
)
def test_bad_arguments_raise_themescan_s_own_error(call, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()


def test_an_empty_folder_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    """A mistyped or empty corpus folder yielded [] without a word: read as 'no attention'."""
    (tmp_path / "notes.md").write_text("# notities\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"no documents found .*skipped: 1 \.md"):
        list(scan(tmp_path))


def test_one_file_gets_the_status_scan_gives_it(tmp_path: Path) -> None:
    """classify_file read a .md as text and flagged it, where scan says 'unsupported format';
    explain did the same."""
    notes = tmp_path / "notes.md"
    notes.write_text("Wij stellen een CISO aan en voeren de BIO in.\n", encoding="utf-8")
    [row] = list(scan([notes]))
    assert classify_file(notes).status == row.status == "error: unsupported format .md"
    with pytest.raises(DocumentError, match="unsupported format"):
        explain(notes)
    with pytest.raises(UsageError, match="is a folder"):
        classify_file(tmp_path)


def test_the_package_names_what_it_offers() -> None:
    """dir(themescan) gave ['Any']: no completion for scan or Config; the errors and Cache
    could only be imported from submodules."""
    names = dir(themescan)
    for name in ("scan", "Config", "Cache", "DocumentError", "ThemescanError", "read_labels"):
        assert name in names and getattr(themescan, name) is not None
    pkg = Path(themescan.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "__init__.pyi").exists()
    stub = (pkg / "__init__.pyi").read_text(encoding="utf-8")
    assert all(f" as {name}" in stub for name in themescan.__all__ if name != "__version__")


def test_a_result_s_repr_fits_on_a_screen() -> None:
    """One DocumentResult's repr was 26,000 characters (every lexicon hit)."""
    result = next(r for r in scan(SAMPLES) if r.hits)
    assert len(repr(result)) < 400 and result.file in repr(result)
    assert result.flagged == tuple(t.theme for t in result.themes if t.flag)
    with pytest.raises(ValueError, match="unknown theme 'smart-city'"):
        result.theme("smart-city")
