"""Population files of several years (`--gemeenten FOLDER`): each document is placed with the
file of its own year, so a municipality that grows past 50,000 inhabitants changes size class
in the year it does, and a multi-year study compares each year with that year's classes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from themescan.cli import app
from themescan.config import Config
from themescan.errors import UsageError
from themescan.municipalities import PopulationYears, read_population
from themescan.output import CSV_COLUMNS
from themescan.themes import THEMES

runner = CliRunner()


def write_population(path: Path, inwoners: dict[str, int]) -> Path:
    lines = ["Gemeenten\tProvincie\tInwonertal"]
    lines += [f"{naam}\tGelderland\t{n}" for naam, n in inwoners.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Fictional municipalities in two years; Veldhoven-Oost crosses 50,000 in 2024, and
    Oud-Brakel merged into Brakel in 2023 (in the 2022 file only)."""
    years = tmp_path / "cbs"
    years.mkdir()
    write_population(
        years / "cbs_gemeenten_2022.tsv",
        {"Veldhoven-Oost": 49_100, "Brakel": 21_000, "Oud-Brakel": 9_800},
    )
    write_population(years / "cbs_gemeenten_2024.tsv", {"Veldhoven-Oost": 50_400, "Brakel": 21_300})
    (years / "README.md").write_text("Bron: CBS, per 1 januari.\n", encoding="utf-8")
    return years


def test_each_year_is_read_from_its_own_file(folder: Path) -> None:
    population = read_population(folder)
    assert isinstance(population, PopulationYears)
    assert sorted(population.years) == [2022, 2024]

    def inwoners(jaar: str) -> int | None:
        found = population.for_year(jaar).match("Veldhoven-Oost")
        return found.inwoners if found else None

    assert inwoners("2022") == 49_100
    assert inwoners("2024") == 50_400
    assert inwoners("2024-2027") == 50_400  # a meerjarenbegroting: its first year
    assert inwoners("2023") == 49_100  # as near to 2022 as to 2024: the earlier file
    assert inwoners("2019") == 49_100 and inwoners("2030") == 50_400  # the nearest file
    assert inwoners("") == 50_400  # no year: the latest file
    assert population.match("Veldhoven-Oost").inwoners == 50_400  # lookups without a year too


def test_a_single_file_serves_every_year(folder: Path) -> None:
    one = read_population(folder / "cbs_gemeenten_2022.tsv")
    assert one.for_year("2024") is one


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"gemeenten.tsv": 1}, "gemeenten.tsv has no year in its name"),
        ({"cbs_2024.tsv": 1, "cbs_2024_herzien.csv": 1}, "are both for 2024"),
        ({}, "holds no CSV, TSV or XLSX file"),
    ],
)
def test_a_folder_that_cannot_be_read_by_year_is_refused(
    tmp_path: Path, files: dict[str, int], message: str
) -> None:
    for name in files:
        write_population(tmp_path / name, {"Brakel": 21_000})
    with pytest.raises(UsageError, match=message):
        read_population(tmp_path)
    result = runner.invoke(app, ["table", str(tmp_path / "none.csv"), "--gemeenten", str(tmp_path)])
    assert result.exit_code == 2


def test_the_cache_key_follows_every_file_of_the_folder(folder: Path) -> None:
    before = Config(gemeenten=str(folder)).fingerprint()
    write_population(folder / "cbs_gemeenten_2022.tsv", {"Veldhoven-Oost": 48_000, "Brakel": 1})
    assert Config(gemeenten=str(folder)).fingerprint() != before


def results_csv(path: Path) -> Path:
    """Two budgets of Veldhoven-Oost (2022, 2024), one of Brakel and the last of Oud-Brakel,
    as classify writes them, without population: the table fills it in."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for file, gemeente, jaar in [
        ("veldhoven-oost_begroting_2022.pdf", "Veldhoven-Oost", "2022"),
        ("veldhoven-oost_begroting_2024.pdf", "Veldhoven-Oost", "2024"),
        ("brakel_begroting_2024.pdf", "Brakel", "2024"),
        ("oud-brakel_begroting_2022.pdf", "Oud-Brakel", "2022"),
    ]:
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(file=file, status="ok", pages="80", gemeente=gemeente, jaar=jaar)
        row.update({t: "1" if t == "digitalisering" else "0" for t in THEMES})
        row.update({f"{t}_score": "0.9" if t == "digitalisering" else "0.1" for t in THEMES})
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def classes(result_json: str) -> dict[str | None, dict[str, int]]:
    """Per table (group): the number of municipalities in each size class."""
    return {
        t["group"]: {r["grootteklasse"]: r["n"] for r in t["rows"] if r["n"]}
        for t in json.loads(result_json)["tables"]
    }


def test_table_by_year_uses_each_years_classes(tmp_path: Path, folder: Path) -> None:
    results = results_csv(tmp_path / "results.csv")
    per_year = runner.invoke(
        app, ["table", str(results), "--gemeenten", str(folder), "--by", "jaar", "--format", "json"]
    )
    assert per_year.exit_code == 0, per_year.output
    assert classes(per_year.stdout) == {
        "2022": {"klein": 2, "totaal": 2},  # 49,100 in 2022, and Oud-Brakel
        "2024": {"klein": 1, "middel": 1, "totaal": 2},  # 50,400 in 2024
    }
    # pooled over the years, a municipality takes its latest year's population
    pooled = runner.invoke(
        app, ["table", str(results), "--gemeenten", str(folder), "--format", "json"]
    )
    assert classes(pooled.stdout) == {None: {"klein": 2, "middel": 1, "totaal": 3}}
    # with one file, 2022 is counted with 2024's population (middel) and a municipality
    # merged since is unknown
    one = runner.invoke(
        app,
        ["table", str(results), "--gemeenten", str(folder / "cbs_gemeenten_2024.tsv"),
         "--by", "jaar", "--format", "json"],
    )  # fmt: skip
    assert classes(one.stdout)["2022"] == {"middel": 1, "onbekend": 1, "totaal": 2}


def test_classify_fills_each_documents_year(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "Programmabegroting gemeente Veldhoven-Oost. De raad stelt de begroting vast.\n"
    for jaar in ("2022", "2024"):
        (docs / f"veldhoven-oost_programmabegroting_{jaar}.txt").write_text(text, encoding="utf-8")
    years = tmp_path / "cbs"
    years.mkdir()
    write_population(years / "cbs_gemeenten_2022.tsv", {"Veldhoven-Oost": 49_100})
    write_population(years / "cbs_gemeenten_2024.tsv", {"Veldhoven-Oost": 50_400})
    result = runner.invoke(
        app, ["classify", str(docs), "--gemeenten", str(years), "--model", "none", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["jaar"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["2022"]["inwoners"], rows["2022"]["grootteklasse"]) == ("49100", "klein")
    assert (rows["2024"]["inwoners"], rows["2024"]["grootteklasse"]) == ("50400", "middel")


def test_report_places_a_municipality_as_the_table_does(tmp_path: Path, folder: Path) -> None:
    from themescan.aggregation import read_results
    from themescan.report import municipalities

    population = read_population(folder)
    written = results_csv(tmp_path / "results.csv")
    rows = [r for r in read_results(written) if r.ok]  # population as the report finds it
    # the 2024 row last and first: either way the latest year's population decides
    for ordered in (rows, rows[::-1]):
        units = {u.naam: u for u in municipalities(ordered, {}, population, tmp_path, tmp_path)}
        placed = {naam: (u.inwoners, u.klasse) for naam, u in units.items()}
        assert placed["Veldhoven-Oost"] == (50_400, "middel")
        assert placed["Oud-Brakel"] == (9_800, "klein")  # from the file of its year


def test_a_name_missing_from_the_file_says_whose_population_is_used(
    tmp_path: Path, folder: Path
) -> None:
    """A municipality the given file lacks keeps the inwoners its results row has: the table
    says so, instead of only 'not in', while counting it in a class (trial 7)."""
    results = results_csv(tmp_path / "results.csv")
    text = results.read_text(encoding="utf-8").replace(",Brakel,,", ",Brakel,21300,")
    results.write_text(text, encoding="utf-8")
    only = write_population(tmp_path / "alleen_veldhoven_2024.tsv", {"Veldhoven-Oost": 50_400})
    result = runner.invoke(
        app, ["table", str(results), "--gemeenten", str(only), "--format", "csv"]
    )
    said = " ".join(result.stderr.split())
    assert "gemeente 'Brakel' (brakel_begroting_2024.pdf) is not in" in said
    assert "the inwoners in the results file are used" in said
    assert (
        "'Oud-Brakel'" in said and "Oud-Brakel' (oud-brakel_begroting_2022.pdf) is not in" in said
    )
    assert said.count("results file are used") == 1  # Oud-Brakel has none: class onbekend


def test_a_year_without_its_own_file_is_named_with_the_file_used(
    tmp_path: Path, folder: Path
) -> None:
    """A 2023 document placed with the 2022 file, or one without a year with the latest,
    changed class without a word (trial 9); table and classify now say which file stood in."""
    results = results_csv(tmp_path / "results.csv")
    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace("brakel_begroting_2024.pdf,ok,80,Brakel,,,,2024",
                                    "brakel_begroting_2024.pdf,ok,80,Brakel,,,,2023"),
                       encoding="utf-8")  # fmt: skip
    table = runner.invoke(app, ["table", str(results), "--gemeenten", str(folder)])
    assert table.exit_code == 0, table.output
    said = " ".join(table.stderr.split())
    assert "no population file for some documents' years" in said and "2023 -> 2022" in said
    exact = runner.invoke(app, ["table", str(results_csv(tmp_path / "r2.csv")),
                                "--gemeenten", str(folder)])  # fmt: skip
    assert "no population file" not in exact.stderr  # every year has its file

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "veldhoven-oost_kadernota.txt").write_text(
        "Kadernota gemeente Veldhoven-Oost. De raad stelt de kaders vast.\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["classify", str(docs), "--gemeenten", str(folder), "--model", "none", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert "no year -> 2024" in " ".join(result.stderr.split())


def test_the_year_is_the_one_the_document_calls_itself() -> None:
    """The first page's "Programmabegroting 2025" beats a file name saved as 2023 and a
    template's metadata title of 2019 (trial 9: jaar 2019, a table 'jaar = 2019')."""
    from themescan.pipeline import document_year

    page = "Programmabegroting 2025\nGemeente Noordoostpolder\nVastgesteld november 2024"
    assert document_year("Programmabegroting 2019 sjabloon", "nop_2025.pdf", page) == "2025"
    assert document_year("", "nop_programmabegroting_2023.pdf", page) == "2025"
    assert document_year("Begroting 2022", "x.pdf", "Inleiding") == "2022"
    assert document_year("", "kwakveen_2024.pdf", "Vastgesteld in 2023") == "2024"


def test_the_type_is_the_one_the_document_calls_itself() -> None:
    """doc_type follows the year's order: a template's metadata title 'Sjabloon begroting'
    made a voorjaarsnota a programmabegroting (trial 10)."""
    from themescan.pipeline import document_type

    page = (
        "Voorjaarsnota 2025\nGemeente Rietmeer\nDeze nota geeft de kaders voor de begroting 2026."
    )
    assert document_type("Sjabloon begroting", "rietmeer_vjn_2025.pdf", page) == "voorjaarsnota"
    assert document_type("", "kwakveen_jaarstukken_2023.pdf", "Inhoud") == "jaarstukken"
    assert document_type("Kadernota 2024", "x.pdf", "Inleiding") == "kadernota"
    assert document_type("", "x.pdf", "Over de begroting") == "programmabegroting"
