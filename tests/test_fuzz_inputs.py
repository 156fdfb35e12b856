"""Fuzzing classify with damaged inputs made from samples/ (issue 13, target): a few hundred
mutated PDFs, HTML and text files, seeded, through the installed command with its worker pool.

Every input must get exactly one valid row with a status from the status table; no traceback,
no internal error, no crashed worker, no timeout.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
from pathlib import Path

from themescan.output import CSV_COLUMNS
from themescan.sanitise import display_name
from themescan.statuses import known

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED = 1313


def _flip(data: bytearray, rng: random.Random, n: int) -> None:
    for _ in range(n):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def mutate_pdf(data: bytes, rng: random.Random) -> bytes:
    d = bytearray(data)
    kind = rng.randrange(8)
    if kind == 0:
        _flip(d, rng, rng.randrange(1, 40))
    elif kind == 1:
        d = d[: rng.randrange(1, len(d))]
    elif kind == 2:
        a = rng.randrange(len(d))
        del d[a : a + rng.randrange(1, 5000)]
    elif kind == 3:
        a = rng.randrange(len(d))
        d[a:a] = d[a : a + rng.randrange(1, 5000)] * rng.randrange(1, 4)
    elif kind == 4:
        a = rng.randrange(len(d))
        d[a : a + 2000] = bytes(len(d[a : a + 2000]))
    elif kind == 5:
        a = rng.randrange(len(d))
        d[a:a] = rng.randbytes(rng.randrange(1, 3000))
    elif kind == 6:  # the cross-reference table or trailer broken
        at = d.rfind(b"xref")
        if at > 0:
            d[at : at + 40] = rng.randbytes(40)
    else:
        for i in range(len(d) - 6):  # every stream's first bytes damaged
            if d[i : i + 6] == b"stream" and rng.random() < 0.5:
                _flip(d[i + 8 : i + 24], rng, 1)
                d[i + 8 : i + 12] = rng.randbytes(4)
    return bytes(d)


HOSTILE_MARKUP = [
    "</" * 20000,
    "<![CDATA[" * 10000,
    "<div>" * 3000,
    "<!--" * 5000,
    "<a " * 10000,
    "&#" * 10000 + "&#x110000;&#0;",
    "<script>" + "x" * 10000,
]


def mutate_text(data: bytes, rng: random.Random, html: bool) -> bytes:
    text = data.decode("utf-8")
    kind = rng.randrange(9)
    if kind == 0:
        d = bytearray(data)
        _flip(d, rng, rng.randrange(1, 30))
        return bytes(d)
    if kind == 1:
        return data[: rng.randrange(1, len(data))]
    if kind == 2:  # control characters, CR, NUL
        chars = list(text)
        for _ in range(rng.randrange(1, 20)):
            chars.insert(rng.randrange(len(chars)), rng.choice("\r\x00\x0b\x1b\x85\u2028\f"))
        return "".join(chars).encode("utf-8")
    if kind == 3:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32-be", "cp1252"]), "replace")
    if kind == 4 and html:
        at = rng.randrange(len(text))
        return (text[:at] + rng.choice(HOSTILE_MARKUP) + text[at:]).encode("utf-8")
    if kind == 5 and html:
        return text.replace("<head>", '<head><meta charset="undefined">', 1).encode("utf-8")
    if kind == 6:  # one enormous line
        return (text.replace("\n", " ") * rng.randrange(5, 60)).encode("utf-8")
    if kind == 7:
        return rng.randbytes(rng.randrange(1, 4000))
    return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(2000)).encode("utf-8", "replace")


def build(root: Path) -> list[str]:
    """Write the mutated files; return the names their rows must carry."""
    rng = random.Random(SEED)
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    txt = (SAMPLES / "gemeente-ijsselvoort_voorjaarsnota_2023.txt").read_bytes()
    html = (SAMPLES / "gemeente-vlietmonde_programmabegroting_2024.html").read_bytes()
    names: list[bytes] = []
    for i in range(200):
        names.append(f"pdf/{i:03d}.pdf".encode())
        (root / names[-1].decode()).parent.mkdir(exist_ok=True)
        (root / names[-1].decode()).write_bytes(mutate_pdf(rng.choice(pdfs).read_bytes(), rng))
    for i in range(60):
        names.append(f"txt/{i:03d}.txt".encode())
        (root / "txt").mkdir(exist_ok=True)
        (root / names[-1].decode()).write_bytes(mutate_text(txt, rng, html=False))
    for i in range(60):
        names.append(f"html/{i:03d}.html".encode())
        (root / "html").mkdir(exist_ok=True)
        (root / names[-1].decode()).write_bytes(mutate_text(html, rng, html=True))
    for odd in (b"odd/cr\rname.txt", b"odd/a\xe9.pdf", b"odd/tab\tnl\nname.html"):
        (root / "odd").mkdir(exist_ok=True)
        source = txt if odd.endswith(b".txt") else html if odd.endswith(b".html") else None
        data = source if source is not None else pdfs[0].read_bytes()
        Path(os.fsdecode(os.fsencode(root) + b"/" + odd)).write_bytes(data)
        names.append(odd)
    return [display_name(os.fsdecode(n)) for n in names]


def test_mutated_inputs_get_one_valid_row_each(tmp_path: Path) -> None:
    # --ocr never: damaged pages are what this test makes, and OCR'ing each at seconds a page
    # would test Tesseract's speed, not themescan's robustness (OCR has tests of its own)
    root = tmp_path / "fuzz"
    root.mkdir()
    expected = build(root)
    assert len(expected) >= 300
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "themescan", "classify", str(root), "--workers", "2",
         "--no-cache", "--quiet", "--ocr", "never", "-o", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    with open(out, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert tuple(next(reader)) == CSV_COLUMNS
        rows = list(reader)
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    assert sorted(r[0] for r in rows) == sorted(expected)
    statuses = [r[1] for r in rows]
    unknown = [s for s in statuses if not known(s)]
    assert not unknown, unknown
    bad = [
        s for s in statuses if s.startswith(("error: internal", "error: worker", "error: timed"))
    ]
    assert not bad, bad
    assert all(not any(ord(c) < 32 for c in v) for r in rows for v in r)
