"""Running the per-document work in worker processes (or on a dask cluster), in input order.

Each worker loads the Classifier once. A worker that dies inside a document (even a segfault in
a PDF library) costs only that document: the documents that were in flight are retried one by
one in a fresh process, and the one that kills its process again gets `error: worker crashed`.

A document that takes longer than Config.time_limit gets `error: timed out after N s` and the
run goes on: the worker interrupts it itself (an alarm signal, between Python steps), and a
worker stuck inside a C library past twice the limit is ended by the main process.

OCR takes seconds a page, so a long scan would leave a progress display silent for minutes.
Given a `progress` callback, run_local and run_pool call it with an `OcrProgress` event while a
document is being OCR'd (at most one per PROGRESS_INTERVAL per document, and a last one with
done=True), always in the calling process and thread: pool workers post small tuples on a
multiprocessing queue that the main process empties while it waits for results. Pages read from
their text layer cost nothing. On dask, progress stays per document.
"""

from __future__ import annotations

import gc
import math
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from themescan.config import Config
from themescan.ocr import OcrHook, OcrProgress
from themescan.results import Document, DocumentResult

if TYPE_CHECKING:  # the pool machinery loads only when a pool is used
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.queues import Queue

CRASHED = "error: worker crashed"
TIMED_OUT = "error: timed out"
HARD_GRACE = 10.0  # seconds past twice the limit before the main process ends a stuck worker
PROGRESS_INTERVAL = 0.25  # seconds: at most four OCR events a second per document

Progress = Callable[[OcrProgress], None]


def timed_out(name: str, limit: float) -> DocumentResult:
    return DocumentResult(file=name, status=f"{TIMED_OUT} after {limit:g} s")


class _TimeUp(BaseException):
    """Raised by the alarm in the middle of a document; not an Exception, so that no reader's
    `except Exception` swallows it."""


@dataclass(frozen=True)
class Job:
    """One document to do: read it (unless its cached pages come along) and judge it."""

    path: str
    name: str
    document: Document | None = None
    want_pages: bool = False


Outcome = tuple[DocumentResult, Document | None]

_classifier = None
_events: Queue | None = None  # in a pool worker whose main process wants OCR progress
_posting = False  # an event is being put on the queue: the time limit waits a moment


def _init(config: Config, events: Queue | None = None) -> None:
    global _classifier, _events
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # classify turns SIGTERM into KeyboardInterrupt; a worker forked under that handler took the
    # terminate that ends it for an interrupt of its document and waited on for work, so an
    # interrupted run hung at its end (trial 8: 2 of 12 Ctrl-C). A worker ends on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _exit_with_parent()
    if events is not None:
        events.cancel_join_thread()  # a worker never waits at exit for events nobody reads
        _events = events
    from themescan.pipeline import Classifier

    _classifier = Classifier(config)
    _quiet_gc()


# A worker allocates a page's worth of short-lived dicts and lists at a time and makes almost no
# reference cycles, so the cyclic collector's work is nearly all waste: 1.7% of the time of a
# run over the benchmark corpus, 0.0% with these settings (measured with gc.callbacks).
GC_THRESHOLD = (10_000, 10, 10)


def _quiet_gc() -> None:
    """In a worker process (ours alone): keep the loaded model and lexicons out of every
    collection (they live as long as the worker) and collect cycles less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _exit_with_parent() -> None:
    """A worker whose main process was killed (kill -9) must not linger holding memory."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="themescan-parent-watch", daemon=True).start()


class _Throttle:
    """The OCR hook for one document: passes a call on at most once per PROGRESS_INTERVAL (the
    first always) and remembers the last page, so that the end can be reported."""

    def __init__(self, send: OcrHook) -> None:
        self.send = send
        self.last = -math.inf
        self.page = self.pages = 0

    def __call__(self, page: int, pages: int) -> None:
        self.page, self.pages = page, pages
        now = time.monotonic()
        if now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            self.send(page, pages)

    @property
    def sent(self) -> bool:
        return self.last > -math.inf


def _run(job: Job, hook: OcrHook | None = None) -> Outcome:
    assert _classifier is not None
    limit = _classifier.config.time_limit
    alarm = limit > 0 and threading.current_thread() is threading.main_thread()
    if alarm:
        previous = signal.signal(signal.SIGALRM, _time_up)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        extra = {} if hook is None else {"progress": hook}  # without: the plain 3-argument call
        result, document = _classifier.process(job.path, job.name, job.document, **extra)
    except _TimeUp:
        return timed_out(job.name, limit), None
    except Exception as exc:  # a bug of ours must cost one row, not the run
        return DocumentResult(file=job.name, status=f"error: internal ({type(exc).__name__})"), None
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return result, (document if job.want_pages and job.document is None else None)


def _time_up(signum: int, frame: object) -> None:
    if _posting:  # never leave the event queue half-updated: stop the document just after
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        return
    raise _TimeUp()


def _run_in_worker(job: Job, token: int) -> Outcome:
    """_run in a pool worker; OCR events go to the main process tagged with the job's token
    (small fixed-size messages, so a worker killed while writing one cannot leave half)."""
    if _events is None:
        return _run(job)
    return _run(job, _Throttle(lambda page, pages: _post(token, page, pages)))


def _post(token: int, page: int, pages: int) -> None:
    global _posting
    if _events is None:
        return
    _posting = True
    try:
        _events.put_nowait((token, page, pages))  # a feeder thread writes it: never blocks
    except Exception:  # a closed or broken queue costs the progress display, not the document
        pass
    finally:
        _posting = False


class _Callback:
    """The caller's progress callback, called in this process; one that fails is dropped (a
    display must never cost a document)."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback

    def __call__(self, event: OcrProgress) -> None:
        if self.callback is None:
            return
        try:
            self.callback(event)
        except Exception:
            self.callback = None


def run_local(
    jobs: Iterable[Job], config: Config, progress: Progress | None = None
) -> Iterator[Outcome]:
    """In this process: no isolation, no start-up cost (library default, tests, debugging).
    progress: called with OcrProgress events while a document is OCR'd."""
    _init_here(config)
    report = _Callback(progress)
    for job in jobs:
        if progress is None:
            yield _run(job)
            continue
        hook = _Throttle(lambda page, pages, name=job.name: report(OcrProgress(name, page, pages)))
        outcome = _run(job, hook)
        if hook.sent:
            report(OcrProgress(job.name, hook.page, hook.pages, done=True))
        yield outcome


_loaded = ""  # the fingerprint of what _classifier was loaded from, in this process


def _init_here(config: Config) -> None:
    """Load the Classifier once per process, again when the options or the files they point
    to changed (a model retrained into the same folder must not be judged by the old one)."""
    global _classifier, _loaded
    from themescan.pipeline import Classifier

    fingerprint = config.fingerprint()
    if _classifier is None or _classifier.config != config or _loaded != fingerprint:
        _classifier = Classifier(config)
        _loaded = fingerprint


class _Pool:
    def __init__(self, config: Config, workers: int, events: bool = False) -> None:
        self.config = config
        self.workers = workers
        self.want_events = events
        self.events = self._queue()
        self.executor = self._new(workers, self.events)

    def _queue(self) -> Queue | None:
        """A fresh queue for each set of workers: one a killed worker may have left locked is
        never used again."""
        if not self.want_events:
            return None
        import multiprocessing

        return multiprocessing.get_context().Queue()

    def _new(self, workers: int, events: Queue | None = None) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(workers, initializer=_init, initargs=(self.config, events))

    def submit(self, job: Job, token: int) -> Future[Outcome]:
        return self.executor.submit(_run_in_worker, job, token)

    def restart(self) -> None:
        _stop(self.executor)
        self._close_events()
        self.events = self._queue()
        self.executor = self._new(self.workers, self.events)

    def _close_events(self) -> None:
        if self.events is not None:
            self.events.close()
            self.events = None

    def isolated(self, job: Job) -> Outcome:
        """Run one job alone in a fresh process; a crash there is that document's."""
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        single = self._new(1)  # a retry after a crash: progress per document only
        try:
            return single.submit(_run, job).result(timeout=self.hard_limit)
        except BrokenProcessPool:
            return DocumentResult(file=job.name, status=CRASHED), None
        except FutureTimeout:
            return timed_out(job.name, self.config.time_limit), None
        finally:
            _stop(single)

    @property
    def hard_limit(self) -> float | None:
        """When the main process ends a worker: twice the limit (a job may wait its turn in
        the pool's queue for one document) plus a grace."""
        limit = self.config.time_limit
        return 2 * limit + HARD_GRACE if limit > 0 else None

    def close(self, finished: bool) -> None:
        if finished:
            self.executor.shutdown(wait=True)
        else:
            _stop(self.executor)
        self._close_events()


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop now: drop queued jobs and end the workers (an interrupted run, a broken pool)."""
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Entry:
    """A job between being taken from the input and its outcome being yielded."""

    job: Job
    size: int
    future: Future[Outcome] | None = None
    outcome: Outcome | None = None
    started: float | None = None  # when its future was first seen running

    @property
    def finished(self) -> bool:
        return self.outcome is not None or (self.future is not None and self.future.done())


class _Relay:
    """OCR events from the workers to the caller's callback, in the main process (the callback
    may draw on a terminal; a thread doing that could hang a worker forked meanwhile)."""

    def __init__(self, callback: Progress) -> None:
        self.report = _Callback(callback)
        self.tokens = 0
        self.running: dict[int, _Entry] = {}  # submitted and not finished, by token
        self.shown: dict[int, OcrProgress] = {}  # the last event of each, until it finishes

    def token(self, entry: _Entry) -> int:
        self.tokens += 1
        self.running[self.tokens] = entry
        return self.tokens

    def pump(self, events: Queue | None) -> None:
        """Pass on what the workers posted, then end the lines of documents that finished."""
        from queue import Empty

        while events is not None:
            try:
                token, page, pages = events.get_nowait()
            except Empty:
                break
            except Exception:  # a queue broken by a killed worker: no more progress from it
                break
            entry = self.running.get(token)
            if entry is None or entry.finished:  # late: its result came first
                continue
            self.shown[token] = event = OcrProgress(entry.job.name, page, pages)
            self.report(event)
        for token, entry in list(self.running.items()):
            if entry.finished:
                del self.running[token]
                if token in self.shown:
                    self.report(replace(self.shown.pop(token), done=True))


def _entry(job: Job) -> _Entry:
    try:
        size = os.path.getsize(job.path)
    except OSError:
        size = 0
    return _Entry(job, size)


def _recover(pool: _Pool, buffer: Iterable[_Entry]) -> None:
    """A worker died: start a new pool and run each job the crash took down again on its own,
    so that only the document that kills its process again gets `error: worker crashed`."""
    pool.restart()
    for e in buffer:
        if e.future and e.outcome is None and not _succeeded(e.future):
            e.future, e.outcome = None, pool.isolated(e.job)


def _overdue(pool: _Pool, buffer: Iterable[_Entry]) -> bool:
    """Give a job stuck past the hard limit its timed-out row; True when one was (the pool must
    then be restarted, as its worker cannot be interrupted)."""
    limit = pool.hard_limit
    if limit is None:
        return False
    now = time.monotonic()
    found = False
    for e in buffer:
        if e.future is None or e.outcome is not None or e.future.done():
            continue
        if e.started is None:
            if e.future.running():
                e.started = now
        elif now - e.started > limit:
            e.outcome = timed_out(e.job.name, pool.config.time_limit), None
            found = True
    return found


def _succeeded(future: Future[Outcome]) -> bool:
    """Done with a result (not broken by a crash, nor cancelled when the pool was stopped)."""
    return future.done() and not future.cancelled() and future.exception() is None


def run_pool(
    jobs: Iterable[Job], config: Config, workers: int, progress: Progress | None = None
) -> Iterator[Outcome]:
    """Outcomes in input order, with at most a few jobs per worker taken from the input and not
    yet yielded (memory stays flat). Each worker has a job and one more waits, so nobody idles.
    Once the input is exhausted, the largest documents left go first: the workers then finish
    together instead of one waiting for the other's last long document.
    No pool is started when there is nothing to do (a fully cached run).
    progress: called here with OcrProgress events while workers OCR a document (a document
    retried alone after a worker crash reports per document only)."""
    it = iter(jobs)
    first = next(it, None)
    if first is None:
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(config, workers, events=progress is not None)
    relay = _Relay(progress) if progress is not None else None
    if relay is not None:  # look at the queue a few times a second while waiting
        pause: float | None = PROGRESS_INTERVAL
    else:
        pause = 1.0 if pool.hard_limit else None
    window = max(4, workers * 8)  # enough look-ahead that one long document stalls nobody
    busy = workers + 1
    buffer: deque[_Entry] = deque([_entry(first)])
    exhausted = finished = False
    try:
        while True:
            while not exhausted and len(buffer) < window:
                job = next(it, None)
                exhausted = job is None
                if job is not None:
                    buffer.append(_entry(job))
            if relay is not None:
                relay.pump(pool.events)
            if not buffer:
                finished = True
                return
            running = [e.future for e in buffer if e.future and not e.future.done()]
            waiting = [e for e in buffer if e.future is None and e.outcome is None]
            if exhausted:
                waiting.sort(key=lambda e: -e.size)  # stable: input order among equals
            try:
                for e in waiting[: busy - len(running)]:
                    e.future = pool.submit(e.job, relay.token(e) if relay else 0)
                    running.append(e.future)
            except BrokenProcessPool:  # a worker died since the last look
                _recover(pool, buffer)
                continue
            if _overdue(pool, buffer):
                _recover(pool, buffer)
                continue
            head = buffer[0]
            if head.outcome is None:
                if head.future is None or not head.future.done():
                    wait(running, timeout=pause, return_when=FIRST_COMPLETED)
                    continue
                try:
                    head.outcome = head.future.result()
                except BrokenProcessPool:
                    _recover(pool, buffer)
                    continue
            buffer.popleft()
            yield head.outcome
    finally:
        pool.close(finished)


def run_dask(jobs: Iterable[Job], config: Config, address: str) -> Iterator[Outcome]:
    """The same work on a dask.distributed cluster; files must be readable by its workers."""
    try:
        from distributed import Client
    except ImportError:
        from themescan.errors import UsageError

        raise UsageError(
            "--scheduler needs the dask extra: pip install 'themescan[dask]'"
        ) from None
    with Client(address, timeout="10s") as client:  # not dask's 30 s of silence
        window = max(4, sum(client.nthreads().values()) * 3)
        pending: deque[tuple[Job, Future]] = deque()
        it = iter(jobs)
        while True:
            while len(pending) < window:
                job = next(it, None)
                if job is None:
                    break
                pending.append((job, client.submit(_dask_run, job, config, pure=False)))
            if not pending:
                return
            job, future = pending.popleft()
            try:
                # dask runs a document in a thread, where no alarm can stop it: the run waits
                # at most twice the limit (plus a grace) for the next document, then goes on
                yield future.result(timeout=2 * config.time_limit + HARD_GRACE)
            except TimeoutError:
                future.cancel()
                yield timed_out(job.name, config.time_limit), None
            except Exception as exc:  # a lost worker or a failure inside it: that document's
                yield (
                    DocumentResult(file=job.name, status=f"{CRASHED} ({type(exc).__name__})"),
                    None,
                )


def _dask_run(job: Job, config: Config) -> Outcome:
    _init_here(config)
    return _run(job)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
