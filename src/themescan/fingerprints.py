"""Sentence fingerprints: does a text share sentences with the passages a model was trained on?

A model scored on documents composed of its own training passages shows what it remembers, not
how it judges a new budget, and nothing in its figures says so. Training records a fingerprint
of every sentence of its passages (a 48-bit hash of the sentence with everything but letters and
digits taken out, so that line breaks, hyphenation and spacing of a PDF do not hide it);
`evaluate` counts, per document, how many of its sentences carry one of them. Only the hashes are
kept: the training text cannot be read back from them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

FILE = "fingerprints.txt"
"""In a model folder: one hex fingerprint per line, sorted."""
MIN_CHARS = 40  # letters and digits: shorter sentences ("Wat gaat het kosten?") are common
# A document counts as made of training text when at least this many of its sentences, and this
# share of them, carry a training fingerprint. Budget boilerplate ("Voor onze gemeente heeft dit
# geen financiële gevolgen:") is shared by chance: 1-3 sentences of 100-250 in the composed dev
# documents against the packaged model's passages, 85-95% against a model trained on the
# passages those documents were made of.
MIN_SHARED = 5
MIN_SHARE = 0.1
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")
_NOT_WORD = re.compile(r"[\W_]+")


def sentence_fingerprints(text: str) -> set[str]:
    """The fingerprints of the sentences of `text` that are long enough to be telling."""
    out = set()
    for sentence in _SENTENCE.split(text):
        key = _NOT_WORD.sub("", sentence.lower())
        if len(key) >= MIN_CHARS:
            out.add(hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest())
    return out


def fingerprints_of(texts: Iterable[str]) -> list[str]:
    """Sorted fingerprints of every sentence of `texts` (a model's training passages)."""
    found: set[str] = set()
    for text in texts:
        found |= sentence_fingerprints(text)
    return sorted(found)
