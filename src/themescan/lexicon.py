"""Lexicons: one TOML file per theme with weighted terms and exclusions, and the matcher over them.

A lexicon file (see lexicons/*.toml) has four tables of `"term" = weight` with weights in [0, 1]:
- `terms`: lower case, matched at the start of a word; a Dutch compound or inflection may follow
  ("informatiebeveiliging" matches "informatiebeveiligingsbeleid", "sensor" matches "sensoren");
- `infix`: lower case, matched anywhere inside a word ("gegevensbescherming" in
  "functionarisgegevensbescherming", "beveiliging" in "cyberbeveiliging");
- `words`: lower case whole words only ("soc", "dpia");
- `abbreviations`: case-sensitive whole words ("AVG", "BIO", "IoT", "RPA");
and `[[exclude]]` entries: a regular expression (case-insensitive) that, found in the sentence
around a hit of one of `terms` (all of the theme's terms when omitted), cancels that hit, with a
`reason` shown by explain. Weak terms (low weights) are cues: they let the model see a passage.

All terms of all themes go into one Aho-Corasick automaton, so a page is scanned once.
"""

from __future__ import annotations

import functools
import hashlib
import math
import operator
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from themescan.config import default_lexicon_dir
from themescan.errors import LexiconError
from themescan.results import Hit
from themescan.themes import THEMES

KINDS = ("terms", "infix", "words", "abbreviations")
CUE = "cue"  # the theme of hits on a model's cue words: not evidence, only a reason to look
_KEYS = {"theme", "description", *KINDS, "exclude"}
_EXCLUDE_KEYS = {"pattern", "terms", "reason"}


@dataclass(frozen=True)
class Exclusion:
    pattern: re.Pattern[str]
    terms: frozenset[str]  # empty: every term of the theme
    reason: str


@dataclass(frozen=True)
class ThemeLexicon:
    theme: str
    terms: tuple[tuple[str, str, float], ...]  # (term, kind, weight)
    exclusions: tuple[Exclusion, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Lexicons:
    """The lexicons of all five themes, their origin and a hash that keys caches and models."""

    themes: tuple[ThemeLexicon, ...]
    origin: str
    digest: str
    _matcher: Matcher | None = field(default=None, compare=False, repr=False)

    def theme(self, theme_id: str) -> ThemeLexicon:
        for t in self.themes:
            if t.theme == theme_id:
                return t
        raise KeyError(theme_id)

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            object.__setattr__(self, "_matcher", Matcher(self))
        assert self._matcher is not None
        return self._matcher


# --- loading and checking -------------------------------------------------------------------------


def load_lexicons(directory: str | Path | None = None, probe: bool | None = None) -> Lexicons:
    """Load and check the five theme lexicons from `directory` (default: the packaged ones).

    probe: time each exclusion pattern on adversarial text (dangerous_pattern); by default
    for a user's lexicons only, as a test holds the packaged ones to it (it costs ~0.4 s)."""
    probe = directory is not None if probe is None else probe
    folder = Path(directory) if directory else default_lexicon_dir()
    if directory and not Path(directory).is_dir():
        raise LexiconError(f"lexicon folder not found: {directory}")
    errors: list[str] = []
    themes = []
    digest = hashlib.sha256()
    for theme in THEMES:
        entry = folder / f"{theme}.toml"
        if not entry.is_file():
            errors.append(f"{entry}: missing (one file per theme: {theme}.toml)")
            continue
        try:
            data = entry.read_bytes()
        except OSError as exc:
            errors.append(f"{entry}: cannot read ({exc.strerror or exc})")
            continue
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            errors.append(
                f"{entry}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column {column});"
                " save the file as UTF-8"
            )
            continue
        digest.update(theme.encode() + b"\0" + raw.encode("utf-8") + b"\0")
        lex, errs = parse_lexicon(raw, str(entry), theme, probe)
        errors.extend(errs)
        if lex:
            themes.append(lex)
    wanted = {f"{theme}.toml" for theme in THEMES}
    for extra in sorted(p for p in folder.glob("*.toml") if p.name not in wanted):
        # trial 13: a file of one's own beside the five was ignored and `lexicon check` said OK
        errors.append(
            f"{extra}: not read: themescan reads one file per theme ({', '.join(sorted(wanted))}); "
            "put its terms in the theme's file, or move it out of the folder"
        )
    if errors:
        raise LexiconError("lexicon errors:\n  " + "\n  ".join(errors))
    return Lexicons(tuple(themes), str(folder), digest.hexdigest()[:16])


def check_lexicons(directory: str | Path | None = None) -> list[str]:
    """Every problem in a lexicon folder as `file:line: message`; empty when all is well."""
    try:
        load_lexicons(directory, probe=True)
    except LexiconError as exc:
        lines = str(exc).split("\n")
        return [ln.strip() for ln in lines[1:]] or [str(exc)]
    return []


def _line_of(raw: str, needle: str, after: int = 0) -> int:
    lines = raw.split("\n")
    for i in range(after, len(lines)):
        if needle in lines[i]:
            return i + 1
    return after + 1 if after else 1


def parse_lexicon(
    raw: str, source: str, expected: str | None = None, probe: bool = True
) -> tuple[ThemeLexicon | None, list[str]]:
    """Parse one lexicon file; return it with a list of `source:line: message` problems."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 1
        message = str(exc)
        if message.startswith("Cannot overwrite a value"):  # a key given twice in one table
            lines = raw.splitlines()
            text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            key = text.split("=", 1)[0].strip() if "=" in text else "a key"
            message = f"{key} is given twice in its table; keep one (the weight you mean)"
        return None, [f"{source}:{line}: {message}"]
    errors: list[str] = []
    theme = data.get("theme")
    if theme not in THEMES:
        errors.append(
            f"{source}:{_line_of(raw, 'theme')}: theme must be one of {', '.join(THEMES)}"
        )
    elif expected and theme != expected:
        errors.append(f"{source}:{_line_of(raw, 'theme')}: theme {theme!r} in file for {expected}")
    for key in data:
        if key not in _KEYS:
            errors.append(f"{source}:{_line_of(raw, key)}: unknown key {key!r}")
    terms: list[tuple[str, str, float]] = []
    for kind in KINDS:
        table = data.get(kind, {})
        if not isinstance(table, dict):
            errors.append(f"{source}:{_line_of(raw, kind)}: [{kind}] must be a table")
            continue
        for term, weight in table.items():
            line = _line_of(raw, f'"{term}"')
            if not term.strip() or term != term.strip():
                errors.append(f"{source}:{line}: empty term or term with outer spaces: {term!r}")
                continue
            if kind != "abbreviations" and term != term.lower():
                errors.append(f"{source}:{line}: {term!r} must be lower case in [{kind}]")
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                errors.append(f"{source}:{line}: weight of {term!r} must be a number")
                continue
            if not 0 <= weight <= 1:
                errors.append(f"{source}:{line}: weight of {term!r} must be between 0 and 1")
                continue
            terms.append((term, kind, float(weight)))
    first_kind: dict[str, str] = {}
    for term, kind, _ in terms:
        if kind != "abbreviations" and first_kind.setdefault(term, kind) != kind:
            line = _line_of(raw, '"' + term + '"', _line_of(raw, f"[{kind}]"))
            errors.append(
                f"{source}:{line}: {term!r} is in both [{first_kind[term]}] and [{kind}]; keep one"
            )
    known = {t for t, _, _ in terms}
    exclusions = []
    excl = data.get("exclude", [])
    if not isinstance(excl, list):
        excl = []
        errors.append(f"{source}:{_line_of(raw, 'exclude')}: use [[exclude]] entries")
    seen_at = 0
    for item in excl:
        seen_at = _line_of(raw, "[[exclude]]", seen_at)
        where = f"{source}:{seen_at}"
        if not isinstance(item, dict) or "pattern" not in item:
            errors.append(f"{where}: an [[exclude]] needs a pattern")
            continue
        for key in item:
            if key not in _EXCLUDE_KEYS:
                errors.append(f"{where}: unknown key {key!r} in [[exclude]]")
        try:
            pattern = re.compile(item["pattern"], re.IGNORECASE)
        except (re.error, TypeError, OverflowError, RecursionError) as exc:
            errors.append(f"{where}: bad pattern: {exc}")
            continue
        danger = dangerous_pattern(item["pattern"], probe)
        if danger:
            errors.append(f"{where}: pattern refused: {danger}")
            continue
        names = item.get("terms", [])
        missing = [t for t in names if t not in known]
        if missing:
            errors.append(f"{where}: exclusion names unknown terms: {', '.join(missing)}")
        exclusions.append(Exclusion(pattern, frozenset(names), str(item.get("reason", ""))))
    if not terms and not errors:
        errors.append(f"{source}:1: no terms")
    if errors:
        return None, errors
    return ThemeLexicon(str(theme), tuple(terms), tuple(exclusions), source), []


# --- guarding exclusion patterns against catastrophic backtracking ------------------------------
#
# Python's re backtracks: `(\w+\s?)+$` takes exponential time on a long run of words that does
# not end the sentence, and would hang a classify run. Two guards, both at load (so `lexicon
# check` refuses what classify would refuse): a static check of the parsed pattern that rejects
# nested repetition (a repeated group that itself holds a repeat: the cause of exponential
# time) and back-references, and a timed probe on adversarial texts of up to PROBE_CHARS characters
# that rejects polynomial blow-ups. Patterns are matched only on bounded windows (the sentence
# around a hit, at most 400 characters either side: sentence_bounds), so a pattern that passes
# both guards stays fast on any page.

MAX_PATTERN_CHARS = 5000
PROBE_CHARS = 800  # the widest window a pattern is matched on (sentence_bounds)
PROBE_SECONDS = 0.05


@functools.lru_cache(maxsize=512)
def dangerous_pattern(pattern: str, probe: bool = True) -> str | None:
    """Why an exclusion pattern could take very long on some text, or None when it is safe
    (probe: also time it on adversarial text, not only check its structure)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"longer than {MAX_PATTERN_CHARS} characters"
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except Exception as exc:  # the parser's errors are those of re.compile, reported there
        return f"cannot be parsed ({exc})"
    reason = _nested_repeat(_items(parsed), 0)
    if reason:
        return reason
    return _slow_probe(re.compile(pattern, re.IGNORECASE)) if probe else None


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT"}


def _nested_repeat(items: Iterable, outer: int) -> str | None:
    """`outer`: 0 outside any repeat, 1 inside a bounded one (a{2,5}), 2 inside an unbounded one."""
    from re._constants import MAXREPEAT  # type: ignore[import-not-found]

    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, body = av
            level = 2 if high == MAXREPEAT else 1 if high > 1 else 0
            if level and outer and max(level, outer) == 2:
                return "nested repetition such as (a+)+ can take exponential time"
            found = _nested_repeat(_items(body), max(outer, level))
            if found:
                return found
        elif name == "GROUPREF" or name == "GROUPREF_EXISTS":
            return "back-references can take exponential time"
        elif name == "BRANCH" and outer == 2 and not all(_one_char(b) for b in av[1]):
            return "alternation under a repetition such as (a|aa)* can take exponential time"
        else:
            for child in _children(name, av):
                found = _nested_repeat(child, outer)
                if found:
                    return found
    return None


_ONE_CHAR = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"}


def _one_char(branch: object) -> bool:
    """Is an alternative one character wide (alternatives that are cannot overlap in length)?"""
    items = _items(branch)
    return len(items) == 1 and str(items[0][0]) in _ONE_CHAR


def _items(sub: object) -> list:
    return list(sub.data if hasattr(sub, "data") else sub)  # type: ignore[union-attr]


def _children(name: str, av: object) -> list[list]:
    if name == "SUBPATTERN":
        return [_items(av[-1])]  # type: ignore[index]
    if name == "BRANCH":
        return [_items(b) for b in av[1]]  # type: ignore[index]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [_items(av[1])]  # type: ignore[index]
    if name == "ATOMIC_GROUP":
        return [_items(av)]
    return []


# texts a window of cleaned page text can hold: never a newline (sentence_bounds stops there),
# never two spaces in a row (reading.normalise)
_PROBES = ("a", "a ", "1", "1.", "ab-", "aa ", "a, ", "- ", "é")


def _slow_probe(pattern: re.Pattern[str]) -> str | None:
    """Search adversarial texts of doubling length up to the window a pattern can see; a
    polynomial blow-up shows as one search over PROBE_SECONDS long before it could hang.

    Timed in this thread's CPU time, not by the clock, and a search over the limit is timed
    twice more, the fastest counting: on a busy machine (other processes, a training run) the
    clock also counts time spent waiting for a core, which refused valid lexicons at random."""
    size = 12
    while size <= PROBE_CHARS:
        for unit in _PROBES:
            text = (unit * size)[:size]
            for probe in (text, text + "!", "x" + text + "\u00e9"):
                if _search_seconds(pattern, probe) > PROBE_SECONDS and (
                    min(_search_seconds(pattern, probe) for _ in range(2)) > PROBE_SECONDS
                ):
                    return f"too slow on {size} characters of {unit!r} (polynomial backtracking)"
        size *= 2
    return None


PROBE_CUTOFF = 1.0  # seconds of the clock after which one search is stopped: too slow anyway


class _CutOff(Exception):
    pass


def _cut_off(signum: int, frame: object) -> None:
    raise _CutOff


def _search_seconds(pattern: re.Pattern[str], text: str) -> float:
    """CPU seconds of one search; a search still running after PROBE_CUTOFF seconds (an
    exponential blow-up the static check missed) is stopped by a timer and counts as
    endless. The timer needs the main thread (signals); elsewhere the search runs out."""
    import signal
    import threading
    import time

    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _cut_off)
        earlier = signal.setitimer(signal.ITIMER_REAL, PROBE_CUTOFF)
    started = time.thread_time()
    try:
        pattern.search(text)
    except _CutOff:
        return math.inf
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if earlier[0]:  # a timer someone else had set runs on (its time used up: at once)
                left = earlier[0] - (time.thread_time() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), earlier[1])
    return time.thread_time() - started


# --- matching -------------------------------------------------------------------------------------


class Matcher:
    """Finds every lexicon hit on a page in one pass of two Aho-Corasick automatons."""

    def __init__(self, lexicons: Lexicons, cues: Iterable[str] = ()) -> None:
        """`cues`: extra words (from a trained model) that make a passage worth scoring; they
        match like `terms` and yield hits of theme CUE, which carry no lexicon weight."""
        self.lexicons = lexicons
        self._lower = ahocorasick.Automaton()
        self._cased = ahocorasick.Automaton()
        entries: dict[tuple[bool, str], list[tuple[str, str, float]]] = {}
        for lex in lexicons.themes:
            for term, kind, weight in lex.terms:
                cased = kind == "abbreviations"
                entries.setdefault((cased, term), []).append((lex.theme, kind, weight))
        for cue in cues:
            entries.setdefault((False, cue.lower()), []).append((CUE, "terms", 0.0))
        for (cased, term), targets in entries.items():
            automaton = self._cased if cased else self._lower
            # what find needs per match, worked out once: the offset of the term's start from
            # its last character, and per target where it counts (_RULES)
            rules = tuple(
                (theme, _RULES.get(kind, _WHOLE), weight) for theme, kind, weight in targets
            )
            automaton.add_word(term, (term, len(term) - 1, rules))
        for automaton in (self._lower, self._cased):
            if len(automaton):
                automaton.make_automaton()
        self._exclusions = {lex.theme: lex.exclusions for lex in lexicons.themes}

    def find(self, text: str, page: int = 1) -> list[Hit]:
        """All hits on one page's text, exclusions applied (an excluded hit is kept, flagged)."""
        lower = text.lower()
        if len(lower) != len(text):  # a rare character whose lower case is longer
            lower = "".join(c.lower()[:1] for c in text)
        hits: list[Hit] = []
        n = len(text)
        for source, automaton in ((lower, self._lower), (text, self._cased)):
            if not len(automaton):
                continue
            for end_idx, (term, back, targets) in automaton.iter(source):
                start = end_idx - back
                end = end_idx + 1
                # a letter or digit next to the match? (outside the text: a space)
                free_before = start == 0 or not text[start - 1].isalnum()
                free_after = end >= n or not text[end].isalnum()
                for theme, rule, weight in targets:
                    if rule == _ANY or (
                        free_before and (rule == _WORD_START or (rule == _WHOLE and free_after))
                    ):
                        hits.append(Hit(theme, term, page, start, end, weight))
        if hits:
            hits = self._apply_exclusions(text, _longest(hits))
            hits.sort(key=_START_THEME)
        return hits

    def _apply_exclusions(self, text: str, hits: list[Hit]) -> list[Hit]:
        out = []
        for hit in hits:
            bounds = None  # the sentence around the hit, found once for all its exclusions
            for excl in self._exclusions.get(hit.theme, ()):
                if excl.terms and hit.term not in excl.terms:
                    continue
                s, e = bounds = bounds or sentence_bounds(text, hit.start, hit.end)
                if excl.pattern.search(text, s, e):
                    hit = Hit(
                        hit.theme, hit.term, hit.page, hit.start, hit.end, hit.weight, True,
                        excl.reason,
                    )  # fmt: skip
                    break
            out.append(hit)
        return out


def _longest(hits: list[Hit]) -> list[Hit]:
    """Per theme, drop hits that overlap a longer one ("sensor" inside "sensornetwerk")."""
    hits.sort(key=lambda h: (h.theme, h.start, h.start - h.end))
    kept: list[Hit] = []
    for hit in hits:
        if kept and kept[-1].theme == hit.theme and hit.start < kept[-1].end:
            if hit.end - hit.start > kept[-1].end - kept[-1].start:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


_START_THEME = operator.attrgetter("start", "theme")
# Where a term of each kind counts (a letter or digit before or after is a word character):
# "infix" anywhere; "terms" at a word's start; "words" as a whole word; "abbreviations" too,
# but matched with case ("BIO-normen" and "AVG-proof" count, "BIOlogisch" does not).
_ANY, _WORD_START, _WHOLE = 0, 1, 2
_RULES = {"infix": _ANY, "terms": _WORD_START, "words": _WHOLE, "abbreviations": _WHOLE}


_BOUNDARY = re.compile(r"[.!?;]\s|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around text[start:end], for exclusion patterns to look in."""
    left = 0
    for m in _BOUNDARY.finditer(text, max(0, start - 400), start):
        left = m.end()
    m = _BOUNDARY.search(text, end, min(len(text), end + 400))
    right = m.start() + 1 if m else min(len(text), end + 400)
    return max(left, start - 400), right


def iter_terms(lexicons: Lexicons) -> Iterator[tuple[str, str, str, float]]:
    """(theme, term, kind, weight) for every term, for reports and the model's features."""
    for lex in lexicons.themes:
        for term, kind, weight in lex.terms:
            yield lex.theme, term, kind, weight


def relative(hits: Iterable[Hit], start: int) -> tuple[Hit, ...]:
    """Hits with offsets relative to a passage that starts at `start` on its page."""
    return tuple(
        Hit(h.theme, h.term, h.page, h.start - start, h.end - start, h.weight, h.excluded, h.reason)
        for h in hits
    )
