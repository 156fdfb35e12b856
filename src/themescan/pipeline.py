"""From files to DocumentResults: read, find lexicon hits, score candidate passages, decide.

The library's front door: `scan(paths, config)` yields one DocumentResult per input file, in a
stable order, and never raises for a problem with one file (that file's status says what).
"""

from __future__ import annotations

import bisect
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from themescan import municipalities
from themescan.aggregation import size_class
from themescan.config import Config
from themescan.errors import DocumentError, UsageError
from themescan.language import lemmatise, passages, sentence_starts
from themescan.lexicon import CUE, Lexicons, Matcher, load_lexicons, relative
from themescan.model import RULE_CUT, RULE_FLOOR, PassageModel, rule_scores
from themescan.ocr import OcrHook
from themescan.reading import file_status, limit_text, read_document
from themescan.results import (
    Document,
    DocumentResult,
    Evidence,
    Hit,
    Passage,
    ThemeResult,
    body_note,
    guess_year,
    with_note,
)
from themescan.statuses import without_text
from themescan.themes import THEMES

SNIPPET_CHARS = 300


@dataclass(frozen=True)
class Scored:
    """A candidate passage with its hits and its probability per theme."""

    passage: Passage
    hits: tuple[Hit, ...]
    scores: tuple[float, ...]


class Classifier:
    """Lexicons, language pipeline and model, loaded once and applied to many documents."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.lexicons: Lexicons = load_lexicons(self.config.lexicons)
        self.model: PassageModel | None = None
        self.rule = self.config.rule
        if self.rule is None:
            self.model = PassageModel.load(self.config.model)
        cues = {w for words in self.model.cues.values() for w in words} if self.model else set()
        self.matcher = Matcher(self.lexicons, sorted(cues))
        self.population = (
            municipalities.read_population(self.config.gemeenten) if self.config.gemeenten else None
        )

    def thresholds(self, candidates: int) -> dict[str, float]:
        """Decision thresholds per theme for a document with this many scored passages."""
        if self.model:
            return {t: self.model.threshold(t, candidates) for t in THEMES}
        return dict.fromkeys(THEMES, RULE_CUT)

    # --- one document -------------------------------------------------------------------------

    def score_passages(self, document: Document) -> tuple[list[Scored], list[Hit]]:
        """Every passage with a lexicon hit (or two cues), scored for every theme."""
        candidates, all_hits = candidate_passages(document, self.matcher)
        if not candidates:
            return [], all_hits
        texts = [p.text for p, _ in candidates]
        hit_lists = [relative(h, p.start) for p, h in candidates]
        if self.model:
            lemmas = list(lemmatise(texts))
            cut = self.thresholds(len(candidates))
            probs = self.model.score(texts, lemmas, hit_lists, [cut[t] for t in THEMES])
        else:
            probs = rule_scores(hit_lists)
        scored = [
            Scored(p, h, tuple(float(x) for x in row))
            for (p, h), row in zip(candidates, probs, strict=True)
        ]
        return scored, all_hits

    def judge(
        self, document: Document, scored_hits: tuple[list[Scored], list[Hit]] | None = None
    ) -> tuple[tuple[ThemeResult, ...], tuple[Hit, ...]]:
        """Flag, score and evidence per theme for a read document (scored now unless given)."""
        if self.rule == "keywords":
            return keyword_baseline(document), ()
        scored, hits = scored_hits or self.score_passages(document)
        thresholds = self.thresholds(len(scored))
        picks: list[tuple[int, Scored]] = []  # (theme column, passage) of every evidence
        best = []
        for col, theme in enumerate(THEMES):
            ranked = sorted(scored, key=lambda s: -s.scores[col])
            best.append(ranked[0].scores[col] if ranked else 0.0)
            picks += [
                (col, s)
                for s in ranked[: self.config.evidence]
                if s.scores[col] >= thresholds[theme]
            ]
        anchors = self.anchors(document, picks, thresholds)
        evidence: dict[int, list[Evidence]] = {}
        for (col, s), anchor in zip(picks, anchors, strict=True):
            ev = make_evidence(document, s, THEMES[col], s.scores[col], anchor)
            evidence.setdefault(col, []).append(ev)
        results = tuple(
            ThemeResult(
                theme,
                best[col] >= thresholds[theme],
                calibrate(best[col], thresholds[theme]),
                tuple(evidence.get(col, ())),
            )
            for col, theme in enumerate(THEMES)
        )
        return results, tuple(hits)

    def anchors(
        self, document: Document, picks: Sequence[tuple[int, Scored]], thresholds: dict[str, float]
    ) -> list[int | None]:
        """Per (theme column, passage): where on its page the sentence stands that the model
        finds most about the theme, so that a snippet cites what decided, not merely the
        sentence with a lexicon term ("9.000 lichtmasten" beside lighting that reports its
        own faults). One batch for the whole document; None where the passage is short enough to
        be cited whole, is one sentence, or there is no model."""
        anchors: list[int | None] = [None] * len(picks)
        if self.model is None or not picks:
            return anchors
        texts, lemma_src, hit_lists, owner = [], [], [], []
        for i, (_, s) in enumerate(picks):
            page_text = document.pages[s.passage.page - 1].text
            end = min(s.passage.end, len(page_text))
            if end - s.passage.start <= SNIPPET_CHARS - 2:
                continue  # cited whole whatever the anchor
            starts = sentence_starts(page_text, s.passage.start, end)
            if len(starts) < 2:
                continue
            for a, b in zip(starts, [*starts[1:], end], strict=True):
                texts.append(page_text[a:b])
                hit_lists.append(relative([h for h in s.hits if a <= h.start < b], a))
                owner.append((i, a))
        if not texts:
            return anchors
        lemma_src = list(lemmatise(texts))
        scores = self.model.score(texts, lemma_src, hit_lists, [thresholds[t] for t in THEMES])
        best: dict[int, float] = {}
        for (i, start), row in zip(owner, scores, strict=True):
            value = float(row[picks[i][0]])
            if value > best.get(i, -1.0):
                best[i], anchors[i] = value, start
        return anchors

    def classify_path(
        self, path: str | os.PathLike[str], name: str | None = None
    ) -> DocumentResult:
        """Read and judge one file; problems with the file become its status, never an exception."""
        return self.process(path, name or Path(path).name)[0]

    def process(
        self,
        path: str | os.PathLike[str],
        name: str,
        document: Document | None = None,
        progress: OcrHook | None = None,
    ) -> tuple[DocumentResult, Document | None]:
        """Judge a document (read from `path` unless given): its result and the pages read.
        progress: called before each page that is OCR'd (see themescan.ocr)."""
        if document is None:
            try:
                document = read_document(path, ocr=self.config.ocr, progress=progress)
            except DocumentError as exc:
                meta = self.describe(name, None)
                status = with_note(exc.status, body_note(meta.pop("body")))
                return DocumentResult(file=name, status=status, **meta), None
            except PermissionError:
                return DocumentResult(file=name, status="error: permission denied"), None
            except OSError:
                return DocumentResult(file=name, status="error: cannot read"), None
            except MemoryError:
                return DocumentResult(file=name, status="error: out of memory"), None
            except (RuntimeError, ValueError) as exc:  # a reader library's own failure
                return DocumentResult(
                    file=name, status=f"error: unreadable ({type(exc).__name__})"
                ), None
            document = limit_text(document)  # bounded time and memory, whatever the reader gave
        return self.classify_document(document, name), document

    def classify_document(
        self,
        document: Document,
        name: str,
        scored_hits: tuple[list[Scored], list[Hit]] | None = None,
    ) -> DocumentResult:
        meta = self.describe(name, document)
        status = with_note(document.status, body_note(meta.pop("body")))
        if without_text(document.status):  # not judged: no flags, no scores
            return DocumentResult(name, status, len(document.pages), **meta)
        themes, hits = self.judge(document, scored_hits)
        return DocumentResult(
            file=name,
            status=status,
            pages=len(document.pages),
            themes=themes,
            hits=hits,
            **meta,
        )

    def describe(self, name: str, document: Document | None) -> dict:
        """gemeente, inwoners, grootteklasse, doc_type and jaar, as far as they can be known."""
        first = ""
        metadata: dict[str, str] = {}
        if document is not None:
            first = "\n".join(p.text for p in document.pages[:3])[:6000]
            metadata = document.metadata
        title, filename = metadata.get("title", ""), Path(name).name
        jaar = document_year(title, filename, first[:600])
        # population files of several years: the one of the document's year
        population = self.population.for_year(jaar) if self.population is not None else None
        gemeente = municipalities.guess_gemeente(first, metadata, name, population) or ""
        inwoners: int | None = None
        klasse = ""
        mapped = population.for_file(name) if population is not None else None
        body = None if mapped else municipalities.joint_body(first, metadata, name)
        if body:  # a joint body's or a province's document is its own policy, no municipality's
            gemeente = ""
        if population is not None and not body:
            known = mapped or population.match(gemeente)
            if known is not None:
                gemeente, inwoners = known.naam, known.inwoners
            klasse = size_class(inwoners, self.config.klassen)
        return {
            "gemeente": gemeente,
            "inwoners": inwoners,
            "grootteklasse": klasse,
            "doc_type": document_type(title, filename, first[:600]),
            "jaar": jaar,
            "body": body or "",
        }


MIN_CUES = 2


def candidate_passages(
    document: Document, matcher: Matcher
) -> tuple[list[tuple[Passage, tuple[Hit, ...]]], list[Hit]]:
    """The passages worth scoring with their hits (page offsets), and every lexicon hit."""
    all_hits: list[Hit] = []
    candidates: list[tuple[Passage, tuple[Hit, ...]]] = []
    for page in document.pages:
        hits = matcher.find(page.text, page.number)
        if not hits:
            continue
        all_hits.extend(h for h in hits if h.theme != CUE)
        hits.sort(key=lambda h: h.start)  # find sorts so already; bisect relies on it
        starts = [h.start for h in hits]
        for passage in passages(page):
            # the hits that start inside: two binary searches, not a look at every hit
            lo = bisect.bisect_left(starts, passage.start)
            hi = bisect.bisect_left(starts, passage.end, lo)
            inside = tuple(hits[lo:hi])
            if worth_scoring(inside):
                candidates.append((passage, inside))
    return candidates, all_hits


def worth_scoring(hits: Sequence[Hit]) -> bool:
    """A passage is scored when it has a lexicon hit, or at least MIN_CUES different cue words
    of the model (a single common word such as "buurt" is no reason to look)."""
    cues = set()
    for h in hits:
        if h.theme != CUE:
            return True
        cues.add(h.term)
    return len(cues) >= MIN_CUES


# The plain keyword-presence peer that `evaluate --baseline keywords` scores: a document is
# flagged for a theme when any of a handful of obvious words occurs anywhere (at a word start,
# so compounds count), whatever the context. It is what themescan must beat.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "informatieveiligheid": (
        "informatieveiligheid",
        "informatiebeveiliging",
        "privacy",
        "avg",
        "cyber",
    ),
    "digitalisering": ("digitalisering", "digitaal", "digitale", "online", "ict"),
    "datagedreven": ("data", "datagedreven", "dashboard"),
    "smart_city": ("smart city", "slimme stad", "sensor", "slim"),
    "digitale_transformatie": ("digitale transformatie", "transformatie", "digitale agenda"),
}
_BASELINE = {
    t: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
    for t, words in BASELINE_KEYWORDS.items()
}


def keyword_baseline(document: Document) -> tuple[ThemeResult, ...]:
    """Flags by BASELINE_KEYWORDS, with the first occurrence as evidence."""
    results = []
    for theme in THEMES:
        evidence: tuple[Evidence, ...] = ()
        for page in document.pages:
            m = _BASELINE[theme].search(page.text)
            if m:
                start, end = _line_span(page.text, m.start())
                line = page.text[start:end][:SNIPPET_CHARS].strip()
                evidence = (Evidence(page.number, line, 1.0, (m.group(0),), line),)
                break
        results.append(ThemeResult(theme, bool(evidence), 1.0 if evidence else 0.0, evidence))
    return tuple(results)


def calibrate(score: float, threshold: float) -> float:
    """Map a raw score so that the theme's threshold sits at 0.5: scores read alike across themes."""
    score = min(max(score, 1e-6), 1 - 1e-6)
    threshold = min(max(threshold, 1e-3), 1 - 1e-3)
    logit = math.log(score / (1 - score)) - math.log(threshold / (1 - threshold))
    return round(1 / (1 + math.exp(-logit)), 4)


def make_evidence(
    document: Document, scored: Scored, theme: str, score: float, anchor: int | None = None
) -> Evidence:
    """The evidence of one passage for one theme; `anchor`: where on the page the snippet is
    to be centred (Classifier.anchors), else on the passage's strongest term."""
    passage = scored.passage
    theme_hits = [h for h in scored.hits if h.theme == theme and not h.excluded]
    page_text = document.pages[passage.page - 1].text
    snippet = snippet_at(page_text, passage, theme_hits, anchor)
    terms = tuple(dict.fromkeys(page_text[h.start : h.end] for h in theme_hits))
    return Evidence(passage.page, snippet, round(score, 4), terms, passage.text, passage.heading)


def _line_span(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def snippet_at(
    page_text: str, passage: Passage, hits: Sequence[Hit], anchor: int | None = None
) -> str:
    """The whole sentence(s) of the page where the theme is discussed, at most SNIPPET_CHARS.

    The anchor is `anchor` when given (the sentence the model found most about the theme),
    else the strongest hit in a paragraph line (a heading alone says little); with no
    hit, the passage's longest line. The snippet is the anchor's sentence, widened by the
    sentences around it while they fit; a table row or list item is cited as a whole. A
    sentence too long to fit is cut at word boundaries, and "…" marks each cut: apart from
    those marks the snippet stands verbatim in the page text.
    """
    in_body = [
        h
        for h in hits
        if _line_span(page_text, h.start)[1] - _line_span(page_text, h.start)[0] >= 100
    ]
    if anchor is not None:
        centre = anchor
    elif in_body or hits:
        centre = max(in_body or hits, key=lambda h: h.weight).start
    else:
        centre = passage.start
    line_start, line_end = _line_span(page_text, centre)
    if line_end - line_start < 100:  # a heading: cite the longest line of the passage instead
        best = (line_start, line_end)
        pos = passage.start
        for line in page_text[passage.start : passage.end].split("\n"):
            if len(line) > best[1] - best[0]:
                best = (pos, pos + len(line))
            pos += len(line) + 1
        if best != (line_start, line_end):
            line_start, line_end = best
            centre = line_start
    room = SNIPPET_CHARS - 2  # whole sentences, with room for the "…" marks of a run-on one
    if passage.kind == "row" or line_end - line_start <= room:
        starts = [line_start]
    else:
        starts = sentence_starts(page_text, line_start, line_end)
    bounds = [*starts, line_end]
    k = max(0, bisect.bisect_right(starts, centre) - 1)
    lo, hi = k, k + 1  # sentences lo..hi-1 are in the snippet
    while True:
        grown = False
        if hi < len(starts) and _span_len(page_text, bounds[lo], bounds[hi + 1]) <= room:
            hi += 1
            grown = True
        if lo > 0 and _span_len(page_text, bounds[lo - 1], bounds[hi]) <= room:
            lo -= 1
            grown = True
        if not grown:
            break
    start, end = bounds[lo], bounds[hi]
    if _span_len(page_text, start, end) > room:
        return _cut_around(page_text, start, end, centre)
    snippet = page_text[start:end].strip()
    if snippet[:1].islower():
        snippet = "…" + snippet  # the rest of a sentence begun on the page before
    runs_on = len(passage.text) > passage.end - passage.start  # over the page break
    at_break = not page_text[end : passage.end].strip()  # footnotes may follow on the page
    if runs_on and at_break and not _ENDS_SENTENCE.search(snippet):
        snippet += "…"  # the sentence goes on on the next page
    return snippet


_ENDS_SENTENCE = re.compile(r"[.!?;:][\"'”’)]*$")


def _span_len(text: str, start: int, end: int) -> int:
    return len(text[start:end].strip())


def _cut_around(text: str, start: int, end: int, centre: int) -> str:
    """A sentence too long to cite whole: a window around `centre` cut at spaces, "…" at cuts."""
    room = SNIPPET_CHARS - 2
    lo = start
    if centre - start > room // 3:  # the anchor lies deep in: start a little before it
        lo = text.find(" ", max(start, centre - room // 3), centre)
        lo = start if lo < 0 else lo + 1
    hi = min(end, lo + room)
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo + room // 2 else hi
    snippet = text[lo:hi].strip()
    return ("…" if lo > start else "") + snippet + ("…" if hi < end else "")


_DOC_TYPES = (
    ("programmabegroting", "programmabegroting"),
    ("begroting", "programmabegroting"),
    ("kadernota", "kadernota"),
    ("voorjaarsnota", "voorjaarsnota"),
    ("perspectiefnota", "kadernota"),
    ("jaarstukken", "jaarstukken"),
    ("jaarverslag", "jaarstukken"),
    ("jaarrekening", "jaarstukken"),
    ("bestuursrapportage", "bestuursrapportage"),
    ("najaarsnota", "bestuursrapportage"),
)


_DOC_TYPE_WORD = re.compile("|".join(sorted((k for k, _ in _DOC_TYPES), key=len, reverse=True)))
_TITLE_YEAR = re.compile(r"[\s_:-]*(?:20[0-4]\d)(?!\d)")
_KIND = dict(_DOC_TYPES)


def _titled(text: str) -> tuple[str, str]:
    """(kind, year) of the first document type with a year right after it ("Programmabegroting
    2025", "jaarstukken_2022", "Kadernota 2025-2028": 2025); ("", "") for none."""
    lowered = text.lower()
    for m in _DOC_TYPE_WORD.finditer(lowered):
        year = _TITLE_YEAR.match(lowered, m.end())
        if year:
            return _KIND[m.group(0)], guess_year(year.group(0))
    return "", ""


def document_year(title: str, filename: str, first_page: str) -> str:
    """The year of a P&C document. What the document calls itself on its first page comes
    first ("Programmabegroting 2025"), then its file name's and its metadata title's type and
    year, then any year in the file name, the title or the first page. A metadata title is
    often a template's ("Programmabegroting 2019 sjabloon") and a file name whoever saved it."""
    for text in (first_page, filename, title):
        year = _titled(text)[1]
        if year:
            return year
    return next((y for y in map(guess_year, (filename, title, first_page)) if y), "")


def document_type(title: str, filename: str, first_page: str) -> str:
    """The kind of P&C document, in the order of document_year: a type with a year after it
    on the first page, in the file name, in the PDF title; then a type word alone in the file
    name, the title, the first page (whose prose names other documents too)."""
    for text in (first_page, filename, title):
        kind = _titled(text)[0]
        if kind:
            return kind
    return next((k for k in map(guess_doc_type, (filename, title, first_page)) if k), "")


def guess_doc_type(text: str) -> str:
    """The kind of planning & control document, from its title, first page or file name: the
    first type word with a year after it ("Voorjaarsnota 2023", "jaarstukken_2022"), else the
    first type word at all ("Begroting online" names a website, not what this document is)."""
    found = [
        (m.group(0), _TITLE_YEAR.match(text, m.end()) is not None)
        for m in _DOC_TYPE_WORD.finditer(text.lower())
    ]
    titled = [word for word, year in found if year]
    word = (titled or [w for w, _ in found] or [""])[0]
    return _KIND.get(word, "")


@dataclass(frozen=True)
class Explanation:
    """Why a document got its flags: per theme the best passages, their scores and terms, and
    (when the model blends in the lexicon rule) each one's model probability and rule score."""

    result: DocumentResult
    thresholds: dict[str, float]
    top: dict[str, tuple[Scored, ...]]
    excluded: tuple[Hit, ...]
    document: Document
    parts: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)


def explain(
    path: str | os.PathLike[str], config: Config | None = None, top: int = 5
) -> Explanation:
    """Classify one file and keep what led to each decision; raises DocumentError if unreadable."""
    if os.path.isdir(path):
        raise UsageError(f"explain takes one file; {path} is a folder")
    status = file_status(Path(path))
    if status:  # as scan has it: an unsupported format is not read as text
        raise DocumentError(status, f"{Path(path).name}: {status}")
    classifier = Classifier(config)
    document = limit_text(read_document(path, ocr=classifier.config.ocr))
    if without_text(document.status):
        raise DocumentError(document.status, f"{Path(path).name}: {document.status}")
    scored, hits = classifier.score_passages(document)
    result = classifier.classify_document(document, Path(path).name, (scored, hits))
    best = {
        theme: tuple(sorted(scored, key=lambda s, c=col: -s.scores[c])[:top])
        for col, theme in enumerate(THEMES)
    }
    return Explanation(
        result,
        classifier.thresholds(len(scored)),
        best,
        tuple(h for h in hits if h.excluded),
        document,
        _parts(classifier, best),
    )


def _parts(
    classifier: Classifier, best: dict[str, tuple[Scored, ...]]
) -> dict[str, tuple[tuple[float, float], ...]]:
    """Per theme and shown passage: the model's own probability and the lexicon rule's score,
    the two halves of a blended passage score (empty when nothing is blended; a rule score of
    0: the rule had no term and abstained, the model's probability is the score)."""
    model = classifier.model
    if model is None or not any(model.lexicon_weights.values()):
        return {}
    shown = list({id(s): s for ranked in best.values() for s in ranked}.values())
    if not shown:
        return {}
    texts = [s.passage.text for s in shown]
    hits = [relative(s.hits, s.passage.start) for s in shown]  # as score_passages gives them
    probs = model.predict(texts, list(lemmatise(texts)), hits)
    raw = rule_scores(hits)  # as the blend uses it: 0 where it abstains, else within the floor
    rules = np.where(raw > 0, np.clip(raw, RULE_FLOOR, 1 - RULE_FLOOR), 0.0)
    row = {id(s): i for i, s in enumerate(shown)}
    return {
        theme: tuple(
            (float(probs[row[id(s)], col]), float(rules[row[id(s)], col])) for s in best[theme]
        )
        for col, theme in enumerate(THEMES)
        if model.lexicon_weights.get(theme, 0) > 0
    }
