"""The reproductions of issue 13 (hostile and broken input), one regression test or more each.

1 invalid CSV (a lone CR, NUL), 2 a file name that is not UTF-8, 3 time and size limits,
4 hostile HTML and encodings, 5 a damaged cache, 6 (tampered models: test_model_fuzz.py),
7 lexicons, 8 special files (the status table: test_statuses.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from themescan import pipeline
from themescan import workers as worker_pool
from themescan.batch import scan
from themescan.cache import Cache
from themescan.cli import app
from themescan.config import Config, default_lexicon_dir
from themescan.errors import DocumentError, LexiconError
from themescan.lexicon import check_lexicons, load_lexicons
from themescan.output import CSV_COLUMNS, CsvWriter, JsonlWriter, resume_file
from themescan.reading import PAGE_CUT, read_document
from themescan.results import Document, DocumentResult, Evidence, Hit, Page, ThemeResult
from themescan.statuses import known
from themescan.themes import THEMES

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KROMSTEDE = SAMPLES / "gemeente-kromstede_programmabegroting_2024.pdf"
TXT = SAMPLES / "gemeente-ijsselvoort_voorjaarsnota_2023.txt"
HOOGERAAM = SAMPLES / "gemeente-hoogeraam_kadernota_2024.pdf"


def classify(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["classify", *args, "--workers", "0", "--quiet"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def no_controls(value: str) -> bool:
    return not any(ord(c) < 32 and c != "\t" for c in value)


# --- 1 and 2: output always valid, names of any bytes ---------------------------------------------


@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exact reproductions: the flipped Kromstede PDF, `cr\\rname.pdf`, a Latin-1 name."""
    root = tmp_path_factory.mktemp("names")
    data = bytearray(KROMSTEDE.read_bytes())
    data[33685] ^= 4
    data[57503] ^= 128
    data[70082] ^= 128
    (root / "flipped.pdf").write_bytes(bytes(data))
    shutil.copy(HOOGERAAM, root / "cr\rname.pdf")
    shutil.copy(HOOGERAAM, os.fsdecode(os.fsencode(root) + b"/a\xe9.pdf"))
    shutil.copy(TXT, root / "gewoon.txt")
    return root


def test_hostile_names_give_valid_csv_with_one_row_each(
    hostile_names: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    code, _, stderr = classify(
        str(hostile_names), "--cache", str(tmp_path / "c.sqlite"), "-o", str(out)
    )
    assert code in (0, 1), stderr
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert sorted(r["file"] for r in rows) == [
        "a\\xe9.pdf", "cr\\x0dname.pdf", "flipped.pdf", "gewoon.txt"
    ]  # fmt: skip
    assert all(len(r) == len(CSV_COLUMNS) and None not in r for r in rows)
    assert all(no_controls(v) for r in rows for v in r.values())
    assert {r["file"]: r["status"] for r in rows}["a\\xe9.pdf"] == "ok"  # read, not refused
    # resume finds every row again and adds nothing
    code, _, stderr = classify(str(hostile_names), "--no-cache", "-o", str(out), "--resume")
    assert code in (0, 1), stderr
    assert len(csv_rows(out.read_text(encoding="utf-8"))) == 4
    # table reads the file
    table = CliRunner().invoke(app, ["table", str(out), "--format", "csv"])
    assert table.exit_code == 0, table.stderr


def test_hostile_names_in_jsonl_and_excel(hostile_names: Path, tmp_path: Path) -> None:
    code, stdout, stderr = classify(str(hostile_names), "--no-cache", "--format", "jsonl")
    assert code in (0, 1), stderr
    records = [json.loads(line) for line in stdout.split("\n") if line]
    assert len(records) == 4 and "a\\xe9.pdf" in {r["file"] for r in records}
    code, stdout, stderr = classify(str(hostile_names), "--no-cache", "--excel")
    rows = list(csv.reader(io.StringIO(stdout.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert len(rows) == 5 and all(len(r) == len(CSV_COLUMNS) for r in rows)


def _result(name: str, snippet: str) -> DocumentResult:
    evidence = (Evidence(1, snippet, 0.9, ("x",), snippet),)
    themes = tuple(ThemeResult(t, True, 0.9, evidence) for t in THEMES)
    hits = (Hit(THEMES[0], "x\r", 1, 0, 1, 1.0, True, "re\x00ason"),)
    return DocumentResult(
        file=name, status="ok", pages=1, gemeente="Gem\x00\rde", themes=themes, hits=hits
    )


@pytest.mark.parametrize("excel", [False, True])
def test_writers_leave_no_control_characters(excel: bool) -> None:
    buf = io.StringIO(newline="")
    writer = CsvWriter(buf, excel=excel)
    writer.write(_result("cr\rname\x00.pdf", "een\r regel\x00 met\x1b rommel\x85 en\u2028 meer"))
    text = buf.getvalue().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    assert len(rows) == 2 and len(rows[1]) == len(CSV_COLUMNS)
    assert rows[1][0] == "cr\\x0dname\\x00.pdf"
    assert all(no_controls(v) and "\x85" not in v and "\u2028" not in v for v in rows[1])
    out = io.StringIO()
    JsonlWriter(out).write(_result("a\udce9.pdf", "snip\r\x00pet"))
    (line,) = out.getvalue().split("\n")[:-1]
    record = json.loads(line)
    assert record["file"] == "a\\xe9.pdf"
    assert all(no_controls(e["snippet"]) for t in record["themes"].values() for e in t["evidence"])
    line.encode("utf-8")  # no lone surrogate survives


def test_resume_of_a_broken_csv_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text(",".join(CSV_COLUMNS) + '\nx,ok\x00,"unterminated\n', encoding="utf-8")
    resume_file(out)  # raises nothing but UsageError (classify() would re-raise anything else)
    code, _, stderr = classify(str(TXT), "--no-cache", "-o", str(out), "--resume")
    assert code in (0, 1, 2) and "Traceback" not in stderr


def test_cache_digest_takes_a_non_utf8_name(tmp_path: Path) -> None:
    path = os.fsdecode(os.fsencode(tmp_path) + b"/b\xff.txt")
    shutil.copy(TXT, path)
    cache = Cache(tmp_path / "c.sqlite")
    assert cache.digest(path) == cache.digest(path)
    cache.close()


# --- 3: linear time, limits ----------------------------------------------------------------------


def test_candidate_passages_match_the_plain_definition() -> None:
    """The binary search gives each passage exactly the hits that start inside it."""
    from themescan.language import passages
    from themescan.lexicon import load_lexicons

    rng = random.Random(3)
    words = ["informatiebeveiliging", "data", "de", "gemeente", "sensoren", "privacy.", "wij"]
    text = "\n\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randrange(3, 80))) for _ in range(60)
    )
    document = Document((Page(1, text),))
    matcher = load_lexicons().matcher
    got, _ = pipeline.candidate_passages(document, matcher)
    hits = matcher.find(text, 1)
    want = []
    for p in passages(document.pages[0]):
        inside = tuple(h for h in hits if p.start <= h.start < p.end)
        if pipeline.worth_scoring(inside):
            want.append((p, inside))
    assert got == want and got


def test_a_page_over_the_limit_is_cut_and_says_so(tmp_path: Path, monkeypatch) -> None:
    from themescan import reading

    monkeypatch.setattr(reading, "MAX_PAGE_CHARS", 10_000)
    big = tmp_path / "groot.txt"
    big.write_text("De gemeente werkt aan informatiebeveiliging. " * 2000, encoding="utf-8")
    document = read_document(big)
    assert document.status == reading.PAGE_CUT and len(document.pages[0].text) <= 10_000
    assert known(PAGE_CUT) and DocumentResult("x", PAGE_CUT).ok


@pytest.mark.parametrize("workers", [0, 2])
def test_a_slow_document_times_out_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    for name in ("a.txt", "langzaam.txt", "z.txt"):
        shutil.copy(TXT, tmp_path / name)
    original = pipeline.Classifier.process

    def slow(self, path, name, document=None):  # type: ignore[no-untyped-def]
        if name == "langzaam.txt":
            time.sleep(30)
        return original(self, path, name, document)

    monkeypatch.setattr(pipeline.Classifier, "process", slow)  # forked workers inherit it
    started = time.monotonic()
    results = list(scan([tmp_path], Config(model="none", time_limit=1.0), workers=workers))
    assert [(r.file, r.status) for r in results] == [
        ("a.txt", "ok"), ("langzaam.txt", "error: timed out after 1 s"), ("z.txt", "ok")
    ]  # fmt: skip
    assert time.monotonic() - started < 25


def test_a_slow_document_on_a_dask_cluster_times_out_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    for name in ("a.txt", "langzaam.txt", "z.txt"):
        shutil.copy(TXT, tmp_path / name)
    original = pipeline.Classifier.process

    def slow(self, path, name, document=None):  # type: ignore[no-untyped-def]
        if name == "langzaam.txt":
            time.sleep(8)
        return original(self, path, name, document)

    monkeypatch.setattr(pipeline.Classifier, "process", slow)  # threads of this process
    monkeypatch.setattr(worker_pool, "HARD_GRACE", 1.0)  # the wait: 2 x 1 s + 1 s
    started = time.monotonic()
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        results = list(
            scan(
                [tmp_path],
                Config(model="none", time_limit=1.0),
                scheduler=cluster.scheduler_address,
            )
        )
        elapsed = time.monotonic() - started
    assert [(r.file, r.status) for r in results] == [
        ("a.txt", "ok"), ("langzaam.txt", "error: timed out after 1 s"), ("z.txt", "ok")
    ]  # fmt: skip
    assert elapsed < 7  # the run did not wait for the slow document


def test_a_worker_stuck_in_c_code_is_ended_by_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The alarm cannot interrupt C code (here: sleep(3) with SIGALRM blocked, as a stuck PDF
    library would be); past twice the limit plus a grace the main process ends the worker."""
    import ctypes
    import signal

    for name in ("a.txt", "vast.txt", "z.txt"):
        shutil.copy(TXT, tmp_path / name)
    original = pipeline.Classifier.process
    libc = ctypes.CDLL(None)

    def stuck(self, path, name, document=None):  # type: ignore[no-untyped-def]
        if name == "vast.txt":
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            libc.sleep(60)
        return original(self, path, name, document)

    monkeypatch.setattr(pipeline.Classifier, "process", stuck)
    started = time.monotonic()
    results = list(scan([tmp_path], Config(model="none", time_limit=1.0), workers=2))
    assert [(r.file, r.status) for r in results] == [
        ("a.txt", "ok"), ("vast.txt", "error: timed out after 1 s"), ("z.txt", "ok")
    ]  # fmt: skip
    assert time.monotonic() - started < 45


# --- 4: HTML and encodings -----------------------------------------------------------------------

PARAGRAPH = "De gemeente werkt aan informatiebeveiliging en privacy. Café één.\n"


@pytest.mark.parametrize(
    "markup", ["<html><body><p>a</p>" + "</" * 200000, "<p>a</p>" + "<![CDATA[" * 100000]
)
def test_hostile_markup_is_read(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "x.html"
    path.write_text(markup, encoding="utf-8")
    assert read_document(path).pages[0].text.startswith("a")


def test_a_bogus_charset_does_not_drop_a_page(tmp_path: Path) -> None:
    path = tmp_path / "x.html"
    html = f'<html><head><meta charset="undefined"><title>T</title></head><body><p>{PARAGRAPH}</p>'
    path.write_bytes(html.encode("utf-8"))
    document = read_document(path)
    assert document.status == "ok" and "Café één" in document.pages[0].text


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_utf16_and_utf32_with_and_without_bom(tmp_path: Path, encoding: str, suffix: str) -> None:
    text = (
        PARAGRAPH * 5 if suffix == ".txt" else f"<html><body><p>{PARAGRAPH * 5}</p></body></html>"
    )
    path = tmp_path / f"x{suffix}"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert document.status == "ok" and "Café één" in document.pages[0].text


# --- 5: the cache heals --------------------------------------------------------------------------


def _run_with_cache(folder: Path, cache_path: Path) -> tuple[list[DocumentResult], list[str]]:
    said: list[str] = []
    cache = Cache(cache_path, said.append)
    try:
        results = list(scan([folder], Config(model="none"), cache=cache))
    finally:
        cache.close()
    return results, said


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(TXT, folder / name)
    return folder


def test_a_file_that_was_never_a_cache_is_refused_by_the_library_too(
    docs: Path, tmp_path: Path
) -> None:
    """Cache('labels.csv') renamed the user's file to labels.csv.damaged-... and put a database
    under its name (trial 11), where the CLI refuses it: the library refuses it as well, and
    the file keeps its bytes. A damaged SQLite cache is still healed (the next test)."""
    from themescan.errors import UsageError

    for name, data in [("cache.sqlite", b"junk" * 4096), ("labels.csv", b"file,smart_city\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UsageError, match="not a themescan cache"):
            Cache(path)
        assert path.read_bytes() == data
        assert not list(tmp_path.glob(f"{name}.damaged-*"))


def test_damage_inside_the_cache_is_healed(docs: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    _run_with_cache(docs, path)
    db = sqlite3.connect(path)
    db.execute("UPDATE results SET result = x'00ff00ff'")  # a blob that does not unpack
    db.commit()
    db.close()
    results, said = _run_with_cache(docs, path)
    assert [r.status for r in results] == ["ok", "ok"] and len(said) == 1
    data = bytearray(path.read_bytes())
    for i in range(200, len(data), 61):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    for extra in tmp_path.glob("cache.sqlite-*"):
        extra.unlink()
    results, said = _run_with_cache(docs, path)
    assert [r.status for r in results] == ["ok", "ok"] and len(said) <= 1


def test_a_foreign_database_is_moved_aside(docs: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE pages (a, b)")
    db.commit()
    db.close()
    results, said = _run_with_cache(docs, path)
    assert [r.status for r in results] == ["ok", "ok"] and "not themescan's" in said[0]


def test_a_cache_under_a_regular_file_means_no_cache(docs: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    results, said = _run_with_cache(docs, tmp_path / "file" / "cache.sqlite")
    assert [r.status for r in results] == ["ok", "ok"] and "running without" in said[0]


def test_a_read_only_cache_is_read_not_written(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite"
    _run_with_cache(docs, path)  # a and b cached
    shutil.copy(TXT, docs / "c.txt")
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    results, said = _run_with_cache(docs, path)
    assert [r.status for r in results] == ["ok", "ok", "ok"]
    assert len(said) == 1 and "read-only" in said[0]
    assert path.read_bytes() == before


def test_classify_with_a_damaged_cache_exits_0_and_warns(docs: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    code, stdout, stderr = classify(str(docs), "--cache", str(path), "--model", "none")
    assert code == 0, stderr
    assert len(csv_rows(stdout)) == 2 and "warning" in stderr and "damaged" in stderr


def test_classify_never_takes_over_a_file_named_as_cache(docs: Path, tmp_path: Path) -> None:
    """--cache naming an input, a results file, an empty file or another program's database is
    refused; the file keeps its bytes and its name (it was moved aside as damaged, and a PDF
    of the run became a database)."""
    other = tmp_path / "notes.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    (tmp_path / "results.csv").write_text("file,status\na.txt,ok\n", encoding="utf-8")
    (tmp_path / "leeg.pdf").write_bytes(b"")
    for path, why in [
        (docs / "a.txt", "not an SQLite database"),
        (tmp_path / "results.csv", "not an SQLite database"),
        (tmp_path / "leeg.pdf", "an empty file"),
        (other, "database of another program"),
    ]:
        before = path.read_bytes()
        code, _, stderr = classify(str(docs), "--cache", str(path), "--model", "none")
        assert code == 2, stderr
        assert why in stderr and "name a new file or an existing cache" in stderr
        assert path.read_bytes() == before
        assert not list(path.parent.glob("*.damaged-*"))


# --- 7: lexicons ---------------------------------------------------------------------------------


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lex"
    shutil.copytree(default_lexicon_dir(), folder)
    return folder


def test_a_non_utf8_byte_in_a_lexicon_names_file_and_line(lexicon_copy: Path) -> None:
    path = lexicon_copy / "smart_city.toml"
    lines = path.read_bytes().split(b"\n")
    lines[7] = lines[7] + b" # caf\xe9"
    path.write_bytes(b"\n".join(lines))
    problems = check_lexicons(lexicon_copy)
    assert any(p.startswith(f"{path}:8: not UTF-8") for p in problems), problems
    with pytest.raises(LexiconError, match="not UTF-8"):
        load_lexicons(lexicon_copy)
    result = CliRunner().invoke(app, ["lexicon", "check", str(lexicon_copy)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_catastrophic_pattern_is_refused(lexicon_copy: Path) -> None:
    path = lexicon_copy / "smart_city.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n[[exclude]]\npattern = '(\\w+\\s?)+$'\nreason = \"gevaarlijk\"\n",
        encoding="utf-8",
    )
    problems = check_lexicons(lexicon_copy)
    assert any("pattern refused: nested repetition" in p for p in problems), problems
    code, _, stderr = classify(str(TXT), "--no-cache", "--lexicons", str(lexicon_copy))
    assert code == 2 and "nested repetition" in stderr


def test_a_polynomial_pattern_is_refused_by_its_probe(lexicon_copy: Path) -> None:
    path = lexicon_copy / "smart_city.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[[exclude]]\npattern = '\\w*\\w*\\w*\\w*x'\n",
        encoding="utf-8",
    )
    assert any("too slow" in p for p in check_lexicons(lexicon_copy))


def test_a_term_in_two_sections_is_reported(lexicon_copy: Path) -> None:
    path = lexicon_copy / "smart_city.toml"
    raw = path.read_text(encoding="utf-8").replace("[infix]\n", '[infix]\n"slimme stad" = 0.5\n', 1)
    if "[infix]" not in raw:
        raw += '\n[infix]\n"slimme stad" = 0.5\n'
    path.write_text(raw, encoding="utf-8")
    problems = check_lexicons(lexicon_copy)
    assert any("'slimme stad' is in both [terms] and [infix]" in p for p in problems), problems


def test_the_packaged_lexicons_pass_every_check() -> None:
    assert check_lexicons() == []


# --- 8: special files ----------------------------------------------------------------------------


def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError) as err:
        read_document(fifo)
    assert err.value.status == "error: not a regular file"
    result = pipeline.Classifier(Config(model="none")).classify_path(fifo)
    assert result.status == "error: not a regular file"


def test_a_fifo_is_not_hashed_for_the_cache(tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)
    cache = Cache(tmp_path / "c.sqlite")
    with pytest.raises(OSError, match="not a regular file"):
        cache.digest(fifo)
    cache.close()


def test_a_folder_named_as_cache_is_left_alone(docs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache.sqlite"
    folder.mkdir()
    results, said = _run_with_cache(docs, folder)
    assert [r.status for r in results] == ["ok", "ok"] and "not a file" in said[0]
    assert folder.is_dir() and not list(tmp_path.glob("*.damaged-*"))
