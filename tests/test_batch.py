"""Corpus scale: workers, crash isolation, the cache, interrupted runs and --resume, dask."""

from __future__ import annotations

import csv
import faulthandler
import io
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SECURITY_PARAGRAPH, SMART_CITY_PARAGRAPH, filler
from typer.testing import CliRunner

import themescan.pipeline
from themescan.batch import scan
from themescan.cache import Cache
from themescan.cli import app
from themescan.config import Config, default_lexicon_dir
from themescan.output import CSV_COLUMNS


def make_corpus(root: Path, n: int = 6) -> Path:
    """n small text documents; every third one is positive for smart_city."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = [filler(5, offset=i), f"Dit is document {i}."]
        if i % 3 == 0:
            body.insert(1, SMART_CITY_PARAGRAPH)
        (root / f"doc{i:02d}.txt").write_text("\n\n".join(body), encoding="utf-8")
    return root


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_workers_give_the_same_rows_in_the_same_order(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs")
    here = [(r.file, r.status, [t.flag for t in r.themes]) for r in scan([folder])]
    pool = [(r.file, r.status, [t.flag for t in r.themes]) for r in scan([folder], workers=2)]
    assert pool == here
    assert [f for f, _, _ in here] == sorted(f for f, _, _ in here)
    assert any(flags[3] for _, _, flags in here)  # smart_city found where it was written


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the crash is injected through fork"
)
@pytest.mark.parametrize("size", ["small", "large"])  # read last, or first with others in flight
def test_a_worker_crash_costs_only_that_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    folder = make_corpus(tmp_path / "docs", n=5)
    text = "Deze file laat de lezer crashen. " + (filler(200) if size == "large" else "")
    (folder / "crash.txt").write_text(text, encoding="utf-8")
    real = themescan.pipeline.read_document

    def read_or_die(path, **kw):  # a segfault, as a broken PDF library would give
        if Path(path).name == "crash.txt":
            faulthandler.disable()  # pytest's crash report would only clutter the output
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, **kw)

    monkeypatch.setattr(themescan.pipeline, "read_document", read_or_die)
    results = {r.file: r.status for r in scan([folder], workers=2)}
    assert results.pop("crash.txt") == "error: worker crashed"
    assert len(results) == 5 and set(results.values()) == {"ok"}


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the reads are logged through fork"
)
def test_the_largest_documents_left_are_read_first_and_rows_stay_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once every document is known, the larger ones go first, so that the workers finish
    together instead of one waiting for a long last document; the rows keep input order."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, n in enumerate([3, 30, 1, 20, 10]):
        (folder / f"doc{i}.txt").write_text(filler(n, offset=i), encoding="utf-8")
    log = tmp_path / "reads.log"
    real = themescan.pipeline.read_document

    def logged(path, **kw):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(Path(path).name + "\n")
        return real(path, **kw)

    monkeypatch.setattr(themescan.pipeline, "read_document", logged)
    assert [r.file for r in scan([folder], workers=1)] == [f"doc{i}.txt" for i in range(5)]
    assert log.read_text(encoding="utf-8").split() == [f"doc{i}.txt" for i in (1, 3, 4, 0, 2)]


def test_cache_answers_a_second_run_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_corpus(tmp_path / "docs")
    cache = Cache(tmp_path / "cache.sqlite")
    first = list(scan([folder], cache=cache))

    def must_not_read(path, **kw):
        raise AssertionError(f"read {path} although it is cached")

    monkeypatch.setattr(themescan.pipeline, "read_document", must_not_read)
    second = list(scan([folder], cache=cache))
    assert second == first


def test_lexicon_change_rescores_cached_pages_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_corpus(tmp_path / "docs")
    cache = Cache(tmp_path / "cache.sqlite")
    before = list(scan([folder], Config(model="none"), cache=cache))

    lexicons = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), lexicons)
    toml = lexicons / "datagedreven.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[terms]\n", '[terms]\n"dit is document" = 1.0\n', 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(themescan.pipeline, "read_document", lambda p, **kw: pytest.fail("re-read"))
    after = list(scan([folder], Config(model="none", lexicons=str(lexicons)), cache=cache))
    assert not any(r.theme("datagedreven").flag for r in before)
    assert all(r.theme("datagedreven").flag for r in after)  # every doc has "Dit is document"


def test_cache_is_keyed_by_content_not_name(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", n=1)
    cache = Cache(tmp_path / "cache.sqlite")
    list(scan([folder], cache=cache))
    (folder / "doc00.txt").rename(folder / "hernoemd.txt")
    (result,) = scan([folder], cache=cache)
    assert result.file == "hernoemd.txt"
    (folder / "hernoemd.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    (changed,) = scan([folder], cache=cache)
    assert changed.theme("informatieveiligheid").flag


def test_copies_under_other_names_get_what_their_names_say_with_a_cache(tmp_path: Path) -> None:
    """Document type, year and municipality are guessed from the file name too: a cached
    result of one copy must not answer for a copy named otherwise."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("zuidwold_voorjaarsnota_2023.txt", "noordwold_programmabegroting_2025.txt"):
        (folder / name).write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    cache = Cache(tmp_path / "cache.sqlite")
    fresh = list(scan([folder]))
    assert [(r.doc_type, r.jaar) for r in fresh] == [
        ("programmabegroting", "2025"),
        ("voorjaarsnota", "2023"),
    ]
    assert list(scan([folder], cache=cache)) == fresh
    assert list(scan([folder], cache=cache)) == fresh  # answered from the cache


def test_two_runs_at_once_share_one_cache_without_harm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two classify commands with their workers write the same cache file at the same time
    (two terminals, two year folders): both succeed, the file stays sound, and a third run
    is answered from it with the same rows."""
    import sqlite3

    folder = make_corpus(tmp_path / "docs", n=40)
    cache = tmp_path / "shared.sqlite"
    cmd = [sys.executable, "-m", "themescan", "classify", str(folder), "-q",
           "--cache", str(cache), "--workers", "2"]  # fmt: skip
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    first, second = (rows(out.decode()) for out, _ in outs)
    assert first == second and len(first) == 40
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM results").fetchone() == (40,)
    monkeypatch.setattr(themescan.pipeline, "read_document", lambda p, **kw: pytest.fail("re-read"))
    third = list(scan([folder], cache=Cache(cache)))
    assert [(r.file, r.status) for r in third] == [(r["file"], r["status"]) for r in first]


def test_resume_cuts_a_half_row_and_adds_only_what_is_missing(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "docs", n=5)
    out = tmp_path / "out.csv"
    runner = CliRunner()
    full = runner.invoke(app, ["classify", str(folder), "-q", "--no-cache", "--workers", "0"])
    lines = full.stdout.splitlines(keepends=True)
    out.write_text("".join(lines[:3]) + lines[3][:25], encoding="utf-8")  # killed mid-row

    res = runner.invoke(
        app,
        ["classify", str(folder), "-q", "--no-cache", "--workers", "0", "-o", str(out), "--resume"],
    )
    assert res.exit_code == 0, res.output
    got = rows(out.read_text(encoding="utf-8"))
    assert [r["file"] for r in got] == [f"doc{i:02d}.txt" for i in range(5)]
    assert got == rows(full.stdout)


def _run_until_rows(
    cmd: list[str], out: Path, min_rows: int, timeout: float = 60
) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists() and out.read_text(encoding="utf-8").count("\n") > min_rows:
            return proc
        if proc.poll() is not None:
            pytest.fail(f"run ended before it could be interrupted: {proc.stderr.read()!r}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("no rows appeared")


def _no_process_mentions(text: str, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "term", "kill"]
)
def test_interrupted_run_leaves_valid_csv_and_resumes(tmp_path: Path, sig: int) -> None:
    folder = make_corpus(tmp_path / "docs", n=60)
    out = tmp_path / "out.csv"
    earlier = b"file,status\nearlier.pdf,ok\n"  # an earlier output: stays until a run completes
    out.write_bytes(earlier)
    partial = tmp_path / "out.csv.partial"
    cmd = [sys.executable, "-m", "themescan", "classify", str(folder), "-q", "--no-cache",
           "--workers", "1", "-o", str(out)]  # fmt: skip
    proc = _run_until_rows(cmd, partial, min_rows=2)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert _no_process_mentions(str(out)), "worker processes outlived the interrupted run"
    assert out.read_bytes() == earlier
    text = partial.read_text(encoding="utf-8")
    assert text.endswith("\n")  # never a half row
    done = rows(text)
    assert 1 <= len(done) < 60
    assert all(len(r) == len(CSV_COLUMNS) and None not in r.values() for r in done)
    if sig in (signal.SIGINT, signal.SIGTERM):  # `timeout` and `kill` say how to go on too
        stderr = proc.stderr.read()
        assert b"--resume" in stderr and str(partial).encode() in stderr
        assert b"Traceback" not in stderr
        assert proc.returncode == (130 if sig == signal.SIGINT else 143)

    subprocess.run([*cmd, "--resume"], check=False, capture_output=True, timeout=300)
    final = rows(out.read_text(encoding="utf-8"))
    assert sorted(r["file"] for r in final) == [f"doc{i:02d}.txt" for i in range(60)]
    assert final[: len(done)] == done
    assert not partial.exists()


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the slow document is injected through fork",
)
def test_an_interrupt_ends_the_workers_in_the_middle_of_a_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while both workers read a long document: the run ends in seconds, not when the
    documents are done (trial 8: an interrupted classify hung after saying 'interrupted')."""
    from themescan.cli.classify import _terminate_as_interrupt

    folder = make_corpus(tmp_path / "docs", n=4)
    real = themescan.pipeline.read_document

    def slow(path, **kw):  # an OCR'd budget of 400 pages
        time.sleep(20)
        return real(path, **kw)

    monkeypatch.setattr(themescan.pipeline, "read_document", slow)
    with _terminate_as_interrupt():  # as classify runs the scan
        results = scan([folder], workers=2)
        subprocess.Popen(["sh", "-c", f"sleep 2; kill -INT {os.getpid()}"])
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            for _ in results:
                pass
        results.close()
    assert time.monotonic() - start < 10


def test_a_second_run_writing_the_same_output_is_refused_while_the_first_writes(
    tmp_path: Path,
) -> None:
    """Two runs with one -o (two terminals, a script started twice) interleaved their rows in
    one partial file and renamed the mix onto the output, one still exiting 0 (trial 8). The
    second is refused before it writes; the first's output is whole; no lock file is left."""
    folder = make_corpus(tmp_path / "docs", n=40)
    other = make_corpus(tmp_path / "other", n=3)
    out = tmp_path / "out.csv"
    partial = tmp_path / "out.csv.partial"

    def cmd(docs: Path) -> list[str]:
        return [sys.executable, "-m", "themescan", "classify", str(docs), "-q", "--no-cache",
                "--workers", "1", "-o", str(out)]  # fmt: skip

    first = _run_until_rows(cmd(folder), partial, min_rows=1)
    first.send_signal(signal.SIGSTOP)  # still writing while the second starts, however fast
    try:
        second = subprocess.run(cmd(other), capture_output=True, text=True, timeout=120)
    finally:
        first.send_signal(signal.SIGCONT)
    first.wait(timeout=300)
    assert second.returncode == 2, second.stderr
    assert "another themescan run is writing" in second.stderr
    assert first.returncode == 0, first.stderr.read()
    got = rows(out.read_text(encoding="utf-8"))
    assert [r["file"] for r in got] == [f"doc{i:02d}.txt" for i in range(40)]
    assert not list(tmp_path.glob(".out.csv.lock")) and not partial.exists()
    again = subprocess.run(cmd(other), capture_output=True, timeout=120)
    assert again.returncode == 0  # the lock went with the run that held it
    assert len(rows(out.read_text(encoding="utf-8"))) == 3


def test_dask_cluster_gives_the_same_results(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    folder = make_corpus(tmp_path / "docs", n=4)
    local = [(r.file, [t.flag for t in r.themes]) for r in scan([folder])]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = [
            (r.file, [t.flag for t in r.themes])
            for r in scan([folder], scheduler=cluster.scheduler_address)
        ]
    assert remote == local


def test_a_model_retrained_into_the_same_folder_is_loaded_again(tmp_path: Path) -> None:
    """In one process (a notebook), scan keeps its classifier between calls; a model folder
    whose contents changed must not be judged by what was loaded before."""
    import json

    from themescan.config import default_model_dir

    folder = shutil.copytree(default_model_dir(), tmp_path / "model")
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text(SECURITY_PARAGRAPH + "\n\n" + filler(3), encoding="utf-8")
    config = Config(model=str(folder))
    before = next(iter(scan([doc], config))).theme("digitale_transformatie")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    meta["thresholds"] = dict.fromkeys(meta["thresholds"], 0.000001)  # flags anything
    meta["single_thresholds"] = dict.fromkeys(meta["thresholds"], 0.000001)
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    after = next(iter(scan([doc], config))).theme("digitale_transformatie")
    assert before is not None and after is not None
    assert not before.flag and after.flag


def test_document_type_comes_from_the_title_not_the_website_name(tmp_path: Path) -> None:
    """An online budget's site is called "Begroting online" on every page; the document on it is
    the one its title names with a year."""
    page = tmp_path / "export.txt"
    page.write_text(
        "Gemeente Zuidwold - Begroting online\nHome > Voorjaarsnota 2023\n\nVoorjaarsnota 2023\n\n"
        + SECURITY_PARAGRAPH,
        encoding="utf-8",
    )
    (result,) = scan([page])
    assert (result.doc_type, result.jaar) == ("voorjaarsnota", "2023")


def test_scan_takes_one_path_as_well_as_a_list(tmp_path: Path) -> None:
    """scan("budgets") must read the folder, not the paths "b", "u", "d", ... (a user's first
    call in a notebook)."""
    folder = make_corpus(tmp_path / "docs", n=2)
    listed = [r.file for r in scan([folder])]
    assert [r.file for r in scan(str(folder))] == listed
    assert [r.file for r in scan(folder)] == listed


@pytest.mark.parametrize(
    "options",
    [{"ocr": "x"}, {"evidence": -1}, {"klassen": (100_000, 50_000)}, {"time_limit": -1.0}],
)
def test_config_refuses_options_no_run_could_use(options: dict) -> None:
    """A library user learns of a bad option where it is set, from themescan's own exception,
    not inside scan (ocr) or never (reversed size bounds ran, and counted nothing as middel)."""
    from themescan.errors import UsageError

    with pytest.raises(UsageError, match=next(iter(options))):
        Config(**options)
