"""Dutch language: lemmas, and splitting pages into scoreable passages.

nl_core_news_sm is used when it is installed (lemmas from its tagger and lemmatizer). Otherwise
the built-in pipeline: words by rule, lemmas from the lookup table of spacy-lookups-data, and a
few rules for forms the table misses (gemeenten -> gemeente, steden -> stad). Nothing is ever
downloaded.

The built-in pipeline does not run spaCy's tokenizer: for the words the model uses (punctuation
and numbers are dropped) it agrees with spacy.blank("nl") on 99.9% of the tokens of the training
passages (tests/test_language.py holds it to at least 99.5%), is about 25 times faster, saves
each worker the 0.6 s of building the Dutch tokenizer exceptions, and keeps no vocabulary that
grows with every new word of a national corpus.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from themescan.results import Page, Passage

if TYPE_CHECKING:
    from spacy.language import Language

TRAINED_PIPELINE = "nl_core_news_sm"
BUILT_IN = "built-in (words by rule + spacy-lookups-data lemmas + rules)"

# Irregular plurals and forms the lookup table lacks; compounds inherit them via their last part.
_IRREGULAR = {
    "steden": "stad",
    "schepen": "schip",
    "gegevens": "gegeven",
    "wegen": "weg",
    "paden": "pad",
    "bladen": "blad",
    "smeden": "smid",
    "lieden": "man",
    "kinderen": "kind",
    "eieren": "ei",
}
_S_PLURAL = ("el", "er", "em", "je", "or", "ce", "rd", "ie")
_DOUBLE = re.compile(r"([bdfgklmnprst])\1$")


@lru_cache(maxsize=1)
def trained_pipeline() -> Language | None:
    """nl_core_news_sm without parser and NER when it is installed, else None; loaded once."""
    if importlib.util.find_spec(TRAINED_PIPELINE) is None:
        return None  # spaCy itself is not even imported: workers start faster
    import spacy

    try:
        nlp = spacy.load(TRAINED_PIPELINE, exclude=["parser", "ner", "senter"])
    except OSError:
        return None
    nlp.max_length = 10**8
    return nlp


def built_in() -> bool:
    return trained_pipeline() is None


def pipeline_name() -> str:
    nlp = trained_pipeline()
    if nlp is None:
        return BUILT_IN
    return f"nl_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip()


@lru_cache(maxsize=1)
def _lookup_table() -> Mapping[str, str]:
    """spacy-lookups-data's Dutch lemma lookup table (213,000 forms), read from the package
    directly: a plain dict loads in a fraction of the time spaCy's Lookups take."""
    import spacy_lookups_data

    data = spacy_lookups_data.get_file("nl_lemma_lookup.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


@lru_cache(maxsize=1)
def _known_lemmas() -> frozenset[str]:
    return frozenset(_lookup_table().values())


@lru_cache(maxsize=100_000)
def rule_lemma(word: str) -> str:
    """A lemma for a lower-case word the lookup table does not know, by Dutch plural rules."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for irregular, lemma in _IRREGULAR.items():
        if word.endswith(irregular) and len(word) > len(irregular) + 2:
            return word[: -len(irregular)] + lemma
    known = _known_lemmas()
    if word.endswith("'s") or word.endswith("’s"):
        return word[:-2]
    if word.endswith("ën"):
        return word[:-2]
    if len(word) > 4 and word.endswith("en"):
        if word[:-1] in known or (word.endswith("ten") and word[:-1].endswith("nte")):
            return word[:-1]  # gemeenten -> gemeente
        base = word[:-2]
        if _DOUBLE.search(base):
            return base[:-1]  # datalekken -> datalek
        if word[:-1].endswith("ie") or word[:-1].endswith("ee"):
            return word[:-1]
        return base
    if len(word) > 4 and word.endswith("s") and word[:-1].endswith(_S_PLURAL):
        return word[:-1]  # dashboards -> dashboard, tabellen stay, monitors -> monitor
    return word


@lru_cache(maxsize=200_000)
def lemma_of(token_text: str, spacy_lemma: str) -> str:
    """Prefer the pipeline's lemma; fall back to the rules where the lookup left the word as is."""
    low = token_text.lower()
    lemma = spacy_lemma.lower() if spacy_lemma else low
    if lemma == low and _WORD.fullmatch(low) and low not in _known_lemmas():
        return rule_lemma(low)
    return lemma


# A word: letters, possibly joined by hyphens or an apostrophe ("e-dienstverlening", "camera's",
# "iVRI's"); spaCy's is_alpha is False for those, but they are words, not punctuation.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may stick to a word without being part of it: punctuation, quotes, brackets, symbols.
_AROUND = ".,;:!?()[]{}\"'“”‘’«»…*•·–—|<>=+%&#§°€$"


def is_word(text: str) -> bool:
    return text.isalpha() or _WORD.fullmatch(text) is not None


def words(text: str) -> list[str]:
    """The words of a text: each run between spaces, stripped of the punctuation around it,
    kept when what remains is a word ("3D-model", "P&C-cyclus" and "nood-" are not; "en/of"
    is two)."""
    out = []
    append = out.append
    word = _WORD.fullmatch
    for chunk in text.split():
        if chunk.isalpha():  # most chunks: a plain word, nothing around it to strip
            append(chunk)
            continue
        chunk = chunk.strip(_AROUND)
        if not chunk:
            continue
        if chunk.isalpha() or word(chunk) is not None:  # is_word, inlined
            append(chunk)
        elif "/" in chunk:
            out.extend(p for part in chunk.split("/") if is_word(p := part.strip(_AROUND)))
    return out


def lemmatise(texts: Iterable[str], batch_size: int = 64) -> Iterator[str]:
    """Yield, per text, its lower-case lemmas joined by spaces (punctuation and numbers dropped).

    With nl_core_news_sm the pipeline's own lemmas (from tags) are used; the built-in pipeline
    looks each word up in the table, else applies the rules (cached per distinct word).
    """
    nlp = trained_pipeline()
    if nlp is None:
        for text in texts:
            yield " ".join(map(word_lemma, words(text)))
        return
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield " ".join(lemma_of(t.text, t.lemma_) for t in doc if is_word(t.text))


@lru_cache(maxsize=200_000)
def word_lemma(word: str) -> str:
    """The built-in pipeline's lemma of one word: lookup table, else the plural rules."""
    low = word.lower()
    lemma = _lookup_table().get(low)
    return lemma.lower() if lemma else lemma_of(low, low)


# --- passages -------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9€\"'(])")
MAX_PASSAGE = 900
HEADING_MAX = 80


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; cheap rules, good enough for windows of a few sentences."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets in `text` where the sentences of text[start:end] begin (start included)."""
    return [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)]


def passages(page: Page, max_chars: int = MAX_PASSAGE) -> Iterator[Passage]:
    """Split a page into paragraph-sized passages with their offsets on the page.

    With the page's layout (a PDF): a heading joins the block after it and names the section of
    every passage until the next heading; a paragraph is a passage; a lead-in that ends in ":"
    and the list items after it are one passage, as are consecutive list items; every table row
    is a passage of its own (kind "row"); a last paragraph that runs on over the page break
    takes its rest from the next page (the passage keeps this page). Without layout (plain
    text), a short line without a full stop is taken for a heading. A long paragraph is cut
    into windows of whole sentences of at most `max_chars` characters.
    """
    if page.blocks:
        yield from _layout_passages(page, max_chars)
        return
    text = page.text
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        line = text[start:end]
        is_heading = len(line) <= HEADING_MAX and not line.rstrip().endswith((".", ":", ";"))
        if pending is None:
            pending = start
        if is_heading and end - pending < HEADING_MAX * 3:
            continue
        merged.append((pending, end))
        pending = None
    if pending is not None:
        merged.append((pending, len(text.rstrip())))
    for start, end in merged:
        if end - start <= max_chars:
            yield Passage(page.number, start, end, text[start:end])
            continue
        yield from _windows(page.number, text, start, end, max_chars)


def _layout_passages(page: Page, max_chars: int) -> Iterator[Passage]:
    text = page.text
    blocks = page.blocks
    heading = page.heading
    head_start: int | None = None  # headings waiting for the block they introduce
    i = 0
    n = len(blocks)
    body_end = n  # the paragraph a page break interrupts is the last before the footnotes
    while body_end > 0 and blocks[body_end - 1][2] == "footnote":
        body_end -= 1
    while i < n:
        start, end, kind = blocks[i]
        if kind == "heading":
            heading = text[start:end]
            if head_start is None:
                head_start = start
            i += 1
            continue
        j = i + 1
        if kind == "item" or (kind == "paragraph" and text.endswith(":", start, end)):
            while j < n and blocks[j][2] == "item" and blocks[j][1] - start <= max_chars:
                j += 1  # a lead-in and its list, or a run of list items, up to max_chars
            if kind == "paragraph" and j > i + 1:
                kind = "item"
        end = blocks[j - 1][1]
        first = head_start if head_start is not None else start
        head_start = None
        tail = page.tail if j == body_end else ""
        yield from _block_passages(page.number, text, first, end, kind, heading, tail, max_chars)
        i = j
    if head_start is not None:  # headings at the foot of the page: a passage of their own
        end = blocks[-1][1]
        yield Passage(page.number, head_start, end, text[head_start:end], "heading", heading)


def _block_passages(
    page_no: int,
    text: str,
    start: int,
    end: int,
    kind: str,
    heading: str,
    tail: str,
    max_chars: int,
) -> Iterator[Passage]:
    if end - start <= max_chars or (kind == "row" and end - start <= 2 * max_chars):
        body = text[start:end]  # one window: the usual case
        if tail:
            body = body + " " + _run_on(tail, max_chars - len(body))
        yield Passage(page_no, start, end, body, kind, heading)
        return
    windows = list(_windows(page_no, text, start, end, max_chars))
    for k, w in enumerate(windows):
        body = w.text
        if tail and k == len(windows) - 1:
            body = body + " " + _run_on(tail, max_chars - len(body))
        yield Passage(page_no, w.start, w.end, body, kind, heading)


def _run_on(tail: str, room: int) -> str:
    """The sentence that a page break interrupted, finished from the next page, and more of
    that paragraph's sentences while they fit in `room`."""
    parts = sentences(tail)
    out = parts[0] if parts else tail
    for part in parts[1:]:
        if len(out) + 1 + len(part) > room:
            break
        out = out + " " + part
    limit = max(room, MAX_PASSAGE // 3)
    if len(out) > limit:  # a run-on without a sentence end: cut at a space
        out = out[: out.rfind(" ", 0, limit) if " " in out[:limit] else limit]
    return out


def _windows(page_no: int, text: str, start: int, end: int, max_chars: int) -> Iterator[Passage]:
    chunk_start = start
    cursor = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() - chunk_start > max_chars and cursor > chunk_start:
            yield from _cut(page_no, text, chunk_start, cursor, max_chars)
            chunk_start = _skip_space(text, cursor)
        cursor = m.start()
    yield from _cut(page_no, text, chunk_start, end, max_chars)


def _cut(page_no: int, text: str, start: int, end: int, max_chars: int) -> Iterator[Passage]:
    """One window; a run-on stretch (a flattened table, an endless "sentence") cut at spaces."""
    while end - start > max_chars * 2:
        cut = text.rfind(" ", start, start + max_chars)
        cut = cut if cut > start else start + max_chars
        yield Passage(page_no, start, cut, text[start:cut])
        start = _skip_space(text, cut)
    if end > start:
        yield Passage(page_no, start, end, text[start:end])


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i
