"""themescan: which digital themes Dutch municipal budgets give explicit attention to, with evidence.

>>> import themescan
>>> for result in themescan.scan(["budgets/"]):
...     print(result.file, [t.theme for t in result.themes if t.flag])
"""

from typing import Any

__version__ = "0.1.0"

# Heavy parts (spaCy, scikit-learn, PyMuPDF) load on first use, so `themescan --help` and a
# fully cached run start fast. Type checkers and editors read __init__.pyi, which names them.
_LAZY = {
    "Config": "themescan.config",
    "scan": "themescan.batch",
    "classify_file": "themescan.batch",
    "table": "themescan.aggregation",
    "Classifier": "themescan.pipeline",
    "explain": "themescan.pipeline",
    "DocumentResult": "themescan.results",
    "Evidence": "themescan.results",
    "Hit": "themescan.results",
    "Page": "themescan.results",
    "ThemeResult": "themescan.results",
    "THEMES": "themescan.themes",
    "Cache": "themescan.cache",
    "ThemescanError": "themescan.errors",
    "DocumentError": "themescan.errors",
    "UsageError": "themescan.errors",
    "read_labels": "themescan.training",
    "score": "themescan.evaluation",
}

__all__ = [
    "THEMES",
    "Cache",
    "Classifier",
    "Config",
    "DocumentError",
    "DocumentResult",
    "Evidence",
    "Hit",
    "Page",
    "ThemeResult",
    "ThemescanError",
    "UsageError",
    "__version__",
    "classify_file",
    "explain",
    "read_labels",
    "scan",
    "score",
    "table",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'themescan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
