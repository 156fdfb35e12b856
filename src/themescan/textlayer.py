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
    letters: int
    digits: int
    words: int  # runs of two or more letters
    vowel_words: int
    function_words: int
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


def _is_odd(c: str) -> bool:
    o = ord(c)
    return (
        (o < 32 and c not in "\n\r\t\f")
        or 0x7F <= o < 0xA0
        or c == "\ufffd"
        or 0xE000 <= o <= 0xF8FF
        or o >= 0xF0000
    )


def layer_stats(text: str) -> LayerStats:
    """Count the signals in one page's extracted text."""
    chars = odd = letters = digits = 0
    for c in text:
        if c.isspace():
            continue
        chars += 1
        if c.isalpha():
            letters += 1
        elif c.isdigit():
            digits += 1
        elif _is_odd(c):
            odd += 1
    words = vowel_words = function_words = long_letters = 0
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        if len(word) > 25:
            long_letters += len(word)
        if len(word) < 2:
            continue
        words += 1
        if _VOWELS.intersection(word):
            vowel_words += 1
        if word in FUNCTION_WORDS:
            function_words += 1
    return LayerStats(chars, odd, letters, digits, words, vowel_words, function_words, long_letters)


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
    if s.words >= 15 and s.function_words == 0 and s.vowel_share < 0.85:
        return UNREADABLE  # many words, none of them "de", "en", "the": shuffled letters
    return TEXT


def judge(text: str) -> str:
    """TEXT when the page reads as language or as a table of figures, LITTLE when there is too
    little to judge, UNREADABLE when the text layer is glyph codes rather than text."""
    return judge_stats(layer_stats(text))
