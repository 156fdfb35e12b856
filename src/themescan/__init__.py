"""themescan: which digital themes Dutch municipal budgets give explicit attention to, with evidence."""

__version__ = "0.1.0"

from themescan.config import Config
from themescan.pipeline import Classifier, classify_file, scan
from themescan.results import DocumentResult, Evidence, Hit, Page, ThemeResult
from themescan.themes import THEMES

__all__ = [
    "THEMES",
    "Classifier",
    "Config",
    "DocumentResult",
    "Evidence",
    "Hit",
    "Page",
    "ThemeResult",
    "__version__",
    "classify_file",
    "scan",
]
