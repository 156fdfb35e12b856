"""One frozen object with every option that changes output; its fingerprint keys the cache.

Deliberately light (no spaCy, no scikit-learn): a fully cached run never loads a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from themescan import __version__
from themescan.errors import LexiconError, ModelError, UsageError

DEFAULT_BOUNDS: tuple[int, int] = (50_000, 100_000)
"""klein < 50.000 <= middel <= 100.000 < groot: the size classes of the BMC study."""
RULES = ("none", "keywords")  # model=... values that score without a trained model
OCR_MODES = ("auto", "never", "always")  # see themescan.ocr


def check_bounds(bounds: object, name: str = "bounds") -> tuple[int, int]:
    """The upper bounds of klein and middel as a tuple, or UsageError: two whole numbers of
    inhabitants, above 0 and ascending (as `--klassen` is checked)."""
    values = tuple(bounds) if isinstance(bounds, tuple | list) else ()
    if (
        len(values) != 2
        or not all(isinstance(b, int) and not isinstance(b, bool) for b in values)
        or not (0 < values[0] < values[1])
    ):
        raise UsageError(
            f"{name} must be two ascending population bounds such as (50000, 100000), "
            f"not {bounds!r}"
        )
    return values  # type: ignore[return-value]


@dataclass(frozen=True)
class Config:
    """Options that change what themescan says about a document.

    lexicons: folder with the five theme lexicons (None: the packaged ones).
    model: a model folder (None: the packaged model; "none": the lexicon rule without a model;
        "keywords": the keyword-presence baseline).
    evidence: how many evidence passages to keep per theme.
    gemeenten: population file used to fill gemeente, inwoners and grootteklasse; or a folder of
        such files, one per year (the year in each name): a document gets the file of its year.
    klassen: upper bounds of klein and middel (inclusive for middel), as in BMC's table.
    ocr: "auto" (OCR pages without a usable text layer when Tesseract with Dutch is installed),
        "never" or "always" (see themescan.ocr).
    time_limit: seconds one document may take in a worker before its row says
        `error: timed out after N s` (not part of the fingerprint: it changes no result that
        is kept, as a timed-out document is not cached).
    """

    # a path may be given as a Path; it is kept as text (see __post_init__)
    lexicons: str | os.PathLike[str] | None = None
    model: str | os.PathLike[str] | None = None
    evidence: int = 3
    gemeenten: str | os.PathLike[str] | None = None
    klassen: tuple[int, int] = DEFAULT_BOUNDS
    ocr: str = "auto"
    time_limit: float = 300.0

    def __post_init__(self) -> None:
        """Refuse options no run could use, when they are set (a library user's Config(ocr="x")
        failed only inside scan, and a negative evidence count or reversed size bounds ran).
        A path given as a Path is kept as text and klassen as a tuple, so that the fingerprint
        and the hash of a Config work whatever the caller passed."""
        for name in ("lexicons", "model", "gemeenten"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, name, os.fspath(value))
            elif value is not None and not isinstance(value, str):
                raise UsageError(f"{name} must be a path or None, not {value!r}")
        if isinstance(self.klassen, list):
            object.__setattr__(self, "klassen", tuple(self.klassen))
        if self.ocr not in OCR_MODES:
            raise UsageError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        if not isinstance(self.evidence, int) or self.evidence < 0:
            raise UsageError(f"evidence must be a whole number of 0 or more, not {self.evidence!r}")
        check_bounds(self.klassen, "klassen")
        if not self.time_limit >= 0:
            raise UsageError(
                f"time_limit must be 0 (none) or more seconds, not {self.time_limit!r}"
            )

    @property
    def rule(self) -> str | None:
        name = (self.model or "").lower()
        return name if name in RULES else None

    def fingerprint(self) -> str:
        """A short hash of these options and of the contents they point to (lexicon files,
        model weights, population file), so a cached result is never stale."""
        options = asdict(self)
        options.pop("time_limit")
        h = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
        h.update(__version__.encode())
        lexicons = Path(self.lexicons) if self.lexicons else default_lexicon_dir()
        for f in sorted(Path(str(lexicons)).glob("*.toml")):
            h.update(f.name.encode() + f.read_bytes())
        if not self.rule:
            model = Path(self.model) if self.model else default_model_dir()
            try:
                h.update((model / "model.json").read_bytes())
            except OSError:
                raise ModelError(f"not a themescan model folder: {model}") from None
        if self.gemeenten:
            with contextlib.suppress(OSError):  # reported when the population file is read
                for f in population_files(self.gemeenten):
                    h.update(f.name.encode() + f.read_bytes())
        return h.hexdigest()[:16]


POPULATION_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


def population_files(path: str | Path) -> list[Path]:
    """The files a --gemeenten path stands for: the file itself, or a folder's CSV, TSV, TXT and
    XLSX files (one per year), sorted by name."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    return sorted(
        f
        for f in path.iterdir()
        if f.suffix.lower() in POPULATION_SUFFIXES and not f.name.startswith(".") and f.is_file()
    )


def _data_dir(*parts: str) -> Path | None:
    packaged = resources.files("themescan").joinpath("data", *parts)
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2].joinpath(*parts)
    return checkout if checkout.is_dir() else None


def default_lexicon_dir() -> Path:
    """The lexicons shipped in the package (in a source checkout, the repo's lexicons/)."""
    found = _data_dir("lexicons")
    if found is None:
        raise LexiconError("the packaged lexicons are missing; reinstall themescan")
    return found


def default_model_dir() -> Path:
    """The model shipped in the package (in a source checkout, the repo's models/default/)."""
    found = _data_dir("models", "default")
    if found is None:
        raise ModelError("the packaged model is missing; reinstall themescan")
    return found
