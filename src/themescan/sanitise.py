"""Strings that are safe to write anywhere: file names and text with no control characters.

File names on Linux are bytes. A name that is not UTF-8 reaches Python with surrogate escapes
(os.fsdecode), which no UTF-8 writer, SQLite or JSON encoder accepts; a name may also hold a
carriage return, a NUL-free control character or a newline. `display_name` gives every name one
printable form: bytes that are not UTF-8 become `\\xNN` (so `a\\xe9.pdf` for Latin-1 "aé.pdf") and
characters that do not print (controls, format characters such as a right-to-left override,
unassigned code points) become `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN` (`cr\\x0dname.pdf`). The
form is stable, so --resume finds the row again, and applying it twice changes nothing.

Text from documents (snippets, passages, metadata) loses its control characters except tab and
newline: they carry no meaning and break CSV readers, spreadsheets and terminals.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, the Unicode line and paragraph
# separators (line breaks to some readers) and lone surrogates (from undecodable bytes)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(c: str) -> str:
    code = ord(c)
    if code < 256:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def display_name(name: str) -> str:
    """The printable, UTF-8-encodable form of a file name (see the module docstring)."""
    if name.isascii() and name.isprintable():
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte
        raw = name.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def clean_text(text: str, replacement: str = " ") -> str:
    """Text without control characters (tab and newline kept): a carriage return, NUL, form
    feed or lone surrogate becomes `replacement`."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROL.sub(replacement, text)
