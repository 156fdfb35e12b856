"""Reading documents: PDF (PyMuPDF), plain text and saved HTML pages into cleaned page texts.

The only module that imports pymupdf. Clean-up makes the text read as a person reads it: words
split at a line end are joined, running headers, footers and page numbers are dropped, and
typographic oddities (soft hyphens, ligatures, odd spaces) are normalised. Every snippet that
themescan cites stands verbatim in the cleaned text of its page.
"""

from __future__ import annotations

import functools
import html.parser
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from themescan.errors import DocumentError, UsageError
from themescan.layout import HEADING, Block, continues, page_blocks
from themescan.results import Document, Page

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm")


@functools.cache
def _pymupdf():  # imported on first use: a run the cache answers never needs it
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    return pymupdf


# --- finding files -------------------------------------------------------------------------------


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str]]:
    """Yield (path, name) for every supported file, folders walked recursively in sorted order.

    `name` is the path relative to the folder given (or the file name for a file given directly).
    Folder links are followed once: a link that loops back is skipped, not walked forever.
    """
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield root, root.name
        elif root.is_dir():
            yield from _walk(root, root, {_dir_key(root)})
        else:
            raise UsageError(f"no such file or folder: {given}")


def _dir_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def _walk(root: Path, folder: Path, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str]]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                key = _dir_key(entry)
                if key in seen:
                    continue
                yield from _walk(root, entry, seen | {key})
            elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
                yield entry, entry.relative_to(root).as_posix()
        except OSError:
            continue


# --- character and line clean-up ----------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u00ad": "",  # soft hyphen
        "\u200b": "",  # zero-width space
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2011": "-",  # non-breaking hyphen
        "\u2010": "-",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\t": " ",
    }
)
_SPACES = re.compile(r" {2,}")
_KEEP_SPACED_HYPHEN = {"en", "of", "tot", "en/of", "als", "noch"}


_ODD = re.compile("[" + "".join(chr(c) for c in _CHAR_MAP) + "]")


def normalise(text: str) -> str:
    """Unicode NFC, ligatures expanded, soft hyphens dropped, odd spaces made plain."""
    if not text.isascii():  # most blocks need nothing; checking is much cheaper than doing
        text = unicodedata.normalize("NFC", text)
    if _ODD.search(text):
        text = text.translate(_CHAR_MAP)
    return _SPACES.sub(" ", text) if "  " in text else text


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, undoing hyphenation at line ends but keeping real hyphens.

    "informatie-" + "beveiliging" -> "informatiebeveiliging"; "e-" + "dienstverlening" keeps its
    hyphen; "informatie-" + "en communicatie..." keeps "informatie- en"; "Noord-" + "Holland" too.
    """
    parts: list[str] = []  # pieces to concatenate; each joint decided by the previous line
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not parts:
            parts.append(line)
            previous = line
            continue
        if previous.endswith("-") and previous[-2:-1].isalpha():
            stem = previous[:-1].rsplit(" ", 1)[-1]
            first = line.split(" ", 1)[0]
            if first.lower().rstrip(",.;:") in _KEEP_SPACED_HYPHEN:
                parts.append(" " + line)
            elif (
                not first[:1].islower()
                or len(stem) == 1
                or stem.isupper()
                or any(c.isdigit() for c in stem)
                or "-" in stem
            ):
                parts.append(line)
            else:
                parts[-1] = parts[-1][:-1]
                parts.append(line)
        else:
            parts.append(" " + line)
        previous = line
    return "".join(parts)


_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|]*(?:(?:pagina|blz\.?|page|p\.)\s*)?\d{1,4}(?:\s*(?:van|/|of)\s*\d{1,4})?[\s\-–—|]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def _block_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def clean_pages(raw_pages: list[list[str]]) -> list[str]:
    """Turn pages of raw blocks (paragraphs as lists of lines joined by newlines) into page texts.

    Blocks among the first or last three of a page that repeat on most pages (digits ignored) are
    running headers or footers; blocks that are only a page number are dropped there too.
    """
    kept = _drop_running(raw_pages)
    return _join_across_pages(["\n".join(t for _, t in page) for page in kept])


def _drop_running(raw_pages: list[list[str]] | list[list[Block]]) -> list[list[tuple[str, str]]]:
    """Per page the (kind, cleaned text) of its blocks, running headers, footers and page
    numbers dropped; a plain string is a paragraph."""
    edge = 3
    raws = [[b.raw if isinstance(b, Block) else b for b in blocks] for blocks in raw_pages]
    counts: Counter[str] = Counter()
    for blocks in raws:
        keys = {_block_key(b) for b in blocks[:edge] + blocks[-edge:] if b.strip()}
        counts.update(keys)
    needed = max(3, (len(raw_pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= needed and len(k) < 200}

    pages = []
    for blocks, texts in zip(raw_pages, raws, strict=True):
        kept = []
        last = len(blocks) - 1
        for i, (block, raw) in enumerate(zip(blocks, texts, strict=True)):
            near_edge = i < edge or i > last - edge
            if near_edge:
                flat = raw.strip()
                if _block_key(flat) in running or _PAGE_NUMBER.match(flat):
                    continue
            text = join_lines(normalise(raw).split("\n"))
            if text:
                kept.append((block.kind if isinstance(block, Block) else "paragraph", text))
        pages.append(kept)
    return pages


def clean_layout(raw_pages: list[list[Block]]) -> list[Page]:
    """Pages of typed blocks (from layout.page_blocks) into cleaned pages that keep their layout.

    The clean-up of clean_pages, plus: each page records the (start, end, kind) span of every
    block in its text, the section heading in force where it begins, and, when its last
    paragraph runs on over the page break, that paragraph's rest on the next page (`tail`).
    """
    kept = _drop_running(raw_pages)
    for i in range(len(kept) - 1):  # "huishou-" | "dens": the word is joined on the first page
        before, after = kept[i], kept[i + 1]
        if not (before and after and _SPLIT_AT_END.search(before[-1][1])):
            continue
        m = _FIRST_WORD.match(after[0][1])
        if m:
            kind, text = before[-1]
            before[-1] = (kind, join_lines([text, m.group(1)]) + m.group(2))
            rest = after[0][1][m.end() :]
            if rest:
                after[0] = (after[0][0], rest)
            else:
                after.pop(0)
    pages = []
    heading = ""
    for i, blocks in enumerate(kept):
        spans, pos, page_heading = [], 0, heading
        for kind, text in blocks:
            spans.append((pos, pos + len(text), kind))
            pos += len(text) + 1
            if kind == HEADING:
                heading = text
        tail = ""
        after = kept[i + 1] if i + 1 < len(kept) else []
        if (
            blocks
            and after
            and continues(
                Block(blocks[-1][0], (blocks[-1][1],)), Block(after[0][0], (after[0][1],))
            )
        ):
            tail = after[0][1]
        text = "\n".join(t for _, t in blocks)
        pages.append(Page(i + 1, text, tuple(spans), page_heading, tail))
    return pages


_SPLIT_AT_END = re.compile(r"(?<=[^\W\d_])-$")
_FIRST_WORD = re.compile(r"^([^\W\d_A-Z]\w*)([,.;:]?)( |$)")


def _join_across_pages(pages: list[str]) -> list[str]:
    """A word hyphenated at the foot of a page ("huishou-" | "dens") is joined on the first page
    and its tail taken off the next, so that both halves are found as one word."""
    for i in range(len(pages) - 1):
        if not _SPLIT_AT_END.search(pages[i]):
            continue
        m = _FIRST_WORD.match(pages[i + 1])
        if m:
            cut = pages[i].rfind("\n") + 1  # the same rules as within a page decide the hyphen
            pages[i] = pages[i][:cut] + join_lines([pages[i][cut:], m.group(1)]) + m.group(2)
            pages[i + 1] = pages[i + 1][m.end() :]
    return pages


# --- formats -------------------------------------------------------------------------------------


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read one file into cleaned pages; raise DocumentError with a short status if it cannot be."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("error: cannot open", str(exc)) from None
    if size == 0:
        raise DocumentError("error: empty file", f"{path.name} is empty")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in (".html", ".htm"):
        return _read_html(path)
    return _read_txt(path)


def _read_pdf(path: Path) -> Document:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise DocumentError("error: not a PDF", f"{path.name} does not start like a PDF")
    try:
        doc = _pymupdf().open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for broken files
        raise DocumentError("error: damaged PDF", f"{path.name}: {exc}") from None
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise DocumentError("error: encrypted", f"{path.name} needs a password")
        raw_pages: list[list[Block]] = []
        styles: Counter[tuple[float, bool]] = Counter()  # fonts of the document so far
        failed = 0
        try:
            for page in doc:
                try:
                    blocks = _page_blocks(page, styles)
                except Exception:
                    failed += 1
                    blocks = []
                raw_pages.append(blocks)
        except Exception:
            failed += 1
        damaged = doc.is_repaired or failed > 0
        meta = {k: v for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
    pages = tuple(clean_layout(raw_pages))
    texts = [p.text for p in pages]
    if not pages:
        raise DocumentError("error: damaged PDF", f"{path.name}: no pages could be read")
    little_text = sum(len(t.strip()) for t in texts) < 20 * len(pages)
    status = "ok"
    if damaged:  # a damaged file says so, even when little text survived (not "scanned?")
        status = (
            "damaged: no text recovered"
            if little_text
            else f"damaged: recovered {len(pages)} pages"
        )
    elif little_text:
        status = "no text: scanned?"
    return Document(pages, meta, status)


def _page_blocks(page, styles: Counter[tuple[float, bool]], textpage=None) -> list[Block]:
    """One PDF page as typed blocks (headings, paragraphs, list items, table rows) in reading
    order, rebuilt from PyMuPDF's geometry by layout.page_blocks; `styles` counts the fonts of
    the document's pages so far (one Counter per document); `textpage`: an OCR text page to
    read instead of the page's own text layer."""
    data = page.get_text("dict", flags=_pymupdf().TEXTFLAGS_TEXT, sort=False, textpage=textpage)
    return page_blocks(data, styles)


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:65536]:
        raise DocumentError("error: not text", f"{name} contains binary data")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    if sample and odd / len(sample) > 0.02:
        raise DocumentError("error: not text", f"{name} looks like binary data")
    return text


def _text_pages(text: str) -> tuple[Page, ...]:
    raw_pages = []
    for chunk in text.replace("\r\n", "\n").replace("\r", "\n").split("\f"):
        blocks = [b for b in re.split(r"\n\s*\n", chunk) if b.strip()]
        raw_pages.append(blocks)
    texts = clean_pages(raw_pages) if len(raw_pages) > 1 else _plain(raw_pages[0])
    return tuple(Page(i + 1, t) for i, t in enumerate(texts))


def _plain(blocks: list[str]) -> list[str]:
    return ["\n".join(t for b in blocks if (t := join_lines(normalise(b).split("\n"))))]


def _read_txt(path: Path) -> Document:
    text = _decode(path.read_bytes(), path.name)
    pages = _text_pages(text)
    status = "ok" if any(p.text.strip() for p in pages) else "no text"
    return Document(pages, {}, status)


class _VisibleText(html.parser.HTMLParser):
    """Collect the text a browser shows: no scripts, styles or head; block tags break lines."""

    HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
    BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
        "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "dd", "dt", "figcaption", "form", "hr", "pre", "title",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self.hidden:  # keep one space at the edges: "de <b>gemeente</b> werkt"
            self.parts.append(_WHITESPACE.sub(" ", data))


_WHITESPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _read_html(path: Path) -> Document:
    data = path.read_bytes()
    m = _CHARSET.search(data[:4096])
    text = None
    if m:
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = _decode(data, path.name)
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    blocks = [" ".join(b.split()) for b in "".join(parser.parts).split("\n\n")]
    visible = "\n".join(normalise(b) for b in blocks if b)
    pages = (Page(1, visible),)
    meta = {"title": " ".join(parser.title.split())} if parser.title.strip() else {}
    status = "ok" if visible.strip() else "no text"
    return Document(pages, meta, status)
