"""Many documents: find them, take what the cache knows, send the rest to workers, in order.

`scan(paths, config)` is the library's front door. It yields one DocumentResult per input file
in a stable order and never raises for a problem with one file (that file's status says what).
This module stays light: a run that the cache answers never loads spaCy or a model.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from themescan.cache import Cache
from themescan.config import Config
from themescan.errors import UsageError
from themescan.loading import check_config
from themescan.ocr import reading_key
from themescan.reading import Listing, list_documents
from themescan.results import DocumentResult, status_ok
from themescan.sanitise import display_name
from themescan.workers import (
    CRASHED,
    TIMED_OUT,
    Job,
    Progress,
    run_dask,
    run_local,
    run_pool,
)


@dataclass(frozen=True)
class _Slot:
    name: str
    digest: str | None
    cached: DocumentResult | None = None


def scan(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    config: Config | None = None,
    *,
    workers: int = 0,
    cache: Cache | None = None,
    skip: Collection[str] = (),
    scheduler: str | None = None,
    listing: Listing | None = None,
    progress: Progress | None = None,
) -> Iterator[DocumentResult]:
    """Yield a DocumentResult for every supported file under `paths` (files and folders, or one
    of them), in a stable order.

    workers: 0 runs in this process; N >= 1 uses N worker processes (crash-isolated).
    cache: reuse and store page texts and results. skip: file names already done (--resume).
    scheduler: address of a dask.distributed scheduler to run the work on instead.
    listing: the inputs as `list_documents(paths)` found them, when the caller has counted them
    already (then `paths` is not walked again). A file named directly that cannot be read
    (unsupported format, not a regular file) gets its row with that status.
    progress: called in this thread with an `OcrProgress` event (file, page, pages) while a
    document is being OCR'd, at most a few times a second, and once with done=True when its
    OCR is over; never for pages read from their text layer. Not on a dask scheduler.
    """
    if isinstance(paths, str | os.PathLike):  # one file or folder: not its characters
        paths = [paths]
    elif isinstance(paths, bytes) or not isinstance(paths, Iterable):
        raise UsageError(f"scan takes a path or an iterable of paths, not {paths!r}")
    else:
        paths = list(paths)  # a generator is walked once, and named in a message after
    if config is not None and not isinstance(config, Config):
        raise UsageError(f"config must be a themescan Config, not {config!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise UsageError(f"workers must be 0 (this process) or more, not {workers!r}")
    if cache is not None and not isinstance(cache, Cache):
        raise UsageError(f"cache must be a themescan Cache (Cache(path)) or None, not {cache!r}")
    config = config or Config()
    # pages are keyed by how they were read (OCR setting, Tesseract present), results by the
    # options too: a scan read without Tesseract is read and judged again once it is there
    reading = reading_key(config.ocr) if cache else ""
    key = f"{config.fingerprint()}:{reading}" if cache else ""
    order: deque[_Slot] = deque()
    checked = False

    def jobs() -> Iterator[Job]:
        nonlocal checked
        listed = listing or list_documents(paths)
        if not listed.found:  # a mistyped or empty folder is not "no attention anywhere"
            skipped = listed.describe_skipped()
            raise UsageError(
                "no documents found in "
                + ", ".join(os.fspath(p) for p in paths)
                + (f" (skipped: {skipped})" if skipped else "")
                + "; themescan reads .pdf, .txt and .html"
            )
        for found in listed.found:
            path, name = found.path, display_name(found.name)  # any bytes, printable
            if name in skip:
                continue
            if found.status:
                order.append(_Slot(name, None, DocumentResult(file=name, status=found.status)))
                continue
            digest = _digest(cache, path) if cache else None
            if cache and digest:
                hit = cache.result(digest, _result_key(key, name))
                if hit is not None:
                    order.append(_Slot(name, digest, hit))
                    continue
                document = cache.document(digest, reading)
                job = Job(str(path), name, document, want_pages=document is None)
                slot = _Slot(name, digest)
            else:
                job, slot = Job(str(path), name), _Slot(name, None)
            if not checked:  # before any worker starts; a fully cached run never needs it
                check_config(config)
                checked = True
            order.append(slot)
            yield job

    if scheduler:
        outcomes = run_dask(jobs(), config, scheduler)
    elif workers >= 1:
        outcomes = run_pool(jobs(), config, workers, progress)
    else:
        outcomes = run_local(jobs(), config, progress)

    for result, document in outcomes:
        while order and order[0].cached is not None:
            yield order.popleft().cached  # type: ignore[misc]
        slot = order.popleft()
        if cache and slot.digest:
            if document is not None and status_ok(document.status):
                cache.put_document(slot.digest, document, reading)
            if not result.status.startswith((CRASHED, TIMED_OUT)):  # may go another time
                cache.put_result(slot.digest, _result_key(key, slot.name), result)
        yield result
    while order:
        cached = order.popleft().cached
        if cached is not None:
            yield cached


def _digest(cache: Cache, path: os.PathLike[str] | str) -> str | None:
    try:
        return cache.digest(path)
    except OSError:
        return None  # the reader reports it


def _result_key(key: str, name: str) -> str:
    """Results are keyed by the file's name too: municipality, document type and year are
    guessed from it, so a copy under another name is judged again (from its cached pages)."""
    return f"{key}\n{name}"


def classify_file(path: str | os.PathLike[str], config: Config | None = None) -> DocumentResult:
    """Classify a single file in this process (convenient; for many files use scan), with the
    row scan gives it: an unsupported format or a file that cannot be opened is a status."""
    if os.path.isdir(path):
        raise UsageError(f"classify_file takes one file; {path} is a folder (use scan)")
    return next(iter(scan([path], config)))
