"""Training and evaluation: labelled passages and documents in, a model and its scores out.

Passage labels (JSON Lines) say exactly which paragraph gives a theme explicit attention.
Document labels (CSV) only say that some passage does: every candidate passage of a negative
document is a negative for that theme, and of a positive document the passage a first model
finds most convincing counts as the positive (one round of multiple-instance learning).
Thresholds per theme are chosen on cross-validated document scores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from themescan.cache import content_hash
from themescan.errors import DocumentError, UsageError
from themescan.fingerprints import fingerprints_of
from themescan.language import lemmatise
from themescan.lexicon import Lexicons, load_lexicons, relative
from themescan.model import (
    DEFAULT_C,
    DEFAULT_LEXICON_WEIGHTS,
    Example,
    PassageModel,
    best_threshold,
    expit,
    f1_score,
    fit,
    fit_known,
    folds_of,
    logit,
    metadata,
    out_of_fold,
)
from themescan.pipeline import candidate_passages
from themescan.reading import find_documents, read_document
from themescan.themes import THEMES

# --- labelled data --------------------------------------------------------------------------------


def read_passages(paths: Iterable[str | Path]) -> list[dict]:
    """Passage records from JSON Lines files; a bad line is an error naming file and line:
    a record needs "text" and "labels" (a list, [] for a passage of no theme), and one text
    may not carry two sets of labels."""
    records = []
    first: dict[str, tuple[str, frozenset]] = {}  # a text, as words, -> where and its labels
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            try:
                lines = file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise UsageError(
                    f"{file} is not UTF-8 text; passages are JSON Lines in UTF-8"
                ) from None
            for n, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    text, labels = rec["text"], rec["labels"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise UsageError(
                        f'{file}:{n}: not a passage record with "text" and "labels" '
                        '(e.g. {"text": "...", "labels": ["datagedreven"]}; [] for none)'
                    ) from None
                if not isinstance(text, str) or not text.strip():
                    raise UsageError(f'{file}:{n}: "text" must be the passage, not {text!r}')
                if not isinstance(labels, list):  # a string would be read letter by letter
                    raise UsageError(
                        f'{file}:{n}: "labels" must be a list of theme ids, e.g. '
                        f'["{labels}"], not {labels!r}'
                    )
                bad = [t for t in labels if t not in THEMES]
                if bad:
                    raise UsageError(f"{file}:{n}: unknown theme id(s): {', '.join(map(str, bad))}")
                key = " ".join(text.split())
                where, earlier = first.setdefault(key, (f"{file}:{n}", frozenset(labels)))
                if earlier != frozenset(labels):
                    raise UsageError(
                        f"{file}:{n}: the same text as {where}, with other labels "
                        f"({sorted(labels)} against {sorted(earlier)}); keep one"
                    )
                rec.setdefault("id", f"{file.stem}:{n}")
                records.append(rec)
    return records


def read_labels(path: str | Path) -> dict[str, frozenset[str]]:
    """A label CSV (file + five 0/1 columns) as {file: themes flagged}. UTF-8 or Windows-1252
    (a CSV saved by Excel); comma, semicolon or tab. Anything else is a UsageError that says
    what is wrong with the file."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"labels {path} is a folder; give the label CSV file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read labels {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise UsageError(f"labels {path} is empty; expected a header {LABEL_HEADER}")
    if b"\x00" in data[:65536]:
        raise UsageError(f"labels {path} is not a text CSV (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise UsageError(f"labels {path}: not a CSV file ({exc})") from None
    missing = [c for c in ("file", *THEMES) if c not in fieldnames]
    if missing:
        raise UsageError(
            f"labels {path}: missing column(s) {', '.join(missing)}; expected {LABEL_HEADER}"
        )
    labels: dict[str, frozenset[str]] = {}
    try:
        for n, row in enumerate(reader, 2):
            values = {t: (row[t] or "").strip() for t in THEMES}
            bad = [t for t, v in values.items() if v not in ("0", "1")]
            if bad:  # a 2 or a "yes" is no label: refused, not counted as 0
                raise UsageError(
                    f"{path}:{n}: theme columns must be 0 or 1 ({bad[0]} is {values[bad[0]]!r})"
                )
            labels[row["file"]] = frozenset(t for t in THEMES if values[t] == "1")
    except csv.Error as exc:
        raise UsageError(f"labels {path}: not a CSV file ({exc})") from None
    if not labels:
        raise UsageError(f"labels {path} has a header but no rows")
    return labels


LABEL_HEADER = "file," + ",".join(THEMES)


def passage_examples(records: Sequence[dict], lexicons: Lexicons) -> list[Example]:
    """Examples from passage records: lexicon hits and lemmas computed as for a document."""
    texts = [r["text"] for r in records]
    lemmas = list(lemmatise(texts))
    matcher = lexicons.matcher
    return [
        Example(t, lem, tuple(matcher.find(t)), frozenset(r.get("labels", [])), f"p:{r['id']}")
        for t, lem, r in zip(texts, lemmas, records, strict=True)
    ]


@dataclass(frozen=True)
class LabelledDocument:
    name: str
    labels: frozenset[str]
    candidates: tuple[Example, ...]
    digest: str = ""  # sha256 of the file, so evaluate can tell when it scores a seen document


def document_examples(
    folder: str | Path, labels: dict[str, frozenset[str]], lexicons: Lexicons
) -> list[LabelledDocument]:
    """Candidate passages of every labelled, readable document under `folder`."""
    docs = []
    matcher = lexicons.matcher
    found = dict((name, path) for path, name in find_documents([folder]))
    missing = [f for f in labels if f not in found]
    if missing:
        raise UsageError(f"labelled but not found under {folder}: {', '.join(missing[:5])}")
    for name, theme_set in labels.items():
        try:
            document = read_document(found[name])
            digest = content_hash(found[name])
        except (DocumentError, OSError):
            continue
        found_passages, _ = candidate_passages(document, matcher)
        cands = [(p.text, relative(h, p.start)) for p, h in found_passages]
        lemmas = list(lemmatise([t for t, _ in cands]))
        examples = tuple(
            Example(t, lem, h, frozenset(), f"d:{name}")
            for (t, h), lem in zip(cands, lemmas, strict=True)
        )
        docs.append(LabelledDocument(name, theme_set, examples, digest))
    return docs


# --- training --------------------------------------------------------------------------------------


@dataclass
class TrainReport:
    """What `train` measured: cross-validated scores per theme and the thresholds chosen."""

    per_theme: dict[str, dict[str, float]] = field(default_factory=dict)
    macro_f1: float = 0.0
    method: str = ""
    n_passages: int = 0
    n_documents: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "macro_f1": round(self.macro_f1, 4),
            "per_theme": self.per_theme,
            "n_passages": self.n_passages,
            "n_documents": self.n_documents,
        }


def _doc_scores(model: PassageModel, docs: Sequence[LabelledDocument]) -> np.ndarray:
    scores = np.zeros((len(docs), len(THEMES)))
    for i, d in enumerate(docs):
        if d.candidates:
            c = d.candidates
            p = model.predict([e.text for e in c], [e.lemmas for e in c], [e.hits for e in c])
            scores[i] = p.max(axis=0)
    return scores


def _mil_examples(
    model: PassageModel | None, docs: Sequence[LabelledDocument]
) -> list[tuple[Example, frozenset[str]]]:
    """Document passages as examples: negatives for themes the document lacks, and per positive
    theme the single passage a first model (or the lexicon) finds strongest."""
    out = []
    for d in docs:
        if not d.candidates:
            continue
        c = d.candidates
        if model is not None:
            probs = model.predict([e.text for e in c], [e.lemmas for e in c], [e.hits for e in c])
        else:
            probs = np.array(
                [[max((h.weight for h in e.hits if h.theme == t and not h.excluded), default=0)
                  for t in THEMES] for e in c]
            )  # fmt: skip
        negatives = frozenset(THEMES) - d.labels
        best = {t: int(np.argmax(probs[:, col])) for col, t in enumerate(THEMES) if t in d.labels}
        for i, e in enumerate(c):
            positive = frozenset(t for t, j in best.items() if j == i)
            known = negatives | positive
            if known:
                out.append((Example(e.text, e.lemmas, e.hits, positive, e.group), known))
    return out


def _fit_mixed(
    passage_ex: Sequence[Example],
    docs: Sequence[LabelledDocument],
    c: float,
) -> PassageModel:
    first = fit(passage_ex, c=c) if passage_ex else None
    mil = _mil_examples(first, docs)
    if not mil:
        assert first is not None
        return first
    return fit_partial(list(passage_ex), mil, c=c)


def fit_partial(
    passage_ex: list[Example], partial: list[tuple[Example, frozenset[str]]], c: float
) -> PassageModel:
    """Fit where document passages are labelled for some themes only: per theme, use the
    passages whose label for that theme is known."""
    examples = passage_ex + [e for e, _ in partial]
    known = [frozenset(THEMES)] * len(passage_ex) + [k for _, k in partial]
    return fit_known(examples, known, c=c)


PLATEAU = 0.01  # F1 within this of the best counts as equally good (3,000 documents)
TRAPS_PER_DOCUMENT = (0, 0, 0, 1, 1, 1, 1, 1, 1, 1)  # passages with a theme's words, no attention
POSITIVES_PER_DOCUMENT = (1, 1, 2, 3)  # passages that give the theme attention, when it has it


def simulated_thresholds(
    examples: Sequence[Example],
    probs: np.ndarray,
    docs: int = 3000,
    prevalence: float = 0.35,
    seed: int = 7,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Thresholds for document scores (max over passages) from out-of-fold passage scores.

    Per theme, pseudo-documents are composed as budgets are: 20-40 passages without the theme's
    words, up to four that give other themes attention, in most a trap (the theme's words
    without attention) and, in a share `prevalence`, one to three passages that give the theme
    attention. The threshold is the middle of the plateau where F1 is within PLATEAU of its
    best: the curve is flat, and its exact maximum moves with every new training passage.
    """
    rng = random.Random(seed)
    thresholds, report = {}, {}
    for col, theme in enumerate(THEMES):
        has_words = [any(h.theme == theme for h in e.hits) for e in examples]
        pos = [i for i, e in enumerate(examples) if theme in e.labels]
        neg = [i for i, e in enumerate(examples) if theme not in e.labels]
        traps = [i for i in neg if has_words[i]]
        others = [i for i in neg if examples[i].labels and not has_words[i]]
        plain = [i for i in neg if not examples[i].labels and not has_words[i]]
        scores, truth = [], []
        for _ in range(docs):
            members = _some(rng, plain, rng.randint(20, 40)) + _some(rng, others, rng.randint(0, 4))
            members += _some(rng, traps, rng.choice(TRAPS_PER_DOCUMENT))
            label = bool(pos) and rng.random() < prevalence
            if label:
                members += _some(rng, pos, rng.choice(POSITIVES_PER_DOCUMENT))
            scores.append(max((probs[i, col] for i in members), default=0.0))
            truth.append(label)
        s, t = np.array(scores), np.array(truth)
        thr, _f1 = best_threshold(s, t, tolerance=PLATEAU)
        thresholds[theme] = thr
        report[theme] = _prf(t, s >= thr)
    return thresholds, report


CV_REPEATS = 3  # thresholds are weakly determined: one 5-fold split moves them by up to 0.3


def _passage_cv(
    examples: Sequence[Example], folds: int, c: float, repeat: int
) -> tuple[dict[str, float], dict[str, float], dict[str, dict[str, float]]]:
    """One cross-validation over passages with its own split: document thresholds, single
    passage thresholds, and the scores per theme."""
    probs = out_of_fold(examples, k=folds, c=c, seed=13 + repeat)
    doc, per_theme = simulated_thresholds(examples, probs, seed=7 + repeat)
    single = {}
    for col, theme in enumerate(THEMES):
        y = np.array([theme in e.labels for e in examples])
        single[theme], f1 = best_threshold(probs[:, col], y, tolerance=PLATEAU)
        per_theme[theme]["passage_f1"] = f1
    return doc, single, per_theme


def _mean_logit(values: Sequence[float]) -> float:
    """The average of thresholds, taken in logit space (where 0.9 and 0.99 are far apart)."""
    return expit(sum(map(logit, values)) / len(values))


def _some(rng: random.Random, population: list[int], k: int) -> list[int]:
    return rng.sample(population, min(k, len(population)))


def _prf(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1_score(truth, pred), 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def train(
    docs: str | Path | None = None,
    labels: str | Path | None = None,
    passage_files: Sequence[str | Path] = (),
    lexicons: str | Path | None = None,
    folds: int = 5,
    c: float = DEFAULT_C,
    lexicon_weights: Mapping[str, float] | None = None,
) -> tuple[PassageModel, TrainReport]:
    """Train a model from documents with labels and/or labelled passages; cross-validate it.
    lexicon_weights: per theme, the lexicon rule's share in a passage's score when the model is
    used (model.blend; default DEFAULT_LEXICON_WEIGHTS); the cross-validated scores are the
    model's own."""
    weights = dict(DEFAULT_LEXICON_WEIGHTS if lexicon_weights is None else lexicon_weights)
    if any(t not in THEMES or not 0 <= w < 1 for t, w in weights.items()):
        raise UsageError("lexicon weights are per theme, from 0 up to (not including) 1")
    if docs and not labels:
        raise UsageError("documents need a label file (--labels labels.csv)")
    if not passage_files and not (docs and labels):
        raise UsageError("give labelled passages (--passages) and/or documents with --labels")
    lex = load_lexicons(lexicons)
    records = read_passages(passage_files) if passage_files else []
    passage_ex = passage_examples(records, lex) if records else []
    labelled_docs = document_examples(docs, read_labels(labels), lex) if docs and labels else []
    if labelled_docs and len(labelled_docs) < folds:
        raise UsageError(f"need at least {folds} readable labelled documents for {folds}-fold CV")
    if passage_ex and not labelled_docs:
        for theme in THEMES:  # cross-validation gives every fold's training part one of each
            yes = sum(theme in e.labels for e in passage_ex)
            if min(yes, len(passage_ex) - yes) < 2:
                raise UsageError(
                    f"{theme}: {yes} positive and {len(passage_ex) - yes} negative passages; "
                    f"training with cross-validation needs at least 2 of each for every theme"
                )
    report = TrainReport(n_passages=len(passage_ex), n_documents=len(labelled_docs))
    single: dict[str, float] = {}  # thresholds for a document of one passage

    if labelled_docs:
        report.method = f"{folds}-fold cross-validation over documents (max passage score)"
        doc_folds = folds_of(
            [Example("", "", (), frozenset(), d.name) for d in labelled_docs], folds
        )
        oof = np.zeros((len(labelled_docs), len(THEMES)))
        for f in range(folds):
            train_docs = [d for d, g in zip(labelled_docs, doc_folds, strict=True) if g != f]
            test_idx = [i for i, g in enumerate(doc_folds) if g == f]
            model = _fit_mixed(passage_ex, train_docs, c)
            oof[test_idx] = _doc_scores(model, [labelled_docs[i] for i in test_idx])
        truth = np.array([[t in d.labels for t in THEMES] for d in labelled_docs])
        thresholds = {}
        for col, theme in enumerate(THEMES):
            thresholds[theme], _ = best_threshold(oof[:, col], truth[:, col])
            report.per_theme[theme] = _prf(truth[:, col], oof[:, col] >= thresholds[theme])
        final = _fit_mixed(passage_ex, labelled_docs, c)
    else:
        report.method = (
            f"{folds}-fold cross-validation over passages, {CV_REPEATS} splits averaged; "
            "document thresholds from "
            "pseudo-documents of out-of-fold passages composed as budgets (mostly text without "
            "the theme's words, a trap in most), 35% with one to three positives"
        )
        runs = [_passage_cv(passage_ex, folds, c, repeat) for repeat in range(CV_REPEATS)]
        thresholds = {t: _mean_logit([r[0][t] for r in runs]) for t in THEMES}
        single = {t: _mean_logit([r[1][t] for r in runs]) for t in THEMES}
        report.per_theme = {
            t: {k: round(float(np.mean([r[2][t][k] for r in runs])), 4) for k in runs[0][2][t]}
            for t in THEMES
        }
        final = fit(passage_ex, c=c)
    report.macro_f1 = float(np.mean([report.per_theme[t]["f1"] for t in THEMES]))
    if labelled_docs:
        report.warnings = sample_size_warnings(
            {t: sum(t in d.labels for d in labelled_docs) for t in THEMES},
            len(labelled_docs),
            "document",
        )
    else:
        report.warnings = sample_size_warnings(
            {t: sum(t in e.labels for e in passage_ex) for t in THEMES}, len(passage_ex), "passage"
        )
    final.lexicon_weights = weights
    final.fingerprints = tuple(fingerprints_of(r["text"] for r in records))
    final.thresholds = thresholds
    final.single_thresholds = single or dict(thresholds)
    data_hash = hashlib.sha256()
    for r in records:
        data_hash.update(json.dumps([r["text"], sorted(r.get("labels", []))]).encode())
    for d in labelled_docs:
        data_hash.update(d.name.encode() + ",".join(sorted(d.labels)).encode())
    trained_on = sorted({d.digest for d in labelled_docs if d.digest})
    final.meta = metadata(
        lex.digest, data_hash.hexdigest()[:16], report.as_dict(), {"C": c, "trained_on": trained_on}
    )
    return final, report


MIN_EXAMPLES = 20  # below this many positives or negatives, a theme's F1 is mostly luck


def sample_size_warnings(positives: dict[str, int], total: int, unit: str) -> list[str]:
    """What the cross-validated figures cannot mean when a theme has few examples on a side."""
    thin = {
        t: (pos, total - pos)
        for t, pos in positives.items()
        if pos < MIN_EXAMPLES or total - pos < MIN_EXAMPLES
    }
    if not thin:
        return []
    counts = "; ".join(f"{t} {pos} positive, {neg} negative" for t, (pos, neg) in thin.items())
    fewest = min(min(pos, neg) for pos, neg in thin.values())
    swing = f"{1 / fewest:.2f}" if fewest else "all of it"
    return [
        f"few labelled {unit}s ({counts}; fewer than {MIN_EXAMPLES} on a side). The "
        f"cross-validated figures of these themes rest on a handful of decisions: one {unit} "
        f"judged differently moves recall or precision by up to {swing}. They show that the "
        f"model separates these examples, not how well it will do on new budgets; label more "
        f"{unit}s (docs/labelling.md) and check with `themescan evaluate` on documents the "
        "model never saw."
    ]
