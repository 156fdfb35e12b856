"""themescan's own exceptions: library code raises these, only the CLI turns them into messages."""

from __future__ import annotations


class ThemescanError(Exception):
    """Base class for every error themescan reports to a user."""


class UsageError(ThemescanError):
    """The user asked for something that cannot be done (bad option, missing file, bad column)."""


class DocumentError(ThemescanError):
    """One document could not be read; `status` is the short reason for its CSV row."""

    def __init__(self, status: str, detail: str = "") -> None:
        super().__init__(detail or status)
        self.status = status


class LexiconError(ThemescanError):
    """A lexicon file is malformed; the message names the file and line."""


class ModelError(ThemescanError):
    """A model directory is missing, incomplete or unsafe to load."""
