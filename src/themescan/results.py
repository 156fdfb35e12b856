"""Frozen result types: what every stage hands to the next and what users get back."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from themescan.themes import THEMES

_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")


def guess_year(text: str) -> str:
    """The first year 2000-2049 written in a title, file name or page ("" for none)."""
    m = _YEAR.search(text)
    return m.group(1) if m else ""


def body_note(organisation: str) -> str:
    """The status note of a document of a joint body, province or water board ("" for none)."""
    return f"not a municipality: {organisation}" if organisation else ""


def not_a_municipality(status: str) -> bool:
    return "not a municipality: " in status


def with_note(status: str, note: str) -> str:
    """`status` with `note` added as README's status table says: "ok: note", "ok: a; note"."""
    if not note:
        return status
    return f"ok: {note}" if status == "ok" else f"{status}; {note}"


def status_ok(status: str) -> bool:
    """A document was read: "ok", or "ok: <note>" (pages OCR'd or unreadable, see README)."""
    status = status.strip().lower()
    return status == "ok" or status.startswith("ok:")


@dataclass(frozen=True)
class Page:
    """One page of cleaned text; `number` is 1-based as printed in a reader.

    From a PDF the reader also knows the page's layout: `blocks` are (start, end, kind) spans of
    `text`, one per heading, paragraph, list item or table row (kinds in layout.KINDS);
    `heading` is the section heading in force where the page begins; `tail` is the rest of the
    page's last paragraph when it runs on over the page break. Plain text has no blocks.
    """

    number: int
    text: str
    blocks: tuple[tuple[int, int, str], ...] = ()
    heading: str = ""
    tail: str = ""

    def to_data(self) -> str | list:
        """Plain JSON-ready data (for the cache): the text alone when there is no layout."""
        if not (self.blocks or self.heading or self.tail):
            return self.text
        return [self.text, [list(b) for b in self.blocks], self.heading, self.tail]

    @classmethod
    def from_data(cls, number: int, data: str | list) -> Page:
        if isinstance(data, str):
            return cls(number, data)
        text, blocks, heading, tail = data
        return cls(
            number, text, tuple((int(s), int(e), str(k)) for s, e, k in blocks), heading, tail
        )


@dataclass(frozen=True)
class Document:
    """A read document: its pages, what its file says about it, and a status for its row."""

    pages: tuple[Page, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    status: str = "ok"

    @property
    def text_chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


@dataclass(frozen=True)
class Hit:
    """A lexicon term found on a page; `excluded` when an exclusion pattern cancelled it."""

    theme: str
    term: str
    page: int
    start: int
    end: int
    weight: float
    excluded: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized stretch of one page that is scored as a unit."""

    page: int
    start: int
    end: int
    text: str
    kind: str = "paragraph"  # heading, paragraph, item (a list) or row (of a table)
    heading: str = ""  # the heading of the section the passage stands in


@dataclass(frozen=True)
class Evidence:
    """A scored passage offered as the reason for a theme's flag."""

    page: int
    snippet: str
    score: float
    terms: tuple[str, ...] = ()
    passage: str = ""
    heading: str = ""  # the heading of the section the passage stands in

    def cite(self) -> str:
        return f"p{self.page}: {self.snippet}"


@dataclass(frozen=True)
class ThemeResult:
    """One theme's decision on a document: flagged or not, the document's score (0.5 is the
    cut) and the passages that show it, best first."""

    theme: str
    flag: bool
    score: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, repr=False)
class DocumentResult:
    """Everything themescan says about one input file; one CSV row. Its repr is a summary (a
    result holds every lexicon hit: tens of kilobytes); the fields hold it all."""

    file: str
    status: str
    pages: int = 0
    gemeente: str = ""
    inwoners: int | None = None
    grootteklasse: str = ""
    doc_type: str = ""
    jaar: str = ""
    themes: tuple[ThemeResult, ...] = ()
    hits: tuple[Hit, ...] = ()

    @property
    def ok(self) -> bool:
        """Was the document read ("ok", or "ok: <note>")?"""
        return status_ok(self.status)

    def theme(self, theme_id: str) -> ThemeResult | None:
        """The decision on one theme (None for a document that was not judged); a theme id
        that does not exist is an error, not a silent None."""
        if theme_id not in THEMES:
            raise ValueError(f"unknown theme {theme_id!r}; choose from {', '.join(THEMES)}")
        for t in self.themes:
            if t.theme == theme_id:
                return t
        return None

    @property
    def flagged(self) -> tuple[str, ...]:
        """The themes this document gives explicit attention to."""
        return tuple(t.theme for t in self.themes if t.flag)

    def __repr__(self) -> str:
        where = f", gemeente={self.gemeente!r}" if self.gemeente else ""
        return (
            f"DocumentResult(file={self.file!r}, status={self.status!r}{where}, "
            f"doc_type={self.doc_type!r}, jaar={self.jaar!r}, flagged={self.flagged!r}, "
            f"{len(self.hits)} hits)"
        )


def result_to_dict(result: DocumentResult) -> dict:
    """A DocumentResult as plain JSON-ready data (for the cache and for --format jsonl)."""
    return asdict(result)


def result_from_dict(data: dict) -> DocumentResult:
    """The inverse of result_to_dict."""
    themes = tuple(
        ThemeResult(
            t["theme"],
            bool(t["flag"]),
            float(t["score"]),
            tuple(
                Evidence(
                    e["page"],
                    e["snippet"],
                    e["score"],
                    tuple(e["terms"]),
                    e["passage"],
                    e.get("heading", ""),
                )
                for e in t["evidence"]
            ),
        )
        for t in data.get("themes", ())
    )
    hits = tuple(Hit(**h) for h in data.get("hits", ()))
    fields = {k: v for k, v in data.items() if k not in ("themes", "hits")}
    return DocumentResult(**fields, themes=themes, hits=hits)
