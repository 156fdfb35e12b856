"""Every command with the mistakes people make (issue 14): a message, an exit code, never a
traceback, and an existing output that survives every usage error byte for byte.

MISTAKES is a flat table so that a new command adds its rows here: an id, the arguments (with
{placeholders} for the files of the `world` fixture), the exit code and words the message on
stderr (or, for a row status, stdout) must contain.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SECURITY_PARAGRAPH, SMART_CITY_PARAGRAPH, filler
from typer.testing import CliRunner

from themescan.cli import app
from themescan.output import CSV_COLUMNS
from themescan.themes import THEMES

LABEL_HEADER = "file," + ",".join(THEMES)


@dataclass(frozen=True)
class World:
    root: Path

    def fill(self, args: list[str]) -> list[str]:
        return [a.format(t=self.root) for a in args]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Small documents, a results CSV and the broken files the mistakes name."""
    root = tmp_path_factory.mktemp("world")
    docs = root / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(f"{SMART_CITY_PARAGRAPH}\n\n{filler(4)}\n", encoding="utf-8")
    (docs / "b.txt").write_text(f"{SECURITY_PARAGRAPH}\n\n{filler(4, 2)}\n", encoding="utf-8")
    (root / "empty").mkdir()
    other = root / "other"
    other.mkdir()
    (other / "x.docx").write_bytes(b"PK\x03\x04 not really")
    (other / "y.md").write_text("# notes\n", encoding="utf-8")
    (other / "z.md").write_text("# more notes\n", encoding="utf-8")
    (root / "report.docx").write_bytes(b"PK\x03\x04 not really")
    (root / "binary.dat").write_bytes(bytes(range(256)) * 8)
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" * 400)
    (root / "empty.csv").write_bytes(b"")
    (root / "plain.txt").write_text("just a file\n", encoding="utf-8")
    (root / "notours.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "labels.csv").write_text(
        f"{LABEL_HEADER}\na.txt,0,0,0,1,0\nb.txt,1,0,0,0,0\n", encoding="utf-8"
    )
    (root / "other_labels.csv").write_text(
        f"{LABEL_HEADER}\nelders.pdf,0,0,0,1,0\n", encoding="utf-8"
    )
    (root / "blind.csv").write_text(
        "id,file,theme,page,evidence,link,human,note\n", encoding="utf-8"
    )
    (root / "labels-latin1.csv").write_bytes(
        f"{LABEL_HEADER}\na.txt,0,0,0,1,0\nb.txt,1,0,0,0,0\nCafé.txt,0,0,0,0,0\n".encode("latin-1")
    )
    (root / "labels-wrong.csv").write_text("naam,score\na.txt,1\n", encoding="utf-8")
    passage = '{"text": "Wij plaatsen sensoren in de binnenstad.", "labels": ["smart_city"]}'
    (root / "nolabels.jsonl").write_text(
        passage + '\n{"text": "Een tekst zonder labels."}\n', encoding="utf-8"
    )
    (root / "stringlabels.jsonl").write_text(
        passage.replace('["smart_city"]', '"smart_city"') + "\n", encoding="utf-8"
    )
    (root / "onepositive.jsonl").write_text(
        "".join(
            json.dumps({"text": f"Passage {i} over {t}.", "labels": [] if i % 2 else [t]}) + "\n"
            for t in THEMES
            if t != "smart_city"  # which has one positive: the line after these
            for i in range(4)
        )
        + passage
        + "\n",
        encoding="utf-8",
    )
    (root / "conflict.jsonl").write_text(
        passage + "\n" + passage.replace('["smart_city"]', "[]") + "\n", encoding="utf-8"
    )
    (root / "labels-other.csv").write_text(f"{LABEL_HEADER}\nzzz.txt,0,0,0,1,0\n", encoding="utf-8")
    (root / "labels-bad.csv").write_text(f"{LABEL_HEADER}\na.txt,0,ja,0,1,0\n", encoding="utf-8")
    lex = root / "badlex"
    lex.mkdir()
    (lex / "smart_city.toml").write_text("this is [not toml\n", encoding="utf-8")
    (root / "passages.jsonl").write_text(
        json.dumps({"text": SMART_CITY_PARAGRAPH, "labels": ["smart_city"]}) + "\n",
        encoding="utf-8",
    )
    (root / "passages-bad.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["classify", str(docs), "--no-cache", "--workers", "0", "-q", "-o", str(root / "r.csv")],
    )
    assert result.exit_code == 0, result.output
    return World(root)


C = ["--no-cache", "--workers", "0"]  # classify without the user cache or worker processes

# (id, arguments, exit code, words the message contains)
MISTAKES: list[tuple[str, list[str], int, list[str]]] = [
    # classify: inputs
    ("classify-no-path", ["classify", *C], 2, ["missing argument"]),
    ("classify-missing-folder", ["classify", "{t}/nosuchdir", *C], 2, ["no such file", "nosuchdir"]),
    ("classify-empty-folder", ["classify", "{t}/empty", *C], 1, ["no documents found", "empty"]),
    ("classify-only-other-formats", ["classify", "{t}/other", *C], 1,
     ["no documents found", "skipped: 2 .md, 1 .docx"]),
    ("classify-docx-named", ["classify", "{t}/report.docx", *C], 1,
     ["error: unsupported format .docx"]),
    ("classify-binary-named", ["classify", "{t}/binary.txt", *C], 1, ["not text"]),
    # classify: settings
    ("classify-missing-model", ["classify", "{t}/docs", "--model", "{t}/nomodel", *C], 2,
     ["not a themescan model", "nomodel"]),
    ("classify-folder-as-model", ["classify", "{t}/docs", "--model", "{t}/docs", *C], 2,
     ["not a themescan model"]),
    ("classify-missing-lexicons", ["classify", "{t}/docs", "--lexicons", "{t}/nolex", *C], 2,
     ["nolex"]),
    ("classify-broken-lexicons", ["classify", "{t}/docs", "--lexicons", "{t}/badlex", *C], 2,
     ["smart_city.toml"]),
    ("classify-missing-gemeenten", ["classify", "{t}/docs", "--gemeenten", "{t}/no.tsv", *C], 2,
     ["no.tsv"]),
    ("classify-folder-as-gemeenten", ["classify", "{t}/docs", "--gemeenten", "{t}/docs", *C], 2,
     ["population folder", "no year in its name"]),
    # one value per option: a second --gemeenten was read instead of the first, silently
    ("classify-gemeenten-twice",
     ["classify", "{t}/docs", "--gemeenten", "{t}/a.tsv", "--gemeenten", "{t}/b.tsv", *C], 2,
     ["--gemeenten", "given twice", "a folder with one per year"]),
    ("table-format-twice", ["table", "{t}/r.csv", "--format=csv", "--format", "json"], 2,
     ["--format", "given twice (csv and json)"]),
    ("classify-binary-gemeenten", ["classify", "{t}/docs", "--gemeenten", "{t}/binary.dat", *C],
     2, ["population file"]),
    ("classify-folder-as-cache", ["classify", "{t}/docs", "--cache", "{t}/empty", "--workers", "0"],
     2, ["--cache", "is a folder"]),
    # trial 13: --model with a results file was ignored, and the packaged model's figures shown
    ("evaluate-results-file-with-model",
     ["evaluate", "{t}/r.csv", "--labels", "{t}/labels.csv", "--model", "{t}/nomodel"], 2,
     ["--model and --lexicons judge documents", "give the documents folder"]),
    # a cache that cannot be made is no reason to stop (issue 13): the run goes on without one
    ("classify-impossible-cache",
     ["classify", "{t}/docs", "--cache", "/proc/themescan-nope/c.sqlite", "--workers", "0"], 0,
     ["cannot make a cache", "running without"]),
    # trial 12: a cache path under a file said only "(File exists)"
    ("classify-cache-under-a-file",
     ["classify", "{t}/docs", "--cache", "{t}/docs/a.txt/c.sqlite", "--workers", "0"], 0,
     ["cannot make a cache", "a.txt is a file, not a folder", "running without"]),
    ("classify-negative-workers", ["classify", "{t}/docs", "--workers", "-1", "--no-cache"], 2,
     ["--workers"]),
    ("classify-workers-not-a-number", ["classify", "{t}/docs", "--workers", "two"], 2,
     ["--workers", "two"]),
    ("classify-unknown-option", ["classify", "{t}/docs", "--bogus"], 2, ["no such option"]),
    # classify: outputs
    ("classify-output-folder-missing", ["classify", "{t}/docs", *C, "-o", "/nonexistent/dir/r.csv"],
     2, ["/nonexistent/dir", "does not exist"]),
    ("classify-output-is-folder", ["classify", "{t}/docs", *C, "-o", "{t}/empty"], 2,
     ["is a folder"]),
    ("classify-output-under-a-file", ["classify", "{t}/docs", *C, "-o", "{t}/plain.txt/r.csv"], 2,
     ["not a folder"]),
    # "new/" is a folder to the user; as a Path it would be the file "new"
    ("classify-output-ends-with-slash", ["classify", "{t}/docs", *C, "-o", "{t}/new/"], 2,
     ["ends with a slash", "results.csv"]),
    ("table-output-ends-with-slash", ["table", "{t}/r.csv", "-o", "{t}/new/"], 2,
     ["ends with a slash"]),
    ("sample-output-ends-with-slash", ["sample", "{t}/r.csv", "-o", "{t}/new/"], 2,
     ["ends with a slash"]),
    ("report-output-ends-with-slash", ["report", "{t}/r.csv", "-o", "{t}/new/"], 2,
     ["ends with a slash"]),
    ("classify-output-unwritable", ["classify", "{t}/docs", *C, "-o", "/proc/r.csv"], 2,
     ["cannot write /proc/r.csv"]),
    ("classify-output-is-an-input", ["classify", "{t}/docs", *C, "-o", "{t}/docs/a.txt"], 2,
     ["one of the inputs"]),
    ("classify-format-contradicts", ["classify", "{t}/docs", *C, "-o", "{t}/x.xlsx", "--format",
     "csv"], 2, ["contradicts"]),
    ("classify-xlsx-to-stdout", ["classify", "{t}/docs", *C, "--format", "xlsx"], 2, ["-o"]),
    ("classify-excel-jsonl", ["classify", "{t}/docs", *C, "--excel", "-o", "{t}/x.jsonl"], 2,
     ["--excel"]),
    ("classify-resume-without-output", ["classify", "{t}/docs", *C, "--resume"], 2, ["-o"]),
    ("classify-force-without-resume", ["classify", "{t}/docs", *C, "--force"], 2, ["--resume"]),
    ("classify-resume-foreign-csv", ["classify", "{t}/docs", *C, "-o", "{t}/notours.csv",
     "--resume"], 2, ["header"]),
    ("classify-resume-other-model", ["classify", "{t}/docs", *C, "--model", "none", "-o",
     "{t}/r.csv", "--resume"], 2, ["other settings", "model", "--force"]),
    # classify: dask scheduler, within seconds
    ("classify-scheduler-nonsense", ["classify", "{t}/docs", *C, "--scheduler", "nonsense"], 2,
     ["nonsense"]),
    ("classify-scheduler-unreachable", ["classify", "{t}/docs", *C, "--scheduler",
     "tcp://127.0.0.1:1"], 2, ["tcp://127.0.0.1:1", "refused"]),
    ("classify-scheduler-protocol", ["classify", "{t}/docs", *C, "--scheduler", "http://x:1"], 2,
     ["http://x:1"]),
    # explain
    ("explain-missing-file", ["explain", "{t}/nope.pdf"], 2, ["no such file", "nope.pdf"]),
    ("explain-top-zero", ["explain", "{t}/docs/a.txt", "--top", "0"], 2, ["--top"]),
    ("explain-unknown-theme", ["explain", "{t}/docs/a.txt", "--theme", "ai"], 2, ["unknown theme"]),
    ("explain-empty-folder", ["explain", "{t}/empty"], 2, ["no documents found"]),
    ("explain-binary", ["explain", "{t}/binary.txt"], 1, ["not text"]),
    ("explain-docx", ["explain", "{t}/report.docx"], 1, ["unsupported format .docx"]),
    ("explain-missing-model", ["explain", "{t}/docs/a.txt", "--model", "{t}/nomodel"], 2,
     ["not a themescan model"]),
    # table
    ("report-missing-results", ["report", "{t}/nope.csv", "-o", "{t}/r.html"], 2, ["nope.csv"]),
    ("report-not-html", ["report", "{t}/nope.csv", "-o", "{t}/r.txt"], 2, [".html"]),
    ("report-binary-results", ["report", "{t}/binary.dat", "-o", "{t}/r.html"], 2,
     ["binary.dat"]),
    ("sample-missing-results", ["sample", "{t}/nope.csv", "-o", "{t}/s.xlsx"], 2, ["nope.csv"]),
    ("sample-zero", ["sample", "{t}/r.csv", "-n", "0", "-o", "{t}/s.xlsx"], 2, ["-n"]),
    ("agreement-missing-sheet", ["agreement", "{t}/nope.xlsx"], 2, ["nope.xlsx"]),
    ("agreement-binary-sheet", ["agreement", "{t}/binary.dat"], 2, ["binary.dat"]),
    ("agreement-bad-format", ["agreement", "{t}/nope.xlsx", "--format", "pdf"], 2, ["pdf"]),
    ("table-unknown-extension", ["table", "{t}/r.csv", "-o", "{t}/t.docx"], 2, ["t.docx"]),
    ("table-negative-klassen", ["table", "{t}/r.csv", "--klassen", "-5,0"], 2, ["above 0"]),
    # labels written for other names: both sides are shown, so the mismatch can be seen
    ("evaluate-no-name-in-common", ["evaluate", "{t}/docs", "--labels", "{t}/other_labels.csv"],
     2, ["results have", "labels have", "elders.pdf"]),
    ("agreement-blind-key-elsewhere", ["agreement", "{t}/blind.csv"], 2,
     ["blind_themescan.csv", "keep the two names together"]),
    ("table-chart-extension", ["table", "{t}/r.csv", "--chart", "{t}/c.jpg"], 2, [".svg"]),
    ("table-missing-results", ["table", "{t}/nope.csv"], 2, ["nope.csv"]),
    ("table-folder-as-results", ["table", "{t}/docs"], 2, ["is a folder"]),
    ("table-binary-results", ["table", "{t}/binary.dat"], 2, ["binary.dat"]),
    ("table-empty-results", ["table", "{t}/empty.csv"], 2, ["empty"]),
    ("table-xlsx-to-stdout", ["table", "{t}/r.csv", "--format", "xlsx"], 2, ["-o"]),
    ("table-format-contradicts", ["table", "{t}/r.csv", "--format", "csv", "-o", "{t}/t.xlsx"], 2,
     ["contradicts"]),
    ("table-output-is-input", ["table", "{t}/r.csv", "-o", "{t}/r.csv"], 2, ["reads"]),
    ("table-output-folder-missing", ["table", "{t}/r.csv", "-o", "/nonexistent/t.csv"], 2,
     ["does not exist"]),
    ("table-output-is-folder", ["table", "{t}/r.csv", "-o", "{t}/empty"], 2, ["is a folder"]),
    ("table-bad-klassen", ["table", "{t}/r.csv", "--klassen", "abc"], 2, ["--klassen"]),
    ("table-missing-gemeenten", ["table", "{t}/r.csv", "--gemeenten", "{t}/no.tsv"], 2, ["no.tsv"]),
    ("table-chart-is-folder", ["table", "{t}/r.csv", "--chart", "{t}/empty"], 2, ["is a folder"]),
    ("table-excel-markdown", ["table", "{t}/r.csv", "--excel", "--format", "markdown"], 2,
     ["--excel"]),
    # evaluate
    ("evaluate-empty-labels", ["evaluate", "{t}/r.csv", "--labels", "{t}/empty.csv"], 2, ["empty"]),
    ("evaluate-binary-labels", ["evaluate", "{t}/r.csv", "--labels", "{t}/binary.dat"], 2,
     ["binary"]),
    ("evaluate-missing-labels", ["evaluate", "{t}/r.csv", "--labels", "{t}/no.csv"], 2,
     ["cannot read labels"]),
    ("evaluate-folder-as-labels", ["evaluate", "{t}/r.csv", "--labels", "{t}/empty"], 2,
     ["is a folder"]),
    ("evaluate-wrong-columns", ["evaluate", "{t}/r.csv", "--labels", "{t}/labels-wrong.csv"], 2,
     ["missing column"]),
    ("evaluate-bad-flag", ["evaluate", "{t}/r.csv", "--labels", "{t}/labels-bad.csv"], 2,
     ["0 or 1"]),
    ("evaluate-no-overlap", ["evaluate", "{t}/r.csv", "--labels", "{t}/labels-other.csv"], 2,
     ["no file in the results matches"]),
    ("evaluate-missing-results", ["evaluate", "{t}/nope.csv", "--labels", "{t}/labels.csv"], 2,
     ["no such file"]),
    ("evaluate-baseline-without-docs", ["evaluate", "{t}/r.csv", "--labels", "{t}/labels.csv",
     "--baseline", "keywords"], 2, ["--docs"]),
    ("evaluate-no-labels-option", ["evaluate", "{t}/r.csv"], 2, ["--labels"]),
    # train
    ("train-nothing", ["train", "-o", "{t}/m"], 2, ["--passages"]),
    ("train-docs-without-labels", ["train", "{t}/docs", "-o", "{t}/m"], 2, ["--labels"]),
    ("train-missing-docs", ["train", "{t}/nosuchdir", "--labels", "{t}/labels.csv"], 2,
     ["nosuchdir"]),
    ("train-missing-passages", ["train", "--passages", "{t}/no.jsonl"], 2, ["no.jsonl"]),
    ("train-binary-passages", ["train", "--passages", "{t}/binary.dat"], 2, ["utf-8"]),
    # trial 13: a record without labels was trained on as a negative for every theme, labels as a
    # string were read letter by letter, and one text with two sets of labels passed
    ("train-passage-without-labels", ["train", "--passages", "{t}/nolabels.jsonl"], 2,
     ["nolabels.jsonl:2:", '"labels"']),
    ("train-labels-as-a-string", ["train", "--passages", "{t}/stringlabels.jsonl"], 2,
     ["stringlabels.jsonl:1:", "must be a list", '["smart_city"]']),
    # trial 13: one positive passage gave "needs positive and negative passages"
    ("train-one-positive", ["train", "--passages", "{t}/onepositive.jsonl", "-o", "{t}/m1"], 2,
     ["smart_city: 1 positive", "at least 2 of each"]),
    ("train-one-text-two-labels", ["train", "--passages", "{t}/conflict.jsonl"], 2,
     ["conflict.jsonl:2:", "the same text as", "conflict.jsonl:1"]),
    ("train-malformed-passages", ["train", "--passages", "{t}/passages-bad.jsonl"], 2,
     ["passages-bad.jsonl:1"]),
    ("train-one-fold", ["train", "--passages", "{t}/passages.jsonl", "--folds", "1"], 2,
     ["--folds"]),
    ("train-output-is-a-file", ["train", "--passages", "{t}/passages.jsonl", "-o",
     "{t}/plain.txt"], 2, ["is a file"]),
    # info, lexicon, guide, the app
    ("info-missing-model", ["info", "--model", "{t}/nomodel"], 2, ["not a themescan model"]),
    ("lexicon-check-missing", ["lexicon", "check", "{t}/nolex"], 2, ["nolex"]),
    ("lexicon-check-broken", ["lexicon", "check", "{t}/badlex"], 2, ["smart_city.toml"]),
    ("guide-extra-argument", ["guide", "extra"], 2, ["unexpected extra argument"]),
    ("unknown-command", ["clasify", "x"], 2, ["no such command"]),
]  # fmt: skip


def _run(world: World, args: list[str]):
    return CliRunner().invoke(app, world.fill(args))


def test_at_least_forty_mistakes_over_every_command() -> None:
    assert len(MISTAKES) >= 40
    commands = {args[0] for _, args, _, _ in MISTAKES}
    assert {
        "classify", "explain", "table", "evaluate", "train", "info", "lexicon", "guide",
        "sample", "agreement", "report",
    } <= commands  # fmt: skip


@pytest.mark.parametrize(("args", "code", "words"), [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])  # fmt: skip
def test_a_mistake_gets_a_message_and_an_exit_code(
    world: World, args: list[str], code: int, words: list[str]
) -> None:
    if "--scheduler" in args and importlib.util.find_spec("distributed") is None:
        words = ["themescan[dask]"]  # README's install has no dask: that is the message then
    started = time.monotonic()
    result = _run(world, args)
    elapsed = time.monotonic() - started
    said = (result.stderr + result.stdout).lower()
    assert not (result.exception and not isinstance(result.exception, SystemExit)), repr(
        result.exception
    )
    assert "traceback" not in said
    assert "internal error" not in said
    assert result.exit_code == code, said
    for word in words:
        assert word.lower() in said, said
    assert elapsed < 15, f"took {elapsed:.1f} s"


# --- an existing output survives every usage error ------------------------------------------


USAGE_ERRORS = [m for m in MISTAKES if m[2] == 2 and m[1][0] in ("classify", "table")]
EARLIER_RUN = b"file,status\nresults of an earlier run,ok\n"


@pytest.mark.parametrize("mistake", USAGE_ERRORS, ids=[m[0] for m in USAGE_ERRORS])
def test_an_existing_output_survives_a_usage_error(
    world: World, tmp_path: Path, mistake: tuple[str, list[str], int, list[str]]
) -> None:
    """The mistake is made with -o pointing at a file that already holds results (a new one
    where the mistake named none); that file, and every file of the world, stays as it was."""
    _, args, code, _ = mistake
    args = world.fill(args)
    if "-o" in args:
        i = args.index("-o")
        target = Path(args[i + 1])
        if (
            str(target).startswith(str(world.root))
            and target.parent.is_dir()
            and not target.exists()
        ):
            slash = "/" if args[i + 1].endswith("/") else ""
            args[i + 1] = str(tmp_path / target.name) + slash
    elif "--resume" not in args:
        args = [*args, "-o", str(tmp_path / "keep.csv")]
    for a in args:
        if a.startswith(str(tmp_path)):
            Path(a).write_bytes(EARLIER_RUN)
    before = {p: p.read_bytes() for p in [*world.root.rglob("*"), *tmp_path.rglob("*")]
              if p.is_file() and not p.is_fifo()}  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.stderr
    after = {p: p.read_bytes() for p in [*world.root.rglob("*"), *tmp_path.rglob("*")]
             if p.is_file() and not p.is_fifo()}  # fmt: skip
    assert after == before  # byte for byte, and no partial file left behind


def test_without_output_nothing_reaches_stdout_before_a_usage_error(world: World) -> None:
    result = _run(world, ["classify", "{t}/docs", *C, "--model", "{t}/nomodel"])
    assert result.exit_code == 2
    assert result.stdout == ""


# --- resume knows what it resumes ----------------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_resume_with_changed_settings_is_refused_and_names_them(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    first = _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)])
    assert first.exit_code == 0
    record = json.loads((tmp_path / "r.csv.themescan.json").read_text(encoding="utf-8"))
    assert {"themescan", "fingerprint", "model", "lexicons", "inputs", "config"} <= set(record)
    assert record["model"]["sha256"]
    # the lexicons by the hash `themescan info` and model.json give them (trial 13: another one)
    from themescan.lexicon import load_lexicons

    assert record["lexicons"]["hash"] == load_lexicons().digest
    before = out.read_bytes()
    pop = tmp_path / "pop.csv"
    pop.write_text("gemeente,inwoners\nAmstelveen,90000\n", encoding="utf-8")
    refused = _run(
        world, ["classify", "{t}/docs", *C, "-o", str(out), "--resume", "--gemeenten", str(pop)]
    )
    assert refused.exit_code == 2
    assert "gemeenten: was (none)" in refused.stderr
    assert out.read_bytes() == before
    forced = _run(
        world,
        [
            "classify",
            "{t}/docs",
            *C,
            "-o",
            str(out),
            "--resume",
            "--gemeenten",
            str(pop),
            "--force",
        ],
    )
    assert forced.exit_code == 0, forced.stderr
    assert [r["file"] for r in _rows(out.read_text(encoding="utf-8"))] == ["a.txt", "b.txt"]


def test_resume_continues_the_partial_file(world: World, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)]).exit_code == 0
    full = out.read_text(encoding="utf-8")
    out.unlink()
    partial = tmp_path / "r.csv.partial"
    (tmp_path / "r.csv.themescan.json").rename(tmp_path / "r.csv.partial.themescan.json")
    lines = full.splitlines(keepends=True)
    partial.write_text(lines[0] + lines[1] + lines[2][:30], encoding="utf-8")  # killed mid-row
    done = _run(world, ["classify", "{t}/docs", *C, "-o", str(out), "--resume"])
    assert done.exit_code == 0, done.stderr
    assert "1 from the earlier run" in done.stderr
    assert out.read_text(encoding="utf-8") == full
    assert not partial.exists()
    assert (tmp_path / "r.csv.themescan.json").exists()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx"])
def test_resume_drops_rows_of_files_deleted_since(tmp_path: Path, suffix: str) -> None:
    """A resumed output holds one row per input, as a fresh run would: a document deleted
    since the first run loses its row (and the user is told), the others keep theirs."""
    if suffix == "xlsx":
        pytest.importorskip("openpyxl")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(f"{SECURITY_PARAGRAPH}\n\n{filler(3)}\n", encoding="utf-8")
    out = tmp_path / f"r.{suffix}"
    runner = CliRunner()
    assert runner.invoke(app, ["classify", str(docs), *C, "-q", "-o", str(out)]).exit_code == 0
    (docs / "b.txt").unlink()
    again = runner.invoke(app, ["classify", str(docs), *C, "-o", str(out), "--resume"])
    assert again.exit_code == 0, again.stderr
    assert "dropped 1 row" in again.stderr and "b.txt" in again.stderr
    assert "2 documents" in again.stderr
    if suffix == "xlsx":
        from themescan.output import read_xlsx_rows

        files = [r[0] for r in read_xlsx_rows(out)]
    elif suffix == "jsonl":
        files = [json.loads(line)["file"] for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        files = [r["file"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert files == ["a.txt", "c.txt"]


def test_resume_with_another_input_says_the_names_changed_not_that_files_went(
    tmp_path: Path,
) -> None:
    """Trial 12: a second input folder makes the file column name each file's folder too
    (docs/a.txt); --resume --force then said the earlier rows were 'for files no longer among
    the inputs', naming files that were still there. It now says why they are read again."""
    docs, more = tmp_path / "docs", tmp_path / "more"
    for folder, names in ((docs, ("a.txt", "b.txt")), (more, ("c.txt",))):
        folder.mkdir()
        for name in names:
            (folder / name).write_text(f"{SECURITY_PARAGRAPH}\n\n{filler(3)}\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    runner = CliRunner()
    assert runner.invoke(app, ["classify", str(docs), *C, "-q", "-o", str(out)]).exit_code == 0
    again = runner.invoke(
        app, ["classify", str(docs), str(more), *C, "-o", str(out), "--resume", "--force"]
    )
    assert again.exit_code == 0, again.stderr
    said = " ".join(again.stderr.split())
    assert "no longer among the inputs" not in said
    assert "2 rows of the earlier run name their files otherwise" in said
    files = [r["file"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert sorted(files) == ["docs/a.txt", "docs/b.txt", "more/c.txt"]


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_resume_reads_again_a_file_changed_since(tmp_path: Path, suffix: str) -> None:
    """A row says what its file held when it was read: a document replaced since the earlier
    run began is read again (and the user told), the others keep their rows."""
    import os

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(f"{filler(3)}\n", encoding="utf-8")
    out = tmp_path / f"r.{suffix}"
    runner = CliRunner()
    assert runner.invoke(app, ["classify", str(docs), *C, "-q", "-o", str(out)]).exit_code == 0
    changed = docs / "b.txt"
    changed.write_text(f"{SECURITY_PARAGRAPH}\n\n{filler(3)}\n", encoding="utf-8")
    later = out.stat().st_mtime + 5  # the edit comes after the run, whatever the clock's grain
    os.utime(changed, (later, later))
    again = runner.invoke(app, ["classify", str(docs), *C, "-o", str(out), "--resume"])
    assert again.exit_code == 0, again.stderr
    said = " ".join(again.stderr.split())
    assert "1 file changed since the earlier run began" in said and "b.txt" in said
    if suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        flags = {r["file"]: str(r["themes"]["informatieveiligheid"]["flag"]) for r in rows}
    else:
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        flags = {r["file"]: r["informatieveiligheid"] for r in rows}
    assert flags == {"a.txt": "0", "b.txt": "1", "c.txt": "0"}
    # in input order, byte for byte as a fresh run writes it (trial 13: the row read again came
    # last)
    fresh = tmp_path / f"fresh.{suffix}"
    assert runner.invoke(app, ["classify", str(docs), *C, "-q", "-o", str(fresh)]).exit_code == 0
    assert [r["file"] for r in rows] == ["a.txt", "b.txt", "c.txt"]
    assert out.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")


def test_output_never_replaces_a_file_themescan_did_not_write(world: World, tmp_path: Path) -> None:
    """-o onto the labels beside the documents (a slip of the keyboard) is refused, and the
    file stays as it was; a themescan output, even without its sidecar, is replaced."""
    labels = tmp_path / "labels.csv"
    labels.write_text(f"{LABEL_HEADER}\na.txt,0,0,0,1,0\n", encoding="utf-8")
    before = labels.read_bytes()
    refused = _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(labels)])
    assert refused.exit_code == 2 and "not an output of themescan" in refused.stderr
    assert labels.read_bytes() == before
    for suffix in ("csv", "jsonl"):
        out = tmp_path / f"r.{suffix}"
        assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)]).exit_code == 0
        (tmp_path / f"r.{suffix}.themescan.json").unlink()
        again = _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)])
        assert again.exit_code == 0, again.stderr


# --- formats, names, the terminal ----------------------------------------------------------------


def test_xlsx_output_has_header_frozen_panes_and_numbers(world: World, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "r.xlsx"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == CSV_COLUMNS
    assert [r[0] for r in rows[1:]] == ["a.txt", "b.txt"]
    assert sheet.freeze_panes == "C2"
    score = sheet.cell(row=2, column=CSV_COLUMNS.index("smart_city_score") + 1)
    assert isinstance(score.value, int | float) and score.number_format == "0.000"
    flag = rows[1][CSV_COLUMNS.index("smart_city")]
    assert flag == 1
    # and it resumes: the rows it holds are not classified again
    again = _run(world, ["classify", "{t}/docs", *C, "-o", str(out), "--resume"])
    assert again.exit_code == 0 and "2 from the earlier run" in again.stderr


def test_an_interrupted_xlsx_run_resumes_from_its_partial_file(
    world: World, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    from themescan.output import XlsxWriter, partial_path, read_xlsx_rows, xlsx_values
    from themescan.results import DocumentResult

    out = tmp_path / "r.xlsx"
    first = DocumentResult("a.txt", "ok", pages=1)
    writer = XlsxWriter(partial_path(out))  # what an interrupted run leaves: r.xlsx.partial
    writer.write(first)
    writer.close()
    assert [r[0] for r in read_xlsx_rows(partial_path(out))] == ["a.txt"]
    assert xlsx_values(first)[0] == "a.txt"


def test_jsonl_follows_the_extension(world: World, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["file"] for r in records] == ["a.txt", "b.txt"]


def test_names_are_unique_over_several_folders(tmp_path: Path) -> None:
    for year in ("y2023", "y2024"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "kromstede.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    (tmp_path / "extra.docx").write_bytes(b"PK")
    result = CliRunner().invoke(
        app,
        ["classify", str(tmp_path / "y2023"), str(tmp_path / "y2024"), str(tmp_path / "extra.docx"),
         *C, "-q"],
    )  # fmt: skip
    rows = _rows(result.stdout)
    assert [(r["file"], r["status"]) for r in rows] == [
        ("y2023/kromstede.txt", "ok"),
        ("y2024/kromstede.txt", "ok"),
        ("extra.docx", "error: unsupported format .docx"),
    ]
    assert result.exit_code == 1


def test_special_file_gets_its_row(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = CliRunner().invoke(app, ["classify", str(folder), *C, "-q"])
    assert [(r["file"], r["status"]) for r in _rows(result.stdout)] == [
        ("a.txt", "ok"),
        ("pipe.txt", "error: not a regular file"),
    ]


def test_piped_stdout_is_the_csv_contract_byte_for_byte(world: World, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(out)]).exit_code == 0
    piped = _run(world, ["classify", "{t}/docs", *C])
    assert piped.stdout_bytes == out.read_bytes()
    assert "2 documents, 2 ok" in piped.stderr  # the summary goes to stderr


def test_a_terminal_gets_a_table_and_a_hint(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import themescan.cli.classify as classify

    monkeypatch.setattr(classify, "_stdout_is_terminal", lambda: True)
    result = _run(world, ["classify", "{t}/docs", *C])
    assert result.exit_code == 0
    assert "file,status" not in result.stdout
    lines = [line for line in result.stdout.splitlines() if "a.txt" in line]
    assert lines and "ok" in lines[0]
    assert "top score" in result.stdout and "SC" in result.stdout
    assert "-o results.csv" in result.stderr


def test_version_and_markup_safe_help() -> None:
    from themescan import __version__

    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"themescan {__version__}"
    help_text = runner.invoke(app, ["classify", "--help"]).stdout
    assert "themescan[dask]" in help_text
    assert "PATH..." in help_text and "{" not in help_text.splitlines()[0]


def test_guide_prints_the_labelling_guide() -> None:
    result = CliRunner().invoke(app, ["guide"])
    assert result.exit_code == 0
    assert "explicit attention" in result.stdout
    for theme in THEMES:
        assert f"`{theme}`" in result.stdout
    assert "docs/labelling.md" in CliRunner().invoke(app, ["evaluate", "--help"]).stdout


def _commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_option_has_help_and_usage_reads_as_placeholders() -> None:
    import click
    import typer

    root = typer.main.get_command(app)
    runner = CliRunner()
    for path, command in _commands(root):
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"
        usage = runner.invoke(app, [*path, "--help"]).stdout.splitlines()[0]
        assert "{" not in usage and "<" not in usage, usage
        text = runner.invoke(app, [*path, "--help"]).stdout
        assert "<str>" not in text and "<path>" not in text.lower(), f"{path}: {text}"


def _breaking_scan(exc: BaseException):
    """A scan that yields the first real result and then fails with `exc`."""
    from themescan.batch import scan

    def broken(*args, **kwargs):
        results = scan(*args, **kwargs)
        yield next(results)
        results.close()
        raise exc

    return broken


@pytest.mark.parametrize(
    ("exc", "code", "words"),
    [(KeyboardInterrupt(), 130, "--resume"), (RuntimeError("boom"), 1, "internal error")],
    ids=["ctrl-c", "crash"],
)
def test_an_interrupted_or_crashed_run_keeps_the_old_output_and_its_rows(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    code: int,
    words: str,
) -> None:
    import themescan.cli.classify as classify

    out = tmp_path / "r.csv"
    out.write_bytes(EARLIER_RUN)
    monkeypatch.setattr(classify, "scan", _breaking_scan(exc))
    result = _run(world, ["classify", "{t}/docs", *C, "-o", str(out)])
    assert result.exit_code == code
    assert words in result.stderr and "traceback" not in result.stderr.lower()
    assert out.read_bytes() == EARLIER_RUN
    partial = tmp_path / "r.csv.partial"
    assert [r["file"] for r in _rows(partial.read_text(encoding="utf-8"))] == ["a.txt"]
    assert str(partial) in result.stderr

    monkeypatch.undo()
    resumed = _run(world, ["classify", "{t}/docs", *C, "-o", str(out), "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert [r["file"] for r in _rows(out.read_text(encoding="utf-8"))] == ["a.txt", "b.txt"]
    assert not partial.exists()


def test_summary_line_counts_unreadable_documents_by_reason(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01" * 300)
    (folder / "c.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["classify", str(folder), *C])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("3 documents, 1 ok, 2 not read cleanly (")
    assert "1 error: not text" in lines[0] and "1 error: empty file" in lines[0]
    assert "written to stdout" in lines[0]


def test_progress_knows_the_total(world: World) -> None:
    from themescan.cli.classify import listing_total
    from themescan.reading import list_documents

    listing = list_documents([world.root / "docs"])
    assert listing_total(listing, {}) == 2
    assert listing_total(listing, {"a.txt": "ok"}) == 1


def test_explain_statuses_do_not_repeat_themselves() -> None:
    from themescan.cli.explain import _status_line
    from themescan.errors import DocumentError

    scanned = _status_line(
        DocumentError("no text: scanned?", "x.pdf: no text layer (scanned?)"), "x.pdf"
    )
    assert scanned.count("scanned") == 1 and "x.pdf" not in scanned
    assert (
        _status_line(DocumentError("error: empty file", "x.pdf is empty"), "x.pdf").count("empty")
        == 1
    )
    assert "needs a password" in _status_line(
        DocumentError("error: encrypted", "x.pdf needs a password"), "x.pdf"
    )


def test_explain_on_a_folder_explains_each_document(world: World) -> None:
    result = _run(world, ["explain", "{t}/docs", "--theme", "smart_city", "--top", "1"])
    assert result.exit_code == 0, result.stderr
    assert "a.txt" in result.stdout and "b.txt" in result.stdout
    assert result.stdout.count("Smart city") == 2


def test_table_excel_csv_and_formats_by_extension(world: World, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    result = _run(world, ["table", "{t}/r.csv", "--excel", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("grootteklasse;omschrijving;n;")
    totaal = lines[-1].split(";")
    assert totaal[0] == "totaal" and totaal[4] == "50,0"  # one of two flags smart_city
    piped = _run(world, ["table", "{t}/r.csv", "--excel"])
    assert piped.stdout.lstrip("\ufeff").splitlines() == lines
    xlsx = tmp_path / "t.xlsx"
    assert _run(world, ["table", "{t}/r.csv", "-o", str(xlsx)]).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"  # a workbook, not CSV text
    md = tmp_path / "t.md"
    assert _run(world, ["table", "{t}/r.csv", "-o", str(md)]).exit_code == 0
    assert md.read_text(encoding="utf-8").lstrip().startswith(("|", "#"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.md", "t.xlsx"]


def test_a_reachable_scheduler_passes_the_check_and_runs(world: World, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "r.csv"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        dashboard_address=None,
    ) as cluster:
        result = _run(
            world,
            ["classify", "{t}/docs", *C, "-q", "--scheduler", cluster.scheduler_address, "-o",
             str(out)],
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [r["file"] for r in _rows(out.read_text(encoding="utf-8"))] == ["a.txt", "b.txt"]


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    import zipfile

    from themescan.output import XlsxWriter
    from themescan.results import DocumentResult

    path = tmp_path / "r.xlsx"
    writer = XlsxWriter(path)
    writer.write(DocumentResult(file='=HYPERLINK("http://x")\x01.pdf', status="ok"))
    writer.close()
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK" in sheet


def test_a_server_that_is_not_a_scheduler_fails_within_seconds(world: World) -> None:
    """A web server (or a proxy that accepts anything) at the address: a message, not dask's
    hang or traceback."""
    pytest.importorskip("distributed")
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 50)

    threading.Thread(target=answer, daemon=True).start()
    try:
        started = time.monotonic()
        result = _run(world, ["classify", "{t}/docs", *C, "--scheduler", f"tcp://127.0.0.1:{port}"])
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert result.exit_code == 2
    assert f"tcp://127.0.0.1:{port}" in result.stderr and "not a dask scheduler" in result.stderr
    assert "traceback" not in (result.stderr + result.stdout).lower()
    assert result.stdout == ""
    assert elapsed < 15


def test_summary_line_says_what_a_folder_walk_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    result = CliRunner().invoke(app, ["classify", str(folder), *C])
    assert result.exit_code == 0
    line = result.stderr.strip()
    assert line.startswith("1 document, 1 ok, skipped: 1 .docx;")


def test_train_refuses_an_output_folder_before_it_trains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training takes minutes: a -o that cannot take the model is refused first."""
    import themescan.training

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained although the output folder was refused")

    monkeypatch.setattr(themescan.training, "train", never)
    taken = tmp_path / "notes"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    passages = tmp_path / "p.jsonl"
    passages.write_text('{"text": "x", "labels": []}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--passages", str(passages), "-o", str(taken)])
    assert result.exit_code == 2
    assert "not a themescan model" in result.stderr
    assert (taken / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_train_on_documents_without_labels_names_the_missing_option(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(SECURITY_PARAGRAPH, encoding="utf-8")
    result = CliRunner().invoke(app, ["train", str(folder), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "--labels" in result.stderr


def test_a_label_other_than_0_or_1_is_refused_not_counted_as_0(tmp_path: Path) -> None:
    from themescan.errors import UsageError
    from themescan.training import read_labels

    labels = tmp_path / "labels.csv"
    labels.write_text(f"{LABEL_HEADER}\na.txt,0,2,0,1,0\n", encoding="utf-8")
    with pytest.raises(UsageError, match="digitalisering is '2'"):
        read_labels(labels)
    labels.write_text(f"{LABEL_HEADER}\na.txt,0, 1 ,0,1,0\n", encoding="utf-8")
    assert read_labels(labels) == {"a.txt": frozenset({"digitalisering", "smart_city"})}


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_evaluate_says_how_many_files_it_could_not_score(
    world: World, tmp_path: Path, fmt: str
) -> None:
    """Labels that match one of two documents give figures on one document: said up front,
    with the count, in either format, so that no one quotes them as figures on the folder. A
    label without a document is a mistake and is named; a document without a label is the
    usual subset and only counted (trial 9: a warning listing every unlabelled document)."""
    labels = tmp_path / "labels.csv"
    labels.write_text(f"{LABEL_HEADER}\na.txt,0,0,0,1,0\nzz.txt,1,0,0,0,0\n", encoding="utf-8")
    result = _run(world, ["evaluate", "{t}/docs", "--labels", str(labels), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "warning: 1 labelled file not among the results" in said and "zz.txt" in said
    assert "note: 1 document without labels not scored" in said and "b.txt" not in said
    assert "rest on 1 document" in said and "rest on the 1 labelled document" in said
    results = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(results)]).exit_code == 0
    itself = _run(world, ["evaluate", str(results), "--labels", str(results)])
    assert itself.exit_code == 2 and "is the results file being scored" in itself.stderr
    copy = tmp_path / "gold.csv"
    copy.write_bytes(results.read_bytes())
    own = _run(world, ["evaluate", str(results), "--labels", str(copy)])
    assert own.exit_code == 2 and "not gold labels" in own.stderr


@pytest.mark.parametrize("command", ["table", "sample"])
def test_table_and_sample_never_write_over_labels_or_results(
    world: World, tmp_path: Path, command: str
) -> None:
    """A -o that names the label file (or classify's results) is a slip that would destroy
    hand-made work: refused, and the file stays as it was."""
    results = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(results)]).exit_code == 0
    labels = tmp_path / "labels.csv"
    labels.write_text(f"{LABEL_HEADER}\na.txt,0,0,0,1,0\nb.txt,1,0,0,0,0\n", encoding="utf-8")
    before = labels.read_bytes()
    refused = _run(world, [command, str(results), "-o", str(labels)])
    assert refused.exit_code == 2 and "holds labels or classify results" in refused.stderr
    assert labels.read_bytes() == before
    fresh = tmp_path / f"out.{'csv' if command == 'table' else 'xlsx'}"
    assert _run(world, [command, str(results), "-o", str(fresh)]).exit_code == 0
    again = _run(world, [command, str(results), "-o", str(fresh)])  # its own output: replaced
    assert again.exit_code == 0, again.stderr


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("table", "inwoners.csv"),
        ("table", "aantekeningen.md"),
        ("table", "tabel.xlsx"),
        ("report", "raadsbrief.html"),
        ("sample", "codering.csv"),
        ("agreement", "verslag.txt"),
    ],
)
def test_no_output_replaces_a_file_themescan_did_not_write(
    world: World, tmp_path: Path, command: str, name: str
) -> None:
    """A slip of -o onto the population file, one's notes or a draft letter loses work: it is
    refused, the file stays byte for byte, and the command's own earlier output is replaced."""
    results = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(results)]).exit_code == 0
    source = [str(results)]
    if command == "agreement":
        sheet = tmp_path / "s.csv"
        assert _run(world, ["sample", str(results), "-n", "4", "-o", str(sheet)]).exit_code == 0
        rows = list(csv.reader(sheet.open(encoding="utf-8")))
        human = rows[0].index("human")
        for row in rows[1:]:
            row[human] = "1"
        with sheet.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        source = [str(sheet)]
    theirs = tmp_path / name
    theirs.write_bytes(b"Eigen werk van de onderzoeker; niet overschrijven.\n")
    refused = _run(world, [command, *source, "-o", str(theirs)])
    assert refused.exit_code == 2
    assert "themescan did not write it" in refused.stderr
    assert theirs.read_bytes() == b"Eigen werk van de onderzoeker; niet overschrijven.\n"
    ours = tmp_path / f"ours{Path(name).suffix}"
    assert _run(world, [command, *source, "-o", str(ours)]).exit_code == 0
    again = _run(world, [command, *source, "-o", str(ours)])
    assert again.exit_code == 0, again.stderr


def test_a_new_sample_never_replaces_a_coded_one(world: World, tmp_path: Path) -> None:
    results = tmp_path / "r.csv"
    assert _run(world, ["classify", "{t}/docs", *C, "-q", "-o", str(results)]).exit_code == 0
    sheet = tmp_path / "s.csv"
    assert _run(world, ["sample", str(results), "-n", "4", "-o", str(sheet)]).exit_code == 0
    rows = list(csv.reader(sheet.open(encoding="utf-8")))
    rows[1][rows[0].index("human")] = "0"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    before = sheet.read_bytes()
    refused = _run(world, ["sample", str(results), "-n", "4", "-o", str(sheet)])
    assert refused.exit_code == 2 and "coder's decisions" in refused.stderr
    assert sheet.read_bytes() == before
    assert _run(world, ["agreement", str(sheet), "-o", str(sheet)]).exit_code == 2
    assert sheet.read_bytes() == before


def test_a_year_in_the_file_name_that_the_document_contradicts_is_named(tmp_path: Path) -> None:
    import pymupdf

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("Programmabegroting 2023 gemeente Kwakveen", "Programmabegroting 2022 Kwakveen"):
        pdf = pymupdf.open()
        pdf.new_page().insert_text((72, 72), "Gemeente Kwakveen - Programmabegroting 2022")
        pdf.set_metadata({"title": "Programmabegroting 2022 gemeente Kwakveen"})
        pdf.save(docs / f"{name}.pdf")
    result = CliRunner().invoke(app, ["classify", str(docs), *C, "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "1 document with another year than in the file name" in said
    assert "Programmabegroting 2023 gemeente Kwakveen.pdf (2023 in its name, 2022 in the" in said


def test_a_budget_copied_under_a_second_name_is_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = f"{SECURITY_PARAGRAPH}\n\n{filler(3)}\n"
    (docs / "aldervoort_begroting.txt").write_text(text, encoding="utf-8")
    (docs / "kopie van aldervoort_begroting.txt").write_text(text, encoding="utf-8")
    (docs / "other.txt").write_text(f"{filler(3)}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify", str(docs), *C, "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "1 set of files with the same content" in said
    assert "aldervoort_begroting.txt = kopie van aldervoort_begroting.txt" in said
    assert "other.txt =" not in said


def test_copies_are_named_as_the_csv_names_them_and_a_long_set_is_cut(tmp_path: Path) -> None:
    """Trial 12: the warning named a file with an undecodable byte as 'a\\udce9.txt' and put a
    real line break in the middle of a name with one, where the CSV has 'a\\xe9.txt' and
    'nl\\x0aname.txt', so a warning could not be matched to its rows; and 280 copies of one file
    made a warning of several kilobytes."""
    import os

    docs = tmp_path / "docs"
    docs.mkdir()
    text = f"{SECURITY_PARAGRAPH}\n\n{filler(3)}\n"
    odd = [os.fsdecode(b"a\xe9.txt"), "nl\nname.txt"]
    for name in [*odd, *(f"zz kopie {i:02d}.txt" for i in range(12))]:
        (docs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(app, ["classify", str(docs), *C, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        in_csv = {row["file"] for row in csv.DictReader(fh)}
    assert {"a\\xe9.txt", "nl\\x0aname.txt"} <= in_csv
    warning = next(p for p in result.stderr.split("warning:") if "same content" in p)
    said = " ".join(warning.split())
    assert "a\\xe9.txt" in said and "nl\\x0aname.txt" in said and "\\udce9" not in said
    assert "nl\nname" not in result.stderr
    assert "and 9 more" in said and len(said) < 600
