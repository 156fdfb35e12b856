"""OCR progress inside a document (issue 12 item 4: "OCR is slow: the progress bar shows it, and
it runs in the worker processes"). The reader calls a hook before each page it OCRs; run_local
and the worker pool turn that into OcrProgress events for scan(progress=...), which the CLI
draws. Tests with real OCR skip where Tesseract with Dutch is not installed; the others fake a
failing Tesseract (fast) and reach the workers through fork."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pymupdf
import pytest

from themescan import ocr, workers
from themescan.batch import scan
from themescan.config import Config
from themescan.ocr import OcrProgress
from themescan.reading import read_document

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "brakelveen_begroting_2025.pdf"  # 5 pages with a text layer
SCAN = FIXTURES / "brakelveen_scan_bijlage.pdf"  # page 2 of 2 is an image of text
BROKEN = FIXTURES / "brakelveen_jaarstukken_kapot.pdf"  # 5 pages of glyph codes

needs_ocr = pytest.mark.skipif(
    not ocr.support().available, reason=f"OCR {ocr.support().describe()}"
)
needs_fork = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the fake Tesseract reaches the workers through fork",
)


@pytest.fixture
def failing_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR "available" but failing at once on every page: the hook still runs before each try."""

    def broken(*args, **kwargs):
        raise RuntimeError("tesseract died")

    monkeypatch.setattr(ocr, "support", lambda: ocr.OcrSupport("/usr/bin/tesseract", "/x"))
    monkeypatch.setattr(pymupdf.Page, "get_textpage_ocr", broken)


@needs_ocr
def test_the_hook_hears_which_page_of_how_many_is_ocrd() -> None:
    calls: list[tuple[int, int]] = []
    document = read_document(
        SCAN, ocr="auto", progress=lambda page, pages: calls.append((page, pages))
    )
    assert document.status == "ok: 1 of 2 pages OCR'd"
    assert calls == [(2, 2)]  # page 1 has a text layer: no call for it


def test_pages_read_from_their_text_layer_never_call_the_hook(failing_tesseract: None) -> None:
    def fail(page: int, pages: int) -> None:
        pytest.fail("the hook was called for a page that is not OCR'd")

    assert read_document(GOOD, ocr="auto", progress=fail).status == "ok"
    assert read_document(BROKEN, ocr="never", progress=fail).status.startswith("no text")


def test_a_failing_hook_changes_nothing_that_is_read(failing_tesseract: None) -> None:
    def bad(page: int, pages: int) -> None:
        raise ValueError("a bug in a progress display")

    plain = read_document(BROKEN, ocr="auto")
    assert read_document(BROKEN, ocr="auto", progress=bad) == plain
    assert plain.status == "no text: unreadable text layer (5 of 5 pages; OCR failed on 5)"


def test_in_process_runs_report_ocr_and_its_end(failing_tesseract: None) -> None:
    events: list[OcrProgress] = []
    results = list(scan([GOOD, BROKEN], Config(model="none"), progress=events.append))
    assert [r.file for r in results] == [GOOD.name, BROKEN.name]
    name = BROKEN.name
    assert events[0] == OcrProgress(name, 1, 5)
    assert events[-1].done and events[-1].file == name
    assert all(e.file == name for e in events)  # the text PDF sent nothing


@needs_ocr
def test_events_from_pool_workers_reach_the_callback_in_the_calling_thread() -> None:
    seen: list[tuple[OcrProgress, int]] = []
    [result] = scan(
        [SCAN],
        Config(model="none", ocr="auto"),
        workers=1,
        progress=lambda e: seen.append((e, threading.get_ident())),
    )
    assert result.status == "ok: 1 of 2 pages OCR'd"
    assert [e for e, _ in seen] == [
        OcrProgress(SCAN.name, 2, 2),
        OcrProgress(SCAN.name, 2, 2, done=True),
    ]
    assert {thread for _, thread in seen} == {threading.get_ident()}


@needs_fork
def test_pool_events_are_throttled_and_each_document_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def slow_fail(*args, **kwargs):  # long enough that events come before the result
        time.sleep(0.2)
        raise RuntimeError("tesseract died")

    monkeypatch.setattr(ocr, "support", lambda: ocr.OcrSupport("/usr/bin/tesseract", "/x"))
    monkeypatch.setattr(pymupdf.Page, "get_textpage_ocr", slow_fail)
    events: list[OcrProgress] = []
    results = list(scan([BROKEN, GOOD], Config(model="none"), workers=2, progress=events.append))
    assert [r.status for r in results][1] == "ok"
    assert events[0] == OcrProgress(BROKEN.name, 1, 5)
    assert events[-1] == OcrProgress(BROKEN.name, events[-1].page, 5, done=True)
    assert sum(e.done for e in events) == 1
    pages = [e.page for e in events[:-1]]
    assert pages == sorted(pages)  # the pages go forward (throttling: the test below)


def test_the_throttle_passes_at_most_one_call_per_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([0.0, 0.1, 0.2, 0.3, 0.9, 1.0])
    monkeypatch.setattr(workers.time, "monotonic", lambda: next(clock))
    sent: list[int] = []
    throttle = workers._Throttle(lambda page, pages: sent.append(page))
    assert not throttle.sent
    for page in range(1, 7):
        throttle(page, 6)
    assert sent == [1, 4, 5]  # at 0.0, 0.3, 0.9: never two within PROGRESS_INTERVAL
    assert throttle.sent and (throttle.page, throttle.pages) == (6, 6)


@needs_fork
@pytest.mark.parametrize("n", [0, 1])
def test_a_slow_ocr_still_times_out_and_its_line_ends(
    monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    def slow(*args, **kwargs):  # a page of OCR that takes 3 s: the limit stops it after it
        time.sleep(3)

    monkeypatch.setattr(ocr, "support", lambda: ocr.OcrSupport("/usr/bin/tesseract", "/x"))
    monkeypatch.setattr(pymupdf.Page, "get_textpage_ocr", slow)
    events: list[OcrProgress] = []
    started = time.monotonic()
    results = list(
        scan(
            [BROKEN, GOOD], Config(model="none", time_limit=1.0), workers=n, progress=events.append
        )
    )
    assert [r.status for r in results] == ["error: timed out after 1 s", "ok"]
    assert time.monotonic() - started < 12  # not five slow pages
    assert events == [OcrProgress(BROKEN.name, 1, 5), OcrProgress(BROKEN.name, 1, 5, done=True)]


@needs_fork
def test_a_worker_that_dies_during_ocr_costs_that_document_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def die(*args, **kwargs):
        os._exit(3)  # Tesseract taking its process down

    monkeypatch.setattr(ocr, "support", lambda: ocr.OcrSupport("/usr/bin/tesseract", "/x"))
    monkeypatch.setattr(pymupdf.Page, "get_textpage_ocr", die)
    events: list[OcrProgress] = []
    results = list(scan([BROKEN, GOOD], Config(model="none"), workers=2, progress=events.append))
    assert [r.status for r in results] == ["error: worker crashed", "ok"]
    # the event may die with the worker before it is sent; if it was shown, its line is ended
    assert [e.done for e in events] in ([], [False, True])


def test_the_cli_shows_a_line_per_document_in_ocr_and_removes_it() -> None:
    from themescan.cli.classify import LazyProgress

    progress = LazyProgress(enabled=True, total=3)
    before = threading.active_count()
    progress.ocr(OcrProgress("scan.pdf", 12, 300))  # up at once: OCR means seconds at least
    assert progress.progress is not None and threading.active_count() == before
    [line] = [t for t in progress.progress.tasks if t.id != progress.task]
    assert line.fields["count"].startswith("page 12 of 300") and line.fields["name"] == "scan.pdf"
    assert (line.completed, line.total) == (11, 300)
    progress.ocr(OcrProgress("scan.pdf", 13, 300))
    assert len(progress.progress.tasks) == 2 and line.completed == 12
    progress.ocr(OcrProgress("scan.pdf", 13, 300, done=True))
    assert [t.id for t in progress.progress.tasks] == [progress.task]
    progress.advance(300, "scan.pdf")
    progress.close()

    quiet = LazyProgress(enabled=False)
    quiet.ocr(OcrProgress("scan.pdf", 1, 2))
    assert quiet.progress is None


@needs_ocr
def test_a_time_limit_during_real_ocr_times_the_document_out_without_a_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Raised in the middle of Tesseract, the time limit landed in a PyMuPDF callback that
    printed a traceback and swallowed it: the page counted as failed and the document ran on.
    Now it waits for the page and then stops the document."""
    import signal

    started = time.monotonic()
    [result] = scan([BROKEN], Config(model="none", ocr="auto", time_limit=1.0))
    assert result.status == "error: timed out after 1 s"
    assert time.monotonic() - started < 20  # one page of OCR, not five
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Director" not in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handed back
