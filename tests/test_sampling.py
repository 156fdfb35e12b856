"""The validation workflow (issue 15 items 2-3): sample -> coding sheet -> agreement.

A synthetic results file of 40 documents; the coder's codes differ from the machine's on known
rows, so every statistic the agreement reports is known in advance.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner, Result

from themescan.aggregation import read_results
from themescan.agreement import compute_agreement
from themescan.cli import app
from themescan.errors import UsageError
from themescan.evidence import page_link, parse_cite, read_details
from themescan.output import CSV_COLUMNS
from themescan.sampling import (
    BLIND_COLUMNS,
    SAMPLE_COLUMNS,
    _allocate,
    draw_sample,
    read_coded,
    write_sample,
)
from themescan.themes import THEMES

N_DOCS = 40


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def flag(i: int, t: int) -> int:
    """Document i flags theme t for half of the documents, a different half per theme."""
    return int((i + 3 * t) % 4 < 2)


def write_results(path: Path, n: int = N_DOCS, unreadable: int = 2) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for i in range(n + unreadable):
            ok = i < n
            row = {c: "" for c in CSV_COLUMNS}
            row.update(
                file=f"docs/gemeente-{i:02d}_begroting_2024.pdf",
                status="ok" if ok else "error: encrypted",
                pages="12",
                gemeente=f"Gemeente{i:02d}",
                inwoners=str(20000 + 5000 * i),
            )
            for t, theme in enumerate(THEMES):
                f = flag(i, t) if ok else 0
                row[theme] = str(f)
                row[f"{theme}_score"] = f"{0.9 if f else 0.1:.3f}" if ok else ""
                if f:
                    row[f"{theme}_evidence"] = f'p{t + 2}: Doc {i} over {theme}: "<b>" & meer'
            w.writerow(row)
    return path


def write_documents(folder: Path, n: int = N_DOCS) -> None:
    """The documents the results name, one page each, so that --docs finds every one of them
    (a blind sheet is refused when it cannot give every decision its passages)."""
    import pymupdf

    (folder / "docs").mkdir(exist_ok=True)
    for i in range(n):
        doc = pymupdf.open()
        doc.new_page().insert_textbox(
            pymupdf.Rect(72, 72, 520, 770),
            f"Gemeente{i:02d} begroting 2024.\n\nDe gemeente werkt aan veilige systemen, "
            "digitale dienstverlening, het gebruik van data, sensoren in de openbare ruimte en "
            "een andere manier van werken. Daarnaast onderhouden wij wegen en groen.",
            fontsize=10,
        )
        doc.save(folder / "docs" / f"gemeente-{i:02d}_begroting_2024.pdf")
        doc.close()


@pytest.fixture()
def results(tmp_path: Path) -> Path:
    write_documents(tmp_path)
    return write_results(tmp_path / "results.csv")


# --- drawing ---------------------------------------------------------------------------------


def test_allocate_even_and_redistributed() -> None:
    assert _allocate([10] * 10, 60) == [6] * 10
    assert _allocate([2, 10, 10], 12) == [2, 5, 5]
    assert _allocate([0, 3, 50], 30) == [0, 3, 27]
    assert sum(_allocate([5, 5, 5], 7)) == 7
    assert _allocate([1, 1], 10) == [1, 1]


def test_sample_is_stratified_and_seeded(results: Path) -> None:
    rows = read_results(results)
    details = read_details(results)
    sample = draw_sample(rows, details, n=60, seed=7)
    assert len(sample.items) == 60
    for theme in THEMES:
        got = [it.themescan for it in sample.items if it.theme == theme]
        assert sorted(got) == [0] * 6 + [1] * 6, theme
    assert all(
        not it.file.endswith(("40_begroting_2024.pdf", "41_begroting_2024.pdf"))
        for it in sample.items
    )
    # positives carry the CSV's evidence and page, negatives have none in the CSV
    for it in sample.items:
        if it.themescan:
            assert it.page == THEMES.index(it.theme) + 2 and it.theme in it.evidence
            assert it.score == pytest.approx(0.9)
        else:
            assert it.evidence == "" and it.page is None
    again = draw_sample(rows, details, n=60, seed=7)
    assert again == sample
    other = draw_sample(rows, details, n=60, seed=8)
    assert {(i.file, i.theme) for i in other.items} != {(i.file, i.theme) for i in sample.items}
    strata = {(s.theme, s.themescan): (s.available, s.drawn) for s in sample.strata}
    assert strata[(THEMES[0], 1)] == (20, 6)


def test_sample_more_than_available_takes_all(tmp_path: Path) -> None:
    path = write_results(tmp_path / "r.csv", n=3, unreadable=0)
    sample = draw_sample(read_results(path), read_details(path), n=100)
    assert len(sample.items) == 15
    assert any("took all" in w for w in sample.warnings)


def test_sample_rejects_bad_n_and_empty(tmp_path: Path, results: Path) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        draw_sample(read_results(results), {}, n=0)
    path = write_results(tmp_path / "none.csv", n=0, unreadable=2)
    with pytest.raises(UsageError, match="no readable documents"):
        draw_sample(read_results(path), {}, n=10)


def test_parse_cite_and_links(tmp_path: Path) -> None:
    assert parse_cite("p12: Wij doen dit.") == (12, "Wij doen dit.")
    assert parse_cite("") == (None, "")
    assert parse_cite("geen pagina") == (None, "geen pagina")
    out = tmp_path / "out"
    assert page_link("a b.pdf", 4, tmp_path / "docs", out) == "../docs/a%20b.pdf#page=4"
    assert page_link("x.html", 4, tmp_path / "docs", out) == "../docs/x.html"
    assert page_link("x.pdf", None, tmp_path, tmp_path) == "x.pdf"


# --- the sheet ------------------------------------------------------------------------------


def test_xlsx_sheet_columns_protection_and_validation(results: Path, tmp_path: Path) -> None:
    sample = draw_sample(read_results(results), read_details(results), n=20, seed=1)
    out = tmp_path / "sheets" / "sample.xlsx"
    out.parent.mkdir()
    write_sample(sample, out, docs=tmp_path, source="results.csv")
    wb = load_workbook(out)
    ws = wb["codering"]
    header = [c.value for c in ws[1]]
    assert tuple(header) == SAMPLE_COLUMNS
    assert ws.max_row == 21
    assert ws.protection.sheet
    human, note, themescan = (header.index(c) + 1 for c in ("human", "note", "themescan"))
    for r in range(2, ws.max_row + 1):
        assert not ws.cell(r, human).protection.locked
        assert not ws.cell(r, note).protection.locked
        assert ws.cell(r, themescan).protection.locked
        link = ws.cell(r, header.index("link") + 1)
        assert link.value.startswith("../docs/gemeente-")
        assert link.hyperlink is not None
        if ws.cell(r, themescan).value == 1:
            assert link.value.endswith(f"#page={ws.cell(r, header.index('page') + 1).value}")
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"0,1"'
    assert str(validations[0].sqref) == f"H2:H{ws.max_row}"
    assert "steekproef" in wb.sheetnames


def test_blind_xlsx_hides_the_machine(results: Path, tmp_path: Path) -> None:
    sample = draw_sample(read_results(results), read_details(results), n=20, seed=1)
    out = tmp_path / "blind.xlsx"
    write_sample(sample, out, docs=tmp_path, blind=True)
    wb = load_workbook(out)
    coder = wb["codering"]
    assert tuple(c.value for c in coder[1]) == BLIND_COLUMNS
    key = wb["themescan"]
    assert key.sheet_state == "veryHidden"  # Excel's Unhide does not offer it
    assert wb.security is not None and wb.security.lockStructure
    assert [c.value for c in key[1]] == ["id", "themescan", "score"]
    by_id = {r[0]: r[1] for r in key.iter_rows(min_row=2, values_only=True)}
    assert by_id == {it.id: it.themescan for it in sample.items}


def code_sheet(path: Path, flips: set[tuple[str, str]]) -> None:
    """Fill `human` with the machine's decision, flipped for the (file, theme) pairs in flips.
    Works on the plain and the blind sheet, xlsx and csv."""
    if path.suffix == ".xlsx":
        wb = load_workbook(path)
        ws = wb["codering"]
        header = [c.value for c in ws[1]]
        key = {}
        if "themescan" not in header:
            key = {r[0]: r[1] for r in wb["themescan"].iter_rows(min_row=2, values_only=True)}
        for r in range(2, ws.max_row + 1):
            get = lambda c, r=r: ws.cell(r, header.index(c) + 1).value  # noqa: E731
            machine = get("themescan") if "themescan" in header else key[get("id")]
            flip = (get("file"), get("theme")) in flips
            ws.cell(r, header.index("human") + 1).value = 1 - machine if flip else machine
        wb.save(path)
        return
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    key = {}
    if "themescan" not in rows[0]:
        keyfile = path.with_name(path.stem + "_themescan.csv")
        key = {r["id"]: int(r["themescan"]) for r in csv.DictReader(keyfile.open(encoding="utf-8"))}
    for r in rows:
        machine = int(r["themescan"]) if "themescan" in r else key[r["id"]]
        r["human"] = str(1 - machine if (r["file"], r["theme"]) in flips else machine)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize(
    "name,blind", [("s.xlsx", False), ("s.xlsx", True), ("s.csv", False), ("s.csv", True)]
)
def test_round_trip_known_statistics(results: Path, tmp_path: Path, name: str, blind: bool) -> None:
    """sample -> coding -> agreement through the CLI; one theme has one miss and one false
    alarm among 4 + 4 decisions: tp=3 fp=1 fn=1 tn=3, so precision = recall = F1 = 0.75,
    kappa = (0.75 - 0.5) / 0.5 = 0.5 and alpha = 1 - 15 * 2 / (8 * 8) = 0.53125."""
    out = tmp_path / name
    args = ["sample", str(results), "-n", "40", "-o", str(out), "--seed", "3"]
    result = invoke(*args, *(["--blind", "--docs", str(tmp_path)] if blind else []))
    assert result.exit_code == 0, result.output
    sample = draw_sample(read_results(results), read_details(results), n=40, seed=3)
    theme = THEMES[1]
    pos = [(i.file, i.theme) for i in sample.items if i.theme == theme and i.themescan]
    neg = [(i.file, i.theme) for i in sample.items if i.theme == theme and not i.themescan]
    assert len(pos) == len(neg) == 4
    code_sheet(out, {pos[0], neg[0]})

    result = invoke("agreement", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_theme = {t["theme"]: t for t in data["themes"]}
    t = by_theme[theme]
    assert (t["n"], t["tp"], t["fp"], t["fn"], t["tn"]) == (8, 3, 1, 1, 3)
    assert t["weighted"] == name.endswith(".xlsx")  # the xlsx records its strata, csv cannot
    assert t["precision"]["value"] == pytest.approx(0.75)
    assert t["recall"]["value"] == pytest.approx(0.75)
    assert t["f1"]["value"] == pytest.approx(0.75)
    assert t["kappa"]["value"] == pytest.approx(0.5)
    assert t["alpha"]["value"] == pytest.approx(0.53125)
    machine = [1, 1, 1, 1, 0, 0, 0, 0]
    human = [0, 1, 1, 1, 1, 0, 0, 0]
    assert t["kappa"]["value"] == pytest.approx(cohen_kappa_score(machine, human))
    for stat in ("precision", "recall", "f1", "kappa", "alpha"):
        lo, hi, value = t[stat]["lo"], t[stat]["hi"], t[stat]["value"]
        assert lo <= value <= hi, stat
    # the themes coded as the machine decided agree perfectly
    other = by_theme[THEMES[0]]
    assert other["kappa"]["value"] == pytest.approx(1.0) and other["alpha"][
        "value"
    ] == pytest.approx(1.0)


def test_agreement_corrects_the_table(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert invoke("sample", str(results), "-n", "40", "-o", str(out), "--seed", "3").exit_code == 0
    sample = draw_sample(read_results(results), read_details(results), n=40, seed=3)
    theme = THEMES[2]
    neg = [(i.file, i.theme) for i in sample.items if i.theme == theme and not i.themescan]
    code_sheet(out, {neg[0]})  # one of 4 negatives is a miss: NPV 0.75
    sheet = read_coded(out)
    rows = read_results(results)
    from themescan.aggregation import build_table

    table = build_table(rows)
    report = compute_agreement(sheet, rows, table, replicates=500)
    rates = {t.theme: t for t in report.themes}[theme]
    # corpus: 20 flagged (all confirmed), 20 unflagged of which 25% missed -> 5 missed
    assert rates.weighted
    assert rates.sensitivity.value == pytest.approx(20 / 25)
    assert rates.specificity.value == pytest.approx(1.0)
    # the sheet recorded the strata when it was drawn: the same weighting without --results
    alone = {t.theme: t for t in compute_agreement(sheet, replicates=200).themes}[theme]
    assert alone.weighted and (alone.corpus_flagged, alone.corpus_unflagged) == (20, 20)
    assert alone.sensitivity.value == pytest.approx(20 / 25)
    total = next(p for p in report.prevalence if p.theme == theme and p.grootteklasse == "totaal")
    assert total.raw.value == pytest.approx(0.5)
    # (0.5 + 1 - 1) / (0.8 + 1 - 1) = 0.625: the misses raise the share
    assert total.corrected.value == pytest.approx(0.625)
    assert total.corrected.lo <= 0.625 <= total.corrected.hi
    perfect = next(
        p for p in report.prevalence if p.theme == THEMES[0] and p.grootteklasse == "totaal"
    )
    assert perfect.corrected.value == pytest.approx(perfect.raw.value)
    result = invoke("agreement", str(out), "--results", str(results), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "| Datagedreven werken | totaal | 40 | 50% (35-65) | 63%" in result.stdout


# --- reading coded sheets: errors become messages -------------------------------------------


def test_uncoded_rows_are_counted_and_skipped(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    assert invoke("sample", str(results), "-n", "20", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    for r in rows[:15]:
        r["human"] = r["themescan"]
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    sheet = read_coded(out)
    assert len(sheet.items) == 15 and sheet.uncoded == 5
    result = invoke("agreement", str(out))
    assert result.exit_code == 0
    assert "5 row(s) have no human code yet" in result.stderr


def test_bad_sheets_give_messages(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    assert invoke("sample", str(results), "-n", "10", "-o", str(out)).exit_code == 0
    # nothing coded yet
    result = invoke("agreement", str(out))
    assert result.exit_code == 2 and "no coded rows yet (10 without" in result.stderr
    assert "Traceback" not in result.output
    # a code that is not 0/1
    text = out.read_text(encoding="utf-8").splitlines()
    text[1] = text[1][:-1] + "2,"  # human, note
    out.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = invoke("agreement", str(out))
    assert result.exit_code == 2 and "row 2: human is '2', expected 0 or 1" in result.stderr
    # missing columns
    bad = tmp_path / "bad.csv"
    bad.write_text("file,theme\na.pdf,smart_city\n", encoding="utf-8")
    result = invoke("agreement", str(bad))
    assert result.exit_code == 2 and "lacks the column(s) human" in result.stderr
    # not a sheet at all
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 not a zip")
    result = invoke("agreement", str(junk))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    assert invoke("agreement", str(tmp_path / "missing.xlsx")).exit_code == 2
    # blind without the documents: only flags would have passages, which gives them away
    result = invoke("sample", str(results), "-n", "10", "-o", str(tmp_path / "b.csv"), "--blind")
    assert result.exit_code == 2 and "--blind needs --docs" in result.stderr
    # a blind csv without its key
    assert (
        invoke(
            "sample", str(results), "-n", "10", "-o", str(tmp_path / "b.csv"), "--blind",
            "--docs", str(tmp_path),
        ).exit_code
        == 0
    )  # fmt: skip
    (tmp_path / "b_themescan.csv").unlink()
    result = invoke("agreement", str(tmp_path / "b.csv"))
    assert result.exit_code == 2 and "b_themescan.csv" in result.stderr


def test_sample_usage_errors(results: Path, tmp_path: Path) -> None:
    result = invoke("sample", str(results), "-o", str(tmp_path / "s.txt"))
    assert result.exit_code == 2 and ".xlsx or .csv" in result.stderr
    result = invoke("sample", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "s.csv"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = invoke(
        "sample", str(results), "-o", str(tmp_path / "s.csv"), "--docs", str(tmp_path / "no")
    )
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_docs_gives_every_decision_its_passages(samples_dir: Path, tmp_path: Path) -> None:
    """With --docs the classifier re-scores each sampled document: every decision gets the
    theme's best-scoring passages, as many for a negative as for a flag (a blind coder must not
    tell them apart by that); a flag keeps the results' snippet first; every snippet stands
    verbatim on its page."""
    from themescan.reading import read_document

    results = tmp_path / "results.csv"
    r = invoke(
        "classify", str(samples_dir), "--no-cache", "--workers", "0", "--quiet", "-o", str(results)
    )
    assert r.exit_code == 0, r.output
    details = read_details(results)
    out = tmp_path / "s.xlsx"
    r = invoke("sample", str(results), "-n", "30", "-o", str(out), "--docs", str(samples_dir))
    assert r.exit_code == 0, r.output
    ws = load_workbook(out)["codering"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, v, strict=True)) for v in ws.iter_rows(min_row=2, values_only=True)]
    negatives = [row for row in rows if row["themescan"] == 0]
    assert len(negatives) == 15
    assert sum(1 for row in negatives if row["evidence"]) >= 12  # a theme may have no passage
    several = 0
    shown = {0: [], 1: []}  # passages per decision, by the machine's decision
    for row in rows:
        if not row["evidence"]:
            continue
        pages = read_document(samples_dir / row["file"]).pages
        first, *more = row["evidence"].split("\n\n")
        if more:  # with more than one passage each names its page, the first too
            page, first = parse_cite(first)
            assert page == row["page"]
        assert _verbatim(first, pages[row["page"] - 1].text)
        if row["themescan"]:
            assert first == details[row["file"]][row["theme"]].snippet
        shown[row["themescan"]].append(1 + len(more))
        for extra in more:
            page, snippet = parse_cite(extra)
            assert _verbatim(snippet, pages[page - 1].text)
        several += bool(more)
        link = row["link"]
        assert link.startswith("../")  # from the sheet's folder to samples/
        assert link.split("#")[0].endswith("/" + row["file"])
    assert several  # some decisions rest on more than one passage
    # as many passages for a negative as for a flag: 3 (Config.evidence) unless fewer scored
    assert max(shown[0]) == max(shown[1]) == 3
    assert sum(n == 3 for n in shown[0]) / len(shown[0]) >= 0.5


def _verbatim(snippet: str, page_text: str) -> bool:
    """A snippet stands on its page apart from the "…" that mark where a sentence was cut."""
    return all(part.strip() in page_text for part in snippet.split("…") if part.strip())


def test_agreement_rounds_a_share_as_the_table_does() -> None:
    from themescan.aggregation import percent
    from themescan.agreement import Estimate, _pct

    for count, n in ((16, 33), (13, 17), (5, 8), (1, 3)):
        assert _pct(Estimate(count / n, None, None)) == f"{percent(count, n):.0f}%"


def test_agreement_says_when_drawn_decisions_were_deleted_from_a_blind_sheet(
    results: Path, tmp_path: Path
) -> None:
    out = tmp_path / "s.csv"
    args = ["sample", str(results), "-n", "20", "-o", str(out), "--seed", "3", "--blind"]
    assert invoke(*args, "--docs", str(tmp_path)).exit_code == 0
    code_sheet(out, set())
    whole = invoke("agreement", str(out))
    assert whole.exit_code == 0 and "no longer in the sheet" not in whole.stderr
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:-3]), encoding="utf-8")  # the coder drops three rows
    cut = invoke("agreement", str(out))
    assert cut.exit_code == 0
    assert "3 decision(s) drawn for this sample are no longer in the sheet" in " ".join(
        cut.stderr.split()
    )


def test_agreement_calls_sample_rates_sample_rates(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    assert invoke("sample", str(results), "-n", "20", "-o", str(out), "--seed", "3").exit_code == 0
    code_sheet(out, set())
    alone = invoke("agreement", str(out))
    assert "Error rates in the sample (give --results" in alone.stdout
    assert "weighted to the corpus" not in alone.stdout
    weighted = invoke("agreement", str(out), "--results", str(results))
    assert "Error rates, weighted to the corpus" in weighted.stdout


def test_a_blind_sheet_is_refused_when_docs_lacks_the_documents(
    results: Path, tmp_path: Path
) -> None:
    """With the wrong --docs folder only the flagged decisions would have a passage, and a
    coder could tell the negatives by that: --blind refuses instead of warning (trial 9)."""
    elsewhere = tmp_path / "y2023"
    elsewhere.mkdir()
    out = tmp_path / "blind.xlsx"
    result = invoke(
        "sample", str(results), "-n", "20", "-o", str(out), "--blind", "--docs", str(elsewhere)
    )
    assert result.exit_code == 2 and "lacks" in result.stderr and "give the folder" in result.stderr
    assert not out.exists()


def test_agreement_refuses_results_the_sample_was_not_drawn_from(
    results: Path, tmp_path: Path
) -> None:
    """The error rates are weighted with --results: another model's results (some decisions
    differ) or another corpus (the sample's files absent) would mix two machines (trial 9:
    both gave figures and exit 0)."""
    out = tmp_path / "s.xlsx"
    assert invoke("sample", str(results), "-n", "40", "-o", str(out), "--seed", "3").exit_code == 0
    code_sheet(out, set())
    sheet = read_coded(out)
    drawn = next(it for it in sheet.items if it.themescan)
    rows = list(csv.DictReader(results.open(encoding="utf-8")))
    for row in rows:
        if row["file"] == drawn.file:
            row[drawn.theme] = "0"  # another model did not flag it
    other = tmp_path / "other.csv"
    with other.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    result = invoke("agreement", str(out), "--results", str(other))
    assert result.exit_code == 2
    assert "1 of the sample's decisions differ" in result.stderr and drawn.file in result.stderr
    unrelated = write_results(tmp_path / "unrelated.csv")
    text = unrelated.read_text(encoding="utf-8").replace("docs/gemeente-", "elders/stad-")
    unrelated.write_text(text, encoding="utf-8")
    result = invoke("agreement", str(out), "--results", str(unrelated))
    assert result.exit_code == 2 and "holds 0 of the sample's" in result.stderr
    assert invoke("agreement", str(out), "--results", str(results)).exit_code == 0


def test_agreement_by_year_corrects_each_year_s_table(results: Path, tmp_path: Path) -> None:
    """table's own warning sends a multi-year corpus to --by jaar; agreement follows it: the
    corrected shares per year, each year's table as `table --by jaar` counts it (trial 9)."""
    rows = list(csv.DictReader(results.open(encoding="utf-8")))
    for i, row in enumerate(rows):
        row["jaar"] = "2023" if i % 2 else "2024"
    with results.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "s.xlsx"
    assert invoke("sample", str(results), "-n", "40", "-o", str(out), "--seed", "3").exit_code == 0
    code_sheet(out, set())
    result = invoke("agreement", str(out), "--results", str(results), "--by", "jaar",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    cells = json.loads(result.stdout)["prevalence"]
    totals = {c["group"]: c["n"] for c in cells if c["grootteklasse"] == "totaal"}
    assert totals == {"2023": N_DOCS // 2, "2024": N_DOCS // 2}
    pooled = invoke("agreement", str(out), "--results", str(results))
    assert "give --by jaar" in pooled.stderr  # the advice agreement now can follow
    assert invoke("agreement", str(out), "--by", "jaar").exit_code == 2  # needs --results


def test_links_without_docs_point_where_classify_read(tmp_path: Path) -> None:
    """Trial 12: without --docs the links were relative to the results file's folder, so a
    results file written elsewhere gave a sheet of dead links, while report found the
    documents through the folder classify recorded beside its output; sample does that too."""
    samples = Path(__file__).resolve().parents[1] / "samples"
    results = tmp_path / "out" / "r.csv"
    results.parent.mkdir()
    assert invoke("classify", str(samples), "--no-cache", "-q", "-o", str(results)).exit_code == 0
    sheet = tmp_path / "sheets" / "s.csv"
    sheet.parent.mkdir()
    assert invoke("sample", str(results), "-n", "10", "-o", str(sheet)).exit_code == 0
    links = [r["link"] for r in csv.DictReader(sheet.open(encoding="utf-8"))]
    assert links and all((sheet.parent / link.split("#")[0]).is_file() for link in links), links
