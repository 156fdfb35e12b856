"""One frozen object with every option that changes output; its hash keys the cache."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Config:
    """Options that change what themescan says about a document.

    lexicons: folder with the five theme lexicons (None: the packaged ones).
    model: a model folder (None: the packaged model; "none": the lexicon rule, no model).
    evidence: how many evidence passages to keep per theme.
    gemeenten: population file used to fill gemeente, inwoners and grootteklasse.
    klassen: upper bounds of klein and middel (inclusive for middel), as in BMC's table.
    """

    lexicons: str | None = None
    model: str | None = None
    evidence: int = 3
    gemeenten: str | None = None
    klassen: tuple[int, int] = (50_000, 100_000)

    def digest(self, *content_hashes: str) -> str:
        """A short hash of these options plus the hashes of the lexicons and model they load."""
        payload = json.dumps([asdict(self), list(content_hashes)], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
