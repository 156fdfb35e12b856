"""Running the per-document work in worker processes (or on a dask cluster), in input order.

Each worker loads the Classifier once. A worker that dies inside a document (even a segfault in
a PDF library) costs only that document: the documents that were in flight are retried one by
one in a fresh process, and the one that kills its process again gets `error: worker crashed`.

A document that takes longer than Config.time_limit gets `error: timed out after N s` and the
run goes on: the worker interrupts it itself (an alarm signal, between Python steps), and a
worker stuck inside a C library past twice the limit is ended by the main process.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from themescan.config import Config
from themescan.results import Document, DocumentResult

if TYPE_CHECKING:  # the pool machinery loads only when a pool is used
    from concurrent.futures import Future, ProcessPoolExecutor

CRASHED = "error: worker crashed"
TIMED_OUT = "error: timed out"
HARD_GRACE = 10.0  # seconds past twice the limit before the main process ends a stuck worker


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


def _init(config: Config) -> None:
    global _classifier
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _exit_with_parent()
    from themescan.pipeline import Classifier

    _classifier = Classifier(config)


def _exit_with_parent() -> None:
    """A worker whose main process was killed (kill -9) must not linger holding memory."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="themescan-parent-watch", daemon=True).start()


def _run(job: Job) -> Outcome:
    assert _classifier is not None
    limit = _classifier.config.time_limit
    alarm = limit > 0 and threading.current_thread() is threading.main_thread()
    if alarm:
        previous = signal.signal(signal.SIGALRM, _time_up)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        result, document = _classifier.process(job.path, job.name, job.document)
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
    raise _TimeUp()


def run_local(jobs: Iterable[Job], config: Config) -> Iterator[Outcome]:
    """In this process: no isolation, no start-up cost (library default, tests, debugging)."""
    _init_here(config)
    for job in jobs:
        yield _run(job)


def _init_here(config: Config) -> None:
    global _classifier
    from themescan.pipeline import Classifier

    if _classifier is None or _classifier.config != config:
        _classifier = Classifier(config)


class _Pool:
    def __init__(self, config: Config, workers: int) -> None:
        self.config = config
        self.workers = workers
        self.executor = self._new(workers)

    def _new(self, workers: int) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(workers, initializer=_init, initargs=(self.config,))

    def submit(self, job: Job) -> Future[Outcome]:
        return self.executor.submit(_run, job)

    def restart(self) -> None:
        _stop(self.executor)
        self.executor = self._new(self.workers)

    def isolated(self, job: Job) -> Outcome:
        """Run one job alone in a fresh process; a crash there is that document's."""
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        single = self._new(1)
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


def run_pool(jobs: Iterable[Job], config: Config, workers: int) -> Iterator[Outcome]:
    """Outcomes in input order, with at most a few jobs per worker taken from the input and not
    yet yielded (memory stays flat). Each worker has a job and one more waits, so nobody idles.
    Once the input is exhausted, the largest documents left go first: the workers then finish
    together instead of one waiting for the other's last long document.
    No pool is started when there is nothing to do (a fully cached run)."""
    it = iter(jobs)
    first = next(it, None)
    if first is None:
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(config, workers)
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
            if not buffer:
                finished = True
                return
            running = [e.future for e in buffer if e.future and not e.future.done()]
            waiting = [e for e in buffer if e.future is None and e.outcome is None]
            if exhausted:
                waiting.sort(key=lambda e: -e.size)  # stable: input order among equals
            try:
                for e in waiting[: busy - len(running)]:
                    e.future = pool.submit(e.job)
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
                    wait(running, timeout=1.0 if pool.hard_limit else None,
                         return_when=FIRST_COMPLETED)  # fmt: skip
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
