"""From per-document results to the BMC table: municipalities, population and size classes.

The BMC study counts municipalities, not documents: a municipality gives a theme explicit
attention when any of its documents does. This module reads population files (the CBS files and
simple `file,gemeente,inwoners` lists), matches municipality names written in many ways, finds the
municipality of a document, and counts per size class. It never prints; problems the user should
see are returned as warnings or raised as `UsageError`.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PurePosixPath

from themescan.config import DEFAULT_BOUNDS
from themescan.errors import UsageError
from themescan.results import status_ok
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
# Reading delimited files
# --------------------------------------------------------------------------------------------


def _read_text(path: Path, what: str) -> str:
    """Read a text file as UTF-8 (a BOM is stripped), falling back to Windows-1252."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path} is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _detect_delimiter(text: str) -> str:
    """The delimiter of a CSV/TSV: the candidate that occurs most in the header line."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in ("\t", ";", ",", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) for each non-empty row; line numbers are 1-based."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_delimiter(text))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((reader.line_num, cells))
    return header or [], rows


def _find_column(header: Sequence[str], names: Iterable[str]) -> int | None:
    wanted = [n.lower() for n in names]
    lowered = [h.strip().lower() for h in header]
    for name in wanted:
        if name in lowered:
            return lowered.index(name)
    return None


_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")


def parse_inwoners(value: str) -> int | None:
    """Parse a population figure: 25724, 25.724, 25 724, 25724.0; blank is None.

    Raises ValueError for anything else (negative numbers, words, fractions).
    """
    text = value.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    match = _WHOLE_FLOAT.match(text)
    if match:
        return int(match.group(1))
    raise ValueError(f"not a whole number of inhabitants: {value!r}")


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


def _fold(text: str) -> str:
    """Strip diacritics and unify apostrophes, keeping case: 'Súdwest-Fryslân' -> 'Sudwest-Fryslan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


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
            self._scan = re.compile(rf"(?<![\w'])(?:{body})(?![\w])")
        return self._scan, self._scan_names


def read_population(path: str | Path) -> Population:
    """Read a population file (CSV or TSV, delimiter detected).

    Columns, case-insensitive: a name (gemeente, Gemeenten or naam), a population (inwoners or
    Inwonertal), optionally `file` (maps documents to municipalities directly) and a code column
    (GM0193). The CBS files work as they are. Duplicate or unparseable rows raise UsageError
    with their line numbers.
    """
    path = Path(path)
    text = _read_text(path, "population file")
    header, rows = _rows(text)
    if not header:
        raise UsageError(f"population file {path} is empty")
    name_col = _find_column(header, NAME_COLUMNS)
    pop_col = _find_column(header, POPULATION_COLUMNS)
    missing = []
    if name_col is None:
        missing.append("a name column (gemeente, Gemeenten or naam)")
    if pop_col is None:
        missing.append("a population column (inwoners or Inwonertal)")
    if missing:
        raise UsageError(
            f"population file {path}: missing {' and '.join(missing)}; "
            f"columns found: {', '.join(header) or '(none)'}"
        )
    assert name_col is not None and pop_col is not None
    file_col = _find_column(header, FILE_COLUMNS)
    code_col = _find_column(header, CODE_COLUMNS)

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
    for match in _GEMEENTE_X.finditer(_fold(text)):
        words = match.group(1).split()
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
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                chunk = tokens[start:end]
                if any(any(ch.isdigit() for ch in t) for t in chunk):
                    continue
                found = population.match(" ".join(chunk))
                if found:
                    return found.naam
        return None
    run: list[str] = []
    for token in tokens:
        plain = _words(token)
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
        run.append(token)
    if not run:
        return None
    return _tidy(" ".join(run).lower())


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
    return unresolved


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
"""Columns `read_results` requires; pages, scores and evidence are optional."""


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


def read_results(path: str | Path) -> tuple[ResultRow, ...]:
    """Read a classify results CSV (comma or, from --excel, semicolon with BOM).

    A missing column raises UsageError naming it; an unreadable theme flag or population value
    raises UsageError with its line number.
    """
    path = Path(path)
    text = _read_text(path, "results file")
    header, rows = _rows(text)
    if not header:
        raise UsageError(f"results file {path} is empty")
    lowered = [h.lower() for h in header]
    missing = [c for c in RESULT_COLUMNS if c not in lowered]
    if missing:
        names = ", ".join(missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise UsageError(
            f"results file {path} is missing the {plural} {names} "
            f"(expected the CSV written by `themescan classify`)"
        )
    col = {c: lowered.index(c) for c in RESULT_COLUMNS}
    problems: list[str] = []
    out: list[ResultRow] = []
    for line, cells in rows:

        def get(name: str, cells: list[str] = cells) -> str:
            i = col[name]
            return cells[i].strip() if i < len(cells) else ""

        status = get("status") or "ok"
        flags = set()
        bad = False
        for theme in THEMES:
            value = get(theme)
            if value in ("1", "1.0", "1,0", "true", "True", "TRUE"):
                flags.add(theme)
            elif value in ("0", "0.0", "0,0", "false", "False", "FALSE", ""):
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
        if bad:
            continue
        out.append(
            ResultRow(
                file=get("file"),
                status=status,
                gemeente=get("gemeente"),
                inwoners=inwoners,
                grootteklasse=get("grootteklasse").lower(),
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


@dataclass(frozen=True)
class TableReport:
    """What `build_table` returns: one or more tables plus warnings for the user."""

    tables: tuple[Table, ...]
    per: str = "gemeente"
    by: str | None = None
    bounds: tuple[int, int] = DEFAULT_BOUNDS
    warnings: tuple[str, ...] = ()


@dataclass
class _Unit:
    """A counted unit: one municipality (or one document with --per document)."""

    label: str
    flags: set[str]
    inwoners: int | None = None
    inwoners_jaar: str = ""
    klasse_hint: str = ""
    documents: int = 0


def _jaar_key(value: str) -> tuple[int, str]:
    digits = re.search(r"\d{4}", value or "")
    return (int(digits.group(0)) if digits else -1, value or "")


def _list(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


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
    if per not in PER_CHOICES:
        raise UsageError(f"--per must be one of {', '.join(PER_CHOICES)}; got {per!r}")
    if by is not None and by not in BY_CHOICES:
        raise UsageError(f"--by must be one of {', '.join(BY_CHOICES)}; got {by!r}")
    warnings: list[str] = []

    # Resolve municipality and population per document, once.
    unknown_names: dict[str, list[str]] = {}
    resolved: dict[int, tuple[str, str, int | None]] = {}
    nameless: list[str] = []
    for index, row in enumerate(rows):
        if not row.ok:
            continue
        label, key, inwoners = row.gemeente, normalize_name(row.gemeente), row.inwoners
        if population is not None:
            gemeente = population.for_file(row.file)
            if gemeente is None and row.gemeente:
                gemeente = population.match(row.gemeente)
                if gemeente is None:
                    unknown_names.setdefault(row.gemeente, []).append(row.file)
            if gemeente is not None:
                label, key = gemeente.naam, normalize_name(gemeente.naam)
                inwoners = gemeente.inwoners if gemeente.inwoners is not None else inwoners
        if not key:
            nameless.append(row.file)
            label, key = row.file, "file:" + row.file
        resolved[index] = (label, key, inwoners)

    if unknown_names and population is not None:
        source = population.source or "the population file"
        for name, files in unknown_names.items():
            where = _list(files, 3)
            several = population.candidates(name)
            if len(several) > 1:
                options = ", ".join(g.naam for g in several)
                warnings.append(
                    f"gemeente {name!r} ({where}) is ambiguous in {source}: {options}; "
                    f"write it as in that file or map the file with a `file` column"
                )
                continue
            suggestions = population.suggest(name)
            hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
            warnings.append(f"gemeente {name!r} ({where}) is not in {source}{hint}")
    if nameless and per == "gemeente":
        warnings.append(
            f"{len(nameless)} document(s) without a gemeente, each counted as its own municipality: "
            f"{_list(nameless, 5)}"
        )

    skipped_status = Counter(row.status for row in rows if not row.ok)
    if skipped_status:
        detail = ", ".join(f"{status}: {n}" for status, n in skipped_status.most_common())
        warnings.append(
            f"{sum(skipped_status.values())} document(s) left out because their status is not ok "
            f"({detail})"
        )

    groups: dict[str | None, list[int]] = {}
    if by is None:
        groups[None] = list(range(len(rows)))
    else:
        for index, row in enumerate(rows):
            value = (row.doc_type if by == "doc_type" else row.jaar) or "(leeg)"
            groups.setdefault(value, []).append(index)
        if by == "jaar":
            groups = dict(sorted(groups.items(), key=lambda kv: _jaar_key(kv[0] or "")))
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
                unit.inwoners is None or _jaar_key(row.jaar) > _jaar_key(unit.inwoners_jaar)
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
        warnings.append(
            f"{len(onbekend_labels)} {what} without a population, shown as class onbekend and "
            f"counted in totaal: {_list(onbekend_labels)}"
            + ("" if population is not None else " (give --gemeenten FILE to fill them in)")
        )
    if not rows:
        warnings.append("the results file has no documents")
    return TableReport(tuple(tables), per=per, by=by, bounds=bounds, warnings=tuple(warnings))
