"""Bad input for the layout reader: time and memory stay bounded (issue 12 targets).

    python benchmarks/layout_stress.py [--pages 5000] [--spans 100000] [--columns 50]

Builds three PDFs in a temporary folder and reads each with themescan's reader, in a process
of its own, beside bare PyMuPDF extraction (page.get_text()) of the same file:
- a page of --spans tiny spans (a scanned form's invisible text layer looks like this);
- a page of --columns narrow columns of short words;
- --pages pages of tables (five narrow columns, thirty rows each).
Prints CPU seconds (start-up included) and the peak resident memory of the reading process. The line counts of a
test (tests/test_reading.py::test_layout_work_grows_linearly) hold the growth to linear.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pymupdf

READ = """
import json, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
t = time.process_time()
if mode == "bare":
    import pymupdf
    with pymupdf.open(path) as doc:
        pages = sum(1 for page in doc if page.get_text() is not None)
else:
    from themescan.reading import read_document
    doc = read_document(path)
    pages = len(doc.pages)
    from themescan.language import passages
    count = sum(1 for p in doc.pages for _ in passages(p))
seconds = time.process_time() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pages": pages, "seconds": seconds, "peak_mb": rss}))
"""


def tiny_spans(path: Path, spans: int) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    per_row = 250
    for i in range(spans):
        x = 10 + (i % per_row) * 2.3
        y = 10 + (i // per_row) * 2.0
        writer.append((x, y), "ab"[i % 2], font=font, fontsize=1.5)
    writer.write_text(page)
    doc.save(path)
    return path


def many_columns(path: Path, columns: int) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    width = (595 - 20) / columns
    for c in range(columns):
        for r in range(90):
            writer.append((10 + c * width, 20 + r * 9), f"w{r}", font=font, fontsize=4)
    writer.write_text(page)
    doc.save(path)
    return path


def table_pages(path: Path, pages: int) -> Path:
    one = pymupdf.open()
    page = one.new_page(width=595, height=842)
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    header = ["Indicator", "Eenheid", "2023", "2024", "Bron"]
    for r in range(31):
        for c, head in enumerate(header):
            text = head if r == 0 else f"{head.lower()} {r}" if c in (0, 4) else str(r * (c + 1))
            writer.append((56 + c * 100, 80 + r * 22), text, font=font, fontsize=9)
    writer.write_text(page)
    chunk = pymupdf.open()
    for _ in range(min(pages, 100)):
        chunk.insert_pdf(one)
    doc = pymupdf.open()
    while len(doc) < pages:
        doc.insert_pdf(chunk, to_page=min(len(chunk), pages - len(doc)) - 1)
    doc.save(path)
    return path


def measure(path: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", READ, str(path), mode], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--spans", type=int, default=100_000)
    ap.add_argument("--columns", type=int, default=50)
    ns = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            (f"one page, {ns.spans:,} tiny spans", tiny_spans(Path(tmp) / "spans.pdf", ns.spans)),
            (f"one page, {ns.columns} columns", many_columns(Path(tmp) / "cols.pdf", ns.columns)),
            (f"{ns.pages:,} pages of tables", table_pages(Path(tmp) / "tables.pdf", ns.pages)),
        ]
        for label, path in cases:
            bare = measure(path, "bare")
            ours = measure(path, "themescan")
            print(
                f"{label}: themescan {ours['seconds']:.2f} s, {ours['peak_mb']:.0f} MB peak; "
                f"bare PyMuPDF {bare['seconds']:.2f} s, {bare['peak_mb']:.0f} MB "
                f"({ours['pages']} pages)"
            )


if __name__ == "__main__":
    main()
