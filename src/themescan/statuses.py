"""Every status a result row can carry, in one place: its text, what it means, and the exit
status of a classify run that writes it. README's status table lists the same (a test holds
the code, this table and README to each other)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    text: str  # N: a number; <...>: filled in
    meaning: str
    exit: int  # exit status of a classify run with such a row (the highest of all rows counts)


STATUSES: tuple[Status, ...] = (
    Status("ok", "read and classified", 0),
    Status("ok: text cut at 4 MB a page", "a page held more text: the rest of it was left out", 0),
    Status("ok: text cut at 32 MB", "the document held more text: the rest was left out", 0),
    Status("ok: <note>", "read, with a note (below); several notes are joined by '; '", 0),
    Status(
        "no text: unreadable text layer (N of N pages)",
        "every page's text layer is not language (fonts without a character map); try --ocr",
        1,
    ),
    Status("damaged: recovered N pages", "a damaged PDF, repaired; N pages were read", 1),
    Status("damaged: no text recovered", "a damaged PDF, repaired, with (almost) no text", 1),
    Status("no text: scanned?", "a PDF without a text layer (scanned pages)", 1),
    Status(
        "no text: scanned? (OCR failed on N of N pages)",
        "a PDF without a text layer; OCR was tried and failed",
        1,
    ),
    Status("no text", "a .txt or .html file without visible text", 1),
    Status("error: empty file", "the file has 0 bytes", 1),
    Status("error: not a PDF", "named .pdf but not a PDF", 1),
    Status("error: damaged PDF", "a PDF that cannot be opened or has no readable page", 1),
    Status("error: encrypted", "a PDF that needs a password", 1),
    Status("error: not text", "a .txt or .html file that holds binary data", 1),
    Status(
        "error: unsupported format <.ext>",
        "a file named on the command line that themescan does not read",
        1,
    ),
    Status("error: not a regular file", "a FIFO, device or socket: not read", 1),
    Status("error: cannot open", "the file vanished or cannot be looked at", 1),
    Status("error: permission denied", "the file may not be read", 1),
    Status("error: cannot read", "reading failed (an I/O error)", 1),
    Status("error: out of memory", "the document needed more memory than there was", 1),
    Status("error: unreadable (<exception>)", "the PDF library failed on this file", 1),
    Status("error: timed out after N s", "the document took longer than the time limit", 1),
    Status("error: worker crashed", "the document killed its worker process, twice", 1),
    Status("error: worker crashed (<exception>)", "a dask worker was lost with the document", 1),
    Status("error: internal (<exception>)", "a bug in themescan: please report it", 1),
)


# Notes a status can carry after "ok: " or after "; " (a damaged PDF with unreadable pages).
NOTES: tuple[Status, ...] = (
    Status("N of N pages OCR'd", "pages without a usable text layer were read by OCR", 0),
    Status("N of N pages unreadable", "pages whose text layer is not language were left out", 0),
    Status("OCR failed on N of N pages", "OCR was tried on these pages and failed", 0),
    Status("OCR failed on N", "(inside `no text: unreadable text layer (...)`)", 0),
    Status("text cut at N MB a page", "a page held more text: the rest of it was left out", 0),
    Status("text cut at N MB", "the document held more text: the rest was left out", 0),
    Status(
        "not a municipality: <organisation>",
        "a joint body's, province's or water board's document (its title says so): judged on "
        "its own policy, credited to no municipality, left out of `table`",
        0,
    ),
)


def _pattern(text: str) -> str:
    """A status text as a regular expression: N is a number, <...> any text."""
    import re

    parts = re.split(r"(\bN\b|<[^>]*>)", text)
    return "".join(
        r"\d+(?:\.\d+)?" if p == "N" else ".+" if p.startswith("<") else re.escape(p) for p in parts
    )


def without_text(status: str) -> bool:
    """A document read, but with no text to judge (scanned, unreadable, damaged beyond
    recovery): it gets no flags and no scores, so its theme cells stay empty and summing a
    column never counts it as a document without the theme."""
    return status.startswith(("no text", "damaged: no text"))


def known(status: str) -> bool:
    """Does `status` have an entry in STATUSES (with N and <...> filled in), each of its notes
    an entry in NOTES?"""
    import re

    notes = [f"(?:{_pattern(n.text)})" for n in NOTES]
    note = "(?:" + "|".join(notes) + ")"
    more = f"(?:; {note})*"
    for s in STATUSES:
        if s.text == "ok: <note>":
            pattern = f"ok: {note}{more}"
        elif "(N of N pages)" in s.text:
            pattern = re.escape(s.text.split("(")[0]) + rf"\(\d+ of \d+ pages(?:; {note})*\)"
        else:
            pattern = _pattern(s.text) + more
        if re.fullmatch(pattern, status):
            return True
    return False
