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
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from themescan.errors import DocumentError, UsageError
from themescan.results import Document, Page

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm")


@functools.cache
def _pymupdf():  # imported on first use: a run the cache answers never needs it
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    return pymupdf


# --- finding files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One input file: its path, its unique name for the row, and a status when it will not be
    read (`error: unsupported format .docx`, `error: not a regular file`)."""

    path: Path
    name: str
    status: str = ""


@dataclass
class Listing:
    """Everything the inputs name, in row order, and what a folder walk passed over."""

    found: list[Found] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def readable(self) -> int:
        return sum(not f.status for f in self.found)

    def describe_skipped(self) -> str:
        """'3 .docx, 2 .md' (most frequent first), or '' when nothing was passed over."""
        return ", ".join(f"{n} {ext}" for ext, n in self.skipped.most_common())


def list_documents(paths: Iterable[str | os.PathLike[str]]) -> Listing:
    """Every input file with a unique row name, checked before anything is read.

    One folder: names relative to it. One file: its file name. Several inputs: paths relative
    to their common parent, so `y2023/kromstede.pdf` and `y2024/kromstede.pdf` stay apart.
    A file named directly with an unsupported extension or that is not a regular file (a FIFO,
    a device) gets a row with that status; in a folder, other formats are skipped and counted,
    special files get a row. A missing path is a UsageError. Inputs that overlap name a file
    once.
    """
    roots = [Path(p) for p in paths]
    for root in roots:
        if not os.path.lexists(root) or (root.is_symlink() and not root.exists()):
            raise UsageError(f"no such file or folder: {root}")
    base: Path | None = None
    if len(roots) > 1:
        tops = [os.path.abspath(r if r.is_dir() else r.parent) for r in roots]
        base = Path(os.path.commonpath(tops))
    listing = Listing()
    seen: set[str] = set()
    for root in roots:
        if root.is_dir():
            folder_base = base or root
            for path, status in _walk(root, {_dir_key(root)}, listing.skipped):
                name = _name(path, folder_base)
                _add(listing, seen, Found(path, name, status))
        else:
            name = _name(root, base) if base else root.name
            _add(listing, seen, Found(root, name, _file_status(root, named=True)))
    return listing


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str]]:
    """Yield (path, name) for every readable supported file, folders walked in sorted order
    (see list_documents for names). Folder links are followed once: a link that loops back is
    skipped, not walked forever."""
    for f in list_documents(paths).found:
        if not f.status:
            yield f.path, f.name


def _add(listing: Listing, seen: set[str], found: Found) -> None:
    if found.name not in seen:  # inputs that overlap ("a/" and "a/b/") name a file once
        seen.add(found.name)
        listing.found.append(found)


def _name(path: Path, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def _file_status(path: Path, named: bool) -> str | None:
    """'' for a file to read; a row status for one that will not be; None to skip quietly."""
    suffix = path.suffix.lower()
    supported = suffix in SUPPORTED_SUFFIXES
    try:
        mode = path.stat().st_mode
    except OSError:  # a dangling link
        return "error: cannot open" if named or supported else None
    if not stat.S_ISREG(mode):
        return "error: not a regular file"
    if supported:
        return ""
    if named:
        return f"error: unsupported format {suffix or '(no extension)'}"
    return None


def _dir_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def _walk(
    folder: Path, seen: set[tuple[int, int]], skipped: Counter[str]
) -> Iterator[tuple[Path, str]]:
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
                yield from _walk(entry, seen | {key}, skipped)
                continue
            status = _file_status(entry, named=False)
        except OSError:
            continue
        if status is None:
            skipped[entry.suffix.lower() or "(no extension)"] += 1
        else:
            yield entry, status


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
    edge = 3
    counts: Counter[str] = Counter()
    for blocks in raw_pages:
        keys = {_block_key(b) for b in blocks[:edge] + blocks[-edge:] if b.strip()}
        counts.update(keys)
    needed = max(3, (len(raw_pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= needed and len(k) < 200}

    pages = []
    for blocks in raw_pages:
        kept = []
        last = len(blocks) - 1
        for i, block in enumerate(blocks):
            near_edge = i < edge or i > last - edge
            if near_edge:
                flat = block.strip()
                if _block_key(flat) in running or _PAGE_NUMBER.match(flat):
                    continue
            text = join_lines(normalise(block).split("\n"))
            if text:
                kept.append(text)
        pages.append("\n".join(kept))
    return _join_across_pages(pages)


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
        raw_pages: list[list[str]] = []
        failed = 0
        try:
            for page in doc:
                try:
                    blocks = page.get_text("blocks", sort=False)
                except Exception:
                    failed += 1
                    blocks = []
                raw_pages.append([b[4] for b in blocks if b[6] == 0])
        except Exception:
            failed += 1
        damaged = doc.is_repaired or failed > 0
        meta = {k: v for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
    texts = clean_pages(raw_pages)
    pages = tuple(Page(i + 1, t) for i, t in enumerate(texts))
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
