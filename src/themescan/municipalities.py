"""Municipality identity and population: population files, name matching, and guessing which
municipality wrote a document.

Names are written in many ways ("Bergen (NH.)", "'s-Gravenhage" and "Den Haag", capitals,
diacritics); `normalize_name` gives two spellings of one municipality the same key, `Population`
indexes a population file for lookups by name, CBS code and document file, and `guess_gemeente`
reads a document's first pages, metadata and file name. Never prints; problems the user should
see are raised as `UsageError` with line numbers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from themescan.config import population_files
from themescan.errors import UsageError
from themescan.tabular import find_column, parse_inwoners, read_rows, show_cells

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "nh": "noord holland",
    "zh": "zuid holland",
    "nb": "noord brabant",
    "l": "limburg",
    "lb": "limburg",
    "o": "overijssel",
    "ov": "overijssel",
    "z": "zeeland",
    "g": "gelderland",
    "gld": "gelderland",
    "u": "utrecht",
    "fr": "friesland",
    "gr": "groningen",
    "dr": "drenthe",
    "fl": "flevoland",
}

ALIASES: dict[str, str] = {
    "den haag": "s gravenhage",
    "the hague": "s gravenhage",
    "den bosch": "s hertogenbosch",
    "nuenen": "nuenen gerwen en nederwetten",
}
"""Common names (normalised) that CBS writes differently; left: what documents say."""

_PAREN = re.compile(r"\(([^)]*)\)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold(text: str) -> str:
    """Strip diacritics and unify apostrophes, keeping case: 'Súdwest-Fryslân' -> 'Sudwest-Fryslan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def _fold_mapped(text: str) -> tuple[str, list[int]]:
    """`_fold(text)` and, per character of it, the index of the character of `text` it came
    from: a name found in the folded text is cut from the text as written, accents and all.
    Only the non-ASCII characters are folded one by one (a budget's text is mostly ASCII, and
    this runs over every document's opening pages)."""
    folded: list[str] = []
    origin: list[int] = []
    done = 0
    for match in _NON_ASCII.finditer(text):
        at = match.start()
        part = _fold(match.group())
        folded += (text[done:at], part)
        origin += range(done, at)
        origin += [at] * len(part)
        done = at + 1
    folded.append(text[done:])
    origin += range(done, len(text))
    return "".join(folded).replace("`", "'"), origin


def _words(text: str) -> str:
    """Lowercase, fold diacritics, turn every non-alphanumeric run into one space."""
    return re.sub(r"[^0-9a-z]+", " ", _fold(text).lower()).strip()


def normalize_name(name: str) -> str:
    """The key two spellings of one municipality share.

    Case, diacritics, hyphens and apostrophes do not matter; a leading "gemeente" is dropped, as
    is a "(gemeente)" suffix; other CBS suffixes stay as words ("Bergen (NH.)" -> "bergen nh"),
    so the two Bergens stay apart. Aliases map "Den Haag" to "s gravenhage".
    """
    text = _fold(name).strip()
    text = _PAREN.sub(lambda m: "" if _words(m.group(1)) == "gemeente" else f" {m.group(1)} ", text)
    key = _words(text)
    key = re.sub(r"^gemeente\s+", "", key)
    key = re.sub(r"^st\s+", "sint ", key)
    return ALIASES.get(key, key)


def _base_name(name: str) -> str:
    """The name without any parenthesised suffix, normalised: "Bergen (NH.)" -> "bergen"."""
    return normalize_name(_PAREN.sub(" ", _fold(name)))


def _expanded(key: str) -> str | None:
    """'bergen nh' -> 'bergen noord holland' when the last word is a province abbreviation."""
    head, _, last = key.rpartition(" ")
    if head and last in _PROVINCE_ABBREVIATIONS:
        return f"{head} {_PROVINCE_ABBREVIATIONS[last]}"
    return None


def normalize_code(code: str) -> str | None:
    """A CBS municipality code in the form GM0193; accepts 'gm193', '0193', '193'."""
    match = re.fullmatch(r"(?i)\s*(?:gm)?[\s_-]?(\d{1,4})\s*", code)
    return f"GM{int(match.group(1)):04d}" if match else None


# --------------------------------------------------------------------------------------------
# Population files
# --------------------------------------------------------------------------------------------

NAME_COLUMNS = ("gemeente", "gemeenten", "naam", "gemeentenaam")
POPULATION_COLUMNS = ("inwoners", "inwonertal", "aantal inwoners", "bevolking")
FILE_COLUMNS = ("file", "bestand")
CODE_COLUMNS = ("code", "gemeentecode", "gm_code", "gmcode", "cbs_code", "cbscode", "codering")


@dataclass(frozen=True)
class Gemeente:
    """One municipality from a population file; `line` is where it was read."""

    naam: str
    inwoners: int | None
    code: str | None = None
    line: int = 0


class Population:
    """A population file, indexed for lookups by name, CBS code and document file."""

    def __init__(
        self,
        gemeenten: Sequence[Gemeente],
        files: Mapping[str, Gemeente] | None = None,
        source: str = "",
    ) -> None:
        self.gemeenten: tuple[Gemeente, ...] = tuple(gemeenten)
        self.files: dict[str, Gemeente] = dict(files or {})
        self.source = source
        self._keys: dict[str, list[Gemeente]] = defaultdict(list)
        self._codes: dict[str, Gemeente] = {}
        for g in self.gemeenten:
            full = normalize_name(g.naam)
            for key in {full, _expanded(full), _base_name(g.naam), full.replace(" ", "")}:
                if key and g not in self._keys[key]:
                    self._keys[key].append(g)
            if g.code:
                self._codes[g.code] = g
        for alias, target in ALIASES.items():
            if target in self._keys and alias not in self._keys:
                self._keys[alias] = list(self._keys[target])
        self._basenames: dict[str, list[Gemeente]] = defaultdict(list)
        for file, g in self.files.items():
            self._basenames[PurePosixPath(file).name.lower()].append(g)
        self._scan: re.Pattern[str] | None = None
        self._scan_names: dict[str, Gemeente] = {}

    @property
    def has_codes(self) -> bool:
        """Whether the file had a code column (GM0193), so file names can carry codes."""
        return bool(self._codes)

    def __len__(self) -> int:
        return len(self.gemeenten)

    def candidates(self, name: str) -> list[Gemeente]:
        """Every municipality the name could mean (two for a bare "Bergen")."""
        key = normalize_name(name)
        if not key:
            return []
        found = self._keys.get(key) or self._keys.get(key.replace(" ", ""))
        if not found and (expanded := _expanded(key)):
            found = self._keys.get(expanded)
        return list(found or [])

    def match(self, name: str) -> Gemeente | None:
        """The one municipality the name means, or None when unknown or ambiguous."""
        found = self.candidates(name)
        return found[0] if len(found) == 1 else None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest names in the file, for "unknown gemeente X; did you mean ...?" messages.

        An ambiguous name ("Bergen") lists every municipality it could mean first.
        """
        exact = [g.naam for g in self.candidates(name)]
        out = list(exact)
        key = normalize_name(name)
        if key:
            for close in difflib.get_close_matches(key, list(self._keys), n=n + 3, cutoff=0.6):
                for g in self._keys[close]:
                    if g.naam not in out:
                        out.append(g.naam)
        return out[: max(n, len(exact))]

    def by_code(self, code: str) -> Gemeente | None:
        """The municipality with this CBS code (GM0193), if the file had codes."""
        normalized = normalize_code(code)
        return self._codes.get(normalized) if normalized else None

    def for_file(self, file: str) -> Gemeente | None:
        """The municipality the population file's `file` column assigns to a document."""
        if not self.files:
            return None
        wanted = file.replace("\\", "/").strip()
        if wanted in self.files:
            return self.files[wanted]
        for key, g in self.files.items():
            if key.replace("\\", "/").strip().lstrip("./") == wanted.lstrip("./"):
                return g
        same = self._basenames.get(PurePosixPath(wanted).name.lower(), [])
        return same[0] if len(same) == 1 else None

    def for_year(self, jaar: str | int | None) -> Population:
        """The population to place a document of this year with: one file serves every year."""
        return self

    def scan_pattern(self) -> tuple[re.Pattern[str], dict[str, Gemeente]]:
        """A regex finding any unambiguous municipality name (as written, or in capitals)."""
        if self._scan is None:
            names: dict[str, Gemeente] = {}
            for g in self.gemeenten:
                spellings = {_fold(_PAREN.sub(" ", g.naam)).strip()}
                if g.naam.startswith("'s-Gravenhage"):
                    spellings.add("Den Haag")
                if g.naam.startswith("'s-Hertogenbosch"):
                    spellings.add("Den Bosch")
                for spelling in spellings:
                    if len(self.candidates(spelling)) == 1 and len(spelling) >= 3:
                        names[spelling] = g
                        names[spelling.upper()] = g
            self._scan_names = names
            parts = []
            for spelling in sorted(names, key=len, reverse=True):
                words = [re.escape(w) for w in re.split(r"[\s-]+", spelling) if w]
                parts.append(r"[\s-]+".join(words))
            body = "|".join(parts) if parts else r"(?!x)x"
            # not part of a longer hyphenated name: "Overbetuwe-Noord" is not Overbetuwe
            self._scan = re.compile(rf"(?<![\w'])(?<!\w-)(?:{body})(?![\w])(?!-\w)")
        return self._scan, self._scan_names


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|2[01]\d\d)(?!\d)")


def _year(text: str | int | None) -> int | None:
    """The first year (1950-2199) written in a text ("2024", "2024-2027", "cbs_2023.tsv")."""
    match = _YEAR.search(str(text or ""))
    return int(match.group(1)) if match else None


class PopulationYears(Population):
    """Population files of several years (CBS publishes one a year; municipalities grow, merge
    and change size class). A document is placed with the file of its own year, else of the
    nearest year (the earlier of two as near); a lookup without a year uses the latest file."""

    def __init__(self, years: Mapping[int, Population], source: str = "") -> None:
        if not years:
            raise ValueError("no population files")
        self.years: dict[int, Population] = dict(sorted(years.items()))
        latest = self.years[max(self.years)]
        super().__init__(latest.gemeenten, latest.files, source)

    def for_year(self, jaar: str | int | None) -> Population:
        return self.years[self.year_used(jaar)]

    def year_used(self, jaar: str | int | None) -> int:
        """The year of the file a document of `jaar` is placed with."""
        return nearest_year(self.years, jaar)

    def stand_ins(self, jaren: Iterable[str]) -> dict[str, int]:
        """{jaar: year of the file used} for the documents' years that have no file of their
        own ("" for documents without a year): their class is that of another year."""
        out = {}
        for jaar in sorted(set(jaren)):
            year = _year(jaar)
            if year not in self.years:
                out[jaar] = self.year_used(jaar)
        return out


def nearest_year(years: Iterable[int], jaar: str | int | None) -> int:
    """Of the years that have a population file, the one a document of `jaar` uses: its own,
    else the nearest (the earlier of two as near); without a year, the latest."""
    years = list(years)
    year = _year(jaar)
    if year is None:
        return max(years)
    return min(years, key=lambda y: (abs(y - year), y))


def stand_in_note(stand_ins: Mapping[str, int], source: str) -> tuple[str, str]:
    """The warning, in English and Dutch, that some documents were placed with another
    year's population file."""
    pairs = [f"{jaar or 'no year'} -> {year}" for jaar, year in stand_ins.items()]
    paren = [f"{jaar or 'geen jaar'} -> {year}" for jaar, year in stand_ins.items()]
    return (
        f"{source} has no population file for some documents' years; their size class is "
        f"that of the nearest year's file: {', '.join(pairs)}",
        f"{source} heeft geen bevolkingsbestand voor het jaar van sommige documenten; hun "
        f"grootteklasse komt uit het bestand van het dichtstbijzijnde jaar: {', '.join(paren)}",
    )


def read_population(path: str | Path) -> Population:
    """Read a population file (CSV, TSV or XLSX), or a folder of them, one per year.

    A folder gives PopulationYears: each file's year is the year in its name
    (cbs_gemeenten_2024.tsv); a name without one, or two files of one year, raise UsageError.
    """
    path = Path(path)
    if not path.is_dir():
        return _read_population_file(path)
    files = population_files(path)
    if not files:
        raise UsageError(f"population folder {path} holds no CSV, TSV or XLSX file")
    years: dict[int, Population] = {}
    names: dict[int, str] = {}
    for f in files:
        year = _year(f.name)
        if year is None:
            raise UsageError(
                f"population folder {path}: {f.name} has no year in its name; a folder holds "
                "one file per year, named with it (cbs_gemeenten_2024.tsv)"
            )
        if year in years:
            raise UsageError(
                f"population folder {path}: {names[year]} and {f.name} are both for {year}"
            )
        years[year], names[year] = _read_population_file(f), f.name
    return PopulationYears(years, source=str(path))


def _read_population_file(path: Path) -> Population:
    """Read one population file (CSV or TSV, delimiter detected, or XLSX).

    Columns, case-insensitive: a name (gemeente, Gemeenten or naam), a population (inwoners or
    Inwonertal), optionally `file` (maps documents to municipalities directly) and a code column
    (GM0193). The CBS files work as they are. Duplicate or unparseable rows raise UsageError
    with their line numbers.
    """
    path = Path(path)
    header, rows = read_rows(path, "population file")
    if not header:
        raise UsageError(f"population file {path} is empty")
    name_col = find_column(header, NAME_COLUMNS)
    pop_col = find_column(header, POPULATION_COLUMNS)
    missing = []
    if name_col is None:
        missing.append("a name column (gemeente, Gemeenten or naam)")
    if pop_col is None:
        missing.append("a population column (inwoners or Inwonertal)")
    if missing:
        raise UsageError(
            f"population file {path}: missing {' and '.join(missing)}; "
            f"columns found: {show_cells(header) or '(none)'}"
        )
    assert name_col is not None and pop_col is not None
    file_col = find_column(header, FILE_COLUMNS)
    code_col = find_column(header, CODE_COLUMNS)

    problems: list[str] = []
    by_key: dict[str, Gemeente] = {}
    order: list[str] = []
    file_keys: dict[str, str] = {}
    file_lines: dict[str, int] = {}

    def cell(cells: list[str], col: int | None) -> str:
        return cells[col].strip() if col is not None and col < len(cells) else ""

    for line, cells in rows:
        naam = cell(cells, name_col)
        if not naam:
            problems.append(f"line {line}: no municipality name")
            continue
        try:
            inwoners = parse_inwoners(cell(cells, pop_col))
        except ValueError:
            problems.append(
                f"line {line}: {header[pop_col]} {cell(cells, pop_col)!r} is not a whole number"
            )
            continue
        code = None
        raw_code = cell(cells, code_col)
        if raw_code:
            code = normalize_code(raw_code)
            if code is None:
                problems.append(f"line {line}: code {raw_code!r} is not a CBS code like GM0193")
                continue
        key = normalize_name(naam)
        gemeente = Gemeente(naam=naam, inwoners=inwoners, code=code, line=line)
        earlier = by_key.get(key)
        if earlier is None:
            by_key[key] = gemeente
            order.append(key)
        elif file_col is None:
            problems.append(f"line {line}: duplicate of line {earlier.line} ({earlier.naam})")
            continue
        elif (earlier.inwoners, earlier.code) != (inwoners, code) and inwoners is not None:
            if earlier.inwoners is None:
                by_key[key] = Gemeente(earlier.naam, inwoners, earlier.code or code, earlier.line)
            else:
                problems.append(
                    f"line {line}: {naam} has {inwoners} inhabitants here but "
                    f"{earlier.inwoners} on line {earlier.line}"
                )
                continue
        file = cell(cells, file_col).replace("\\", "/")
        if file:
            if file in file_lines:
                problems.append(
                    f"line {line}: file {file} already listed on line {file_lines[file]}"
                )
                continue
            file_lines[file] = line
            file_keys[file] = key

    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise UsageError(f"population file {path}: {shown}{more}")
    if not by_key:
        raise UsageError(f"population file {path} has a header but no rows")
    gemeenten = [by_key[k] for k in order]
    resolved = {file: by_key[key] for file, key in file_keys.items()}
    return Population(gemeenten, resolved, source=str(path))


# --------------------------------------------------------------------------------------------
# Which municipality wrote this document?
# --------------------------------------------------------------------------------------------

_DOC_WORDS = {
    "programmabegroting",
    "begroting",
    "meerjarenbegroting",
    "kadernota",
    "voorjaarsnota",
    "najaarsnota",
    "perspectiefnota",
    "jaarstukken",
    "jaarverslag",
    "jaarrekening",
    "gemeente",
    "concept",
    "definitief",
    "vastgesteld",
    "versie",
    "raad",
    "raadsvoorstel",
    "bijlage",
    "nota",
    "primitieve",
    "programma",
    "voorjaarsrapportage",
    "kaderbrief",
    "pdf",
    "def",
    "final",
    "en",
    "tussenrapportage",
    "rapportage",
    "financiele",
    "financieel",
    "beleidsbegroting",
    "zomernota",
    "bestuursrapportage",
    "burap",
    "berap",
    # abbreviations of document types that file names use ("sudwest-fryslan_vjn_2025.pdf")
    "vjn",
    "njn",
    "pb",
    "pbeg",
    "begr",
    "jrk",
    "jstk",
    "jv",
    "kn",
    "mjb",
    "brap",
    "marap",
    "turap",
    "begrotingswijziging",
    # the first word of a subtitle on the next line, joined to the name when a .txt is read
    # ("Gemeente Ede" / "Eerste bestuursrapportage 2024")
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "nieuw",
    "nieuwe",
    "ontwerp",
    "gewijzigde",
    "actualisatie",
}
_SMALL_WORDS = {"aan", "op", "en", "de", "den", "der", "van", "in", "bij", "het", "te", "ter"}
_NOT_A_NAME = {
    "de",
    "het",
    "een",
    "wij",
    "we",
    "is",
    "heeft",
    "zal",
    "wil",
    "gaat",
    "kan",
    "moet",
    "en",
    "in",
    "op",
    "als",
    "voor",
    "met",
    "die",
    "dat",
    "deze",
    "zijn",
    "ook",
    "nog",
    "niet",
    "om",
}
_NAME_WORD = r"(?:'[st][\s-])?[A-Z][\w'-]*"
_GEMEENTE_X = re.compile(
    r"(?<![\w])(?i:gemeente)(?:[ \t]*\n[ \t]*|[ \t]+)"
    rf"({_NAME_WORD}(?:,?[ \t]+(?:(?:{'|'.join(sorted(_SMALL_WORDS))})[ \t]+)*{_NAME_WORD})*"
    r"(?:[ \t]*\([^)\n]{1,20}\))?)"
)
_CODE_IN_NAME = re.compile(r"(?i)(?<![a-z0-9])gm[\s_-]?(\d{4})(?!\d)")


def _tidy(name: str) -> str:
    """Title-case a name written in capitals, keep small words lowercase."""
    name = name.strip(" ,.-")
    if name.isupper() or name.islower():
        words = []
        for i, word in enumerate(re.split(r"(\s+|-)", name.lower())):
            if (i and word in _SMALL_WORDS) or word.startswith("'s") or word.startswith("'t"):
                words.append(word)
            else:
                words.append(word[:1].upper() + word[1:])
        name = "".join(words)
    return name


def _gemeente_mentions(text: str) -> list[str]:
    """Names written after "gemeente" in a text, in order, without trailing document words."""
    out: list[str] = []
    folded, origin = _fold_mapped(text)
    for match in _GEMEENTE_X.finditer(folded):
        start, end = match.span(1)
        words = text[origin[start] : origin[end - 1] + 1].split()  # as written: "Súdwest-Fryslân"
        while words and _words(words[-1]) in _DOC_WORDS | _SMALL_WORDS:
            words.pop()
        first = _words(words[0]) if words else ""
        if not words or (first in _NOT_A_NAME and (first not in ("de", "het") or len(words) == 1)):
            continue
        out.append(" ".join(words).rstrip(","))
    return out


def _resolve_mention(mention: str, population: Population) -> Gemeente | None:
    """Match a "gemeente X ..." capture, dropping trailing words until it matches."""
    words = mention.split()
    for end in range(len(words), 0, -1):
        found = population.match(" ".join(words[:end]))
        if found:
            return found
    return None


def _best(counter: Counter[str], first_seen: Mapping[str, int]) -> str | None:
    if not counter:
        return None
    return max(counter, key=lambda k: (counter[k], -first_seen[k]))


def _from_text(text: str, population: Population | None) -> tuple[str | None, str | None]:
    """(resolved name, unresolved "gemeente X" mention) found in text."""
    mentions = _gemeente_mentions(text)
    if population is None:
        counter = Counter(_tidy(m) for m in mentions)
        first = {}
        for i, m in enumerate(mentions):
            first.setdefault(_tidy(m), i)
        return _best(counter, first), None
    scores: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, mention in enumerate(mentions):
        found = _resolve_mention(mention, population)
        if found:
            scores[found.naam] += 2
            first_seen.setdefault(found.naam, i)
    pattern, names = population.scan_pattern()
    folded = _fold(text)
    for match in pattern.finditer(folded):
        if folded[max(0, match.start() - 10) : match.start()].lower().endswith("provincie "):
            continue
        found = names.get(match.group(0)) or population.match(match.group(0))
        if found:
            scores[found.naam] += 1
            first_seen.setdefault(found.naam, len(mentions) + match.start())
    best = _best(scores, first_seen)
    unresolved = _tidy(mentions[0]) if mentions and best is None else None
    return best, unresolved


def _from_filename(filename: str, population: Population | None) -> str | None:
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    if population is not None:
        for match in _CODE_IN_NAME.finditer(stem):
            found = population.by_code(match.group(1))
            if found:
                return found.naam
    tokens = [t for t in re.split(r"[\s_.+\-]+", stem) if t]
    if population is not None:
        # which tokens a hyphen joins to the next: "overbetuwe-noord" is one name, and
        # Overbetuwe alone is another municipality ("gemeente-" is only a prefix)
        joined = [
            bool(re.match(r"-\w", stem[m.end() :])) and m.group(0).lower() != "gemeente"
            for m in re.finditer(r"[^\s_.+\-]+", stem)
        ]
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                chunk = tokens[start:end]
                if any(any(ch.isdigit() for ch in t) for t in chunk):
                    continue
                if (start and joined[start - 1]) or (end < len(tokens) and joined[end - 1]):
                    continue  # a part of a hyphenated name
                found = population.match(" ".join(chunk))
                if found:
                    return found.naam
        return None
    # a hyphen inside a name stays where the parts of the name are parted otherwise
    # ("ouder-amstel_begroting_2024" is Ouder-Amstel; in "2022-kadernota-vlierdam-aan-de-moer"
    # every hyphen parts words): each token with the separator that came before it
    separators = [""] + [m.group(0) for m in re.finditer(r"[\s_.+\-]+", stem.strip("_.+- "))]
    if all(sep == "-" for sep in separators[1:]):
        separators = [" "] * len(separators)
    # a bare word ("notes.pdf", "nep.pdf") is no municipality: a file name names one beside
    # a year, a document type or "gemeente"
    if not any(re.search(r"\d{4}", t) or _words(t) in _DOC_WORDS for t in tokens):
        return None
    run: list[str] = []
    for i, (token, separator) in enumerate(zip(tokens, separators, strict=False)):
        plain = _words(token)
        if plain in ("s", "t") and not run and i + 1 < len(tokens):
            token = "'" + plain  # "s-hertogenbosch": 's-Hertogenbosch
            plain = "'" + plain
        skip = (
            not plain
            or any(ch.isdigit() for ch in plain)
            or plain in _DOC_WORDS
            or (len(plain) < 2)
            or re.fullmatch(r"v\d*|gm", plain) is not None
        )
        if skip:
            if run:
                break
            continue
        run.append(("-" if run and separator == "-" else " " if run else "") + token)
    if not run:
        return None
    return _tidy("".join(run).lower())


# Organisations whose P&C documents are not a municipality's: joint bodies (GGD,
# veiligheidsregio, omgevingsdienst, ...), provinces, water boards.
_BODY = re.compile(
    r"(?i)(?<![\w-])(?:ggd|veiligheidsregio|omgevingsdienst|regionale uitvoeringsdienst"
    r"|werkbedrijf|gemeenschappelijke regeling|belastingsamenwerking|belastingkantoor"
    r"|recreatieschap|afvalschap|waterschap|hoogheemraadschap|wetterskip|provincie"
    r"|regionaal archief|regionaal historisch centrum|archiefdienst|werkvoorzieningsschap"
    r"|metropoolregio|vervoerregio|servicecentrum|shared service|veiligheidshuis"
    r"|samenwerkingsverband|uitvoeringsorganisatie|bedrijfsvoeringsorganisatie)(?![\w])"
    r"[^\n]{0,40}"
)
_BODY_ACRONYM = re.compile(r"(?<![\w-])(?:OD[A-Z]{2,4}|RUD|GGD)(?![\w-])[^\n]{0,40}")
_MUNICIPAL = re.compile(r"(?i)(?<![\w-])gemeenten?(?![\w-])")
# a municipality's page on a joint body it takes part in (paragraaf verbonden partijen)
_PARTIES = re.compile(
    r"(?i)verbonden partij|vestigingsplaats|beoogd effect|bestuurlijk belang|financieel belang"
)


def joint_body(first_text: str, metadata: Mapping[str, str], filename: str) -> str | None:
    """The organisation a P&C document is of, when its title names a joint body, a province
    or a water board and no municipality ("Begroting 2024 GGD Groningen", "ODRU begroting
    2024.pdf"): such a document is that body's policy (labelling guide), not the policy of a
    municipality its text mentions. Looked for in the PDF title, the file name and the first
    three lines of the first page (short ones: titles); None for a municipality's document."""
    meta = {str(k).lstrip("/").lower(): str(v) for k, v in (metadata or {}).items() if v}
    lines = [ln.strip() for ln in (first_text or "").split("\n") if ln.strip()][:3]
    lines = [ln for ln in lines if len(ln) <= 100]  # titles, not the text under them
    stem = Path(filename or "").stem.replace("_", " ")
    titles = [meta.get("title", ""), stem, *lines]
    if any(_MUNICIPAL.search(t) for t in titles) or _PARTIES.search((first_text or "")[:800]):
        return None
    for title in titles:
        m = _BODY.search(title) or _BODY_ACRONYM.search(title)
        if m:
            words = re.split(r"\s+(?:\d{4}|[-–|:])", m.group(0))[0].split()
            while len(words) > 1 and _words(words[-1]) in _DOC_WORDS | _SMALL_WORDS:
                words.pop()
            return " ".join(words).strip(" ,.-")
    return None


def guess_gemeente(
    first_text: str,
    metadata: Mapping[str, str],
    filename: str,
    population: Population | None = None,
) -> str | None:
    """Find which municipality a document is from.

    In order: the first pages' text (title page, running header, "Gemeente X"), the PDF
    metadata (title, author, subject), the file name (including a CBS code like GM0193 when the
    population file has codes). With a population file the answer is the name as written there
    ("Bergen (NH.)"); names found in the text but not in the file are tried last and returned as
    written, so the caller can report them with `Population.suggest`. None when nothing is found.
    """
    unresolved: str | None = None
    found, mention = _from_text(first_text or "", population)
    if found:
        return found
    unresolved = unresolved or mention
    meta = {str(k).lstrip("/").lower(): str(v) for k, v in (metadata or {}).items() if v}
    for key in ("title", "author", "subject"):
        value = meta.get(key, "")
        if not value.strip():
            continue
        found, mention = _from_text(value, population)
        if found:
            return found
        unresolved = unresolved or mention
        if population is not None:
            whole = population.match(value)
            if whole:
                return whole.naam
    found = _from_filename(filename or "", population)
    if found:
        return found
    if unresolved is None and population is not None:  # named as written, as a title's name
        unresolved = _from_filename(filename or "", None)  # is, so that the caller says so
    return unresolved


def gemeente_from_filename(filename: str, population: Population) -> Gemeente | None:
    """The municipality a document's file name names ("kwakveen_begroting_2022.pdf") or codes
    ("GM0193_..."), as found in the population file; None when none or several match."""
    name = _from_filename(filename or "", population)
    return population.match(name) if name else None


def find_gemeente(
    population: Population, file: str, gemeente: str = "", jaar: str = ""
) -> Gemeente | None:
    """The municipality of a results row: the population file's `file` column first, then the
    row's gemeente name, and only when the row has no name, the name in its file name; with
    population files of several years, in the file of the row's year."""
    population = population.for_year(jaar)
    found = population.for_file(file)
    if found is None and gemeente:
        found = population.match(gemeente)
    elif found is None:
        found = gemeente_from_filename(file, population)
    return found
