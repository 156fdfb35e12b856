"""Benchmark themescan against the work no tool can skip: pulling text out of the PDFs.

Builds (or takes) a corpus of long budget-like PDFs and prints, from one run:
- pages/s of bare PyMuPDF extraction (page.get_text() for every page), in one process and, as
  this host's own ceiling for parallel work, in two;
- pages/s of `themescan classify --no-cache` with 1 and with 2 workers, end to end and after
  start-up (the time of the same command on a one-page document is taken off);
- peak memory of the whole process tree with 2 workers, at half and at full corpus size (flat =
  streaming), in runs of their own;
- the time of a second run over the unchanged corpus with a warm cache;
- where a shortfall of two workers comes from: the CPU time of the whole process tree tells
  whether the two cores were kept busy (themescan's part) and how much more CPU the same work
  took when both cores ran at once (the host's part, set beside bare extraction's).

The host is shared and its speed wanders, so the measurements take turns (bare, 1 worker,
2 workers, then the other way round, ...). Rates are the best of --repeats runs; the ratios
that the targets are about are medians over rounds of ratios of measurements taken in the same
round (paired), which a slow minute of the host disturbs much less.

usage: python benchmarks/bench.py [--corpus DIR] [--docs 30] [--scale 8] [--json FILE]
The corpus is composed by ../shared/tools/build_docs.py from training/passages when not given.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
BUILD_DOCS = ROOT.parent / "shared" / "tools" / "build_docs.py"


def build_corpus(out: Path, docs: int, scale: int) -> Path:
    if not (out / "docs").is_dir():
        subprocess.run(
            [sys.executable, str(BUILD_DOCS), str(ROOT / "training" / "passages"), str(out),
             "--docs", str(docs), "--seed", "2026", "--scale", str(scale)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return out / "docs"


def _extract(path: Path) -> tuple[int, float]:
    """Pages of the file and the CPU seconds their text took."""
    cpu = time.process_time()
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text()
        return len(doc), time.process_time() - cpu


def bare_extraction(files: list[Path], processes: int = 1) -> tuple[int, float, float]:
    """Pages, seconds and CPU seconds to pull the text out of every page, in one or more
    processes."""
    if processes == 1:
        start = time.perf_counter()
        done = list(map(_extract, files))
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(processes) as pool:
            list(pool.map(_extract, files[:processes]))  # processes started before the clock
            start = time.perf_counter()
            done = list(pool.map(_extract, files))
    seconds = time.perf_counter() - start
    return sum(n for n, _ in done), seconds, sum(c for _, c in done)


def one_page_folder(source: Path, work: Path) -> Path:
    """A folder with a one-page PDF: classify on it costs the start-up and almost nothing else.

    The page is the one with the most text in `source`, not its title page: on a page of body
    text every stage runs once, so what a worker loads on first use (the lemma table, 0.15 s)
    counts as start-up, not as work on the corpus."""
    folder = work / "one-page"
    folder.mkdir()
    with pymupdf.open(source) as doc, pymupdf.open() as out:
        densest = max(range(len(doc)), key=lambda i: len(doc[i].get_text()))
        out.insert_pdf(doc, from_page=densest, to_page=densest)
        out.save(folder / "one-page.pdf")
    return folder


# Python as a user's install runs it: compiled modules are kept (in a folder of our own, not in
# the checkout), also where the environment says PYTHONDONTWRITEBYTECODE, as this sandbox does;
# otherwise every start compiles themescan's modules again (an editable install has no .pyc).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "themescan-bench-pycache")


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def classify(folder: Path, args: list[str], memory: bool = False) -> dict:
    """Run the CLI and time it end to end; with `memory`, sample the peak memory of its process
    tree (not while timing: the sampling takes CPU that two workers on two cores would miss)."""
    cmd = [sys.executable, "-m", "themescan", "classify", str(folder), "-q", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=_ENV)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    assert proc.stdout is not None
    header = proc.stdout.readline().rstrip("\n").split(",")
    pages_col = header.index("pages")
    pages = sum(int(row[pages_col] or 0) for row in csv.reader(proc.stdout))
    _, status, usage = os.wait4(proc.pid, 0)  # its usage includes the workers it waited for
    proc.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - start
    done.set()
    if memory:
        sampler.join()
    out = {
        "seconds": round(total, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "pages": pages,
        "pages_per_s": round(pages / total, 1),
        "exit": proc.returncode,
    }
    return {**out, "peak_rss_mib": round(peak / 2**20, 1)} if memory else out


def library_cached(folder: Path, cache: Path) -> float:
    """The cached run without starting Python and the command line: themescan.scan() alone."""
    code = (
        "import time; from themescan.batch import scan; from themescan.cache import Cache; "
        f"c = Cache({str(cache)!r}); t = time.perf_counter(); "
        f"n = sum(1 for _ in scan([{str(folder)!r}], cache=c, workers=2)); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_ENV
    )
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="folder of PDFs (default: build one)")
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--scale", type=int, default=8)
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument(
        "--repeats", type=int, default=15, help="rounds; rates: the best, ratios: the median"
    )
    ns = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="themescan-bench-"))
    folder = ns.corpus or build_corpus(Path(tempfile.gettempdir()) / "themescan-bench-corpus",
                                       ns.docs, ns.scale)  # fmt: skip
    files = sorted(folder.glob("*.pdf"))
    half = work / "half"
    half.mkdir()
    for f in files[: len(files) // 2]:
        (half / f.name).symlink_to(f.resolve())

    one_page = one_page_folder(files[0], work)
    runs: dict[str, list] = {}

    def measure(name: str, fn) -> None:
        runs.setdefault(name, []).append(fn())

    for r in range(ns.repeats):  # in turns, so that a slow spell of the host hits every figure
        order = (1, 2) if r % 2 == 0 else (2, 1)  # and alternating, so that a drift cancels out
        for w in order:
            measure(f"bare_{w}", lambda w=w: bare_extraction(files, w))
        for w in order:
            measure(
                f"start_{w}", lambda w=w: classify(one_page, ["--no-cache", "--workers", f"{w}"])
            )
            measure(
                f"workers_{w}", lambda w=w: classify(folder, ["--no-cache", "--workers", f"{w}"])
            )

    def rate(r: int, w: int) -> float:
        """Pages/s after start-up with w workers in round r."""
        run, start = runs[f"workers_{w}"][r], runs[f"start_{w}"][r]["seconds"]
        return run["pages"] / (run["seconds"] - start)

    def start_s(r: int, w: int) -> float:
        return runs[f"start_{w}"][r]["seconds"]

    def cpu_after(r: int, w: int) -> float:
        """CPU seconds of the whole process tree with w workers in round r, after start-up."""
        return runs[f"workers_{w}"][r]["cpu_seconds"] - runs[f"start_{w}"][r]["cpu_seconds"]

    def paired(ratio) -> float:
        """The median over rounds of a ratio of two measurements taken minutes apart at most."""
        return round(statistics.median(ratio(r) for r in range(ns.repeats)), 2)

    def best(name: str):
        if name.startswith("bare"):
            return min(runs[name], key=lambda r: r[1])
        return min(runs[name], key=lambda r: r["seconds"])

    pages = best("bare_1")[0]
    bare = pages / best("bare_1")[1]
    bare2 = pages / best("bare_2")[1]
    report: dict = {
        "corpus": str(folder),
        "documents": len(files),
        "pages": pages,
        "bare_extraction_pages_per_s": round(bare, 1),
        "bare_extraction_2_processes_pages_per_s": round(bare2, 1),
    }
    steady = {}
    for w in (1, 2):
        run, start = best(f"workers_{w}"), best(f"start_{w}")["seconds"]
        steady[w] = run["pages"] / (run["seconds"] - start)
        report[f"workers_{w}"] = {
            **run,
            "start_up_seconds": start,
            "pages_per_s_after_start_up": round(steady[w], 1),
        }
    for name, target in (("memory_half_corpus", half), ("memory_full_corpus", folder)):
        report[name] = classify(target, ["--no-cache", "--workers", "2"], memory=True)
    caches = [work / f"cache-{i}.sqlite" for i in range(ns.repeats)]
    report["cache_first_run"] = min(  # a fresh, empty cache each time
        (classify(folder, ["--cache", str(c), "--workers", "2"]) for c in caches),
        key=lambda r: r["seconds"],
    )
    cache = caches[0]
    report["cache_second_run"] = min(
        (classify(folder, ["--cache", str(cache), "--workers", "2"]) for _ in range(ns.repeats)),
        key=lambda r: r["seconds"],
    )
    report["cache_second_run_in_library_seconds"] = round(library_cached(folder, cache), 3)

    w1, w2 = report["workers_1"], report["workers_2"]
    report["ratios"] = {
        "one_worker_vs_bare (target >= 0.5)": paired(
            lambda r: rate(r, 1) * runs["bare_1"][r][1] / runs["bare_1"][r][0]
        ),
        "one_worker_vs_bare, best runs": round(steady[1] / bare, 2),
        "one_worker_vs_bare_end_to_end, best runs": round(w1["pages_per_s"] / bare, 2),
        "two_vs_one_worker (target >= 1.8)": paired(lambda r: rate(r, 2) / rate(r, 1)),
        "two_vs_one_worker, best runs": round(steady[2] / steady[1], 2),
        "two_vs_one_worker_end_to_end, best runs": round(w2["pages_per_s"] / w1["pages_per_s"], 2),
        "bare_two_vs_one_process (this host's ceiling)": paired(
            lambda r: runs["bare_1"][r][1] / runs["bare_2"][r][1]
        ),
        # two workers' speed-up = 2 x busy / cpu_growth: the first is ours, the second the host's
        "two_workers_busy (share of 2 cores used after start-up)": paired(
            lambda r: cpu_after(r, 2) / (2 * (runs["workers_2"][r]["seconds"] - start_s(r, 2)))
        ),
        "two_workers_cpu_growth (CPU for the same work, 2 vs 1 worker)": paired(
            lambda r: cpu_after(r, 2) / cpu_after(r, 1)
        ),
        "bare_two_processes_cpu_growth (the same for bare extraction)": paired(
            lambda r: runs["bare_2"][r][2] / runs["bare_1"][r][2]
        ),
        "second_run_speedup (target >= 20)": round(
            report["cache_first_run"]["seconds"] / report["cache_second_run"]["seconds"], 1
        ),
        "second_run_vs_best_uncached_run": round(
            w2["seconds"] / report["cache_second_run"]["seconds"], 1
        ),
        "peak_mib_half_vs_full (target < 1024, flat)": [
            report["memory_half_corpus"]["peak_rss_mib"],
            report["memory_full_corpus"]["peak_rss_mib"],
        ],
    }
    report["rounds"] = [  # the raw material of the paired ratios
        {
            "bare_s": [round(runs[f"bare_{w}"][r][1], 3) for w in (1, 2)],
            "bare_cpu_s": [round(runs[f"bare_{w}"][r][2], 3) for w in (1, 2)],
            "classify_cpu_s": [runs[f"workers_{w}"][r]["cpu_seconds"] for w in (1, 2)],
            "start_up_s": [runs[f"start_{w}"][r]["seconds"] for w in (1, 2)],
            "classify_s": [runs[f"workers_{w}"][r]["seconds"] for w in (1, 2)],
        }
        for r in range(ns.repeats)
    ]
    print(json.dumps(report, indent=2))
    if ns.json:
        ns.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
