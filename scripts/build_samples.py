#!/usr/bin/env python3
"""Render the fictional sample budget documents in samples/ from their sources.

Usage (from the repository root):

    /work/venv/bin/python scripts/build_samples.py [--src DIR] [--out DIR]

Each source file scripts/samples_src/<name>.txt uses a tiny markup:

    line 1          document title, e.g. "Programmabegroting 2023"
    line 2          municipality, e.g. "Gemeente Lindenhoeve"
    "# text"        chapter heading (starts a new page in the PDF)
    "## text"       section heading
    "---"           forced page break
    "| a | b | c"   table row; consecutive rows form one table, the first row is the header
    other lines     paragraphs

Most sources become samples/<name>.pdf (A4, title page, running header and page-number
footer, chapters on a new page, word wrapping with line-end hyphenation of long words).
The names in OTHER_FORMATS become an HTML page of an "online begroting" or a plain-text
copy of such a page instead. Output is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SRC = REPO / "scripts" / "samples_src"
DEFAULT_OUT = REPO / "samples"

# Sources rendered as something other than a PDF.
OTHER_FORMATS = {
    "gemeente-vlietmonde_programmabegroting_2024": "html",
    "gemeente-ijsselvoort_voorjaarsnota_2023": "txt",
}

# ---------------------------------------------------------------------------
# parsing


@dataclass
class Block:
    kind: str  # "h1", "h2", "p", "table", "break"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    name: str
    title: str
    gemeente: str
    blocks: list[Block]


def parse_source(path: Path) -> Source:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 2:
        raise ValueError(f"{path}: needs a title line and a municipality line")
    title, gemeente = lines[0].strip(), lines[1].strip()
    blocks: list[Block] = []
    for raw in lines[2:]:
        line = raw.strip()
        if not line:
            continue
        if line == "---":
            blocks.append(Block("break"))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block("h1", line[2:].strip()))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        else:
            blocks.append(Block("p", line))
    for b in blocks:  # pad ragged tables
        if b.kind == "table":
            width = max(len(r) for r in b.rows)
            b.rows = [r + [""] * (width - len(r)) for r in b.rows]
    return Source(path.stem, title, gemeente, blocks)


# ---------------------------------------------------------------------------
# hyphenation and wrapping

VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")


def _units(word: str) -> list[str]:
    """Split a word into letter units, keeping 'ij', 'ch' and 'sch' together."""
    units, i, low = [], 0, word.lower()
    while i < len(word):
        if low.startswith("sch", i):
            size = 3
        elif low.startswith(("ij", "ch"), i):
            size = 2
        else:
            size = 1
        units.append(word[i : i + size])
        i += size
    return units


def _is_vowel(unit: str) -> bool:
    return unit.lower() == "ij" or unit.lower()[0] in VOWELS


ONSETS_2 = {
    "bl",
    "br",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kl",
    "kr",
    "pl",
    "pr",
    "tr",
    "vl",
    "vr",
    "wr",
    "kn",
    "kw",
    "dw",
    "tw",
    "zw",
}
S_ONSETS = {"sp", "st", "sk", "sl", "sm", "sn", "sw"}
ONSETS_3 = {"str", "spr", "spl", "skr"}


def hyphen_points(word: str) -> list[int]:
    """Character offsets where an alphabetic word may be split (rough Dutch syllable rule).

    Between two vowels a run of consonants is split so that the next syllable starts with a
    plausible onset: one consonant (V-CV), or a cluster such as "br", "pl", "kw" (and "st",
    "sp" after three or more consonants, "str" after four or more); two other consonants are
    split in the middle (kos-ten). 'ch' and 'sch' are never split. At least three characters
    stay on each side.
    """
    units = _units(word)
    offsets, pos = [], 0
    for u in units:
        offsets.append(pos)
        pos += len(u)
    points = []
    i = 0
    while i < len(units):
        if _is_vowel(units[i]):
            j = i + 1
            while j < len(units) and not _is_vowel(units[j]):
                j += 1
            n = j - i - 1  # consonant units between two vowels
            if j < len(units) and n >= 1:
                cluster = [u.lower() for u in units[i + 1 : j]]
                onset = 1
                if n >= 4 and "".join(cluster[-3:]) in ONSETS_3:
                    onset = 3
                elif (n >= 2 and "".join(cluster[-2:]) in ONSETS_2) or (
                    n >= 3 and "".join(cluster[-2:]) in S_ONSETS
                ):
                    onset = 2
                points.append(offsets[j - onset])
            i = j
        else:
            i += 1
    return [p for p in points if 3 <= p <= len(word) - 3]


def split_word(word: str, width_left: float, measure) -> tuple[str, str] | None:
    """Split word so that the first part (with a hyphen) fits in width_left; None if impossible.

    A word that already contains a hyphen may break right after it (the hyphen stays,
    no extra one is added). Only long words (10+ letters) are split at syllables.
    """
    candidates: list[tuple[str, str]] = []
    for k, ch in enumerate(word):
        if ch == "-" and 1 <= k < len(word) - 3:
            candidates.append((word[: k + 1], word[k + 1 :]))
    core_start = 0
    while core_start < len(word) and not word[core_start].isalpha():
        core_start += 1
    core_end = len(word)
    while core_end > core_start and not word[core_end - 1].isalpha():
        core_end -= 1
    core = word[core_start:core_end]
    if len(core) >= 10 and core.isalpha():
        for p in hyphen_points(core):
            cut = core_start + p
            candidates.append((word[:cut] + "-", word[cut:]))
    best = None
    for head, tail in candidates:
        if measure(head) <= width_left and (best is None or len(head) > len(best[0])):
            best = (head, tail)
    return best


def wrap(text: str, width: float, measure) -> list[str]:
    """Greedy word wrap; long words that do not fit at a line end are hyphenated."""
    words = text.split()
    lines: list[str] = []
    cur = ""
    space = measure(" ")
    i = 0
    while i < len(words):
        w = words[i]
        trial = w if not cur else cur + " " + w
        if measure(trial) <= width:
            cur = trial
            i += 1
            continue
        left = width - (measure(cur) + space if cur else 0)
        parts = split_word(w, left, measure) if left > 30 else None
        if parts:
            head, tail = parts
            lines.append(head if not cur else cur + " " + head)
            cur = ""
            words[i] = tail
            continue
        if cur:
            lines.append(cur)
            cur = ""
        else:  # a single word wider than the line: put it on its own line
            lines.append(w)
            i += 1
    if cur:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------------------
# PDF rendering

PAGE_W, PAGE_H = pymupdf.paper_size("a4")
LEFT, RIGHT = 72.0, PAGE_W - 72.0
TOP, BOTTOM = 84.0, PAGE_H - 72.0
WIDTH = RIGHT - LEFT

REGULAR = pymupdf.Font("helv")
BOLD = pymupdf.Font("hebo")
BLACK = (0, 0, 0)
GREY = (0.35, 0.35, 0.35)

BODY_SIZE, BODY_LEAD = 10.5, 14.5
H1_SIZE, H2_SIZE = 16.0, 12.0
TABLE_SIZE, TABLE_LEAD = 9.0, 12.0


def measurer(font: pymupdf.Font, size: float):
    return lambda s: font.text_length(s, fontsize=size)


class PdfBuilder:
    def __init__(self, src: Source):
        self.src = src
        self.doc = pymupdf.open()
        self.page = None
        self.writer = None
        self.y = TOP
        self.fresh = True  # nothing written on the current page yet

    # page handling -------------------------------------------------------
    def _flush(self):
        if self.page is not None and self.writer is not None:
            self.writer.write_text(self.page, color=BLACK)
        self.writer = None

    def new_page(self):
        self._flush()
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.writer = pymupdf.TextWriter(self.page.rect)
        self.y = TOP
        self.fresh = True

    def ensure(self, height: float):
        if self.y + height > BOTTOM and not self.fresh:
            self.new_page()

    def text(self, x: float, y: float, s: str, font=REGULAR, size=BODY_SIZE):
        self.writer.append((x, y), s, font=font, fontsize=size)
        self.fresh = False

    # content ---------------------------------------------------------------
    def title_page(self):
        self.new_page()
        m = measurer(BOLD, 28)
        y = 300.0
        for line in wrap(self.src.title, WIDTH, m):
            self.text(LEFT, y, line, BOLD, 28)
            y += 34
        self.page.draw_line((LEFT, y - 18), (RIGHT, y - 18), color=(0.1, 0.3, 0.6), width=2)
        self.text(LEFT, y + 12, self.src.gemeente, REGULAR, 18)
        self.new_page()

    def heading1(self, s: str):
        if not self.fresh:
            self.new_page()
        for line in wrap(s, WIDTH, measurer(BOLD, H1_SIZE)):
            self.y += H1_SIZE
            self.text(LEFT, self.y, line, BOLD, H1_SIZE)
            self.y += 4
        self.y += 12

    def heading2(self, s: str):
        lines = wrap(s, WIDTH, measurer(BOLD, H2_SIZE))
        self.ensure(len(lines) * 16 + 3 * BODY_LEAD + 8)  # keep with next lines
        if not self.fresh:
            self.y += 8
        for line in lines:
            self.y += H2_SIZE
            self.text(LEFT, self.y, line, BOLD, H2_SIZE)
            self.y += 4
        self.y += 4

    def paragraph(self, s: str):
        lines = wrap(s, WIDTH, measurer(REGULAR, BODY_SIZE))
        for k, line in enumerate(lines):
            # avoid a single orphan line at the bottom of a page
            need = BODY_LEAD * (2 if k == 0 and len(lines) > 1 else 1)
            self.ensure(need)
            self.y += BODY_LEAD
            self.text(LEFT, self.y, line, REGULAR, BODY_SIZE)
        self.y += 6

    def table(self, rows: list[list[str]]):
        ncols = len(rows[0])
        pad = 5.0
        natural = [0.0] * ncols
        for r_i, row in enumerate(rows):
            font = BOLD if r_i == 0 else REGULAR
            for c, cell in enumerate(row):
                natural[c] = max(natural[c], font.text_length(cell, fontsize=TABLE_SIZE) + 2 * pad)
        widths = natural[:]
        if sum(widths) > WIDTH:  # shrink the first column (labels wrap), then the rest evenly
            rest = sum(widths[1:])
            widths[0] = max(WIDTH - rest, WIDTH * 0.3)
            if sum(widths) > WIDTH:
                scale = (WIDTH - widths[0]) / rest
                widths[1:] = [w * scale for w in widths[1:]]
        else:  # spread to full width, extra space to the first column
            widths[0] += WIDTH - sum(widths)

        def cell_lines(r_i, c, cell):
            font = BOLD if r_i == 0 else REGULAR
            return wrap(cell, widths[c] - 2 * pad, measurer(font, TABLE_SIZE)) or [""]

        laid = [
            [cell_lines(r_i, c, cell) for c, cell in enumerate(row)] for r_i, row in enumerate(rows)
        ]
        heights = [max(len(ls) for ls in row) * TABLE_LEAD + 6 for row in laid]

        self.ensure(heights[0] + (heights[1] if len(heights) > 1 else 0) + 6)
        self.y += 4

        def draw_row(r_i):
            top = self.y
            h = heights[r_i]
            if r_i == 0:
                self.page.draw_rect(
                    pymupdf.Rect(LEFT, top, RIGHT, top + h),
                    color=None,
                    fill=(0.88, 0.9, 0.94),
                    width=0,
                )
            x = LEFT
            font = BOLD if r_i == 0 else REGULAR
            for c, lines in enumerate(laid[r_i]):
                ty = top + 3
                for line in lines:
                    ty += TABLE_LEAD
                    if c == 0:
                        tx = x + pad
                    else:  # numbers right-aligned
                        tx = x + widths[c] - pad - font.text_length(line, fontsize=TABLE_SIZE)
                    self.text(tx, ty - 3, line, font, TABLE_SIZE)
                x += widths[c]
            self.page.draw_line((LEFT, top + h), (RIGHT, top + h), color=(0.6, 0.6, 0.6), width=0.5)
            self.y = top + h

        draw_row(0)
        for r_i in range(1, len(rows)):
            if self.y + heights[r_i] > BOTTOM:
                self.new_page()
                draw_row(0)  # repeat the header row on the next page
            draw_row(r_i)
        self.y += 12

    # headers, footers, metadata -----------------------------------------------
    def decorate(self):
        header = f"{self.src.title} - {self.src.gemeente}"
        for number, page in enumerate(self.doc, start=1):
            if number == 1:
                continue
            tw = pymupdf.TextWriter(page.rect)
            tw.append((LEFT, 44), header, font=REGULAR, fontsize=8.5)
            label = f"Pagina {number}"
            lw = REGULAR.text_length(label, fontsize=8.5)
            tw.append(((PAGE_W - lw) / 2, PAGE_H - 36), label, font=REGULAR, fontsize=8.5)
            tw.write_text(page, color=GREY)
            page.draw_line((LEFT, 50), (RIGHT, 50), color=GREY, width=0.5)

    def build(self) -> bytes:
        self.title_page()
        for b in self.src.blocks:
            if b.kind == "h1":
                self.heading1(b.text)
            elif b.kind == "h2":
                self.heading2(b.text)
            elif b.kind == "p":
                self.paragraph(b.text)
            elif b.kind == "table":
                self.table(b.rows)
            elif b.kind == "break" and not self.fresh:
                self.new_page()
        self._flush()
        if self.fresh and len(self.doc) > 2:  # drop a trailing empty page
            self.doc.delete_page(-1)
        self.decorate()
        self.doc.set_metadata(
            {
                "title": self.src.title,
                "author": self.src.gemeente,
                "subject": "",
                "keywords": "",
                "creator": "",
                "producer": "",
                "creationDate": "",
                "modDate": "",
            }
        )
        data = self.doc.tobytes(garbage=4, deflate=True, no_new_id=True)
        self.doc.close()
        return data


# ---------------------------------------------------------------------------
# HTML and plain-text renderings ("online begroting")


def render_html(src: Source) -> str:
    def e(s: str) -> str:
        return html.escape(s, quote=False)

    out = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(src.title)} | {e(src.gemeente)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="stylesheet" href="assets/begroting.css">',
        "</head>",
        "<body>",
        '<div id="cookie-banner" class="cookie-banner" role="dialog">',
        "<p>Deze website gebruikt functionele en analytische cookies om de site goed te laten werken "
        "en het gebruik te meten. Meer informatie leest u in onze privacyverklaring.</p>",
        '<button class="cookie-accept">Accepteren</button> <button class="cookie-refuse">Weigeren</button>',
        "</div>",
        '<header class="site-header">',
        f'<a class="logo" href="index.html">{e(src.gemeente)}</a>',
        '<nav class="main-nav"><ul>',
        '<li><a href="index.html">Home</a></li>',
        '<li><a href="programmas.html">Programma\'s</a></li>',
        '<li><a href="paragrafen.html">Paragrafen</a></li>',
        '<li><a href="financien.html">Financiën</a></li>',
        '<li><a href="downloads.html">Downloads</a></li>',
        '<li><a href="zoeken.html">Zoeken</a></li>',
        "</ul></nav>",
        "</header>",
        '<main id="inhoud">',
        f"<h1>{e(src.title)}</h1>",
        f'<p class="subtitle">{e(src.gemeente)}</p>',
    ]
    for b in src.blocks:
        if b.kind == "h1":
            out.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "h2":
            out.append(f"<h3>{e(b.text)}</h3>")
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "table":
            out.append('<table class="fin-tabel">')
            out.append(
                "<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in b.rows[0]) + "</tr></thead>"
            )
            out.append("<tbody>")
            for row in b.rows[1:]:
                out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            out.append("</tbody></table>")
    out += [
        "</main>",
        '<footer class="site-footer">',
        f'<p>&copy; {e(src.gemeente)} &middot; <a href="privacy.html">Privacyverklaring</a> &middot; '
        '<a href="toegankelijkheid.html">Toegankelijkheid</a> &middot; <a href="cookies.html">Cookies</a> '
        '&middot; <a href="contact.html">Contact</a></p>',
        "</footer>",
        "<script>",
        "  window.dataLayer = window.dataLayer || [];",
        "  document.querySelectorAll('.cookie-accept, .cookie-refuse').forEach(function (b) {",
        "    b.addEventListener('click', function () {",
        "      document.getElementById('cookie-banner').style.display = 'none';",
        "      window.dataLayer.push({event: 'cookie_consent', accepted: b.className === 'cookie-accept'});",
        "    });",
        "  });",
        "</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def render_txt(src: Source) -> str:
    out = [
        "Ga direct naar de inhoud",
        f"{src.gemeente} - Begroting online",
        "Home   Programma's   Paragrafen   Financiën   Downloads   Zoeken",
        f"U bent hier: Home > {src.title}",
        "",
        src.title,
        src.gemeente,
        "",
    ]
    for b in src.blocks:
        if b.kind in ("h1", "h2", "p"):
            out += [b.text, ""]
        elif b.kind == "table":
            out += ["\t".join(row) for row in b.rows]
            out.append("")
    out += [
        "Deel deze pagina:  Facebook  LinkedIn  E-mail",
        "Terug naar boven",
        "",
        f"© {src.gemeente}   Privacyverklaring   Toegankelijkheid   Cookies   Contact",
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------------------


def build_all(src_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src_dir.glob("*.txt")):
        src = parse_source(path)
        fmt = OTHER_FORMATS.get(src.name, "pdf")
        target = out_dir / f"{src.name}.{fmt}"
        if fmt == "pdf":
            target.write_bytes(PdfBuilder(src).build())
        elif fmt == "html":
            target.write_text(render_html(src), encoding="utf-8")
        else:
            target.write_text(render_txt(src), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--src", type=Path, default=DEFAULT_SRC, help="folder with the source .txt files"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the samples to")
    args = ap.parse_args(argv)
    written = build_all(args.src, args.out)
    for p in written:
        extra = ""
        if p.suffix == ".pdf":
            with pymupdf.open(p) as d:
                extra = f" ({len(d)} pages)"
        print(f"wrote {p}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
