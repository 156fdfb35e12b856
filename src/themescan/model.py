"""The judge: a scikit-learn model that scores passages per theme, and its safe persistence.

Features per passage: character n-grams of the text (robust to Dutch compounds and to PDF
noise), word unigrams and bigrams of its lemmas, and the lexicon evidence per theme (weights of
the hits, how many an exclusion cancelled). One logistic regression per theme turns them into a
probability. A document's score for a theme is the highest probability of any of its passages,
so one clear paragraph flags a 400-page document and many passing mentions do not add up.

A model directory holds `model.json` (settings, thresholds, versions, hashes, cross-validation
scores) and `weights.npz` (arrays only, loaded with allow_pickle=False): nothing in it can run code.
The only module that imports scikit-learn.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import math
import random
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as _pkg_version
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from murmurhash import hash as murmur3_32

from themescan import __version__
from themescan.config import default_model_dir
from themescan.errors import ModelError
from themescan.fingerprints import FILE as FINGERPRINTS
from themescan.language import pipeline_name
from themescan.lexicon import sentence_bounds
from themescan.modelfile import (  # the format of a model folder, checked before loading
    CHAR_FEATURES,
    FORMAT,
    LEX_PER_THEME,
    LEX_SCALE,
    ROLE_PER_THEME,
    WORD_FEATURES,
    _file_hash,
    _validated,
)
from themescan.results import Hit
from themescan.themes import THEMES

SKLEARN_VERSION = _pkg_version("scikit-learn")
REFERENCE_PASSAGES = 40  # passages per pseudo-document when document thresholds are chosen
# The lexicon rule's share in a passage score (blend): equal weight for the two judges, except
# for digitale transformatie, whose strongest terms are the banner words themselves ("digitale
# transformatie"), which budgets also put above ordinary ICT work that the guide does not count.
DEFAULT_LEXICON_WEIGHTS = {t: 0.0 if t == "digitale_transformatie" else 0.5 for t in THEMES}
DEFAULT_C = 64.0  # inverse regularisation, chosen by passage-level cross-validation (4-64 tried)


@dataclass(frozen=True)
class Example:
    """One labelled passage: its text, lemmas, lexicon hits and the themes it gives attention to."""

    text: str
    lemmas: str
    hits: tuple[Hit, ...]
    labels: frozenset[str]
    group: str = ""  # passages of one document share a group, so folds keep them together


# Feature hashing exactly as scikit-learn's HashingVectorizer (char_wb 3-5 on lower case; word
# 1-2 grams on lemmas; MurmurHash3 of the UTF-8 n-gram, |h| mod n, no alternate sign), written
# out so that scoring needs no scikit-learn import: workers start faster. Training uses it too.
CHAR_NGRAMS = (3, 5)
_EDGE = -2147483648  # the one hash whose |h| does not fit in 32 bits


def _edge_column(n_features: int) -> int:
    return (2147483647 - (n_features - 1)) % n_features  # where scikit-learn puts _EDGE


def _bucket(feature: str, n_features: int) -> int:
    h = murmur3_32(feature)
    return _edge_column(n_features) if h == _EDGE else abs(h) % n_features


def _columns(h: np.ndarray, n_features: int) -> np.ndarray:
    """_bucket for an array of hashes."""
    h = h.astype(np.int64)
    return np.where(h == _EDGE, _edge_column(n_features), np.abs(h) % n_features).astype(np.int32)


def _char_wb_ngrams(word: str) -> list[str]:
    w = f" {word} "
    out = []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        out.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
        if len(w) <= n:  # a short word counts once, as a whole
            break
    return out


# MurmurHash3 (x86, 32 bit, seed 0) of many n-grams of one length at once, in numpy: hashing
# one n-gram at a time from Python cost each worker ~10 us per new word, 3 us this way.
_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _murmur_rows(rows: np.ndarray) -> np.ndarray:
    """Signed MurmurHash3 of each row of a (k, length) uint8 array, as murmur3_32 gives."""
    k, length = rows.shape
    h = np.zeros(k, np.uint32)
    blocks = length // 4
    if blocks:
        words = np.ascontiguousarray(rows[:, : blocks * 4]).view("<u4")
        for b in range(blocks):
            k1 = _rotl(words[:, b] * _C1, 15) * _C2
            h = _rotl(h ^ k1, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    tail = length % 4
    if tail:
        k1 = np.zeros(k, np.uint32)
        for i in range(tail):
            k1 |= rows[:, blocks * 4 + i].astype(np.uint32) << np.uint32(8 * i)
        h ^= _rotl(k1 * _C1, 15) * _C2
    h ^= np.uint32(length)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _char_ngram_columns(words: Sequence[str]) -> list[np.ndarray]:
    """Each word's hashed char_wb n-gram columns, for many words at once. A padded word's
    n-grams are the windows of its bytes that end inside it; other words than ASCII (rare in
    Dutch budgets: é, ë) are cut into n-grams one by one."""
    ascii_words = [w for w in words if w.isascii()]
    out = dict(zip(ascii_words, _ascii_ngram_columns(ascii_words), strict=True))
    for w in words:
        if w not in out:
            grams = _char_wb_ngrams(w)
            out[w] = np.fromiter((_bucket(g, CHAR_FEATURES) for g in grams), np.int32, len(grams))
    return [out[w] for w in words]


def _ascii_ngram_columns(words: list[str]) -> list[np.ndarray]:
    if not words:
        return []
    data = np.frombuffer(("".join(f" {w} " for w in words)).encode("ascii"), np.uint8)
    padded = np.fromiter(map(len, words), np.int64, len(words)) + 2
    ends = np.cumsum(padded)
    owner = np.repeat(np.arange(len(words)), padded)
    position = np.arange(len(data))
    cols, owners = [], []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        starts = np.flatnonzero(position + n <= ends[owner])
        if not len(starts):
            break
        rows = np.lib.stride_tricks.sliding_window_view(data, n)[starts]
        cols.append(_columns(_murmur_rows(rows), CHAR_FEATURES))
        owners.append(owner[starts])
    by_word = np.concatenate(owners)
    order = np.argsort(by_word, kind="stable")
    counts = np.bincount(by_word, minlength=len(words))
    return np.split(np.concatenate(cols)[order], np.cumsum(counts)[:-1])


def lexicon_features(
    hits: Sequence[Sequence[Hit]], themes: Sequence[str] = THEMES, scale: float = LEX_SCALE
) -> np.ndarray:
    """Per passage and theme: strongest weight, noisy-or of weights, hit count, excluded count."""
    out = np.zeros((len(hits), LEX_PER_THEME * len(themes)), dtype=np.float32)
    index = {t: i for i, t in enumerate(themes)}
    for row, passage_hits in enumerate(hits):
        miss = np.ones(len(themes))
        for h in passage_hits:
            col = index.get(h.theme)
            if col is None:
                continue
            base = col * LEX_PER_THEME
            if h.excluded:
                out[row, base + 3] += 1
                continue
            out[row, base] = max(out[row, base], h.weight)
            miss[col] *= 1 - h.weight
            out[row, base + 2] += 1
        for col in range(len(themes)):
            base = col * LEX_PER_THEME
            out[row, base + 1] = 1 - miss[col]
            out[row, base + 2] = math.log1p(out[row, base + 2])
            out[row, base + 3] = math.log1p(out[row, base + 3])
    return out * scale


# Who acts in the sentence of a theme's hit: labelling.md counts a theme only when the
# municipality itself has a role, not when the text reports on another organisation.
_OWN = re.compile(r"\b(wij|we|ons|onze|gemeente|gemeentelijke?|college|raad|ambtelijke)\b", re.I)
_OTHER = re.compile(
    r"\b(netbeheerder|provincie|provinciale|regeling|waterschap|veiligheidsregio|ggd|rijk|"
    r"rijksoverheid|kabinet|ministerie|vng|omgevingsdienst|politie|corporaties?|bibliotheek|"
    r"scholen|school|ziekenhuis|bedrijven|ondernemers|board|werkbedrijf|jaarverslag|"
    r"vervoerder|uitvoeringsorganisatie|samenwerkingsverband|haar eigen|hun eigen)\b",
    re.I,
)


def role_features(
    texts: Sequence[str], hits: Sequence[Sequence[Hit]], themes: Sequence[str] = THEMES
) -> np.ndarray:
    """Per passage and theme: does a sentence with a strong hit name the municipality as actor,
    does it name another organisation. The sentence before counts too. Hit offsets are relative
    to the passage text."""
    out = np.zeros((len(texts), ROLE_PER_THEME * len(themes)), dtype=np.float32)
    index = {t: i for i, t in enumerate(themes)}
    for row, (text, passage_hits) in enumerate(zip(texts, hits, strict=True)):
        for h in passage_hits:
            col = index.get(h.theme)
            if col is None or h.excluded or h.weight < 0.5:
                continue
            s, e = sentence_bounds(text, h.start, h.end)
            if s > 1:  # the actor is often named in the sentence before
                s = sentence_bounds(text, s - 2, s - 1)[0]
            sentence = text[s:e]
            base = col * ROLE_PER_THEME
            out[row, base] = max(out[row, base], float(bool(_OWN.search(sentence))))
            out[row, base + 1] = max(out[row, base + 1], float(bool(_OTHER.search(sentence))))
    return out


@dataclass
class PassageModel:
    """Trained weights plus the settings and thresholds that make them a classifier."""

    char_idf: np.ndarray
    word_idf: np.ndarray
    coef: sp.csr_matrix  # themes x features
    intercept: np.ndarray
    thresholds: dict[str, float]
    themes: tuple[str, ...] = THEMES
    meta: dict = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)
    lex_scale: float = LEX_SCALE
    single_thresholds: dict[str, float] = field(default_factory=dict)
    # per theme, the lexicon rule's share in a passage's score (see blend); none: the model alone
    lexicon_weights: dict[str, float] = field(default_factory=dict)
    # of the training passages' sentences (themescan.fingerprints), written beside the weights
    fingerprints: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _dense: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def threshold(self, theme: str, candidates: int) -> float:
        """The decision threshold for a document with this many scored passages.

        `thresholds` hold for documents of about REFERENCE_PASSAGES passages (a budget) and
        `single_thresholds` for a single passage (one page of an online budget). The maximum
        of more passage scores is higher by chance alone, so in between the threshold moves
        with the logarithm of the count, in logit space.
        """
        many = self.thresholds[theme]
        one = self.single_thresholds.get(theme, many)
        share = min(1.0, math.log(max(candidates, 1)) / math.log(REFERENCE_PASSAGES))
        return expit(logit(one) + share * (logit(many) - logit(one)))

    def features(
        self, texts: Sequence[str], lemmas: Sequence[str], hits: Sequence[Sequence[Hit]]
    ) -> sp.csr_matrix:
        return _features(
            texts, lemmas, hits, self.char_idf, self.word_idf, self.themes, self.lex_scale
        )

    def predict(
        self, texts: Sequence[str], lemmas: Sequence[str], hits: Sequence[Sequence[Hit]]
    ) -> np.ndarray:
        """Probability per passage (rows) and theme (columns)."""
        if not texts:
            return np.zeros((0, len(self.themes)))
        char, word, rest = self._dense_weights()
        z = _tfidf_dot(_char_columns(texts), CHAR_FEATURES, self.char_idf, char)
        z += _tfidf_dot(_word_columns(lemmas), WORD_FEATURES, self.word_idf, word)
        dense = np.hstack(
            [
                lexicon_features(hits, self.themes, self.lex_scale),
                role_features(texts, hits, self.themes),
            ]
        )
        z += dense @ rest + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score(
        self,
        texts: Sequence[str],
        lemmas: Sequence[str],
        hits: Sequence[Sequence[Hit]],
        thresholds: Sequence[float],
    ) -> np.ndarray:
        """The passage scores that `thresholds` (per theme, for this document) apply to: the
        probabilities, blended with the lexicon rule where lexicon_weights say so."""
        probs = self.predict(texts, lemmas, hits)
        weights = np.array([self.lexicon_weights.get(t, 0.0) for t in self.themes])
        if not weights.any() or not len(probs):
            return probs
        return blend(probs, rule_scores(hits, self.themes), np.array(thresholds), weights)

    def _dense_weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The coefficients as dense blocks (features x themes: char, word, lexicon and role):
        8 MB that turn scoring into one sparse-times-dense product per block."""
        if self._dense is None:
            full = np.ascontiguousarray(self.coef.toarray().T, dtype=np.float32)
            split = CHAR_FEATURES + WORD_FEATURES
            self._dense = (full[:CHAR_FEATURES], full[CHAR_FEATURES:split], full[split:])
        return self._dense

    # --- persistence ------------------------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        coef = self.coef.tocsr()
        np.savez_compressed(
            out / "weights.npz",
            char_idf=self.char_idf.astype(np.float32),
            word_idf=self.word_idf.astype(np.float32),
            coef_data=coef.data.astype(np.float32),
            coef_indices=coef.indices.astype(np.int32),
            coef_indptr=coef.indptr.astype(np.int64),
            coef_shape=np.array(coef.shape, dtype=np.int64),
            intercept=self.intercept.astype(np.float64),
        )
        meta = dict(self.meta)
        meta.pop("path", None)
        prints = out / FINGERPRINTS
        if self.fingerprints:
            prints.write_text("\n".join(self.fingerprints) + "\n", encoding="ascii")
            meta["fingerprints"] = {"file": FINGERPRINTS, "sentences": len(self.fingerprints)}
        else:
            prints.unlink(missing_ok=True)
            meta.pop("fingerprints", None)
        meta.update(
            weights_hash=_file_hash(out / "weights.npz"),
            format=FORMAT,
            themes=list(self.themes),
            thresholds={t: round(float(v), 4) for t, v in self.thresholds.items()},
            single_thresholds={t: round(float(v), 4) for t, v in self.single_thresholds.items()},
            cues=self.cues,
            features={
                "char": "char_wb 3-5, hashed 2^18, tf-idf",
                "word": "lemma 1-2, hashed 2^17, tf-idf",
                "lexicon": f"{LEX_PER_THEME} per theme",
            },
            lex_scale=self.lex_scale,
            lexicon_weights=self.lexicon_weights,
        )
        (out / "model.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        return out

    @classmethod
    def load(cls, directory: str | Path | None = None) -> PassageModel:
        """Load a model directory (default: the packaged model) after validate_model_dir has
        checked every part of it; warn if another version made it."""
        folder = Path(directory) if directory else default_model_dir()
        meta, arrays = _validated(folder)
        made_by = meta.get("versions", {})
        if made_by.get("themescan") != __version__ or made_by.get("scikit-learn") != (
            SKLEARN_VERSION
        ):
            warnings.warn(
                f"model in {folder} was made by themescan {made_by.get('themescan')} with "
                f"scikit-learn {made_by.get('scikit-learn')}; this is themescan {__version__} "
                f"with scikit-learn {SKLEARN_VERSION}: retrain it if results look off",
                ModelVersionWarning,
                stacklevel=2,
            )
        trained_with = made_by.get("language pipeline")
        if trained_with and trained_with != pipeline_name():
            warnings.warn(
                f"model in {folder} was trained with the {trained_with} language pipeline; "
                f"this run uses {pipeline_name()}: lemma features will differ",
                ModelVersionWarning,
                stacklevel=2,
            )
        themes = tuple(meta["themes"])
        coef = sp.csr_matrix(
            (arrays["coef_data"], arrays["coef_indices"], arrays["coef_indptr"]),
            shape=tuple(int(n) for n in arrays["coef_shape"]),
        )
        model = cls(
            char_idf=arrays["char_idf"].astype(np.float32, copy=False),
            word_idf=arrays["word_idf"].astype(np.float32, copy=False),
            coef=coef,
            intercept=arrays["intercept"].astype(np.float64, copy=False),
            thresholds={t: float(meta["thresholds"][t]) for t in themes},
            themes=themes,
            meta=meta,
            cues={t: list(v) for t, v in meta.get("cues", {}).items()},
            lex_scale=float(meta.get("lex_scale", LEX_SCALE)),
            single_thresholds={t: float(v) for t, v in meta.get("single_thresholds", {}).items()},
            lexicon_weights={t: float(v) for t, v in meta.get("lexicon_weights", {}).items()},
        )
        model.meta["path"] = str(folder)
        return model


# --- validation: nothing in a model folder is trusted before it is checked -----------------------


RULE_CUT = 0.5  # the lexicon rule's own threshold (a noisy-or of term weights)
# The rule's score is kept within RULE_FLOOR and 1 - RULE_FLOOR: a term is never proof, and a
# weak one is not disproof. Without any term of a theme the rule abstains (see blend).
RULE_FLOOR = 0.1


def rule_scores(hits: Sequence[Sequence[Hit]], themes: Sequence[str] = THEMES) -> np.ndarray:
    """The lexicon rule per passage (rows) and theme (columns): the noisy-or of the weights of
    the theme's hits that no exclusion cancelled (0 without a hit)."""
    out = np.zeros((len(hits), len(themes)))
    col = {t: i for i, t in enumerate(themes)}
    for row, passage in enumerate(hits):
        miss = np.ones(len(themes))
        for h in passage:
            if not h.excluded and h.theme in col:
                miss[col[h.theme]] *= 1 - h.weight
        out[row] = 1 - miss
    return out


def blend(
    probs: np.ndarray, rule: np.ndarray, thresholds: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Passage scores (rows) per theme (columns) that weigh the model against the lexicon rule.

    Each judge's score is measured from its own threshold in logit space (how sure it is, in its
    own units: the model's `thresholds`, the rule's RULE_CUT) and the two are averaged with
    `weights` (per theme) on the rule; the result is put back on the model's scale, so the
    model's thresholds still decide. On real budgets the model, trained on our own passages, and
    the rule, written from the guide, err on different passages, and the average errs less than
    either (realdev/, README). Where the rule found no term of the theme it abstains and the
    model's score stands: hearing nothing is not evidence against a theme that a passage puts
    in other words (with a vote of RULE_FLOOR it held a keyword-free passage the model was sure
    of under the threshold, on ../shared/dev; on real text the two are level, README).
    """
    eps = 1e-6
    p = np.clip(probs, eps, 1 - eps)
    r = np.clip(rule, RULE_FLOOR, 1 - RULE_FLOOR)
    t = np.clip(thresholds, eps, 1 - eps)
    lt = np.log(t / (1 - t))
    rule_margin = np.log(r / (1 - r)) - math.log(RULE_CUT / (1 - RULE_CUT))
    model_margin = np.log(p / (1 - p)) - lt
    z = np.where(rule > 0, (1 - weights) * model_margin + weights * rule_margin, model_margin)
    return 1.0 / (1.0 + np.exp(-(z + lt)))


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def expit(z: float) -> float:
    return 1 / (1 + math.exp(-z))


class ModelVersionWarning(UserWarning):
    """The model was saved by another themescan or scikit-learn version."""


# --- training -------------------------------------------------------------------------------------


_WORD_NGRAMS: dict[str, np.ndarray] = {}  # word -> hashed char n-gram columns
_WORD_BUCKETS: dict[str, int] = {}  # lemma or lemma bigram -> hashed column
_CACHE_MAX = 200_000  # entries (some 40 MB); emptied when full, so memory stays flat


def _lemma_features(text: str) -> list[str]:
    tokens = text.split()
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Hashed character n-gram counts, as HashingVectorizer(char_wb) gives them, but faster:
    char_wb n-grams never cross a word boundary, so a text's counts are the sum of its words'
    counts, and each distinct word is hashed once per process (budgets repeat their words)."""
    return _counts(*_char_columns(texts), CHAR_FEATURES)


def word_counts(lemmas: Sequence[str]) -> sp.csr_matrix:
    """Hashed lemma unigram and bigram counts."""
    return _counts(*_word_columns(lemmas), WORD_FEATURES)


def _counts(indptr: np.ndarray, columns: np.ndarray, n_features: int) -> sp.csr_matrix:
    data = np.ones(len(columns), np.float32)
    x = sp.csr_matrix((data, columns, indptr), shape=(len(indptr) - 1, n_features))
    x.sum_duplicates()
    return x


def _char_columns(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and hashed columns of the n-grams of every text (repeats included)."""
    tokens = [text.lower().split() for text in texts]
    flat = list(itertools.chain.from_iterable(tokens))
    if len(_WORD_NGRAMS) > _CACHE_MAX:
        _WORD_NGRAMS.clear()
    index = dict.fromkeys(flat)  # distinct words in order of appearance
    new = [w for w in index if w not in _WORD_NGRAMS]  # each word is hashed once per process
    _WORD_NGRAMS.update(zip(new, _char_ngram_columns(new), strict=True))
    grams = []
    for i, word in enumerate(index):
        index[word] = i
        grams.append(_WORD_NGRAMS[word])
    indptr = np.zeros(len(texts) + 1, np.int64)
    if not grams:
        return indptr, np.zeros(0, np.int32)
    sizes = np.fromiter(map(len, grams), np.int64, len(grams))
    starts = np.zeros(len(grams), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    ids = np.fromiter(map(index.__getitem__, flat), np.int64, len(flat))
    # every occurrence of a word contributes its n-gram columns: gather them in one go
    n = sizes[ids]
    ends = np.cumsum(n)
    take = np.arange(ends[-1]) + np.repeat(starts[ids] - (ends - n), n)
    per_text = np.fromiter(map(len, tokens), np.int64, len(tokens))
    token_end = np.cumsum(per_text)
    indptr[1:] = np.where(token_end > 0, ends[np.maximum(token_end - 1, 0)], 0)
    return indptr, np.concatenate(grams)[take]


def _word_columns(lemmas: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    feats = [_lemma_features(text) for text in lemmas]
    flat = list(itertools.chain.from_iterable(feats))
    if len(_WORD_BUCKETS) > _CACHE_MAX:
        _WORD_BUCKETS.clear()
    for f in dict.fromkeys(flat):
        if f not in _WORD_BUCKETS:
            _WORD_BUCKETS[f] = _bucket(f, WORD_FEATURES)
    indptr = np.zeros(len(lemmas) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, feats), np.int64, len(feats)), out=indptr[1:])
    return indptr, np.fromiter(map(_WORD_BUCKETS.__getitem__, flat), np.int32, len(flat))


def _tfidf_dot(
    rows: tuple[np.ndarray, np.ndarray], n_features: int, idf: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """(Sublinear tf-idf, l2-normalised counts) times weights (features x themes): the same
    numbers as _tfidf(counts, idf) @ weights, with less in between."""
    x = _counts(*rows, n_features)
    x.data = np.log1p(x.data) * idf[x.indices]  # float32 throughout: half the memory traffic
    row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    norm = np.sqrt(np.bincount(row, weights=x.data * x.data, minlength=x.shape[0]))
    norm[norm == 0] = 1
    return (x @ weights) / norm[:, None]


def _features(
    texts, lemmas, hits, char_idf, word_idf, themes, lex_scale=LEX_SCALE
) -> sp.csr_matrix:
    xc = char_counts(texts)
    xw = word_counts(lemmas)
    xc = _tfidf(xc, char_idf)
    xw = _tfidf(xw, word_idf)
    xl = sp.csr_matrix(
        np.hstack([lexicon_features(hits, themes, lex_scale), role_features(texts, hits, themes)])
    )
    return sp.hstack([xc, xw, xl], format="csr", dtype=np.float32)


def _tfidf(x: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    x = x.tocsr(copy=True)
    np.log1p(x.data, out=x.data)  # sublinear tf
    x = x @ sp.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ x)


def _fit_idf(texts: Sequence[str], lemmas: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfTransformer

    tc = TfidfTransformer(smooth_idf=True).fit(char_counts(texts))
    tw = TfidfTransformer(smooth_idf=True).fit(word_counts(lemmas))
    return tc.idf_.astype(np.float32), tw.idf_.astype(np.float32)


def fit(
    examples: Sequence[Example], c: float = DEFAULT_C, themes: Sequence[str] = THEMES
) -> PassageModel:
    """Fit one logistic regression per theme on labelled passages."""
    return fit_known(examples, [frozenset(themes)] * len(examples), c=c, themes=themes)


def fit_known(
    examples: Sequence[Example],
    known: Sequence[frozenset[str]],
    c: float = DEFAULT_C,
    themes: Sequence[str] = THEMES,
) -> PassageModel:
    """Fit per theme on the examples whose label for that theme is known."""
    texts = [e.text for e in examples]
    lemmas = [e.lemmas for e in examples]
    char_idf, word_idf = _fit_idf(texts, lemmas)
    x = _features(texts, lemmas, [e.hits for e in examples], char_idf, word_idf, themes)
    rows, intercepts, cues = [], [], {}
    for theme in themes:
        mask = np.array([theme in k for k in known])
        y = np.array([theme in e.labels for e in examples], dtype=int)[mask]
        if len(y) == 0 or y.min() == y.max():
            raise ModelError(f"training data needs positive and negative passages for {theme}")
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
        clf.fit(x[mask], y)
        coef = clf.coef_.ravel().astype(np.float32)
        coef[np.abs(coef) < 1e-5] = 0
        rows.append(sp.csr_matrix(coef))
        intercepts.append(float(clf.intercept_[0]))
        selected = [e for e, m in zip(examples, mask, strict=True) if m]
        cues[theme] = learn_cues(
            selected, theme, coef[CHAR_FEATURES : CHAR_FEATURES + WORD_FEATURES]
        )
    return PassageModel(
        char_idf=char_idf,
        word_idf=word_idf,
        coef=sp.vstack(rows, format="csr"),
        intercept=np.array(intercepts),
        thresholds=dict.fromkeys(themes, 0.5),
        themes=tuple(themes),
        cues=cues,
    )


def learn_cues(
    examples: Sequence[Example], theme: str, word_coef: np.ndarray, k: int = 40
) -> list[str]:
    """Words that speak for a theme in the training data: frequent in its positive passages,
    rare in its negatives, with a positive weight in the model. They let the model see
    passages that use none of the lexicon's terms."""
    pos = [e for e in examples if theme in e.labels]
    neg = [e for e in examples if theme not in e.labels]
    if not pos:
        return []
    in_pos = Counter(w for e in pos for w in set(e.lemmas.split()))
    in_neg = Counter(w for e in neg for w in set(e.lemmas.split()))
    from spacy.lang.nl.stop_words import STOP_WORDS

    words = [
        w
        for w, n in in_pos.items()
        if n >= 2
        and len(w) >= 5
        and w not in STOP_WORDS
        and (n / len(pos)) >= 5 * (in_neg[w] + 1) / (len(neg) + 1)
    ]
    if not words:
        return []
    idx = np.array([_bucket(w, WORD_FEATURES) for w in words])
    weights = word_coef[idx]
    ranked = sorted(zip(weights, words, strict=True), reverse=True)
    return sorted(w for weight, w in ranked[:k] if weight > 0)


def folds_of(examples: Sequence[Example], k: int, seed: int = 13) -> list[int]:
    """A fold per example; examples of one group stay together, and groups with the same labels
    are dealt out over the folds in turn (stratified), so every fold trains on every theme."""
    labels: dict[str, frozenset[str]] = {}
    for i, e in enumerate(examples):
        labels[e.group or f"#{i}"] = labels.get(e.group or f"#{i}", frozenset()) | e.labels
    groups = sorted(labels)
    rng = random.Random(seed)
    rng.shuffle(groups)
    groups.sort(key=lambda g: sorted(labels[g]))  # stable: shuffled within each label set
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [fold_of[e.group or f"#{i}"] for i, e in enumerate(examples)]


def out_of_fold(
    examples: Sequence[Example], k: int = 5, c: float = DEFAULT_C, seed: int = 13
) -> np.ndarray:
    """Cross-validated passage probabilities: each example scored by a model that never saw it."""
    folds = folds_of(examples, k, seed=seed)
    probs = np.zeros((len(examples), len(THEMES)))
    for f in range(k):
        train = [e for e, g in zip(examples, folds, strict=True) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        model = fit(train, c=c)
        test = [examples[i] for i in test_idx]
        probs[test_idx] = model.predict(
            [e.text for e in test], [e.lemmas for e in test], [e.hits for e in test]
        )
    return probs


def best_threshold(
    scores: np.ndarray, truth: np.ndarray, tolerance: float = 0.0
) -> tuple[float, float]:
    """The threshold that maximises F1 (midpoints between neighbouring scores); returns (t, F1).

    With a tolerance, the middle of the widest run of thresholds whose F1 is within `tolerance`
    of the best: on a flat curve the exact maximum is noise, and the middle of the plateau
    moves less when the training data changes.
    """
    order = np.unique(np.round(scores, 4))
    candidates = sorted({0.5, *(float((a + b) / 2) for a, b in itertools.pairwise(order))})
    f1s = [f1_score(truth, scores >= t) for t in candidates]
    top = max(f1s)
    if tolerance <= 0:
        ties = [t for t, f in zip(candidates, f1s, strict=True) if abs(f - top) < 1e-9]
        best = min(ties, key=lambda t: abs(t - 0.5))
        return best, top
    runs: list[list[float]] = [[]]
    for t, f in zip(candidates, f1s, strict=True):
        if f >= top - tolerance:
            runs[-1].append(t)
        elif runs[-1]:
            runs.append([])
    widest = max(runs, key=lambda r: (r[-1] - r[0]) if r else -1.0)
    middle = widest[len(widest) // 2]
    return middle, f1s[candidates.index(middle)]


def f1_score(truth: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def metadata(lexicon_digest: str, data_digest: str, cv: dict, extra: dict | None = None) -> dict:
    """What a model directory says about how it was made."""
    meta = {
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "versions": {
            "themescan": __version__,
            "scikit-learn": SKLEARN_VERSION,
            "spacy": _pkg_version("spacy"),
            "numpy": np.__version__,
            "language pipeline": pipeline_name(),
        },
        "lexicon_hash": lexicon_digest,
        "training_data_hash": data_digest,
        "cross_validation": cv,
    }
    meta.update(extra or {})
    return meta
