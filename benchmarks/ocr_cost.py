"""What OCR and the text-layer check cost per page, on the fixtures of scripts/make_fixtures.py.

    python benchmarks/ocr_cost.py [--rounds 3] [--dpi 300 200]

Prints, per resolution, the seconds Tesseract (Dutch, through PyMuPDF) takes per A4 page of text,
and how long judging a page's text layer takes against extracting it (the cost every text page
pays). Needs tesseract-ocr and tesseract-ocr-nld for the OCR part.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pymupdf

from themescan import ocr, textlayer

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dpi", type=int, nargs="+", default=[ocr.DPI, 200])
    args = parser.parse_args()

    with pymupdf.open(FIXTURES / "brakelveen_begroting_2025.pdf") as doc:
        texts = [page.get_text() for page in doc]
        start = time.perf_counter()
        for _ in range(20):
            for page in doc:
                page.get_text("blocks", sort=False)
        extract = (time.perf_counter() - start) / (20 * doc.page_count)
    start = time.perf_counter()
    for _ in range(200):
        for text in texts:
            textlayer.judge(text)
    judge = (time.perf_counter() - start) / (200 * len(texts))
    print(
        f"text-layer check: {judge * 1000:.2f} ms a page, extraction {extract * 1000:.2f} ms "
        f"({judge / extract:.0%} of it)"
    )

    support = ocr.support()
    if not support.available:
        print(f"OCR {support.describe()}")
        return
    with pymupdf.open(FIXTURES / "brakelveen_jaarstukken_kapot.pdf") as doc:
        for dpi in args.dpi:
            times = []
            for _ in range(args.rounds):
                for page in doc:
                    start = time.perf_counter()
                    tp = page.get_textpage_ocr(
                        language=ocr.LANGUAGE, dpi=dpi, full=True, tessdata=support.tessdata
                    )
                    page.get_text(textpage=tp)
                    times.append(time.perf_counter() - start)
            print(
                f"OCR at {dpi} dpi: median {statistics.median(times):.1f} s a page "
                f"(min {min(times):.1f}, max {max(times):.1f}, {len(times)} pages)"
            )


if __name__ == "__main__":
    main()
