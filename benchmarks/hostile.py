"""Time and peak memory of classify on hostile input (issue 13): 50 MB of one line, big pages,
pathological HTML, wide encodings, a damaged PDF.

Each case runs `themescan classify FILE --workers 1 --no-cache` in a fresh process and reports
its wall time, its status and the peak resident memory of the largest process of the run (the
main process or its worker). Target: every case in seconds, every peak under 1 GiB.

    python benchmarks/hostile.py            # all cases
    python benchmarks/hostile.py --only 50  # cases whose name contains "50"
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PARAGRAPH = (
    "De gemeente investeert in informatiebeveiliging, datagedreven werken en slimme sensoren "
    "in de openbare ruimte; het college rapporteert over de voortgang van de digitalisering. "
)


def one_line(mb: int) -> bytes:
    unit = PARAGRAPH.encode()
    return unit * (mb * 1_000_000 // len(unit))


def paragraphs(mb: int) -> bytes:
    unit = (PARAGRAPH + "\n\n").encode()
    return unit * (mb * 1_000_000 // len(unit))


def flipped_pdf() -> bytes:
    data = bytearray((SAMPLES / "gemeente-kromstede_programmabegroting_2024.pdf").read_bytes())
    data[33685] ^= 4
    data[57503] ^= 128
    data[70082] ^= 128
    return bytes(data)


CASES = {
    "50 MB of one line.txt": lambda: one_line(50),
    "8 MB of one line.txt": lambda: one_line(8),
    "3 MB of paragraphs.txt": lambda: paragraphs(3),
    "50 MB of one line.html": lambda: b"<html><body><p>" + one_line(50) + b"</p></body></html>",
    "closing tags x200000.html": lambda: b"<html><body><p>a</p>" + b"</" * 200_000,
    "cdata x100000.html": lambda: b"<p>a</p>" + b"<![CDATA[" * 100_000,
    "nested div x100000.html": lambda: b"<div>" * 100_000 + b"x",
    "bogus charset.html": lambda: b'<meta charset="undefined"><p>' + paragraphs(1) + b"</p>",
    "utf-16 no BOM.txt": lambda: paragraphs(2).decode().encode("utf-16-le"),
    "utf-32 BOM.html": lambda: ("<p>" + paragraphs(1).decode() + "</p>").encode("utf-32"),
    "flipped kromstede.pdf": flipped_pdf,
}


def run(path: Path) -> tuple[float, str, float]:
    """Wall seconds, status and peak RSS in MiB of one classify run in a fresh process."""
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stdout.write(f'{peak}\\n' + done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
    )
    command = [sys.executable, "-m", "themescan", "classify", str(path), "--workers", "1",
               "--no-cache", "--quiet"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    first, _, rest = done.stdout.partition("\n")
    rows = list(csv.DictReader(io.StringIO(rest)))
    status = rows[0]["status"] if rows else f"no row: {done.stderr.strip()[-200:]}"
    return seconds, status, int(first or 0) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':32} {'seconds':>8} {'peak MiB':>9}  status")
        for name, make in CASES.items():
            if args.only not in name:
                continue
            path = Path(tmp) / name.replace(" ", "_")
            path.write_bytes(make())
            seconds, status, peak = run(path)
            worst = max(worst, peak)
            print(f"{name:32} {seconds:8.1f} {peak:9.0f}  {status}", flush=True)
            os.remove(path)
    print(f"largest peak: {worst:.0f} MiB ({'under' if worst < 1024 else 'OVER'} 1 GiB)")


if __name__ == "__main__":
    main()
