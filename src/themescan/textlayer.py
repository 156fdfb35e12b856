"""Is a page's text layer language? Pure functions on the extracted text of one page.

A PDF whose fonts carry no usable character map (common in older exports) extracts as glyph
codes: "'\"&()#*+++ cdef fgf fh", control characters, private-use or replacement characters.
Read as text it gives nonsense passages and, worse, nonsense evidence. The signals here are
cheap and need no dictionary: the share of characters that cannot occur in text, the share of
letters, the share of words with a vowel, and whether any common function word occurs. Tables of
numbers, short pages, headings and English pass; glyph-code soup does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT = "text"
"""The text layer reads as language (or as a table of numbers)."""
LITTLE = "little"
"""Too little text to judge: an empty, image-only or nearly empty page."""
UNREADABLE = "unreadable"
"""A text layer that is not language: its text is dropped."""

MIN_CHARS = 40
"""Below this many non-space characters a page is not judged (a title page, a divider)."""

_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûüýÿ")
# Frequent words of Dutch and English prose; a page of real text has some of these.
_FUNCTION_WORDS = """
    de het een en van in op te voor met is dat die zijn wordt worden we wij niet aan door bij om
    ook als naar over uit of tot er deze dit heeft hebben kan nog per meer dan zo ze hij zij
    ons onze u uw the of and to a in is for on that with are be by this as at from it an or
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


@dataclass(frozen=True)
class LayerStats:
    """What the judgement is based on, for tests and for explaining a verdict."""

    chars: int  # non-space characters
    odd: int  # control, private-use and replacement characters
    letters: int  # letters, and other word characters of any script
    digits: int
    words: int  # tokens of two or more letters (punctuation at their edges stripped)
    vowel_words: int
    function_words: int  # distinct ones
    long_letters: int  # letters in runs of more than 25: text without spaces

    @property
    def odd_share(self) -> float:
        return self.odd / self.chars if self.chars else 0.0

    @property
    def letter_share(self) -> float:
        return self.letters / self.chars if self.chars else 0.0

    @property
    def digit_share(self) -> float:
        return self.digits / self.chars if self.chars else 0.0

    @property
    def vowel_share(self) -> float:
        return self.vowel_words / self.words if self.words else 0.0


_ODD = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
# Dot leaders: three or more of these, each maybe followed by one space. Written out as
# "(?:[.·…_=*-] ?){3,}" would do the same, but a pattern that starts with a character class
# lets the regex engine skip ahead to the next candidate character: ten times faster.
_LEADER = "[.·…_=*-]"
_LEADERS = re.compile(f"{_LEADER} ?{_LEADER} ?{_LEADER} ?(?:{_LEADER} ?)*")
_SYMBOL = re.compile(r"[^\w\s]")  # and "_", counted apart: a class alone is fast to scan
_EDGES = ".,;:!?()[]{}<>\"'`«»„“”‘’-–—/\\•*·…"
SAMPLE = 400
"""A long page is judged on SAMPLE characters at its start, middle and end: the cost stays
bounded and small next to extracting the page (a text layer is broken by its fonts, so a broken
page is broken throughout, and its running header alone does not make it readable)."""


def layer_stats(text: str) -> LayerStats:
    """Count the signals in one page's extracted text (string methods and one character class,
    so that judging a page costs a fraction of extracting it)."""
    if len(text) > 3 * SAMPLE:
        middle = len(text) // 2 - SAMPLE // 2
        text = "\n".join((text[:SAMPLE], text[middle : middle + SAMPLE], text[-SAMPLE:]))
    text = _LEADERS.sub(" ", text)  # dot leaders of a table of contents are not symbols
    chars = len(text) - sum(map(text.count, " \n\t\r\f\v\xa0"))
    digits = sum(map(text.count, "0123456789"))
    odd = len(_ODD.findall(text))
    letters = chars - digits - len(_SYMBOL.findall(text)) - text.count("_")
    # most tokens are plain words, which stripping would leave as they are
    words = [
        w
        for t in text.lower().split()
        if len(w := t if t.isalpha() else t.strip(_EDGES)) > 1 and w.isalpha()
    ]
    long_letters = sum([n for n in map(len, words) if n > 25])
    vowel_words = len(words) - sum(map(_VOWELS.isdisjoint, words))
    function_words = len(FUNCTION_WORDS.intersection(words))
    return LayerStats(
        chars, odd, letters, digits, len(words), vowel_words, function_words, long_letters
    )


def judge_stats(s: LayerStats) -> str:
    """TEXT, LITTLE or UNREADABLE for counted signals (see judge)."""
    if s.chars - s.odd < MIN_CHARS and s.odd < MIN_CHARS:
        return LITTLE
    if s.odd_share > 0.05:
        return UNREADABLE  # characters no text layer of language contains
    if s.letter_share + s.digit_share < 0.5:
        return UNREADABLE  # mostly symbols: "'\"&()#*+++"
    if s.words >= 5 and s.vowel_share < 0.6:
        return UNREADABLE  # "fgf fh xqz": letters, but no words
    if s.long_letters > s.letters / 2:
        return UNREADABLE  # half the letters in endless runs: no spaces between words
    rare = s.function_words * 15 < s.words  # prose of 15 words has two or more: "de", "en"
    if s.words >= 15 and rare and s.vowel_share < 0.93 and s.digit_share < 0.05:
        # many words, hardly a "de", "en" or "the", few vowels and no figures (a table of
        # units, "km", "fte", "m3", has figures): letters as glyph codes
        return UNREADABLE
    return TEXT


def judge(text: str) -> str:
    """TEXT when the page reads as language or as a table of figures, LITTLE when there is too
    little to judge, UNREADABLE when the text layer is glyph codes rather than text."""
    return judge_stats(layer_stats(text))
