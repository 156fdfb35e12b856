"""Unit tests of lexicon loading, checking and matching (issue 2 item 6)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from typer.testing import CliRunner

from themescan.cli import app
from themescan.errors import LexiconError
from themescan.lexicon import load_lexicons
from themescan.results import Hit
from themescan.themes import THEMES

LEXICONS = REPO_ROOT / "lexicons"


@pytest.fixture(scope="module")
def matcher():
    return load_lexicons().matcher


def active(hits: list[Hit], theme: str) -> list[str]:
    """The matched terms of one theme that no exclusion cancelled."""
    return [h.term for h in hits if h.theme == theme and not h.excluded]


def cancelled(hits: list[Hit], theme: str) -> list[str]:
    return [h.term for h in hits if h.theme == theme and h.excluded]


# --- the shipped lexicons ------------------------------------------------------------------------


def test_packaged_lexicons_cover_every_theme() -> None:
    lex = load_lexicons()
    assert [t.theme for t in lex.themes] == list(THEMES)
    assert all(len(t.terms) >= 10 for t in lex.themes)
    assert len(lex.digest) == 16


def test_hit_offsets_point_at_the_text(matcher) -> None:
    text = "In 2025 herzien wij het Informatiebeveiligingsbeleid en de e-dienstverlening."
    hits = matcher.find(text, page=4)
    assert hits
    for h in hits:
        assert h.page == 4
        assert text[h.start : h.end].lower() == h.term.lower()


@pytest.mark.parametrize(
    ("text", "theme", "word"),
    [
        (
            "Het informatiebeveiligingsbeleid wordt in 2025 geactualiseerd.",
            "informatieveiligheid",
            "informatiebeveiligingsbeleid",
        ),
        (
            "De privacyfunctionaris brengt jaarlijks verslag uit aan het college.",
            "informatieveiligheid",
            "privacyfunctionaris",
        ),
        (
            "Het sensornetwerk in de binnenstad breiden wij uit naar de wijken.",
            "smart_city",
            "sensornetwerk",
        ),
        # compounds that no lexicon lists as such
        (
            "Het informatiebeveiligingsplan 2025 ligt ter vaststelling voor.",
            "informatieveiligheid",
            "informatiebeveiligingsplan",
        ),
        (
            "Wij huren extra capaciteit in voor zaaksysteemmigratie en beheer.",
            "digitalisering",
            "zaaksysteemmigratie",
        ),
        (
            "De gemeentelijke cyberweerbaarheidsaanpak is vernieuwd.",
            "informatieveiligheid",
            "cyberweerbaarheidsaanpak",
        ),
        (
            "Wij plaatsen sensoren in ondergrondse containers.",
            "smart_city",
            "sensoren",
        ),
    ],
)
def test_compounds_match(matcher, text: str, theme: str, word: str) -> None:
    hits = [h for h in matcher.find(text) if h.theme == theme and not h.excluded]
    assert hits, f"no {theme} hit in {text!r}"
    start = text.index(word)
    assert any(start <= h.start and h.end <= start + len(word) for h in hits)


def test_longest_match_wins_within_a_theme(matcher) -> None:
    hits = matcher.find("Het sensornetwerk wordt uitgebreid.")
    sc = [h for h in hits if h.theme == "smart_city"]
    assert len(sc) == 1
    assert sc[0].term == "sensornetwerk"


@pytest.mark.parametrize(
    ("text", "theme", "term"),
    [
        ("Wij voldoen aan de BIO en leggen verantwoording af.", "informatieveiligheid", "BIO"),
        ("De AVG vraagt dat wij een verwerkingsregister bijhouden.", "informatieveiligheid", "AVG"),
        ("Met IoT-toepassingen meten wij de luchtkwaliteit.", "smart_city", "IoT"),
        ("Wij zetten RPA in voor de verwerking van facturen.", "digitalisering", "RPA"),
        ("De ENSIA-verantwoording is tijdig ingediend.", "informatieveiligheid", "ENSIA"),
    ],
)
def test_abbreviations_match(matcher, text: str, theme: str, term: str) -> None:
    at = text.index(term)
    hits = [h for h in matcher.find(text) if h.theme == theme and not h.excluded]
    assert any(h.start == at and h.end >= at + len(term) for h in hits)


@pytest.mark.parametrize(
    "text",
    [
        "De vraag naar biologisch voedsel groeit in de regio.",
        "De bio-industrie en de biobased economie krijgen aandacht.",
        "Een Bioscoop opent in het centrum.",
        "Het aantal avg-leerlingen daalt.",  # lower case: not the law
        "Hij liep door de Avenue en de Bioweg.",
    ],
)
def test_case_sensitive_abbreviations_do_not_match_words(matcher, text: str) -> None:
    terms = {h.term for h in matcher.find(text)}
    assert not terms & {"BIO", "AVG", "IoT", "RPA", "ENSIA"}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Wij zetten de transformatie in de jeugdzorg voort.", "digitale_transformatie"),
        ("De transformatie van kantoren naar woningen loopt door.", "digitale_transformatie"),
        ("Door slimme oplossingen voor de woningbouw besparen wij ruimte.", "smart_city"),
        ("Door budgetten slim te combineren houden wij lasten laag.", "smart_city"),
        ("De data van de raadsvergaderingen staan in de kalender.", "datagedreven"),
        (
            "De vergaderingen van de commissie vinden plaats op de data die nog volgen.",
            "datagedreven",
        ),
        ("De raad vergaderde in het voorjaar digitaal.", "digitalisering"),
        ("Met inachtneming van de AVG worden gegevens bewaard.", "informatieveiligheid"),
        (
            "Wij houden ons aan de Wet open overheid, de AVG en de Archiefwet.",
            "informatieveiligheid",
        ),
        ("Programma 2 Wonen\nDashboard\nDoelen\nTerug naar navigatie", "datagedreven"),
        ("Terug naar navigatie - Programma 2 Wonen - Dashboard", "datagedreven"),
        (
            "Het fieldlab ondersteunt maakbedrijven bij robotisering van hun productie.",
            "digitalisering",
        ),
    ],
)
def test_exclusions_cancel_in_context(matcher, text: str, theme: str) -> None:
    assert active(matcher.find(text), theme) == []


def test_avg_in_list_of_compound_law_names_is_cancelled(matcher) -> None:
    text = "Wij houden ons aan de Gemeentewet, de Participatiewet, de AVG en de Omgevingswet."
    assert active(matcher.find(text), "informatieveiligheid") == []


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "Wij zetten de digitale transformatie van de organisatie voort.",
            "digitale_transformatie",
        ),
        ("Met data over de drukte sturen wij de inzet van handhavers.", "datagedreven"),
        ("Een bewonersavond over slimme verkeerslichten en sensoren.", "smart_city"),
        ("De AVG vraagt dat wij een verwerkingsregister bijhouden.", "informatieveiligheid"),
        ("Dashboard\nMet een dashboard sturen de teams op de wachttijden.", "datagedreven"),
        ("Met robotisering handelen wij de bijstandsaanvragen sneller af.", "digitalisering"),
    ],
)
def test_same_words_count_outside_the_excluded_context(matcher, text: str, theme: str) -> None:
    assert active(matcher.find(text), theme)


def test_exclusion_is_per_sentence(matcher) -> None:
    text = (
        "Wij zetten de transformatie in de jeugdzorg voort. "
        "Daarnaast start de digitale transformatie van onze dienstverlening."
    )
    hits = matcher.find(text)
    assert cancelled(hits, "digitale_transformatie") == ["transformatie"]
    assert active(hits, "digitale_transformatie") == ["digitale transformatie"]


# --- user lexicons and `themescan lexicon check` -------------------------------------------------


def _minimal_lexicons(folder: Path) -> Path:
    """Five tiny lexicons, to test the matching mechanism apart from the shipped word lists."""
    folder.mkdir(parents=True, exist_ok=True)
    body = {
        "informatieveiligheid": '[terms]\n"beveilig" = 1.0\n[infix]\n"privacy" = 0.5\n',
        "digitalisering": '[terms]\n"loket" = 1.0\n[abbreviations]\n"ZGW" = 1.0\n',
        "datagedreven": '[words]\n"bi" = 1.0\n',
        "smart_city": '[terms]\n"lantaarn" = 1.0\n[[exclude]]\npattern = "museum"\n',
        "digitale_transformatie": '[terms]\n"koers" = 1.0\n',
    }
    for theme, text in body.items():
        (folder / f"{theme}.toml").write_text(f'theme = "{theme}"\n{text}', encoding="utf-8")
    return folder


def test_kinds_of_terms_on_a_minimal_set(tmp_path: Path) -> None:
    m = load_lexicons(_minimal_lexicons(tmp_path / "lex")).matcher

    def themes(text: str) -> set[str]:
        return {h.theme for h in m.find(text) if not h.excluded}

    # terms: at a word start, any compound tail
    assert themes("Het beveiligingsplan en de beveiligde omgeving.") == {"informatieveiligheid"}
    assert themes("Onbeveiligd netwerk.") == set()
    # infix: anywhere inside a word
    assert themes("De gemeentelijke dataprivacyregels.") == {"informatieveiligheid"}
    # words: whole words only
    assert themes("Wij kopen een BI-pakket.") == {"datagedreven"}
    assert themes("De bibliotheek blijft open.") == set()
    # abbreviations: case-sensitive whole words
    assert themes("Wij werken volgens ZGW.") == {"digitalisering"}
    assert themes("Wij werken volgens zgw.") == set()
    # exclusions: cancel in the sentence, not elsewhere
    assert themes("De lantaarnpalen bij het museum.") == set()
    assert themes("De lantaarnpalen dimmen. Het museum opent.") == {"smart_city"}


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str = "lex"):
    """`themescan lexicon check lex` run from tmp_path: a short path that rich cannot fold."""
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(app, ["lexicon", "check", folder])


def _broken_copy(tmp_path: Path) -> tuple[Path, int]:
    """A copy of the shipped lexicons with an upper-case term and a weight of 1.9 on one line."""
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    target = folder / "smart_city.toml"
    lines = target.read_text(encoding="utf-8").split("\n")
    at = lines.index("[terms]") + 3
    lines.insert(at, '"Sensordashboard" = 1.9')
    target.write_text("\n".join(lines), encoding="utf-8")
    return folder, at + 1


def test_load_lexicons_names_file_and_line(tmp_path: Path) -> None:
    folder, line = _broken_copy(tmp_path)
    with pytest.raises(LexiconError) as exc:
        load_lexicons(folder)
    assert f"smart_city.toml:{line}:" in str(exc.value)


def test_lexicon_check_cli_reports_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, line = _broken_copy(tmp_path)
    result = _check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    out = result.output
    assert f"lex/smart_city.toml:{line}: 'Sensordashboard' must be lower case" in out
    assert f"lex/smart_city.toml:{line}: weight of 'Sensordashboard'" in out
    assert "Traceback" not in out


def test_lexicon_check_cli_keeps_long_paths_whole(tmp_path: Path) -> None:
    deep = tmp_path / ("a_folder_with_a_rather_long_name_" * 2) / "lexicons"
    deep.parent.mkdir(parents=True)
    folder, line = _broken_copy(deep.parent)
    result = CliRunner().invoke(app, ["lexicon", "check", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'smart_city.toml'}:{line}:" in result.output


@pytest.mark.parametrize(
    ("name", "after", "line", "said"),
    [
        # an unterminated string on line 8: the parser's own words, with file and line
        ("datagedreven.toml", 6, '"datagedreven = 1.0', "lex/datagedreven.toml:8:"),
        # "sensor" stands further down in [terms] too: the term is named
        ("smart_city.toml", "[terms]", '"sensor" = 0.5', '"sensor" is given twice'),
    ],
)
def test_lexicon_check_cli_toml_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, after, line: str, said: str
) -> None:
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    target = folder / name
    lines = target.read_text(encoding="utf-8").split("\n")
    at = after if isinstance(after, int) else lines.index(after)
    lines.insert(at + 1, line)
    target.write_text("\n".join(lines), encoding="utf-8")
    result = _check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert said in result.output and f"lex/{name}:" in result.output


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('theme = "smart_city"', 'theme = "slimme_stad"'), "theme"),
        (lambda t: t + '\n[[exclude]]\npattern = "(onaf"\n', "bad pattern"),
        (lambda t: t + '\n[[exclude]]\npattern = "x"\nterms = ["bestaat-niet"]\n', "unknown terms"),
        (lambda t: t + "\n[synoniemen]\n", "unknown key"),
    ],
)
def test_lexicon_check_cli_other_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit, message: str
) -> None:
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    target = folder / "smart_city.toml"
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    result = _check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert re.search(r"^lex/smart_city\.toml:\d+: ", result.output, re.MULTILINE)
    assert message in result.output


def test_lexicon_check_cli_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    (folder / "datagedreven.toml").unlink()
    result = _check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert "datagedreven.toml" in result.output


def test_lexicon_check_cli_good_copy(tmp_path: Path) -> None:
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    result = CliRunner().invoke(app, ["lexicon", "check", str(folder)])
    assert result.exit_code == 0, result.output
    packaged = CliRunner().invoke(app, ["lexicon", "check"])
    assert packaged.exit_code == 0, packaged.output


def _classify(folder: Path, *args: str) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(app, ["classify", str(folder), "--quiet", *args])
    assert result.exit_code == 0, result.output
    return {row["file"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_user_lexicons_change_the_hits(tmp_path: Path) -> None:
    """--lexicons DIR swaps in a user's set: a new term makes a new hit and new evidence."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (
        "In 2025 voert de gemeente het Kwartiermakersplan Stroomlijn uit. Daarmee vervangen wij "
        "alle papieren aanvraagstromen en leggen wij de basis voor de organisatie van morgen."
    )
    (docs / "notitie.txt").write_text(text + "\n", encoding="utf-8")
    mine = tmp_path / "mijn-lexicons"
    shutil.copytree(LEXICONS, mine)
    target = mine / "digitalisering.toml"
    lines = target.read_text(encoding="utf-8").split("\n")
    lines.insert(lines.index("[terms]") + 1, '"kwartiermakersplan stroomlijn" = 1.0')
    target.write_text("\n".join(lines), encoding="utf-8")

    def hits(*args: str) -> list[dict]:
        result = CliRunner().invoke(
            app, ["classify", str(docs), "--quiet", "--format", "jsonl", *args]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["hits"]

    assert not any(h["term"] == "kwartiermakersplan stroomlijn" for h in hits())
    new = [h for h in hits("--lexicons", str(mine)) if h["term"] == "kwartiermakersplan stroomlijn"]
    assert len(new) == 1
    assert new[0]["theme"] == "digitalisering"
    assert text[new[0]["start"] : new[0]["end"]] == "Kwartiermakersplan Stroomlijn"

    plain = _classify(docs, "--model", "none")["notitie.txt"]
    swapped = _classify(docs, "--model", "none", "--lexicons", str(mine))["notitie.txt"]
    assert plain["digitalisering"] == "0"
    assert swapped["digitalisering"] == "1"
    assert "Kwartiermakersplan Stroomlijn" in swapped["digitalisering_evidence"]


def _broken_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    _, line = _broken_copy(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Tekst.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["classify", "docs", "--lexicons", "lex", "--no-cache", "--quiet", *args]
    )
    return result, line


def test_broken_user_lexicons_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, line = _broken_run(tmp_path, monkeypatch, "--workers", "0")
    assert result.exit_code == 2
    assert f"lex/smart_city.toml:{line}:" in result.output
    assert "Traceback" not in result.output
    assert result.stdout.count("\n") <= 1  # at most the header, no rows for a run that cannot start


def test_usage_error_message_keeps_brackets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = _broken_run(tmp_path, monkeypatch, "--workers", "0")
    assert "must be lower case in [terms]" in result.output


def test_broken_user_lexicons_are_a_usage_error_with_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, line = _broken_run(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert f"lex/smart_city.toml:{line}:" in result.output
    assert "worker crashed" not in result.output


def test_a_busy_machine_does_not_make_a_valid_pattern_too_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The probe times patterns in CPU time: on a loaded machine the clock runs on while the
    process waits for a core (simulated here: every clock reading a second later), and valid
    lexicons were refused at random."""
    import itertools
    import time

    from themescan.lexicon import _slow_probe

    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(ticks)))
    monkeypatch.setattr(time, "monotonic", lambda: float(next(ticks)))
    assert _slow_probe(re.compile(r"\bdata\s+(?:van|over)\b", re.IGNORECASE)) is None
    assert _slow_probe(re.compile(r"(?:a|a)*b")) is not None  # still catches a real blow-up


def test_overlapping_alternatives_under_a_star_are_refused_not_a_hang(tmp_path: Path) -> None:
    """Trial 13: '(a|aa)*b' in an exclusion pattern made `lexicon check` run for 11 minutes
    (the static check knew nested repetition, not alternatives that overlap under a star, and
    the probe's doubling jumped from a fast 24 characters to a never-ending 48). The static
    check now refuses alternation of more than single characters under an unbounded repeat,
    and each timed search of the probe is cut off by a timer."""
    import subprocess
    import sys

    from themescan.lexicon import dangerous_pattern

    assert "alternation" in (dangerous_pattern(r"(a|aa)*b|dashboard") or "")
    assert dangerous_pattern(r"\b(?:de|het|een)\s+data\b") is None  # not under a repeat
    assert dangerous_pattern(r"(?:[a-z]|\d)+ dashboard") is None  # single characters only
    probe = (
        "import re, time\n"
        "from themescan.lexicon import _slow_probe\n"
        "t = time.monotonic()\n"
        "print(_slow_probe(re.compile(r'(?:a|aa)*b')), round(time.monotonic() - t))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    reason, seconds = done.stdout.rsplit(" ", 1)
    assert "too slow" in reason and int(seconds) < 20, done.stdout + done.stderr


def test_a_model_used_with_other_lexicons_than_it_was_trained_with_is_said(tmp_path: Path) -> None:
    """Trial 13: a model trained with one's own lexicons, used without them (or the packaged
    model with edited lexicons), changed flags without a word, although model.json records
    the lexicons' hash. Now a warning says so; the same lexicons under another path say
    nothing."""
    from themescan.config import default_lexicon_dir

    same, edited = tmp_path / "same", tmp_path / "edited"
    shutil.copytree(default_lexicon_dir(), same)
    shutil.copytree(default_lexicon_dir(), edited)
    toml = edited / "smart_city.toml"
    toml.write_text(
        toml.read_text("utf-8").replace("[terms]\n", '[terms]\n"lantaarnpaalsensor" = 0.9\n', 1),
        encoding="utf-8",
    )
    samples = REPO_ROOT / "samples"
    runs = {}
    for name, folder in (("same", same), ("edited", edited)):
        runs[name] = CliRunner().invoke(
            app, ["classify", str(samples), "--lexicons", str(folder), "--no-cache", "-q",
                  "-o", str(tmp_path / f"{name}.csv")],
        )  # fmt: skip
        assert runs[name].exit_code == 0, runs[name].output
    said = " ".join(runs["edited"].stderr.split())
    assert "warning: the model was trained with other lexicons" in said
    assert "other lexicons" not in runs["same"].stderr


def test_a_toml_file_beside_the_five_is_an_error_not_ignored(tmp_path: Path) -> None:
    """Trial 13: zz_extra.toml in a lexicon folder was never read, and `lexicon check` said
    'lexicons OK'."""
    folder = tmp_path / "lex"
    shutil.copytree(LEXICONS, folder)
    (folder / "zz_extra.toml").write_text('theme = "smart_city"\n[terms]\n"x" = 1.0\n', "utf-8")
    result = CliRunner().invoke(app, ["lexicon", "check", str(folder)])
    assert result.exit_code == 2
    assert "zz_extra.toml: not read" in " ".join(result.output.split())
