"""The BMC table end to end: reproduce the article's percentages, every output format, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from themescan.aggregation import build_table, read_results
from themescan.cli import app
from themescan.municipalities import normalize_name
from themescan.output import CSV_COLUMNS
from themescan.tables import to_csv, to_markdown
from themescan.themes import THEMES

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
GOLDEN = Path(__file__).parent / "golden" / "table_bmc.csv"

# Counts per size class whose totals and datagedreven split are those implied by the article
# (shared/reference/bmc_table.json); the article does not publish the per-class split of the other
# themes, so those are spread plausibly.
N = {"klein": 22, "middel": 17, "groot": 17}
COUNTS = {
    "informatieveiligheid": {"klein": 19, "middel": 14, "groot": 15},  # 48
    "digitalisering": {"klein": 18, "middel": 14, "groot": 14},  # 46
    "datagedreven": {"klein": 11, "middel": 6, "groot": 13},  # 30
    "smart_city": {"klein": 2, "middel": 2, "groot": 3},  # 7
    "digitale_transformatie": {"klein": 2, "middel": 1, "groot": 2},  # 5
}
PUBLISHED_TOTAL = {
    "informatieveiligheid": 86,
    "digitalisering": 82,
    "datagedreven": 54,
    "smart_city": 13,
    "digitale_transformatie": 9,
}
PUBLISHED_DATAGEDREVEN = {"klein": 50, "middel": 35, "groot": 77}
# 95% Wilson intervals of the published figures, in whole percents (6/17 -> 17-59 as the issue
# says); checked against scipy in test_aggregation.py.
INTERVAL_TOTAL = {
    "informatieveiligheid": (74, 93),
    "digitalisering": (70, 90),
    "datagedreven": (41, 66),
    "smart_city": (6, 24),
    "digitale_transformatie": (4, 19),
}
INTERVAL_DATAGEDREVEN = {"klein": (31, 69), "middel": (17, 59), "groot": (53, 90)}

_FIRST = ["Kwak", "Brem", "Vlier", "Hazel", "Moer", "Ekster", "Ruig", "Klaver", "Wilg", "Lisdod"]
_LAST = ["veen", "horst", "broek", "dam", "meer", "loo"]


def fictional_names() -> list[str]:
    """56 invented municipality names (checked against the real ones in a test below)."""
    names = [f + last for last in _LAST for f in _FIRST]
    return names[:56]


def population_for(klasse: str, i: int) -> int:
    """Inhabitants for the i-th municipality of a class, touching both boundaries."""
    if klasse == "klein":
        return 49_999 if i == 0 else 11_000 + 1_700 * i
    if klasse == "middel":
        return {0: 50_000, 1: 100_000}.get(i, 52_000 + 2_500 * i)
    return 100_001 if i == 0 else 105_000 + 23_000 * i


def municipalities() -> list[tuple[str, str, int, set[str]]]:
    """(name, class, inhabitants, themes with explicit attention) for the 56 municipalities."""
    names = iter(fictional_names())
    out = []
    for klasse, n in N.items():
        for i in range(n):
            flags = {t for t in THEMES if i < COUNTS[t][klasse]}
            out.append((next(names), klasse, population_for(klasse, i), flags))
    return out


HEADER = list(CSV_COLUMNS)  # what classify writes is what table reads


def document_rows(with_population: bool = True) -> list[dict[str, str]]:
    """Two documents per municipality (kadernota 2021, begroting 2022), the flags split over them
    so that only counting per municipality gives the article's figures, plus unreadable files."""
    rows: list[dict[str, str]] = []
    for m, (name, klasse, inwoners, flags) in enumerate(municipalities()):
        slug = name.lower()
        for d, (doc_type, jaar) in enumerate(
            [("kadernota", "2021"), ("programmabegroting", "2022")]
        ):
            row = {
                "file": f"{slug}_{doc_type}_{jaar}.pdf",
                "status": "ok",
                "pages": str(40 + m),
                "gemeente": name,
                "inwoners": str(inwoners) if with_population else "",
                "grootteklasse": klasse if with_population else "",
                "doc_type": doc_type,
                "jaar": jaar,
            }
            for t_index, theme in enumerate(THEMES):
                # alternate which document carries the flag; every third municipality has both
                in_doc = (m + t_index) % 2 == d or m % 3 == 0
                flagged = theme in flags and in_doc
                row[theme] = "1" if flagged else "0"
                row[f"{theme}_score"] = "0.91" if flagged else "0.12"
                row[f"{theme}_evidence"] = "p3: voorbeeldpassage, verzonnen" if flagged else ""
            rows.append(row)
    # an unreadable third document of a municipality: must not add flags
    first = municipalities()[-1]
    rows.append(
        _error_row(f"{first[0].lower()}_jaarstukken_2021.pdf", first[0], "error: encrypted")
    )
    # a 57th municipality whose only document is unreadable: not counted at all
    rows.append(_error_row("zandloo_begroting_2022.pdf", "Zandloo", "error: no text"))
    return rows


def _error_row(file: str, gemeente: str, status: str) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row.update({"file": file, "status": status, "gemeente": gemeente})
    return row


def write_results(path: Path, rows: list[dict[str, str]], excel: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=HEADER, delimiter=";" if excel else ",", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        if excel:
            row = {k: v.replace(".", ",") if k.endswith("_score") else v for k, v in row.items()}
        writer.writerow(row)
    path.write_text(("\ufeff" if excel else "") + out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def results(tmp_path: Path) -> Path:
    return write_results(tmp_path / "results.csv", document_rows())


runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, ["table", *map(str, args)])


# ---------------------------------------------------------------- the fixture itself


def test_names_are_fictional() -> None:
    names = {normalize_name(n) for n in fictional_names()}
    assert len(names) == 56
    real: set[str] = set()
    for path in sorted((SHARED / "data" / "gemeenten").glob("*.tsv")):
        real |= {normalize_name(line.split("\t")[0]) for line in path.read_text().splitlines()}
    dev = SHARED / "dev" / "gemeenten.csv"
    if dev.exists():
        real |= {normalize_name(r["gemeente"]) for r in csv.DictReader(dev.open())}
    assert not names & real


def test_counts_match_bmc_reference() -> None:
    reference = SHARED / "reference" / "bmc_table.json"
    if not reference.exists():
        pytest.skip("shared reference not available")
    implied = json.loads(reference.read_text())["implied_counts"]
    assert json.loads(reference.read_text())["n"] == {**N, "totaal": 56}
    for theme, counts in implied.items():
        assert sum(COUNTS[theme].values()) == counts["totaal"]
        for klasse in N:
            if klasse in counts:
                assert COUNTS[theme][klasse] == counts[klasse]


# ---------------------------------------------------------------- reproduce the article


def test_library_reproduces_the_article(results: Path) -> None:
    report = build_table(read_results(results))
    table = report.tables[0]
    assert [r.n for r in table.rows] == [22, 17, 17, 56]
    for theme, pct in PUBLISHED_TOTAL.items():
        assert table.total.pct_whole(theme) == pct, theme
    for klasse, pct in PUBLISHED_DATAGEDREVEN.items():
        assert table.row(klasse).pct_whole("datagedreven") == pct
    for theme, bounds in INTERVAL_TOTAL.items():
        assert table.total.interval_pct(theme, 0) == bounds, theme
    for klasse, bounds in INTERVAL_DATAGEDREVEN.items():
        assert table.row(klasse).interval_pct("datagedreven", 0) == bounds, klasse
    # middel 35% against groot 77%: a difference (Fisher p 0.037); klein 50% against middel
    # 35% (p 0.52) and against groot 77% (p 0.11): may be chance
    assert table.within_noise("datagedreven") == (("klein", "middel"), ("klein", "groot"))
    assert len(table.within_noise("smart_city")) == 3
    assert table.skipped == 2
    # counted per document, the same files give lower shares
    per_doc = build_table(read_results(results), per="document").tables[0]
    assert per_doc.total.n == 112
    assert per_doc.total.count("informatieveiligheid") < 2 * 48


def test_cli_prints_the_article_percentages(results: Path) -> None:
    result = invoke(results)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    def line_of(title_start: str) -> str:
        return next(line for line in lines if line.strip().startswith(title_start))

    def percents(title_start: str) -> list[int]:
        return [int(p) for p in re.findall(r"(\d+)%", line_of(title_start))]

    def intervals(title_start: str) -> list[tuple[int, int]]:
        found = re.findall(r"\((\d+)-(\d+)\)", line_of(title_start))
        return [(int(lo), int(hi)) for lo, hi in found]

    assert percents("Informatieveiligheid")[-1] == 86
    assert percents("Digitalisering")[-1] == 82
    assert percents("Datagedreven") == [50, 35, 77, 54]
    assert percents("Smart city")[-1] == 13
    assert percents("Digitale transformatie")[-1] == 9
    for title, theme in [
        ("Informatieveiligheid", "informatieveiligheid"),
        ("Digitalisering", "digitalisering"),
        ("Datagedreven", "datagedreven"),
        ("Smart city", "smart_city"),
        ("Digitale transformatie", "digitale_transformatie"),
    ]:
        assert intervals(title)[-1] == INTERVAL_TOTAL[theme], theme
    assert intervals("Datagedreven")[:3] == list(INTERVAL_DATAGEDREVEN.values())
    assert "35% (17-59)" in line_of("Datagedreven")
    assert "Wilson" in result.stdout
    noise = " ".join(result.stdout.split()).split("Binnen de ruis van n:")[1]
    assert "Datagedreven werken: klein ≈ middel" in noise
    assert "Smart city, Digitale transformatie: alle klassen" in noise
    assert "n=22" in result.stdout and "n=56" in result.stdout
    assert "status is not ok" in result.stderr


def test_csv_matches_golden_file(results: Path) -> None:
    result = invoke(results, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert to_csv(build_table(read_results(results))) == result.stdout


def test_golden_csv_contract() -> None:
    rows = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))
    header = next(csv.reader(GOLDEN.open(encoding="utf-8")))
    assert header[:3] == ["grootteklasse", "omschrijving", "n"]
    assert header[3:] == [c for t in THEMES for c in (f"{t}_n", f"{t}_pct", f"{t}_lo", f"{t}_hi")]
    assert [r["grootteklasse"] for r in rows] == ["klein", "middel", "groot", "totaal"]
    total = rows[-1]
    assert total["smart_city_pct"] == "12.5" and total["datagedreven_pct"] == "53.6"
    assert rows[2]["datagedreven_pct"] == "76.5"
    # the intervals: 6 of 17 (middel, datagedreven) runs from 17.3% to 58.7%
    assert (rows[1]["datagedreven_lo"], rows[1]["datagedreven_hi"]) == ("17.3", "58.7")
    for row in rows:
        for t in THEMES:
            assert float(row[f"{t}_lo"]) <= float(row[f"{t}_pct"]) <= float(row[f"{t}_hi"])


def test_excel_style_results_give_the_same_table(tmp_path: Path, results: Path) -> None:
    excel = write_results(tmp_path / "excel.csv", document_rows(), excel=True)
    assert invoke(excel, "--format", "csv").stdout == invoke(results, "--format", "csv").stdout


# ---------------------------------------------------------------- population file and options


def test_population_file_fills_classes(tmp_path: Path) -> None:
    results = write_results(tmp_path / "r.csv", document_rows(with_population=False))
    pop = tmp_path / "gemeenten.tsv"
    lines = ["Gemeenten\tProvincie\tInwonertal"]
    lines += [f"{name.upper()}\tZuid-Holland\t{inw}" for name, _, inw, _ in municipalities()]
    pop.write_text("\n".join(lines) + "\n", encoding="utf-8")

    without = invoke(results, "--format", "json")
    assert without.exit_code == 0
    rows = json.loads(without.stdout)["tables"][0]["rows"]
    assert [r["grootteklasse"] for r in rows] == ["klein", "middel", "groot", "onbekend", "totaal"]
    assert "class onbekend" in without.stderr

    with_pop = invoke(results, "--gemeenten", pop, "--format", "csv")
    assert with_pop.exit_code == 0, with_pop.output
    assert with_pop.stdout == GOLDEN.read_text(encoding="utf-8")
    # Zandloo (only an unreadable document) is in no population file: no warning for it
    assert "Zandloo" not in with_pop.stderr


def test_several_results_files_count_as_one(tmp_path: Path) -> None:
    """One classify run per year, then one table over both: the same as one combined file."""
    rows = document_rows()
    jaren = sorted({r["jaar"] for r in rows if r["jaar"]})
    parts = [
        write_results(tmp_path / f"r{j}.csv", [r for r in rows if r["jaar"] == j]) for j in jaren
    ]
    rest = write_results(tmp_path / "rest.csv", [r for r in rows if r["jaar"] not in jaren])
    combined = write_results(tmp_path / "all.csv", rows)
    for by in ([], ["--by", "jaar"]):
        one = invoke(combined, *by, "--format", "csv")
        several = invoke(*parts, rest, *by, "--format", "csv")
        assert several.exit_code == 0, several.output
        assert several.stdout == one.stdout
    twice = invoke(parts[0], parts[0])
    assert twice.exit_code == 2 and "given twice" in twice.stderr


def test_klassen_and_per_document(results: Path) -> None:
    shifted = invoke(results, "--klassen", "50001,99999", "--format", "json")
    rows = {r["grootteklasse"]: r for r in json.loads(shifted.stdout)["tables"][0]["rows"]}
    assert rows["klein"]["n"] == 23 and rows["groot"]["n"] == 18 and rows["middel"]["n"] == 15
    assert rows["middel"]["omschrijving"] == "50.001-99.999 inwoners"

    per_doc = json.loads(invoke(results, "--per", "document", "--format", "json").stdout)
    assert per_doc["per"] == "document"
    assert per_doc["tables"][0]["rows"][-1]["n"] == 112


def test_by_jaar_and_doc_type(results: Path) -> None:
    by_jaar = invoke(results, "--by", "jaar", "--format", "csv")
    assert by_jaar.exit_code == 0, by_jaar.output
    rows = list(csv.DictReader(io.StringIO(by_jaar.stdout)))
    assert list(rows[0])[:2] == ["jaar", "grootteklasse"]
    assert sorted({r["jaar"] for r in rows}) == ["2021", "2022"]
    by_type = json.loads(invoke(results, "--by", "doc_type", "--format", "json").stdout)
    groups = [t["group"] for t in by_type["tables"]]
    # jaarstukken (one unreadable file) and the empty jaar of the unreadable files give no table
    assert groups == ["kadernota", "programmabegroting"]
    assert [t["rows"][-1]["n"] for t in by_type["tables"]] == [56, 56]


# ---------------------------------------------------------------- every output format


def test_markdown(results: Path) -> None:
    result = invoke(results, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| Thema | klein (< 50.000 inwoners, n=22)")
    datagedreven = next(line for line in lines if line.startswith("| Datagedreven werken"))
    assert "50% (31-69) [11]" in datagedreven and "77% (53-90) [13]" in datagedreven
    assert "54% (41-66) [30]" in datagedreven
    assert datagedreven.endswith("| klein ≈ middel, klein ≈ groot |")
    assert "Wilson" in result.stdout
    assert to_markdown(build_table(read_results(results))) == result.stdout


def test_json(results: Path) -> None:
    data = json.loads(invoke(results, "--format", "json").stdout)
    total = data["tables"][0]["rows"][-1]
    assert total["grootteklasse"] == "totaal" and total["n"] == 56
    assert total["themes"]["smart_city"] == {
        "n": 7,
        "pct": 12.5,
        "pct_rounded": 13,
        "lo": 6.2,
        "hi": 23.6,
        "lo_rounded": 6,
        "hi_rounded": 24,
    }
    assert data["interval"]["method"] == "wilson" and data["interval"]["confidence"] == 0.95
    assert data["tables"][0]["within_noise"]["datagedreven"] == [
        ["klein", "middel"],
        ["klein", "groot"],
    ]
    assert data["klassen"] == [50000, 100000]
    assert any("status is not ok" in w for w in data["warnings"])


def test_xlsx(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "bmc.xlsx"
    result = invoke(results, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == next(csv.reader(GOLDEN.open(encoding="utf-8")))
    assert sheet[1][0].font.bold
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["totaal"][2] == 56
    index = header.index("smart_city_pct")
    assert values["totaal"][index] == pytest.approx(7 / 56)
    assert sheet.cell(row=5, column=index + 1).number_format == "0.0%"
    middel = values["middel"]
    lo, hi = header.index("datagedreven_lo"), header.index("datagedreven_hi")
    assert middel[lo] == pytest.approx(0.1731, abs=1e-4)
    assert middel[hi] == pytest.approx(0.5870, abs=1e-4)
    assert sheet.cell(row=3, column=hi + 1).number_format == "0.0%"
    notes = [row for row in workbook["toelichting"].iter_rows(values_only=True)]
    assert any("Wilson" in str(row[1]) for row in notes)
    assert sheet.cell(row=5, column=3).number_format == "0"


def test_xlsx_needs_output(results: Path) -> None:
    result = invoke(results, "--format", "xlsx")
    assert result.exit_code == 2
    assert "-o" in result.stderr and "Traceback" not in result.output


def test_chart_png(results: Path, tmp_path: Path) -> None:
    chart = tmp_path / "bmc.png"
    result = invoke(results, "--chart", chart, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.stat().st_size > 10_000
    by_chart = tmp_path / "by.png"
    assert (
        invoke(results, "--chart", by_chart, "--by", "jaar", "-o", tmp_path / "t.txt").exit_code
        == 0
    )
    assert by_chart.read_bytes()[:4] == b"\x89PNG"
    text = (tmp_path / "t.txt").read_text(encoding="utf-8")
    assert "jaar = 2021" in text and "jaar = 2022" in text and "n=56" in text


def test_output_file_for_text_formats(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "tabel.md"
    result = invoke(results, "--format", "markdown", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("| Thema |")


# ---------------------------------------------------------------- bad input


def test_missing_column_exits_2_naming_it(tmp_path: Path) -> None:
    rows = document_rows()
    header = [h for h in HEADER if h != "datagedreven"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "broken.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = invoke(path)
    assert result.exit_code == 2
    assert "datagedreven" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_bad_population_file_exits_2_with_lines(results: Path, tmp_path: Path) -> None:
    pop = tmp_path / "pop.csv"
    pop.write_text("gemeente,inwoners\nKwakveen,12000\nKwakveen,12000\nBremhorst,?\n")
    result = invoke(results, "--gemeenten", pop)
    assert result.exit_code == 2
    assert "line 3" in result.stderr and "line 4" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "pdf"],
        ["--per", "provincie"],
        ["--by", "gemeente"],
        ["--klassen", "100000,50000"],
    ],
)
def test_bad_options_exit_2(results: Path, args: list[str]) -> None:
    result = invoke(results, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr


def test_missing_results_file(tmp_path: Path) -> None:
    result = invoke(tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_chart_draws_the_intervals_as_error_bars(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.axes import Axes

    from themescan.tables import write_chart

    drawn: list[tuple[list[float], list[list[float]]]] = []
    original = Axes.errorbar

    def spy(self, x, y, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append((list(y), [list(side) for side in kwargs["yerr"]]))
        return original(self, x, y, *args, **kwargs)

    monkeypatch.setattr(Axes, "errorbar", spy)
    report = build_table(read_results(results))
    write_chart(report, tmp_path / "bars.png")
    assert len(drawn) == 4  # klein, middel, groot, totaal
    heights, (below, above) = drawn[1]  # middel
    i = THEMES.index("datagedreven")
    assert heights[i] - below[i] == pytest.approx(17.31, abs=0.01)
    assert heights[i] + above[i] == pytest.approx(58.70, abs=0.01)


def test_chart_with_classes_at_zero_and_all(tmp_path: Path) -> None:
    from themescan.aggregation import ResultRow
    from themescan.tables import write_chart

    rows = [
        ResultRow("a.pdf", "ok", "A", 10_000, "", "", "", frozenset(THEMES)),
        ResultRow("b.pdf", "ok", "B", 80_000, "", "", "", frozenset()),
    ]
    out = write_chart(build_table(rows), tmp_path / "edges.png")  # groot is empty
    assert out.read_bytes()[:4] == b"\x89PNG"


# ---------------------------------------------------------------- hand-coded input


def bmc_reference() -> dict:
    path = SHARED / "reference" / "bmc_table.json"
    if not path.exists():
        pytest.skip("../shared/reference/bmc_table.json not available: hand-coded target skipped")
    return json.loads(path.read_text(encoding="utf-8"))


def hand_coded(reference: dict) -> list[tuple[str, str, int, set[str]]]:
    """The 56 municipalities as BMC coded them: n per class and every count the article
    implies from the reference; the per-class split it does not publish from COUNTS."""
    n = {k: reference["n"][k] for k in N}
    counts: dict[str, dict[str, int]] = {}
    for theme in THEMES:
        implied = reference["implied_counts"][theme]
        split = {k: implied.get(k, COUNTS[theme][k]) for k in N}
        assert sum(split.values()) == implied["totaal"], theme
        counts[theme] = split
    names = iter(fictional_names())
    return [
        (next(names), k, population_for(k, i), {t for t in THEMES if i < counts[t][k]})
        for k, size in n.items()
        for i in range(size)
    ]


def write_hand_coded(tmp_path: Path, reference: dict) -> tuple[Path, Path]:
    """A flags CSV with only file + the five themes, and a population file with a file column."""
    flags = ["file," + ",".join(THEMES)]
    population = ["file,gemeente,inwoners"]
    for i, (name, _, inwoners, themes) in enumerate(hand_coded(reference)):
        file = f"documenten/doc{i:02d}.pdf"  # the name says nothing: the file column decides
        flags.append(file + "," + ",".join("1" if t in themes else "0" for t in THEMES))
        population.append(f"{file},{name},{inwoners}")
    flags_path, pop_path = tmp_path / "flags.csv", tmp_path / "gemeenten.csv"
    flags_path.write_text("\n".join(flags) + "\n", encoding="utf-8")
    pop_path.write_text("\n".join(population) + "\n", encoding="utf-8")
    return flags_path, pop_path


def test_hand_coded_flags_give_the_article_table(tmp_path: Path) -> None:
    reference = bmc_reference()
    flags, population = write_hand_coded(tmp_path, reference)
    assert len(flags.read_text().splitlines()) == 57  # header + 56 municipalities

    result = invoke(flags, "--gemeenten", population, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")  # the reproduction's table
    assert result.stderr == ""  # nothing unknown, nothing left out

    from themescan.municipalities import read_population

    pop = read_population(population)
    table = build_table(read_results(flags, pop), population=pop).tables[0]
    assert [r.n for r in table.rows] == [reference["n"][k] for k in (*N, "totaal")]
    for theme, published in reference["published_percent"].items():
        for klasse, pct in published.items():
            assert table.row(klasse).pct_whole(theme) == pct, (theme, klasse)
    for theme, bounds in INTERVAL_TOTAL.items():
        assert table.total.interval_pct(theme, 0) == bounds, theme
    for klasse, bounds in INTERVAL_DATAGEDREVEN.items():
        assert table.row(klasse).interval_pct("datagedreven", 0) == bounds, klasse

    # the terminal prints the same figures
    printed = invoke(flags, "--gemeenten", population)
    assert printed.exit_code == 0, printed.output
    assert "35% (17-59)" in printed.stdout and "86% (74-93)" in printed.stdout


def test_hand_coded_xlsx_gives_the_same_table(tmp_path: Path) -> None:
    from openpyxl import Workbook

    reference = bmc_reference()
    flags, population = write_hand_coded(tmp_path, reference)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for i, line in enumerate(flags.read_text().splitlines()):
        cells = line.split(",")
        sheet.append(cells if i == 0 else [cells[0], *(int(c) for c in cells[1:])])
    book = tmp_path / "codering.xlsx"
    workbook.save(book)
    result = invoke(book, "--gemeenten", population, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_hand_coded_names_from_file_names(tmp_path: Path) -> None:
    """Without a file column, the municipality is the name in the file name."""
    reference = bmc_reference()
    flags = ["file," + ",".join(THEMES)]
    population = ["Gemeenten\tInwonertal"]
    for name, _, inwoners, themes in hand_coded(reference):
        flags.append(
            f"{name}_begroting_2022.pdf," + ",".join(str(int(t in themes)) for t in THEMES)
        )
        population.append(f"{name}\t{inwoners}")
    (tmp_path / "flags.csv").write_text("\n".join(flags) + "\n", encoding="utf-8")
    (tmp_path / "pop.tsv").write_text("\n".join(population) + "\n", encoding="utf-8")
    result = invoke(tmp_path / "flags.csv", "--gemeenten", tmp_path / "pop.tsv", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_read_results_fills_what_a_hand_coded_sheet_lacks(tmp_path: Path) -> None:
    from themescan.municipalities import read_population

    flags = tmp_path / "flags.tsv"
    flags.write_text(
        "file\t" + "\t".join(THEMES) + "\n"
        "a/x1.pdf\t1\t0\t0\t0\t0\n"
        "Brembroek_kadernota.pdf\t0\t1\t0\t0\t0\n"
        "onbekend.pdf\t0\t0\t1\t0\t0\n",
        encoding="utf-8",
    )
    pop_file = tmp_path / "pop.csv"
    pop_file.write_text(
        "file,gemeente,inwoners\na/x1.pdf,Kwakveen,120000\n,Brembroek,60000\n", encoding="utf-8"
    )
    bare = read_results(flags)
    assert [(r.status, r.gemeente, r.inwoners) for r in bare] == [("ok", "", None)] * 3
    rows = read_results(flags, read_population(pop_file))
    assert [(r.gemeente, r.inwoners, r.grootteklasse) for r in rows] == [
        ("Kwakveen", 120000, "groot"),
        ("Brembroek", 60000, "middel"),
        ("", None, ""),
    ]
    assert rows[0].flags == {"informatieveiligheid"} and rows[0].ok


def test_hand_coded_sheet_without_a_theme_column_names_it(tmp_path: Path) -> None:
    flags = tmp_path / "flags.csv"
    flags.write_text("file,informatieveiligheid,digitalisering\na.pdf,1,0\n", encoding="utf-8")
    result = invoke(flags)
    assert result.exit_code == 2
    assert "datagedreven" in result.stderr and "smart_city" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_the_library_table_from_results_in_hand_is_the_table_of_their_csv(tmp_path: Path) -> None:
    """`themescan.table` takes what `scan` yields or a results file, and gives the same counts,
    shares and intervals as `themescan table` on the CSV classify wrote of the same run."""
    import themescan
    from themescan.output import CsvWriter

    samples = Path(__file__).resolve().parents[1] / "samples"
    results = list(
        themescan.scan(samples, themescan.Config(gemeenten=str(samples / "gemeenten.csv")))
    )
    csv_path = tmp_path / "r.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = CsvWriter(fh)
        for r in results:
            writer.write(r)
    in_hand = themescan.table(results, gemeenten=samples / "gemeenten.csv")
    from_file = themescan.table(csv_path, gemeenten=samples / "gemeenten.csv")
    for a, b in zip(in_hand.tables[0].rows, from_file.tables[0].rows, strict=True):
        assert (a.grootteklasse, a.n, a.counts) == (b.grootteklasse, b.n, b.counts)
        assert [a.pct_whole(t) for t in themescan.THEMES] == [
            b.pct_whole(t) for t in themescan.THEMES
        ]
    assert in_hand.tables[0].total.n == 8
