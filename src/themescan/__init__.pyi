# What type checkers and editors see of the package; at run time each name loads on first use.
from themescan.aggregation import table as table
from themescan.batch import classify_file as classify_file
from themescan.batch import scan as scan
from themescan.cache import Cache as Cache
from themescan.config import Config as Config
from themescan.errors import DocumentError as DocumentError
from themescan.errors import ThemescanError as ThemescanError
from themescan.errors import UsageError as UsageError
from themescan.evaluation import score as score
from themescan.pipeline import Classifier as Classifier
from themescan.pipeline import explain as explain
from themescan.results import DocumentResult as DocumentResult
from themescan.results import Evidence as Evidence
from themescan.results import Hit as Hit
from themescan.results import Page as Page
from themescan.results import ThemeResult as ThemeResult
from themescan.themes import THEMES as THEMES
from themescan.training import read_labels as read_labels

__version__: str
__all__: list[str]
