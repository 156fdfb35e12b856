"""Pages without a usable text layer: drop unreadable ones, read them with Tesseract (Dutch).

OCR runs through PyMuPDF's own Tesseract support (`Page.get_textpage_ocr`), so it needs the
`tesseract` program with Dutch language data (`apt-get install tesseract-ocr tesseract-ocr-nld`)
and no Python package. The PDF reader calls `PageReview.review` once per page with the text it
extracted; the review decides, with the rules of textlayer.py, whether that text is kept,
dropped (not language) or replaced by OCR, and `PageReview.status` adds what happened to the
document's status. This module never imports PyMuPDF itself: it only calls the page it is given.

OCR is slow (seconds a page), so the review can report it: a `progress(page, pages)` hook is
called just before a page goes to Tesseract, and never for a page read from its text layer.
workers.py turns those calls into `OcrProgress` events for whoever shows progress.

--ocr modes: "never"; "auto" (the default: only pages without a usable text layer, an image
page or an unreadable one, and only when Tesseract with Dutch is installed); "always" (every
page, an error when Tesseract with Dutch is missing).
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themescan import textlayer
from themescan.config import OCR_MODES
from themescan.errors import UsageError

MODES = OCR_MODES
LANGUAGE = "nld"
DPI = 300
"""Pages are rendered at 300 dpi for Tesseract: its accuracy drops on small print below that."""
MAX_PIXELS = 36_000_000
"""Larger pages (a map in A0) are rendered at a lower resolution: memory stays bounded."""
MIN_IMAGE_SHARE = 0.3
"""In auto mode a page with little text is OCR'd when images cover this share of it (a scan)."""

_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tesseract-ocr/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/*/tessdata",
    "/opt/homebrew/share/tessdata",
)


@dataclass(frozen=True)
class OcrSupport:
    """Whether OCR can run here: the tesseract program and a folder with Dutch data."""

    tesseract: str | None
    tessdata: str | None

    @property
    def available(self) -> bool:
        return bool(self.tesseract and self.tessdata)

    def describe(self) -> str:
        """One line for `themescan info`."""
        if self.available:
            return f"available: tesseract {self.tesseract}, Dutch data in {self.tessdata}"
        if not self.tesseract:
            return "not available: tesseract not found (apt-get install tesseract-ocr tesseract-ocr-nld)"
        return f"not available: no Dutch data ({LANGUAGE}.traineddata; apt-get install tesseract-ocr-nld)"

    def key(self) -> str:
        """What OCR output depends on, for cache keys: a change of install re-reads documents."""
        return f"{LANGUAGE}@{self.tessdata}" if self.available else "unavailable"


def _has_language(folder: str | os.PathLike[str]) -> bool:
    return Path(folder, f"{LANGUAGE}.traineddata").is_file()


@functools.cache
def support() -> OcrSupport:
    """Find tesseract and its Dutch data (TESSDATA_PREFIX first, then the usual folders, then
    what `tesseract --list-langs` names); cached per process. Cheap unless all else fails."""
    exe = shutil.which("tesseract")
    if exe is None:
        return OcrSupport(None, None)
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for pattern in _TESSDATA_GLOBS:
        candidates.extend(sorted(glob.glob(pattern), reverse=True))
    for folder in candidates:
        if _has_language(folder):
            return OcrSupport(exe, folder)
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return OcrSupport(exe, None)
    m = re.search(r'List of available languages in "(.+?)"', out.stdout + out.stderr)
    if m and _has_language(m.group(1)):
        return OcrSupport(exe, m.group(1))
    return OcrSupport(exe, None)


def check_mode(mode: str) -> None:
    """Raise UsageError for an unknown mode, or for "always" when OCR cannot run here."""
    if mode not in MODES:
        raise UsageError(f"ocr must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "always" and not support().available:
        raise UsageError(f"--ocr always: OCR is {support().describe()}")


def reading_key(mode: str) -> str:
    """The part of a cache key that says how pages were read: the mode and, where OCR may run,
    whether it was installed (a scan read without Tesseract is read again once it is there)."""
    return "ocr=never" if mode == "never" else f"ocr={mode}:{support().key()}"


OcrHook = Callable[[int, int], None]
"""Called as hook(page, pages) before page `page` (1-based) of a document of `pages` is OCR'd."""


@dataclass(frozen=True)
class OcrProgress:
    """An event for a progress display: page `page` of the `pages` of document `file` is being
    read by Tesseract; `done` when that document's OCR is over (its line can go)."""

    file: str
    page: int
    pages: int
    done: bool = False


_DEFERRED = (signal.SIGINT, signal.SIGALRM)


@contextlib.contextmanager
def _signals_after_the_page() -> Iterator[None]:
    """Ctrl-C or a time limit (workers.py: SIGALRM) that comes while Tesseract reads a page
    takes effect once the page is done. Raised inside the middle of OCR, the exception lands in
    a PyMuPDF callback, which prints a traceback and swallows it: the run would neither stop nor
    time out. Only the main thread can hold signals (elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, Any]] = []
    held = {}
    for signum in _DEFERRED:
        handler = signal.getsignal(signum)
        if callable(handler):  # a Python handler: one that would raise
            held[signum] = handler
            signal.signal(signum, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        for signum, frame in caught[:1]:
            held[signum](signum, frame)  # raises KeyboardInterrupt, or the time limit's own


@dataclass(frozen=True)
class Review:
    """What to do with one page: keep its text, drop it, or read it from `textpage` (OCR)."""

    keep: bool
    textpage: Any = None


KEEP = Review(True)
DROP = Review(False)


def _scanned(page: Any, verdict: str) -> bool:
    """Little text, and an image (a scan) covering much of the page."""
    if verdict != textlayer.LITTLE:
        return False
    try:
        if not page.get_images():
            return False
        area = abs(page.rect)
        covered = sum(abs(page.rect & info["bbox"]) for info in page.get_image_info())
        return area > 0 and covered >= MIN_IMAGE_SHARE * area
    except Exception:
        return False


class PageReview:
    """Per document: reviews each page's extracted text and counts what it did."""

    def __init__(self, mode: str = "auto", progress: OcrHook | None = None) -> None:
        self.mode = mode
        self.progress = progress
        self.pages = 0
        self.unreadable = 0
        self.ocred = 0
        self.failed = 0
        self.unread_scans = 0  # pages that look scanned and were not OCR'd (mode, no Tesseract)

    def _wants_ocr(self, page: Any, verdict: str) -> bool:
        if self.mode == "always":
            return True
        if self.mode != "auto":
            return False
        if verdict == textlayer.UNREADABLE:
            return True
        return _scanned(page, verdict)

    def review(self, page: Any, text: str) -> Review:
        """Judge one page's extracted text; OCR it when the mode says so and OCR can run."""
        self.pages += 1
        verdict = textlayer.judge(text)
        tried = self._wants_ocr(page, verdict) and support().available
        if not tried and _scanned(page, verdict):
            self.unread_scans += 1  # said in the status: its text is missing from the judgment
        return self._review(page, verdict, tried)

    @staticmethod
    def _dpi(page: Any) -> int:
        inches = abs(page.rect) / 72 / 72
        return max(72, min(DPI, int((MAX_PIXELS / inches) ** 0.5))) if inches > 0 else DPI

    def _review(self, page: Any, verdict: str, tried: bool) -> Review:
        if tried:
            if self.progress is not None:
                self._report(page)
            try:
                with _signals_after_the_page():
                    textpage = page.get_textpage_ocr(
                        language=LANGUAGE,
                        dpi=self._dpi(page),
                        full=True,
                        tessdata=support().tessdata,
                    )
                ocr_text = page.get_text(textpage=textpage)
            except Exception:  # Tesseract or MuPDF failed on this page: a note, not a crash
                self.failed += 1
            else:
                # a photo gives no text, or noise: then the page stays as it was
                if textlayer.judge(ocr_text) == textlayer.TEXT:
                    self.ocred += 1
                    return Review(True, textpage)
        if verdict == textlayer.UNREADABLE:
            self.unreadable += 1
            return DROP
        return KEEP

    def _report(self, page: Any) -> None:
        """Tell the hook which page goes to Tesseract. A failing hook is dropped: a progress
        display must never change what is read (an interrupt or a time limit still passes)."""
        try:
            self.progress(page.number + 1, page.parent.page_count)  # type: ignore[misc]
        except Exception:
            self.progress = None

    def notes(self) -> list[str]:
        n = self.pages
        notes = []
        if self.ocred:
            notes.append(f"{self.ocred} of {n} pages OCR'd")
        if self.unreadable:
            notes.append(f"{self.unreadable} of {n} pages unreadable")
        if self.failed:
            notes.append(f"OCR failed on {self.failed} of {n} pages")
        if self.unread_scans:
            notes.append(f"{self.unread_scans} of {n} pages scanned, not OCR'd")
        return notes

    def status(self, status: str) -> str:
        """The reader's status with what this review did: "ok" gains a note ("ok: 2 of 40
        pages OCR'd"), a document with no readable text left says why."""
        notes = self.notes()
        if status.startswith("no text") and self.unreadable:
            detail = f"{self.unreadable} of {self.pages} pages"
            if self.failed:
                detail += f"; OCR failed on {self.failed}"
            return f"no text: unreadable text layer ({detail})"
        if status.startswith("no text") and self.failed:
            return f"{status} (OCR failed on {self.failed} of {self.pages} pages)"
        if status.startswith("no text"):  # "scanned?" says it of the whole document
            notes = [n for n in notes if "scanned" not in n]
        if not notes:
            return status
        return (
            f"{status}: {'; '.join(notes)}" if status == "ok" else f"{status}; {'; '.join(notes)}"
        )
