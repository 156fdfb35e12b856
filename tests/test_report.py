"""The HTML report (issue 15 item 4): its structure, escaping, self-containedness and size,
and, where Chromium is installed, the page as a browser renders, screenshots and prints it."""

from __future__ import annotations

import csv
import html
import math
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from themescan.aggregation import build_table, read_population, read_results
from themescan.cli import app
from themescan.evidence import parse_cite, read_details
from themescan.output import CSV_COLUMNS
from themescan.report import municipalities, render_report
from themescan.stats import wilson
from themescan.themes import THEMES, TITLES

NASTY = '<img src=x onerror="alert(1)"> & </details></td><script>alert(2)</script> "quote"'


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


class Page(HTMLParser):
    """Collects what the structure tests look at: tags with attributes, nesting, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.script = ""
        self.style = ""
        self.rows: dict[str, list[list[str]]] = {}  # table class/id -> rows of cell texts
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in ("br", "meta", "img", "input", "line", "rect", "path"):
            self.stack.append((tag, a))
        if tag == "table":
            self._table = a.get("id") or a.get("class")
            self.rows.setdefault(self._table or "", [])
        elif tag == "tr" and self._table is not None:
            self.rows[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.rows[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        inside = self.stack[-1][0] if self.stack else ""
        if inside == "script":
            self.script += data
        elif inside == "style":
            self.style += data
        else:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def write_results(path: Path, n: int, snippet: str = "", snippet_len: int = 240) -> Path:
    """n documents of n municipalities with populations across the classes; theme t flagged
    in documents where (i + t) % 5 < 3, with a snippet of snippet_len characters."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for i in range(n):
            row = {c: "" for c in CSV_COLUMNS}
            row.update(
                file=f"gemeente-{i:03d}_programmabegroting_2024.pdf",
                status="ok",
                pages="300",
                gemeente=f"Gemeente {i:03d}",
                inwoners=str(8000 + (i * 7919) % 250000),
                doc_type="programmabegroting",
                jaar="2024",
            )
            for t, theme in enumerate(THEMES):
                f = (i + t) % 5 < 3
                row[theme] = "1" if f else "0"
                row[f"{theme}_score"] = "0.987" if f else "0.123"
                if f:
                    text = snippet or f"Doc {i} {theme} " + "wij investeren in dit thema " * 10
                    row[f"{theme}_evidence"] = f"p{t + 10}: {text[:snippet_len]}"
            w.writerow(row)
    return path


def build(
    results: Path, out: Path, population: Path | None = None, docs: Path | None = None
) -> str:
    rows = read_results(results)
    pop = read_population(population) if population else None
    table = build_table(rows, population=pop)
    units = municipalities(rows, read_details(results), pop, docs or results.parent, out.parent)
    return render_report(table, units, source=results.name, warnings=table.warnings)


# --- structure ------------------------------------------------------------------------------


def test_structure_of_the_page(tmp_path: Path) -> None:
    results = write_results(tmp_path / "results.csv", 20)
    page = build(results, tmp_path / "report.html")
    p = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "nl"}) in p.tags
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in p.tags)
    # the BMC table: a header row and one row per theme, Dutch titles, a class per column
    bmc = p.rows["bmc"]
    assert [r[0] for r in bmc[1:]] == [TITLES[t] for t in THEMES]
    assert bmc[0][0] == "Thema" and bmc[0][-1].startswith("totaal")
    # the matrix: a row per municipality, a details element per flagged cell
    matrix = p.rows["matrix"]
    assert len(matrix) == 1 + 20
    assert matrix[0][:3] == ["Gemeente", "Grootteklasse", "Inwoners"]
    details = [a for t, a in p.tags if t == "details"]
    flagged = sum((i + t) % 5 < 3 for i in range(20) for t in range(len(THEMES)))
    assert len(details) == flagged
    # each evidence link goes to the page of the PDF, relative to the report
    links = [a["href"] for t, a in p.tags if t == "a"]
    assert len(links) == flagged
    assert all(h.startswith("gemeente-") and "#page=" in h for h in links)
    # the chart is inline SVG with a bar and an error bar per class and theme
    rects = [a for t, a in p.tags if t == "rect" and "height" in a and a.get("width") != "12"]
    classes = sum(1 for r in bmc[0][1:] if "n=0" not in r)
    assert len(rects) == classes * len(THEMES)
    assert sum(1 for t, a in p.tags if t == "path" and a.get("class") == "err") == classes * len(
        THEMES
    )


def test_by_jaar_gives_a_table_and_chart_per_year(tmp_path: Path) -> None:
    """Two years in one results file: --by jaar, as the pooling warning advises, gives each
    year its table and chart, and a matrix row per municipality and year."""
    results = write_results(tmp_path / "results.csv", 12)
    lines = results.read_text(encoding="utf-8").splitlines()
    earlier = [
        ln.replace("_2024.pdf", "_2023.pdf").replace(",2024,", ",2023,") for ln in lines[1:7]
    ]
    results.write_text("\n".join([*lines, *earlier]) + "\n", encoding="utf-8")

    pooled = invoke("report", str(results), "-o", str(tmp_path / "pooled.html"))
    assert pooled.exit_code == 0 and "--by jaar" in pooled.stderr
    result = invoke("report", str(results), "--by", "jaar", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    p = parse(page)
    assert "jaar = 2023" in page and "jaar = 2024" in page
    assert "per jaar: 2023 6 gemeenten, 2024 12 gemeenten" in page
    assert sum(1 for t, _ in p.tags if t == "svg") == 2
    ids = [a["id"] for _, a in p.tags if "id" in a]
    assert len(ids) == len(set(ids))  # two charts, no id twice
    names = [row[0] for row in p.rows["matrix"][1:]]
    assert len(names) == 18
    assert names[0].startswith("Gemeente 000 (2023)") and names[1].startswith("Gemeente 000 (2024)")
    # 18 rows, 12 municipalities: the line above the matrix says both (trial 9 read "18
    # gemeenten", a figure a journalist would quote)
    assert "18 rijen van 12 gemeenten, een per jaar" in page
    assert "18 gemeenten" not in page


def test_the_dutch_page_says_in_dutch_which_documents_it_left_out(tmp_path: Path) -> None:
    """The report is read by a Dutch reader: its warnings are Dutch, and the documents left out
    are named, so a journalist can say which budgets the shares do not cover."""
    results = write_results(tmp_path / "results.csv", 6)
    lines = results.read_text(encoding="utf-8").splitlines()
    broken = lines[1].split(",")[0].replace("000", "099")
    cells = [broken, "error: damaged PDF", *[""] * (len(CSV_COLUMNS) - 2)]
    results.write_text("\n".join([*lines, ",".join(cells)]) + "\n", encoding="utf-8")
    result = invoke("report", str(results), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert "left out because their status is not ok" in result.stderr and broken in result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    warned = page.split('<div class="warn">')[1].split("</div>")[0]
    assert "niet meegeteld omdat ze niet gelezen konden worden" in warned and broken in warned
    assert "left out" not in warned and "without" not in warned


def test_self_contained(tmp_path: Path) -> None:
    page = build(write_results(tmp_path / "results.csv", 10), tmp_path / "report.html")
    p = parse(page)
    assert not [t for t, a in p.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in p.tags if "src" in a]
    assert [t for t, a in p.tags if t == "script"] == ["script"]
    assert "://" not in " ".join(a["href"] for t, a in p.tags if t == "a")
    for code in (p.style, p.script):
        assert "url(" not in code and "@import" not in code and "http" not in code
        assert "fetch(" not in code and "XMLHttpRequest" not in code


def test_every_text_is_escaped(tmp_path: Path) -> None:
    results = write_results(tmp_path / "results.csv", 6, snippet=NASTY, snippet_len=500)
    page = build(results, tmp_path / "report.html")
    p = parse(page)
    assert not [t for t, a in p.tags if t == "img"]
    assert [t for t, a in p.tags if t == "script"] == ["script"]
    assert "alert" not in p.script
    assert " ".join(NASTY.split()) in p.all_text
    # every flagged cell still holds its own details element: nothing broke out of it
    assert len([t for t, a in p.tags if t == "details"]) == sum(
        (i + t) % 5 < 3 for i in range(6) for t in range(len(THEMES))
    )


def test_numbers_of_the_table_are_on_the_page(tmp_path: Path) -> None:
    results = write_results(tmp_path / "results.csv", 30)
    page = build(results, tmp_path / "report.html")
    text = parse(page).all_text
    for number in table_numbers(build_table(read_results(results))):
        assert number in text


def test_report_says_what_its_intervals_do_not_cover_and_which_differences_are_noise(
    tmp_path: Path,
) -> None:
    """A journalist publishes the report's percentages: it must say that the intervals do not
    cover the machine's own errors, and name the classes whose difference may be chance, as
    `table` does."""
    from themescan.tables import noise_summary

    results = write_results(tmp_path / "results.csv", 30)
    text = " ".join(parse(build(results, tmp_path / "report.html")).all_text.split())
    assert "niet de fouten van de automatische beoordeling" in text
    noise = noise_summary(build_table(read_results(results)).tables[0])
    assert noise and " ".join(noise.split()) in text


def table_numbers(report) -> list[str]:
    """Every number a reader sees in the table: percentage, interval, count and n per cell."""
    out = []
    for row in report.tables[0].rows:
        out.append(f"n={row.n}")
        for theme in THEMES:
            if not row.n:
                continue
            lo, hi = wilson(row.count(theme), row.n)
            out += [
                f"{row.pct_whole(theme)}%",
                f"({math.floor(100 * lo + 0.5)}–{math.floor(100 * hi + 0.5)})",
                f"{row.count(theme)} van {row.n}",
            ]
    return out


def test_size_for_400_municipalities(tmp_path: Path) -> None:
    """Issue 15's target: under 1 MB for 400 municipalities, every flag with a full snippet."""
    results = write_results(tmp_path / "results.csv", 400)
    page = build(results, tmp_path / "report.html")
    size = len(page.encode("utf-8"))
    assert size < 1_000_000, f"{size} bytes"
    assert len(parse(page).rows["matrix"]) == 401


def test_report_cli_errors(tmp_path: Path) -> None:
    result = invoke("report", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    results = write_results(tmp_path / "results.csv", 3)
    result = invoke("report", str(results), "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2 and ".html" in result.stderr
    result = invoke("report", str(results), "--docs", str(tmp_path / "nope"), "-o",
                    str(tmp_path / "r.html"))  # fmt: skip
    assert result.exit_code == 2 and "is not a folder" in result.stderr  # as sample says
    assert not (tmp_path / "r.html").exists()
    existing = tmp_path / "keep.html"
    existing.write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("file,status\nx.pdf,ok\n", encoding="utf-8")
    result = invoke("report", str(bad), "-o", str(existing))
    assert result.exit_code == 2 and existing.read_text(encoding="utf-8") == "old"


# --- the samples in a real browser ----------------------------------------------------------


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run(
        [binary, *flags, *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(profile)},
        check=False,
    )


@pytest.fixture(scope="module")
def samples_report(
    samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """classify samples/ with its population file, then the report of it next to the results."""
    tmp = tmp_path_factory.mktemp("report")
    results = tmp / "results.csv"
    gemeenten = samples_dir / "gemeenten.csv"
    r = invoke(
        "classify", str(samples_dir), "--gemeenten", str(gemeenten), "--no-cache",
        "--workers", "0", "--quiet", "-o", str(results),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    out = tmp / "out" / "report.html"
    out.parent.mkdir()
    r = invoke(
        "report", str(results), "--gemeenten", str(gemeenten), "--docs", str(samples_dir),
        "-o", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return results, out


def test_without_docs_the_report_finds_the_documents_classify_read(
    samples_report: tuple[Path, Path], samples_dir: Path, tmp_path: Path
) -> None:
    """The results file's sidecar records the folder classify read: the report's page links
    point there without --docs, and no warning says the documents are missing (trial 8)."""
    results, _ = samples_report
    out = tmp_path / "report.html"
    r = invoke("report", str(results), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "not in" not in r.stderr
    page = out.read_text(encoding="utf-8")
    target = os.path.relpath(
        samples_dir / "gemeente-kromstede_programmabegroting_2024.pdf", tmp_path
    )
    assert f'href="{target}#page=' in page


def test_matrix_agrees_with_the_table(samples_report: tuple[Path, Path], samples_dir: Path) -> None:
    """The matrix groups documents into municipalities and classes as the table counts them."""
    results, out = samples_report
    population = read_population(samples_dir / "gemeenten.csv")
    rows = read_results(results)
    table = build_table(rows, population=population).tables[0]
    units = municipalities(rows, read_details(results), population, samples_dir, out.parent)
    for row in table.rows:
        members = [u for u in units if row.grootteklasse in ("totaal", u.klasse)]
        assert len(members) == row.n, row.grootteklasse
        for theme in THEMES:
            assert sum(theme in u.flagged for u in members) == row.count(theme)
    assert sum(len(u.files) for u in units) == len(rows)
    lindenhoeve = next(u for u in units if u.naam == "Lindenhoeve")
    assert len(lindenhoeve.files) == 2  # two documents, one municipality


def test_samples_report_in_chromium(samples_report: tuple[Path, Path], samples_dir: Path) -> None:
    binary = chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    results, out = samples_report
    profile = out.parent / "profile"
    url = out.resolve().as_uri()

    dom = run_chromium(binary, profile, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = parse(dom.stdout)
    text = rendered.all_text
    # the script ran: sorting controls are visible in the rendered DOM
    assert any(
        t == "p" and a.get("id") == "sortbar" and "hidden" not in a for t, a in rendered.tags
    )
    population = read_population(samples_dir / "gemeenten.csv")
    table = build_table(read_results(results), population=population)
    for number in table_numbers(table):
        assert number in text, number
    snippets = [
        parse_cite(d.snippet)[1] or d.snippet
        for per_theme in read_details(results).values()
        for d in per_theme.values()
        if d.snippet
    ]
    assert len(snippets) >= 20
    for snippet in snippets:
        assert " ".join(snippet.split()) in text, snippet[:60]
    # links lead from the report's folder to the sample PDFs, at the page
    for t, a in rendered.tags:
        if t == "a" and a.get("href", "").endswith(tuple(f"#page={n}" for n in range(1, 50))):
            target = (out.parent / html.unescape(a["href"]).split("#")[0]).resolve()
            assert target.is_file(), a["href"]

    # sorting (the script, driven by the link's #sort=): by class, then flagged first for a theme
    order = {"klein": 0, "middel": 1, "groot": 2, "onbekend": 3}
    by_class = run_chromium(binary, profile, "--dump-dom", url + "#sort=klasse")
    classes = [row[1] for row in parse(by_class.stdout).rows["matrix"][1:]]
    assert classes == sorted(classes, key=order.__getitem__) and len(set(classes)) > 1
    by_theme = run_chromium(binary, profile, "--dump-dom", url + "#sort=-smart_city")
    cells = [
        row[3 + THEMES.index("smart_city")] for row in parse(by_theme.stdout).rows["matrix"][1:]
    ]
    flags = [not c.startswith("–") for c in cells]
    assert flags == sorted(flags, reverse=True) and any(flags) and not all(flags)
    unsorted = [row[1] for row in rendered.rows["matrix"][1:]]
    assert unsorted != classes  # the default order is by name, not by class

    shot = out.parent / "report.png"
    r = run_chromium(binary, profile, "--window-size=1200,2000", f"--screenshot={shot}", url)
    assert r.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few KB

    pdf = out.parent / "report.pdf"
    r = run_chromium(binary, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    assert r.returncode == 0 and pdf.read_bytes()[:5] == b"%PDF-"
    import pymupdf

    with pymupdf.open(pdf) as doc:
        printed = " ".join(" ".join(page.get_text() for page in doc).split())
    for row in table.tables[0].rows:
        assert f"n={row.n}" in printed
    # printing opens the evidence: every snippet is in the PDF too
    squeezed = printed.replace("- ", "").replace(" ", "")
    for snippet in snippets:
        assert "".join(snippet.split()).replace("-", "") in squeezed.replace("-", ""), snippet[:60]


def test_the_report_says_how_well_the_judge_does_on_real_text(
    samples_report: tuple[Path, Path], samples_dir: Path, tmp_path: Path
) -> None:
    """A council reads the shares as facts: the page says what the model that made them
    reaches on real text, as its model.json records it, and a rule's results say nothing."""
    import json

    from themescan.config import default_model_dir

    meta = json.loads((default_model_dir() / "model.json").read_text(encoding="utf-8"))
    untouched = f"{meta['real_text']['untouched']['macro_f1']:.2f}".replace(".", ",")
    page = samples_report[1].read_text(encoding="utf-8")
    assert f"een macro-F1 van {untouched} (1 is foutloos" in page
    assert "8 gemeenten (9 documenten gelezen) uit results.csv" in page  # trial 14
    assert "tientallen procentpunten" in page
    results = tmp_path / "rule.csv"
    r = invoke("classify", str(samples_dir), "--model", "none", "--no-cache", "--workers", "0",
               "--quiet", "-o", str(results))  # fmt: skip
    assert r.exit_code == 0, r.output
    out = tmp_path / "rule.html"
    assert invoke("report", str(results), "-o", str(out)).exit_code == 0
    page = " ".join(out.read_text(encoding="utf-8").split())
    assert "macro-F1" not in page  # the model's figures are not the rule's
    # trial 14: the page then said nothing of who decided; it names the rule
    assert "zijn van de lexiconregel (--model none), niet van het getrainde oordeel" in page
    keywords = tmp_path / "kw.csv"
    r = invoke("classify", str(samples_dir), "--model", "keywords", "--no-cache",
               "--workers", "0", "--quiet", "-o", str(keywords))  # fmt: skip
    assert r.exit_code == 0, r.output
    out = tmp_path / "kw.html"
    assert invoke("report", str(keywords), "-o", str(out)).exit_code == 0
    page = " ".join(out.read_text(encoding="utf-8").split())
    kw = f"{meta['real_text']['keywords_macro_f1']:.2f}".replace(".", ",")
    assert "zijn van trefwoorden zoeken (--model keywords)" in page and kw in page
    # hand-coded decisions (no sidecar, no scores): no claim about themescan's accuracy
    coded = tmp_path / "hand" / "codering.csv"
    coded.parent.mkdir()
    coded.write_bytes((samples_dir / "labels.csv").read_bytes())
    out = tmp_path / "hand.html"
    assert invoke("report", str(coded), "-o", str(out)).exit_code == 0
    page = " ".join(out.read_text(encoding="utf-8").split())
    assert "macro-F1" not in page and "Hoe goed oordeelt themescan" not in page
    assert "niet door themescan gemaakt" in page
    # results without their sidecar: which judge made them is unknown, and the page says so
    bare = tmp_path / "bare" / "r.csv"
    bare.parent.mkdir()
    bare.write_bytes(keywords.read_bytes())
    out = tmp_path / "bare.html"
    assert invoke("report", str(bare), "-o", str(out)).exit_code == 0
    page = " ".join(out.read_text(encoding="utf-8").split())
    assert "niet vastgelegd" in page
