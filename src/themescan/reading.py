"""Reading documents: PDF (PyMuPDF), plain text and saved HTML pages into cleaned page texts.

The only module that imports pymupdf. Clean-up makes the text read as a person reads it: words
split at a line end are joined, running headers, footers and page numbers are dropped, and
typographic oddities (soft hyphens, ligatures, odd spaces) are normalised. Every snippet that
themescan cites stands verbatim in the cleaned text of its page.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themescan.errors import DocumentError, UsageError
from themescan.layout import (
    FOOTNOTE,
    HEADING,
    ITEM,
    PARAGRAPH,
    ROW,
    Block,
    continues,
    join_lines,
    page_blocks,
    row_lines,
)
from themescan.ocr import OcrHook, PageReview
from themescan.ownfiles import sidecar_path, written_by_themescan
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
        return ", ".join(
            f"{n} {ext}{'s' if ext == OUR_OUTPUT and n != 1 else ''}"
            for ext, n in self.skipped.most_common()
        )


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


def file_status(path: Path) -> str:
    """The status a file named directly gets before it is read ('' when it is to be read):
    an unsupported format, a file that cannot be opened, not a regular file."""
    return _file_status(path, named=True) or ""


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
        elif status == "" and _written_by_themescan(entry):
            skipped[OUR_OUTPUT] += 1  # a report or results beside the documents: not a budget
        else:
            yield entry, status


OUR_OUTPUT = "themescan output"


def _written_by_themescan(path: Path) -> bool:
    """Is this .txt or .html a themescan output (results, a table, an agreement or a coding
    sheet saved as text, a report)? It quotes the evidence or the figures of many documents:
    read as a budget it would be credited with their themes."""
    if path.suffix.lower() == ".pdf":
        return sidecar_path(path).exists()
    return written_by_themescan(path)


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


_ODD = re.compile("[" + "".join(chr(c) for c in _CHAR_MAP) + "]")


def normalise(text: str) -> str:
    """Unicode NFC, ligatures expanded, soft hyphens dropped, odd spaces made plain."""
    if text.isascii():  # most blocks need nothing; checking is much cheaper than doing
        if "\t" in text:  # the one ASCII character of _CHAR_MAP
            text = text.translate(_CHAR_MAP)
    else:
        text = unicodedata.normalize("NFC", text)
        if _ODD.search(text):
            text = text.translate(_CHAR_MAP)
    if "...." in text or "……" in text or ". . . ." in text:  # a contents line's dot leaders
        text = _DOT_LEADERS.sub(" ", text)
    return _SPACES.sub(" ", text) if "  " in text else text


_DOT_LEADERS = re.compile(r"[ \t]?(?:[.…][ \t]?){4,}")


_LINE_END_HYPHEN = re.compile(r"-[^\S\n]*\n")  # a line (not the last) that ends in "-"


def _join_block(text: str) -> str:
    """join_lines on the lines of `text`; a block without a hyphen at a line end (most) is
    its stripped lines joined by spaces, done at C speed."""
    if "\n" not in text:
        return text.strip()
    if _LINE_END_HYPHEN.search(text) is None:
        return " ".join([line for line in map(str.strip, text.split("\n")) if line])
    return join_lines(text.split("\n"))


_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|]*(?:(?:pagina|blz\.?|page|p\.)\s*)?\d{1,4}(?:\s*(?:van|/|of)\s*\d{1,4})?[\s\-–—|]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def _block_key(text: str) -> str:
    return _DIGITS.sub("#", _exact(text))


def _exact(text: str) -> str:
    return " ".join(text.lower().split())


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
    edge_keys: list[dict[int, str]] = []  # per page: the key of each of its edge blocks
    for blocks in raws:
        n = len(blocks)
        near = range(n) if n <= 2 * edge else (*range(edge), *range(n - edge, n))
        keys = {i: _block_key(blocks[i]) for i in near if blocks[i].strip()}
        edge_keys.append(keys)
        # each line of an edge block counts too: a footer of two lines is one block on most
        # pages and two on a page laid out otherwise (a contents page), where each line, a
        # block of its own, is then known as running (a line inside a paragraph never goes)
        lines = {_block_key(ln) for i in keys for ln in blocks[i].split("\n") if ln.strip()}
        counts.update(set(keys.values()) | lines)
    needed = max(3, (len(raw_pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= needed and len(k) < 200}
    # a short document: a line that opens every page with text, two at least, in the same
    # words exactly ("Programma 1" and "Programma 2" opening two pages are headings), or
    # closes every page but for its page number; a cover without them does not count
    texts = [b for b in raws if any(x.strip() for x in b)]
    if 2 <= len(texts) <= needed:
        for pages in (texts, texts[1:]) if len(texts) >= 3 else (texts,):
            tops = set.intersection(*({_exact(b[0])} for b in pages))
            bottoms = set.intersection(*({_block_key(b[-1])} for b in pages))
            running |= {_block_key(k) for k in tops | bottoms if k and len(k) < 200}

    body = _body_size(raw_pages)
    pages = []
    for blocks, texts, keys in zip(raw_pages, raws, edge_keys, strict=True):
        kept = []
        last = len(blocks) - 1
        for i, (block, raw) in enumerate(zip(blocks, texts, strict=True)):
            near_edge = i < edge or i > last - edge
            if near_edge and (keys.get(i) in running or _PAGE_NUMBER.match(raw.strip())):
                continue
            if i in (0, last) and _running_block(block, raw, i == 0, running, body):
                continue
            text = _join_block(normalise(raw))
            if text:
                kept.append((block.kind if isinstance(block, Block) else "paragraph", text))
        pages.append(kept)
    return pages


def _body_size(raw_pages: list[list[str]] | list[list[Block]]) -> float:
    """The font size most of a document's text is set in (0 when blocks carry no sizes)."""
    sizes: Counter[float] = Counter()
    for blocks in raw_pages:
        for block in blocks:
            if isinstance(block, Block) and block.size:
                sizes[block.size] += len(block.raw)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _running_block(block: Block | str, raw: str, top: bool, running: set[str], body: float) -> bool:
    """The first block of a page opening with a running header line, or the last closing with a
    running footer line, set smaller than the body: a header or footer with a line that varies
    joined to it ("Programmabegroting 2025 - Gemeente X" over the chapter's name on the pages of
    that chapter). A paragraph in the body's size keeps its lines, however often one recurs."""
    if not isinstance(block, Block) or not body or not 0 < block.size < body or "\n" not in raw:
        return False
    lines = [ln for ln in raw.split("\n") if ln.strip()]
    return bool(lines) and _block_key(lines[0] if top else lines[-1]) in running


def clean_layout(raw_pages: list[list[Block]]) -> list[Page]:
    """Pages of typed blocks (from layout.page_blocks) into cleaned pages that keep their layout.

    The clean-up of clean_pages, plus: each page records the (start, end, kind) span of every
    block in its text, the section heading in force where it begins, and, when its last
    paragraph runs on over the page break, that paragraph's rest on the next page (`tail`).
    """
    kept = _drop_running(raw_pages)
    for i in range(len(kept) - 1):  # "huishou-" | "dens": the word is joined on the first page
        before, after = kept[i], kept[i + 1]
        last = _last_body(before)
        if not (last is not None and after and _SPLIT_AT_END.search(before[last][1])):
            continue
        m = _FIRST_WORD.match(after[0][1])
        if m:
            kind, text = before[last]
            before[last] = (kind, join_lines([text, m.group(1)]) + m.group(2))
            rest = after[0][1][m.end() :]
            if rest:
                after[0] = (after[0][0], rest)
            else:
                after.pop(0)
    for before, after in itertools.pairwise(kept):
        _carry_row_over(before, after)
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
        last = _last_body(blocks)
        if (
            last is not None
            and after
            and continues(
                Block(blocks[last][0], (blocks[last][1],)), Block(after[0][0], (after[0][1],))
            )
        ):
            tail = after[0][1]
        text = "\n".join(t for _, t in blocks)
        pages.append(Page(i + 1, text, tuple(spans), page_heading, tail))
    return pages


def _last_body(blocks: list[tuple[str, str]]) -> int | None:
    """The index of a page's last block before its footnotes (None for a page without one)."""
    i = len(blocks) - 1
    while i >= 0 and blocks[i][0] == FOOTNOTE:
        i -= 1
    return i if i >= 0 else None


def _carry_row_over(before: list[tuple[str, str]], after: list[tuple[str, str]]) -> None:
    """A table that runs over a page break: its header repeated at the top of the next page
    goes, and a first row there without the first column (the cells of the last row, carried
    over) is joined to that row, on the page where the row starts."""
    if not before or not after or before[-1][0] != ROW:
        return
    first = len(before) - 1
    while first > 0 and before[first - 1][0] == ROW:
        first -= 1
    header = before[first][1]
    names = [h.strip() for h in header.split(";")]
    if len(names) < 2 or first == len(before) - 1:
        return
    k = 1 if after[0] == (ROW, header) else 0
    if k < len(after) and after[k][0] == ROW:
        carried = _cells(after[k][1], names)
        last = _cells(before[-1][1], names)
        if carried and last and names[0] not in carried and names[0] in last:
            for name, value in carried.items():
                last[name] = join_lines([last[name], value]) if last.get(name) else value
            before[-1] = (ROW, "; ".join(f"{n}: {last[n]}" for n in names if n in last))
            k += 1
    del after[:k]


def _cells(line: str, names: list[str]) -> dict[str, str] | None:
    """A row line "Nr: 12; Risico: ...; Kans: Klein" as {header: cell}; None when it does not
    start with a header of the table."""
    found = []
    for name in names:
        tag = f"{name}: "
        at = 0 if line.startswith(tag) else line.find("; " + tag)
        if at > 0:
            at += 2
        if at >= 0:
            found.append((at, name, at + len(tag)))
    found.sort()
    if not found or found[0][0] != 0:
        return None
    ends = [at - 2 for at, _, _ in found[1:]] + [len(line)]
    return {name: line[start:end] for (_, name, start), end in zip(found, ends, strict=True)}


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


def read_document(
    path: str | os.PathLike[str], ocr: str = "never", progress: OcrHook | None = None
) -> Document:
    """Read one file into cleaned pages; raise DocumentError with a short status if it cannot be.

    ocr: "never", "auto" or "always" (see themescan.ocr); PDF pages whose text layer is not
    language are dropped in every mode. progress: called before a page is OCR'd (themescan.ocr).
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise DocumentError("error: cannot open", str(exc)) from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end on open
        raise DocumentError("error: not a regular file", f"{path.name} is not a regular file")
    size = st.st_size
    if size == 0:
        raise DocumentError("error: empty file", f"{path.name} is empty")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path, ocr, progress)
    if suffix in (".html", ".htm"):
        return _read_html(path)
    return _read_txt(path)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_pdf(path: Path, ocr: str = "never", progress: OcrHook | None = None) -> Document:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise DocumentError("error: not a PDF", f"{path.name} does not start like a PDF")
    try:
        if str(path).isascii() or _utf8(str(path)):
            doc = _pymupdf().open(path, filetype="pdf")
        else:  # MuPDF takes only UTF-8 paths: a name of other bytes is read as a stream
            doc = _pymupdf().open(stream=path.read_bytes(), filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for broken files
        raise DocumentError("error: damaged PDF", f"{path.name}: {exc}") from None
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise DocumentError("error: encrypted", f"{path.name} needs a password")
        raw_pages: list[list[Block]] = []
        styles: Counter[tuple[float, bool]] = Counter()  # fonts of the document so far
        failed = 0
        review = PageReview(ocr, progress)
        try:
            for page in doc:
                try:
                    blocks = _page_blocks(page, styles)
                    # a text layer that is not language is dropped, or read by OCR
                    seen = review.review(page, "\n".join(b.raw for b in blocks))
                    if seen.textpage is not None:
                        blocks = _page_blocks(page, styles, textpage=seen.textpage)
                    elif not seen.keep:
                        blocks = []
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
    return Document(pages, meta, review.status(status))


def _page_blocks(page, styles: Counter[tuple[float, bool]], textpage=None) -> list[Block]:
    """One PDF page as typed blocks (headings, paragraphs, list items, table rows) in reading
    order, rebuilt from PyMuPDF's geometry by layout.page_blocks; `styles` counts the fonts of
    the document's pages so far (one Counter per document); `textpage`: an OCR text page to
    read instead of the page's own text layer."""
    if textpage is None:  # Page.get_text's wrapper would look up the crop box for nothing
        return page_blocks(page.get_textpage(flags=_pymupdf().TEXTFLAGS_TEXT).extractDICT(), styles)
    return page_blocks(_ocr_lines(textpage.extractDICT()), styles)


def _ocr_lines(page_dict: dict) -> dict:
    """An OCR'd page's text as the layout reader needs it. Tesseract gives each word a span
    with the height that word happens to have, and leaves wide gaps between the words of a
    justified line: a line was cut into 'cells' at the gaps and a change of size started a
    new block, so a paragraph came out as a heap of fragments. Each Tesseract line becomes
    one span (Tesseract has found the line), and sizes up to a quarter above the page's usual
    size become that size; larger ones (headings) keep theirs."""
    for block in page_dict.get("blocks", ()):
        for line in block.get("lines", ()):
            words = [s for s in line.get("spans", ()) if s["text"].strip()]
            if len(words) > 1:
                one = dict(words[0])
                one["text"] = " ".join(s["text"].strip() for s in words)
                one["bbox"] = (
                    min(s["bbox"][0] for s in words),
                    min(s["bbox"][1] for s in words),
                    max(s["bbox"][2] for s in words),
                    max(s["bbox"][3] for s in words),
                )
                one["size"] = max(s["size"] for s in words)
                line["spans"] = [one]
    spans = [
        s for b in page_dict.get("blocks", ()) for ln in b.get("lines", ()) for s in ln["spans"]
    ]
    weighted = sorted((s["size"], len(s["text"])) for s in spans if s["text"].strip())
    if not weighted:
        return page_dict
    half, seen, size = sum(n for _, n in weighted) / 2, 0, weighted[0][0]
    for each, n in weighted:  # the size of the median character
        seen, size = seen + n, each
        if seen >= half:
            break
    for s in spans:
        if s["size"] <= 1.25 * size:
            s["size"] = size
    return page_dict


# --- text size limits ---------------------------------------------------------------------------

MAX_PAGE_CHARS = 4_000_000  # far above a real page (a .txt without form feeds is one page)
MAX_DOC_CHARS = 32_000_000  # some 8,000 pages of a dense budget
PAGE_CUT = f"ok: text cut at {MAX_PAGE_CHARS // 1_000_000} MB a page"
DOC_CUT = f"ok: text cut at {MAX_DOC_CHARS // 1_000_000} MB"


def limit_text(document: Document) -> Document:
    """The document with each page cut at MAX_PAGE_CHARS and the text after MAX_DOC_CHARS left
    out, so time and memory stay bounded on any input; the status says so when it cut."""
    if document.text_chars <= MAX_PAGE_CHARS:
        return document
    pages, used, cut = [], 0, ""
    for page in document.pages:
        text = page.text
        if len(text) > MAX_PAGE_CHARS:
            text, cut = text[:MAX_PAGE_CHARS], cut or PAGE_CUT
        if used + len(text) > MAX_DOC_CHARS:
            text, cut = text[: max(0, MAX_DOC_CHARS - used)], DOC_CUT
        used += len(text)
        pages.append(page if text is page.text else Page(page.number, text))
    if not cut:
        return document
    status = cut if document.status == "ok" else document.status
    return Document(tuple(pages), document.metadata, status)


# --- text and HTML --------------------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32 LE mark starts like the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told by where the zero bytes of mostly-ASCII
    text fall (Dutch text is mostly ASCII)."""
    sample = data[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    n = len(sample) // 4 * 4
    zeros = [sample[i:n:4].count(0) / (n // 4) for i in range(4)]
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9:
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9:
        return "utf-32-be"
    if zeros[1] > 0.7 and zeros[3] > 0.7:
        return "utf-16-le"
    if zeros[0] > 0.7 and zeros[2] > 0.7:
        return "utf-16-be"
    return None


def _decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Bytes to text: a byte order mark, else UTF-16/32 recognised by its zero bytes, else the
    declared charset (HTML) if it exists and fits, else UTF-8, else Windows-1252. Binary data
    (NUL bytes in 8-bit text, many control characters) is `error: not text`."""
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            break
    else:
        wide = _wide_encoding(data)
        if wide:
            text = data.decode(wide, errors="replace")
    if text is None:
        if b"\x00" in data[:65536]:
            raise DocumentError("error: not text", f"{name} contains binary data")
        for encoding in (declared, "utf-8"):
            if not encoding:
                continue
            try:
                text = data.decode(encoding)
                break
            except (LookupError, UnicodeDecodeError, ValueError):
                continue
        else:
            text = data.decode("cp1252", errors="replace")

    sample = text[:65536]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    if sample and odd / len(sample) > 0.02:
        raise DocumentError("error: not text", f"{name} looks like binary data")
    return _CONTROL.sub(" ", text)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # not tab, newline, form feed, CR


def _read_limited(path: Path) -> bytes:
    """The file's bytes, at most what MAX_DOC_CHARS characters can take (4 bytes each)."""
    with open(path, "rb") as fh:
        return fh.read(MAX_DOC_CHARS * 4)


# The skip link of the online-budget platforms many municipalities use: "Terug naar navigatie -
# Programma 1 - Dienstverlening" repeats the heading above it. It is navigation, which never
# counts (labelling guide); kept, it doubled headings and stood in for a section's heading.
_NAVIGATION = re.compile(
    r"^[ \t]*terug naar navigatie\b[^\n]*(?:\n|$)", re.IGNORECASE | re.MULTILINE
)


def _text_pages(text: str) -> tuple[Page, ...]:
    raw_pages = []
    for chunk in text.replace("\r\n", "\n").replace("\r", "\n").split("\f"):
        chunk = chunk[:MAX_PAGE_CHARS]  # cut before cleaning: time and memory stay bounded
        chunk = _NAVIGATION.sub("", chunk)
        blocks = [b for b in re.split(r"\n\s*\n", chunk) if b.strip()]
        raw_pages.append(blocks)
    texts = clean_pages(raw_pages) if len(raw_pages) > 1 else _plain(raw_pages[0])
    return tuple(Page(i + 1, t) for i, t in enumerate(texts))


def _plain(blocks: list[str]) -> list[str]:
    return ["\n".join(t for b in blocks if (t := join_lines(normalise(b).split("\n"))))]


def _read_txt(path: Path) -> Document:
    text = _decode(_read_limited(path), path.name)
    cut = len(text) > MAX_DOC_CHARS or any(
        len(chunk) > MAX_PAGE_CHARS for chunk in text.split("\f")
    )
    pages = _text_pages(text[:MAX_DOC_CHARS])
    status = "ok" if any(p.text.strip() for p in pages) else "no text"
    document = limit_text(Document(pages, {}, status))
    if cut and document.status == "ok":
        document = Document(document.pages, {}, PAGE_CUT if len(text) <= MAX_DOC_CHARS else DOC_CUT)
    return document


# HTML: lxml's parser (libxml2), linear on hostile markup where the standard library's
# html.parser took 22-31 s on under 1 MB ("</" or "<![CDATA[" repeated); see README.
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "title"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
    "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "dd", "dt", "figcaption", "form", "hr", "pre", "title", "body",
}  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?([\w.:-]{1,40})""", re.IGNORECASE)


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_ROW_TAG = "themescan-row"  # a data table's row, rewritten as one line before the walk
_BREAKS = _BLOCK | {_ROW_TAG}


def _block_kind(tag: str) -> str:
    if tag in _HEADINGS:
        return HEADING
    if tag == "li":
        return ITEM
    return ROW if tag == _ROW_TAG else PARAGRAPH


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text_content().split())


def _rewrite_tables(root: Any) -> None:
    """Each data table (one without a table inside it; tables that only lay out a page hold
    others or long text) becomes one line per row, "header: cell; header: cell" with the first
    row as header, as the PDF reader gives table rows: a row of figures is then one passage
    of its own kind, not a heap of one-number lines glued to the next paragraph."""
    for table in list(root.iter("table")):
        if table.find(".//table") is not None:
            continue
        rows = [
            [_cell_text(c) for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            for tr in table.iter("tr")
        ]
        rows = [r for r in rows if any(r)]
        cells = [c for r in rows for c in r if c]
        if not cells or sum(map(len, cells)) / len(cells) > 120:  # prose in cells: a layout
            continue
        lines = row_lines([[(k, v) for k, v in enumerate(row) if v] for row in rows])
        tail = table.tail
        table.clear()
        table.tag = "div"
        for line in lines:
            row_element = table.makeelement(_ROW_TAG, {})
            row_element.text = line
            table.append(row_element)
        table.tail = tail


def _visible_blocks(root: Any) -> tuple[list[Block], str]:
    """The text a browser shows (no scripts, styles or head), as typed blocks: block tags
    break it, h1-h6 are headings, li list items and data-table rows rows (_rewrite_tables);
    and the title. Walked without recursion."""
    from lxml import etree

    title = root.find(".//title")
    title_text = " ".join((title.text_content() if title is not None else "").split())
    _rewrite_tables(root)
    blocks: list[Block] = []
    parts: list[str] = []
    kinds = [PARAGRAPH]  # the kind of the innermost open block element

    def cut() -> None:
        text = " ".join("".join(parts).split())
        if text and not _NAVIGATION.match(text):
            blocks.append(Block(kinds[-1], (text,)))
        parts.clear()

    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in _HIDDEN or not tag:  # comments and processing instructions too
                walk.skip_subtree()
                if element.tail and element is not root:
                    parts.append(_WHITESPACE.sub(" ", element.tail))
                continue
            if tag in _BREAKS:
                cut()
                kinds.append(_block_kind(tag))
            if element.text:
                parts.append(_WHITESPACE.sub(" ", element.text))
        else:
            if tag in _BREAKS:
                cut()
                if len(kinds) > 1:
                    kinds.pop()
            if element.tail and element is not root:
                parts.append(_WHITESPACE.sub(" ", element.tail))
    cut()
    return blocks, title_text


def _parse_html(markup: str) -> tuple[Any, bool]:
    """The lxml tree of a page, and whether its nesting went past libxml2's depth limit."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    root = lxml.html.document_fromstring(markup, parser=parser)
    deep = any("depth" in str(e.message).lower() for e in parser.error_log)
    return root, deep


_INLINE_TAG = re.compile(r"</?(?:a|b|i|u|em|strong|span|font|small|big|sup|sub|abbr)\b[^>]*>", re.I)
_OTHER_TAG = re.compile(r"<(?!/?(?:script|style|head|title|noscript|template|svg|iframe)\b)[^>]*>")


def _flattened(markup: str) -> str:
    """A page nested deeper than a parser goes (a thousand layout tables in one another) with
    every tag but the hidden ones undone: inline tags vanish, so words stay whole; the others
    become line breaks, so blocks stay apart. Tables and headings are lost, the text is not."""
    return _OTHER_TAG.sub("<br>", _INLINE_TAG.sub("", markup))


def _read_html(path: Path) -> Document:
    data = _read_limited(path)
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace") if m else None
    text = _decode(data, path.name, declared)
    from lxml import etree

    markup = text[:MAX_DOC_CHARS].replace("\f", " ")
    try:
        # huge_tree: a text node over 10 MB is kept (cut later), not dropped; nesting deeper
        # than libxml2's limit (2048 with huge_tree) ends the parse there, in linear time
        root, deep = _parse_html(markup)
        if deep:  # the text below that depth would be lost: read it with the nesting undone
            root, _ = _parse_html(_flattened(markup))
        blocks, title = _visible_blocks(root)
    except (etree.ParserError, ValueError):  # "Document is empty": markup and no text
        blocks, title = [], ""
    pages = tuple(clean_layout([blocks]))  # one page, its blocks typed as a PDF's are
    meta = {"title": title} if title else {}
    status = "ok" if pages[0].text.strip() else "no text"
    cut = len(text) > MAX_DOC_CHARS
    document = limit_text(Document(pages, meta, status))
    if cut and document.status == "ok":
        document = Document(document.pages, meta, DOC_CUT)
    return document
