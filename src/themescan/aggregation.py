"""From per-document results to the BMC table: size classes, results files, counting, intervals.

The BMC study counts municipalities, not documents: a municipality gives a theme explicit
attention when any of its documents does. This module reads results files (classify's CSV, or a
hand-coded sheet with only `file` and the five theme columns), fills municipality and population
from a population file (themescan.municipalities), counts per size class, and gives every share a
95% Wilson score interval. It never prints; problems the user should see are returned as warnings
or raised as `UsageError`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from themescan.config import DEFAULT_BOUNDS, check_bounds
from themescan.errors import UsageError
from themescan.municipalities import Gemeente as Gemeente  # re-exported for older importers
from themescan.municipalities import Population as Population
from themescan.municipalities import PopulationYears, find_gemeente, stand_in_note
from themescan.municipalities import normalize_name as normalize_name
from themescan.municipalities import read_population as read_population
from themescan.results import DocumentResult, not_a_municipality, status_ok
from themescan.stats import fisher_exact, wilson
from themescan.tabular import XLSX_SUFFIXES, read_rows
from themescan.tabular import parse_inwoners as parse_inwoners
from themescan.themes import THEMES

# --------------------------------------------------------------------------------------------
# Size classes
# --------------------------------------------------------------------------------------------

CLASSES: tuple[str, ...] = ("klein", "middel", "groot")
ONBEKEND = "onbekend"
TOTAAL = "totaal"
PER_CHOICES: tuple[str, ...] = ("gemeente", "document")
BY_CHOICES: tuple[str, ...] = ("doc_type", "jaar")


def format_number(value: int) -> str:
    """Write an integer the Dutch way, with dots between thousands (50000 -> 50.000)."""
    return f"{value:,}".replace(",", ".")


def parse_bounds(text: str) -> tuple[int, int]:
    """Parse `--klassen` ("50000,100000", "50.000;100.000") into two ascending bounds."""
    parts = [p.strip() for p in re.split(r"[,;/\s]+", text.strip()) if p.strip()]
    if len(parts) != 2:
        raise UsageError(
            f"--klassen needs two numbers, the upper bound of klein and of middel "
            f"(e.g. 50000,100000); got {text!r}"
        )
    values = []
    for part in parts:
        cleaned = part.replace(".", "").replace("_", "")
        if cleaned.startswith("-") and cleaned[1:].isdigit():
            raise UsageError(f"--klassen: bounds are numbers of inhabitants, above 0; got {part}")
        if not cleaned.isdigit():
            raise UsageError(f"--klassen: {part!r} is not a whole number")
        values.append(int(cleaned))
    low, high = values
    if not 0 < low < high:
        raise UsageError(f"--klassen: bounds must be positive and ascending; got {low}, {high}")
    return low, high


def size_class(inwoners: int | None, bounds: tuple[int, int] = DEFAULT_BOUNDS) -> str:
    """klein below the first bound, middel up to and including the second, groot above it.

    `None` (population unknown) gives `onbekend`.
    """
    if inwoners is None:
        return ONBEKEND
    low, high = bounds
    if inwoners < low:
        return "klein"
    if inwoners <= high:
        return "middel"
    return "groot"


def class_description(
    klasse: str, bounds: tuple[int, int] = DEFAULT_BOUNDS, per: str = "gemeente"
) -> str:
    """The omschrijving shown next to a class: its population range in words."""
    low, high = bounds
    if klasse == "klein":
        return f"< {format_number(low)} inwoners"
    if klasse == "middel":
        return f"{format_number(low)}-{format_number(high)} inwoners"
    if klasse == "groot":
        return f"> {format_number(high)} inwoners"
    if klasse == ONBEKEND:
        return "inwonertal onbekend"
    if klasse == TOTAAL:
        return "alle documenten" if per == "document" else "alle gemeenten"
    raise ValueError(f"unknown size class {klasse!r}")


def _half_up(value: Fraction, decimals: int) -> Fraction:
    scale = 10**decimals
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def percent(count: int, n: int, decimals: int = 0) -> float | None:
    """count/n in percent, rounded half up as the BMC article rounds; None when n is 0.

    With decimals >= 1 the exact share is rounded half up (1/16 = 6.25 -> 6.3). Whole percents
    (decimals=0) are rounded from the one-decimal value, in two steps as the article did:
    13/17 = 76.47 -> 76.5 -> 77 (the published figure), 7/56 = 12.5 -> 13. This also keeps the
    whole percent consistent with the one-decimal value in the CSV. Exact arithmetic, so a half
    is really a half and not 12.4999 in binary floating point.
    """
    if n <= 0:
        return None
    exact = Fraction(count * 100, n)
    if decimals <= 0:
        return float(_half_up(_half_up(exact, 1), 0))
    return float(_half_up(exact, decimals))


# --------------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------------

CONFIDENCE = 0.95
INTERVAL_METHOD = "wilson"
INTERVAL_NOTE = (
    "95%-interval (Wilson score: blijft binnen 0-100% en is ook bij kleine n en bij 0 of n "
    "treffers betrouwbaar; het dekt de toevalsruis van n, niet de fouten van de automatische "
    "beoordeling: toets die met themescan sample en themescan agreement)"
)
"""One line on which interval and why, shown under every table format: what it covers and what
not (the machine's own errors, which on real text are far from nil: README)."""
NOISE_NOTE = (
    "binnen de ruis van n: bij deze aantallen kan het verschil toeval zijn (exacte toets van "
    "Fisher, p ≥ 0,05)"
)
"""The definition of "within the noise of n", shown where the table says it."""


def wilson_interval(
    count: int, n: int, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The Wilson score interval of the share count/n (see themescan.stats.wilson)."""
    return wilson(count, n, confidence)


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round half up (as the article rounds): 17.25 -> 17.3 with decimals=1, 58.5 -> 59."""
    scale = 10**decimals
    return math.floor(value * scale + 0.5) / scale


NOISE_P = 0.05


def within_noise(a_count: int, a_n: int, b_count: int, b_n: int) -> bool:
    """Whether two shares may differ by chance at their n: Fisher's exact test does not find
    the difference (p >= NOISE_P). Exact at any n, so 0 of 1 against 1 of 1 is noise, as it
    must be. False when an n is 0 (an empty class is not compared)."""
    if a_n <= 0 or b_n <= 0:
        return False
    return fisher_exact(a_count, a_n, b_count, b_n) >= NOISE_P


# --------------------------------------------------------------------------------------------
# Results files
# --------------------------------------------------------------------------------------------

RESULT_COLUMNS: tuple[str, ...] = (
    "file",
    "status",
    "gemeente",
    "inwoners",
    "grootteklasse",
    "doc_type",
    "jaar",
    *THEMES,
)
"""Columns `read_results` reads (pages, scores and evidence are ignored)."""
REQUIRED_RESULT_COLUMNS: tuple[str, ...] = ("file", *THEMES)
"""The only columns a results file must have: a hand-coded sheet of file + five 0/1 columns is
enough; status defaults to ok and gemeente, inwoners and grootteklasse come from a population
file where they are missing."""
_TRUE = frozenset({"1", "1.0", "1,0", "true"})
_FALSE = frozenset({"0", "0.0", "0,0", "false", ""})


@dataclass(frozen=True)
class ResultRow:
    """One document row of a classify results CSV, as far as the table needs it."""

    file: str
    status: str
    gemeente: str
    inwoners: int | None
    grootteklasse: str
    doc_type: str
    jaar: str
    flags: frozenset[str]
    line: int = 0

    @property
    def ok(self) -> bool:
        return status_ok(self.status)


def read_results(
    path: str | Path,
    population: Population | None = None,
    bounds: tuple[int, int] = DEFAULT_BOUNDS,
) -> tuple[ResultRow, ...]:
    """Read a results file: classify's CSV (comma, or semicolon with BOM from --excel), or a
    hand-coded CSV/TSV/XLSX with only `file` and the five theme columns (0 or 1; true/false
    and Excel's TRUE/FALSE are read too).

    Every other column is optional: status defaults to ok; with a population file, a missing
    gemeente, inwoners or grootteklasse is filled from it (by its `file` column, by the row's
    gemeente, or by the name in the file name; see `municipalities.find_gemeente`), with
    grootteklasse by `bounds`. A missing required column raises UsageError naming it; an
    unreadable theme flag or population value raises UsageError with its line number.
    """
    path = Path(path)
    header, rows = read_rows(path, "results file")
    if not header:
        raise UsageError(f"results file {path} is empty")
    lowered = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_RESULT_COLUMNS if c not in lowered]
    if missing:
        names = ", ".join(missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise UsageError(
            f"results file {path} is missing the {plural} {names} (a results file needs `file` "
            f"and the five theme columns with 0/1, as `themescan classify` writes them)"
        )
    col = {c: lowered.index(c) for c in RESULT_COLUMNS if c in lowered}
    problems: list[str] = []
    out: list[ResultRow] = []
    # classify's own CSV has a cell for every column in every row: a row with more or fewer was
    # cut off (a copy or a run killed mid-row) or edited, and its flags cannot be trusted
    whole_rows = (
        path.suffix.lower() not in XLSX_SUFFIXES
        and lowered[:2] == ["file", "status"]
        and any(h.endswith("_evidence") for h in lowered)
    )
    for line, cells in rows:
        if whole_rows and len(cells) != len(header):
            problems.append(
                f"line {line}: {len(cells)} cells where the header has {len(header)} (cut off "
                "or edited? run classify again with --resume, or mend the line)"
            )
            continue

        def get(name: str, cells: list[str] = cells) -> str:
            i = col.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        i = col.get("file")
        raw = cells[i] if i is not None and i < len(cells) else ""
        file = raw.strip() or raw  # a file named " " exists too: only space is still a name

        status = get("status") or "ok"
        flags = set()
        bad = False
        for theme in THEMES:
            value = get(theme)
            if value.lower() in _TRUE:
                flags.add(theme)
            elif value.lower() in _FALSE:
                if value == "" and status_ok(status):
                    problems.append(f"line {line}: {theme} is empty")
                    bad = True
            else:
                problems.append(f"line {line}: {theme} is {value!r}, expected 0 or 1")
                bad = True
        try:
            inwoners = parse_inwoners(get("inwoners"))
        except ValueError:
            problems.append(f"line {line}: inwoners {get('inwoners')!r} is not a whole number")
            bad = True
            inwoners = None
        if not file:
            problems.append(f"line {line}: file is empty")
            bad = True
        if bad:
            continue
        gemeente, klasse = get("gemeente"), get("grootteklasse").lower()
        if population is not None and not (gemeente and inwoners is not None and klasse):
            known = find_gemeente(population, file, gemeente, get("jaar"))
            if known is not None:
                gemeente = gemeente or known.naam
                inwoners = inwoners if inwoners is not None else known.inwoners
                if not klasse and inwoners is not None:
                    klasse = size_class(inwoners, bounds)
        out.append(
            ResultRow(
                file=file,
                status=status,
                gemeente=gemeente,
                inwoners=inwoners,
                grootteklasse=klasse,
                doc_type=get("doc_type"),
                jaar=get("jaar"),
                flags=frozenset(flags),
                line=line,
            )
        )
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise UsageError(f"results file {path}: {shown}{more}")
    return tuple(out)


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRow:
    """One row of the table: a size class (or totaal), its n and per-theme counts."""

    grootteklasse: str
    omschrijving: str
    n: int
    counts: tuple[int, ...]
    """Counts in the order of `themescan.themes.THEMES`."""

    def count(self, theme: str) -> int:
        return self.counts[THEMES.index(theme)]

    def pct(self, theme: str, decimals: int = 1) -> float | None:
        """Share of n for a theme in percent, rounded half up; None when n is 0."""
        return percent(self.count(theme), self.n, decimals)

    def pct_whole(self, theme: str) -> int | None:
        """Whole percentage as printed in the article (12.5 -> 13, 76.47 -> 76.5 -> 77)."""
        value = percent(self.count(theme), self.n, 0)
        return None if value is None else int(value)

    def interval(self, theme: str) -> tuple[float, float] | None:
        """The 95% Wilson interval of the share as proportions (0-1); None when n is 0."""
        return wilson_interval(self.count(theme), self.n)

    def interval_pct(self, theme: str, decimals: int = 1) -> tuple[float, float] | None:
        """The 95% Wilson interval in percent, rounded half up; None when n is 0."""
        bounds = self.interval(theme)
        if bounds is None:
            return None
        low, high = (round_half_up(100 * b, decimals) for b in bounds)
        return (int(low), int(high)) if decimals <= 0 else (low, high)


@dataclass(frozen=True)
class Table:
    """One BMC table: rows klein, middel, groot, [onbekend], totaal."""

    rows: tuple[ClassRow, ...]
    per: str = "gemeente"
    group: str | None = None
    """The value of the --by column this table is for (e.g. "2022"), None for all documents."""
    skipped: int = 0
    """Documents left out because their status was not ok."""

    def row(self, klasse: str) -> ClassRow:
        for r in self.rows:
            if r.grootteklasse == klasse:
                return r
        raise KeyError(klasse)

    @property
    def total(self) -> ClassRow:
        return self.row(TOTAAL)

    def within_noise(self, theme: str) -> tuple[tuple[str, str], ...]:
        """Pairs of size classes (klein, middel, groot; n > 0) whose shares for a theme differ
        within the noise of n: Fisher's exact test finds no difference (see `within_noise`)."""
        rows = [r for r in self.rows if r.grootteklasse in CLASSES and r.n > 0]
        pairs = []
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if within_noise(a.count(theme), a.n, b.count(theme), b.n):
                    pairs.append((a.grootteklasse, b.grootteklasse))
        return tuple(pairs)


@dataclass(frozen=True)
class TableReport:
    """What `build_table` returns: one or more tables plus warnings for the user."""

    tables: tuple[Table, ...]
    per: str = "gemeente"
    by: str | None = None
    bounds: tuple[int, int] = DEFAULT_BOUNDS
    warnings: tuple[str, ...] = ()


class Note(str):
    """A warning of build_table: English (the terminal's language) as the string itself, and
    `nl`, the same in Dutch, for the report a Dutch reader is given."""

    nl: str

    def __new__(cls, en: str, nl: str) -> Note:
        note = super().__new__(cls, en)
        note.nl = nl
        return note


@dataclass
class _Unit:
    """A counted unit: one municipality (or one document with --per document)."""

    label: str
    flags: set[str]
    inwoners: int | None = None
    inwoners_jaar: str = ""
    klasse_hint: str = ""
    documents: int = 0


def jaar_key(value: str) -> tuple[int, str]:
    """Sort key of a jaar cell: its first four-digit year, then the text (no year sorts first)."""
    digits = re.search(r"\d{4}", value or "")
    return (int(digits.group(0)) if digits else -1, value or "")


def _list(names: Sequence[str], limit: int = 8, more: str = "and {} more") -> str:
    shown = ", ".join(names[:limit])
    return shown + (" " + more.format(len(names) - limit) if len(names) > limit else "")


def _lijst(names: Sequence[str], limit: int = 8) -> str:
    return _list(names, limit, "en nog {}")


def build_table(
    rows: Sequence[ResultRow],
    population: Population | None = None,
    per: str = "gemeente",
    by: str | None = None,
    bounds: tuple[int, int] = DEFAULT_BOUNDS,
) -> TableReport:
    """Count, per size class and in total, how many municipalities flag each theme.

    per="gemeente" (default, as BMC counted): a municipality counts for a theme when any of its
    documents is flagged; per="document" counts documents. by="doc_type" or "jaar" gives one
    table per value that has readable documents. Rows whose status is not ok are left out (their number is kept). With a
    population file, the `file` column and then the `gemeente` name decide the municipality and
    its population; otherwise the results' own inwoners column. Units without a population go to
    class onbekend, are counted in totaal, and produce a warning.
    """
    bounds = check_bounds(bounds)
    if per not in PER_CHOICES:
        raise UsageError(f"--per must be one of {', '.join(PER_CHOICES)}; got {per!r}")
    if by is not None and by not in BY_CHOICES:
        raise UsageError(f"--by must be one of {', '.join(BY_CHOICES)}; got {by!r}")
    warnings: list[str] = []
    bodies = [row.file for row in rows if row.ok and not_a_municipality(row.status)]
    if bodies:  # a GGD's or a province's budget is its own policy, no municipality's
        rows = [row for row in rows if not (row.ok and not_a_municipality(row.status))]
        warnings.append(
            Note(
                f"{len(bodies)} document(s) of joint bodies, provinces or water boards are left "
                f"out (status 'not a municipality'): {_list(bodies)}",
                f"{len(bodies)} document(en) van gemeenschappelijke regelingen, provincies of "
                f"waterschappen niet meegeteld (geen gemeente): {_lijst(bodies)}",
            )
        )

    # Resolve municipality and population per document, once.
    unknown_names: dict[str, list[str]] = {}
    kept_inwoners: set[str] = set()  # unknown names whose rows have inwoners of their own
    resolved: dict[int, tuple[str, str, int | None]] = {}
    nameless: list[str] = []
    for index, row in enumerate(rows):
        if not row.ok:
            continue
        label, key, inwoners = row.gemeente, normalize_name(row.gemeente), row.inwoners
        if population is not None:
            gemeente = find_gemeente(population, row.file, row.gemeente, row.jaar)
            if gemeente is None and row.gemeente:
                unknown_names.setdefault(row.gemeente, []).append(row.file)
                if row.inwoners is not None:
                    kept_inwoners.add(row.gemeente)
            if gemeente is not None:
                label, key = gemeente.naam, normalize_name(gemeente.naam)
                inwoners = gemeente.inwoners if gemeente.inwoners is not None else inwoners
        if not key:
            nameless.append(row.file)
            label, key = row.file, "file:" + row.file
        resolved[index] = (label, key, inwoners)

    if isinstance(population, PopulationYears):
        stand_ins = population.stand_ins(row.jaar for row in rows if row.ok)
        if stand_ins:
            warnings.append(Note(*stand_in_note(stand_ins, population.source or "--gemeenten")))
    if unknown_names and population is not None:
        source = population.source or "the population file"
        for name, files in unknown_names.items():
            where = _list(files, 3)
            several = population.candidates(name)
            if len(several) > 1:
                options = ", ".join(g.naam for g in several)
                warnings.append(
                    Note(
                        f"gemeente {name!r} ({where}) is ambiguous in {source}: {options}; "
                        f"write it as in that file or map the file with a `file` column",
                        f"gemeente {name!r} ({where}) is niet eenduidig in {source}: {options}; "
                        "schrijf de naam zoals in dat bestand of koppel het document met een "
                        "kolom `file`",
                    )
                )
                continue
            suggestions = population.suggest(name)
            hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
            hint_nl = f"; het dichtst bij: {', '.join(suggestions)}" if suggestions else ""
            if name in kept_inwoners:  # the table does not go blank: say where its class is from
                hint += "; the inwoners in the results file are used"
                hint_nl += "; het inwonertal uit het resultatenbestand is gebruikt"
            warnings.append(
                Note(
                    f"gemeente {name!r} ({where}) is not in {source}{hint}",
                    f"gemeente {name!r} ({where}) staat niet in {source}{hint_nl}",
                )
            )
    if nameless and per == "gemeente":
        warnings.append(
            Note(
                f"{len(nameless)} document(s) without a gemeente, each counted as its own "
                f"municipality: {_list(nameless, 5)}",
                f"{len(nameless)} document(en) zonder gemeente, elk als eigen gemeente geteld: "
                f"{_lijst(nameless, 5)}",
            )
        )

    skipped_status = Counter(row.status for row in rows if not row.ok)
    if skipped_status:
        detail = ", ".join(f"{status}: {n}" for status, n in skipped_status.most_common())
        unread = [row.file for row in rows if not row.ok]
        warnings.append(
            Note(
                f"{len(unread)} document(s) left out because their status is not ok "
                f"({detail}): {_list(unread)}",
                f"{len(unread)} document(en) niet meegeteld omdat ze niet gelezen konden worden "
                f"({detail}): {_lijst(unread)}",
            )
        )

    groups: dict[str | None, list[int]] = {}
    if by is None:
        groups[None] = list(range(len(rows)))
    else:
        for index, row in enumerate(rows):
            value = (row.doc_type if by == "doc_type" else row.jaar) or "(leeg)"
            groups.setdefault(value, []).append(index)
        if by == "jaar":
            groups = dict(sorted(groups.items(), key=lambda kv: jaar_key(kv[0] or "")))
        else:
            groups = dict(sorted(groups.items(), key=lambda kv: kv[0] or ""))

    if by is not None:  # a group of unreadable documents only would be an empty table
        groups = {g: ix for g, ix in groups.items() if any(rows[i].ok for i in ix)} or groups

    tables: list[Table] = []
    onbekend_labels: list[str] = []
    for group, indices in groups.items():
        units: dict[str, _Unit] = {}
        skipped = 0
        for index in indices:
            row = rows[index]
            if not row.ok:
                skipped += 1
                continue
            label, key, inwoners = resolved[index]
            unit_key = key if per == "gemeente" else f"doc:{index}"
            unit = units.get(unit_key)
            if unit is None:
                unit = units[unit_key] = _Unit(
                    label=label if per == "gemeente" else row.file, flags=set()
                )
            unit.documents += 1
            unit.flags |= row.flags
            if inwoners is not None and (
                unit.inwoners is None or jaar_key(row.jaar) > jaar_key(unit.inwoners_jaar)
            ):
                unit.inwoners, unit.inwoners_jaar = inwoners, row.jaar
            if row.grootteklasse in CLASSES and not unit.klasse_hint:
                unit.klasse_hint = row.grootteklasse

        counts: dict[str, list[int]] = {k: [0] * len(THEMES) for k in (*CLASSES, ONBEKEND)}
        sizes: Counter[str] = Counter()
        for unit in units.values():
            klasse = size_class(unit.inwoners, bounds)
            if klasse == ONBEKEND and unit.klasse_hint and bounds == DEFAULT_BOUNDS:
                klasse = unit.klasse_hint
            if klasse == ONBEKEND and unit.label not in onbekend_labels:
                onbekend_labels.append(unit.label)
            sizes[klasse] += 1
            for i, theme in enumerate(THEMES):
                if theme in unit.flags:
                    counts[klasse][i] += 1

        klassen = [*CLASSES, *([ONBEKEND] if sizes[ONBEKEND] else [])]
        table_rows = [
            ClassRow(k, class_description(k, bounds, per), sizes[k], tuple(counts[k]))
            for k in klassen
        ]
        totals = tuple(sum(counts[k][i] for k in klassen) for i in range(len(THEMES)))
        table_rows.append(
            ClassRow(TOTAAL, class_description(TOTAAL, bounds, per), sum(sizes.values()), totals)
        )
        tables.append(Table(tuple(table_rows), per=per, group=group, skipped=skipped))

    if onbekend_labels:
        what = "document(s)" if per == "document" else "gemeente(n)"
        wat = "document(en)" if per == "document" else "gemeente(n)"
        warnings.append(
            Note(
                f"{len(onbekend_labels)} {what} without a population, shown as class onbekend "
                f"and counted in totaal: {_list(onbekend_labels)}"
                + ("" if population is not None else " (give --gemeenten FILE to fill them in)"),
                f"{len(onbekend_labels)} {wat} zonder inwonertal, getoond als klasse onbekend "
                f"en meegeteld in totaal: {_lijst(onbekend_labels)}"
                + ("" if population is not None else " (--gemeenten vult ze in)"),
            )
        )
    years = sorted({row.jaar for row in rows if row.ok and row.jaar}, key=jaar_key)
    if by != "jaar" and len(years) > 1:
        pooled = "" if per == "document" else ": a municipality counts when any year's document is"
        samen = (
            ""
            if per == "document"
            else ": een gemeente telt mee als een document van enig jaar dat doet"
        )
        warnings.append(
            Note(
                f"the results span {len(years)} years ({_list(years)}) and this table pools them"
                f"{pooled}; give --by jaar for one table per year",
                f"de resultaten beslaan {len(years)} jaren ({_lijst(years)}) en deze tabel voegt "
                f"ze samen{samen}; --by jaar geeft een tabel per jaar",
            )
        )
    if not rows:
        warnings.append(
            Note("the results file has no documents", "het resultatenbestand bevat geen documenten")
        )
    return TableReport(tuple(tables), per=per, by=by, bounds=bounds, warnings=tuple(warnings))


def rows_of(results: Iterable[DocumentResult]) -> tuple[ResultRow, ...]:
    """The rows a table counts, from results in hand (what `scan` yields)."""
    return tuple(
        ResultRow(
            r.file,
            r.status,
            r.gemeente,
            r.inwoners,
            r.grootteklasse,
            r.doc_type,
            r.jaar,
            frozenset(t.theme for t in r.themes if t.flag),
            line,
        )
        for line, r in enumerate(results, start=2)
    )


def table(
    results: str | Path | Iterable[DocumentResult],
    gemeenten: str | Path | None = None,
    per: str = "gemeente",
    by: str | None = None,
    bounds: tuple[int, int] = DEFAULT_BOUNDS,
) -> TableReport:
    """The BMC table, as `themescan table` makes it, from a results file or from results in
    hand; `gemeenten`: a population file for the size classes. Each ClassRow gives its count,
    n, pct_whole(theme) and interval(theme); `warnings` says what was left out or unknown.

    >>> report = table(scan("budgets/"), gemeenten="cbs_gemeenten_2024.tsv")  # doctest: +SKIP
    >>> report.tables[0].total.pct_whole("smart_city")  # doctest: +SKIP
    """
    bounds = check_bounds(bounds)
    population = read_population(gemeenten) if gemeenten is not None else None
    if isinstance(results, str | Path):
        rows = read_results(results, population, bounds)
    else:
        rows = rows_of(results)
    return build_table(rows, population=population, per=per, by=by, bounds=bounds)
