"""themescan: which digital themes Dutch municipal budgets give explicit attention to, with evidence.

>>> import themescan
>>> for result in themescan.scan(["budgets/"]):
...     print(result.file, [t.theme for t in result.themes if t.flag])
"""

from typing import Any

__version__ = "0.1.0"

# Heavy parts (spaCy, scikit-learn, PyMuPDF) load on first use, so `themescan --help` and a
# fully cached run start fast.
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
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'themescan' has no attribute {name!r}")
