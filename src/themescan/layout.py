"""Page geometry to typed blocks: reading order, paragraphs, headings, list items, table rows.

Works on the plain data of PyMuPDF's `page.get_text("dict")` (lists and dicts, no PyMuPDF import)
so that reading.py stays the only module that touches PyMuPDF. A page is read as a person reads
it: lines are put in reading order (columns one after another, full-width lines between them);
lines join into one paragraph while the gap, the indent and the font agree; a larger gap, a change
of font size or weight, a bullet or a new column starts a new block; a block in a larger or bold
font that does not read as a sentence is a heading; lines that line up in three or more narrow
columns row by row are a table, and each of its rows becomes one line "header: cell; header: cell".

Every step is a sort, a bisect or a pass over the lines, so a page of 100,000 tiny spans or of
50 columns costs O(n log n), never O(n^2).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
ROW = "row"
FOOTNOTE = "footnote"
KINDS = (HEADING, PARAGRAPH, ITEM, ROW, FOOTNOTE)

MAX_DEPTH = 5  # columns inside columns inside columns; deeper nesting is read top to bottom
HEADING_MAX_CHARS = 200
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# A bullet or a list number at the start of a line: "•", "-", "–", Symbol/Wingdings bullets in
# the private-use area, "1.", "2)", "a)".
BULLETS = "•●▪■◦○‣⁃∙·–—-*►➢✓\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf02d"
_BULLET = re.compile(r"^\s*(?:[" + re.escape(BULLETS) + r"](?:\s|$)|(?:\d{1,2}|[a-z])[.)]\s)")
_BULLET_ONLY = re.compile(r"^\s*(?:[" + re.escape(BULLETS) + r"]|(?:\d{1,2}|[a-z])[.)])\s*$")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)]*\s*$")
_SENTENCE_INSIDE = re.compile(r"[a-z][.!?] +[A-Z]")


@dataclass(slots=True)
class Line:
    """One line of text with its box and dominant font (size, bold)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool
    cells: tuple[tuple[int, str], ...] | None = None  # a table row: (column, text) per cell


@dataclass(frozen=True, slots=True)
class Block:
    """A typed block of a page: its kind and its lines (joined later with hyphenation undone)."""

    kind: str
    lines: tuple[str, ...]
    size: float = 0.0  # the font size of its first line; 0 when not known

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)


# --- joining the lines of a paragraph or a cell ----------------------------------------------------

_KEEP_SPACED_HYPHEN = {"en", "of", "tot", "en/of", "als", "noch"}


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, undoing hyphenation at line ends but keeping real hyphens.

    "informatie-" + "beveiliging" -> "informatiebeveiliging"; "e-" + "dienstverlening" keeps its
    hyphen; "informatie-" + "en communicatie..." keeps "informatie- en"; "Noord-" + "Holland" too.
    """
    if len(lines) == 1:  # a heading, a table row, a one-line paragraph: nothing to join
        return lines[0].strip()
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


# --- lines from PyMuPDF's dict -------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _bold_font(name: str) -> bool:
    return _BOLD_NAME.search(name) is not None


@functools.lru_cache(maxsize=4096, typed=True)
def _size(size: float) -> float:
    """A font size rounded to 0.1 pt (a document uses a few sizes: each is rounded once)."""
    return round(size, 1)


def _span_bold(span: dict) -> bool:
    return bool(span["flags"] & 16) or _bold_font(span["font"])


# Text directions: a line's PyMuPDF `dir` vector, to the nearest quarter turn. A page with
# /Rotate 90 (a landscape table in a portrait budget) has its text running UP in the coordinates
# PyMuPDF reports; a chapter tab along the page edge runs UP or DOWN beside horizontal text.
RIGHT, UP, LEFT, DOWN, SLANTED = 0, 1, 2, 3, 4


def _direction(d: tuple[float, float]) -> int:
    dx, dy = d
    if dx > 0.7:
        return RIGHT
    if dy < -0.7:
        return UP
    if dx < -0.7:
        return LEFT
    return DOWN if dy > 0.7 else SLANTED  # a watermark at 45 degrees


def _turn(bbox: tuple[float, float, float, float], frame: int, w: float, h: float) -> tuple:
    """A box in the coordinates of text running in `frame`: x along the text, y down the lines."""
    x0, y0, x1, y1 = bbox
    if frame == UP:
        return (h - y1, x0, h - y0, x1)
    if frame == DOWN:
        return (y0, w - x1, y1, w - x0)
    if frame == LEFT:
        return (w - x1, h - y1, w - x0, h - y0)
    return bbox


def oriented_lines(page_dict: dict) -> tuple[list[Line], list[str]]:
    """The text lines of a page in its reading direction (most of its text: a page turned a
    quarter is read as a reader turns it), and the text of the lines that run another way
    (a chapter tab along the edge, a slanted watermark), each apart."""
    lines, others = lines_of(page_dict)
    if not others:
        return lines, []
    chars = Counter({RIGHT: sum(len(ln.text) for ln in lines)})
    for direction, text in others:
        chars[direction] += len(text)
    frame = chars.most_common(1)[0][0]
    if frame not in (RIGHT, SLANTED):
        lines, others = lines_of(page_dict, frame)
    return lines, [text for _, text in others]


def lines_of(page_dict: dict, frame: int = RIGHT) -> tuple[list[Line], list[tuple[int, str]]]:
    """The text lines that run in `frame` (boxes turned to it), a line split where a wide gap
    parts its spans (table cells); and (direction, text) of every line that runs another way."""
    out: list[Line] = []
    others: list[tuple[int, str]] = []
    append = out.append
    bold_font = _bold_font
    rounded = _size
    spaced_out = False
    width, height = page_dict.get("width", 0.0), page_dict.get("height", 0.0)
    for block in page_dict.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        for line in block.get("lines", ()):
            spans = line.get("spans", ())
            direction = line.get("dir", (1.0, 0.0))
            if frame != RIGHT or direction[0] <= 0.7:  # most lines run right: no more to ask
                turned = _direction(direction)
                if turned != frame:
                    text = "".join(s.get("text", "") for s in spans).strip()
                    if text:
                        others.append((turned, text))
                    continue
                spans = [{**s, "bbox": _turn(s["bbox"], frame, width, height)} for s in spans]
            if len(spans) == 1:  # most lines: one font, one span
                s = spans[0]
                text = s["text"]
                if text and not text.isspace():
                    x0, y0, x1, y1 = s["bbox"]
                    bold = s["flags"] & 16 != 0 or bold_font(s["font"])
                    append(Line(x0, y0, x1, y1, text, rounded(s["size"]), bold))
                elif text:  # a space set apart: the words on either side are one line's
                    x0, y0, x1, y1 = s["bbox"]
                    append(Line(x0, y0, x1, y1, " ", rounded(s["size"]), False))
                    spaced_out = True
                continue
            # a footnote mark set in superscript ("resultaat¹") is no part of the word
            spans = [s for s in spans if s.get("text") and not _mark(s)]
            if not spans:
                continue
            group: list[dict] = []
            for span in spans:
                size = max(span["size"], 1)
                if span["text"].isspace() and span["bbox"][2] - span["bbox"][0] >= 0.5 * size:
                    # a space twice as wide as a word space: the edge of a table cell
                    # (a right-aligned figure, then the next column's text)
                    if group:
                        _add_line(out, group)
                        group = []
                    continue
                if group and span["bbox"][0] - group[-1]["bbox"][2] > 1.0 * size:
                    _add_line(out, group)
                    group = []
                group.append(span)
            if group:
                _add_line(out, group)
    return _merge_same_baseline(out, spaced_out), others


_MARK = re.compile(r"\s*(?:\d{1,3}|\*{1,3})\s*")


def _mark(span: dict) -> bool:
    """A superscript footnote mark: a superscript span of a number or asterisks only."""
    return bool(span["flags"] & 1) and _MARK.fullmatch(span["text"]) is not None


def _add_line(out: list[Line], spans: list[dict]) -> None:
    if len(spans) == 1:  # most lines: one font, one span
        s = spans[0]
        text = s["text"]
        if text.strip():
            x0, y0, x1, y1 = s["bbox"]
            out.append(Line(x0, y0, x1, y1, text, _size(s["size"]), _span_bold(s)))
        return
    text = "".join(s["text"] for s in spans)
    if not text.strip():
        return
    weights: dict[float, int] = {}
    bold_chars = chars = 0
    for s in spans:
        n = len(s["text"].strip())
        size = _size(s["size"])
        weights[size] = weights.get(size, 0) + n
        chars += n
        if _span_bold(s):
            bold_chars += n
    x0 = min(s["bbox"][0] for s in spans)
    y0 = min(s["bbox"][1] for s in spans)
    x1 = max(s["bbox"][2] for s in spans)
    y1 = max(s["bbox"][3] for s in spans)
    size = max(weights, key=weights.__getitem__)
    out.append(Line(x0, y0, x1, y1, text, size, chars > 0 and bold_chars >= 0.8 * chars))


def _merge_same_baseline(lines: list[Line], spaced_out: bool = False) -> list[Line]:
    """A bullet drawn apart from its text, or a line cut into pieces by the writer, on one
    baseline with a small gap, is one line; so are the words of a justified line that the
    exporter set apart with a space between them (narrow columns), however wide the gap.
    `spaced_out`: `lines` holds such spaces (lines of " "), which are taken out here."""
    spaces: dict[int, list[float]] = {}  # per baseline, where each space set apart ends
    if spaced_out:
        for ln in lines:
            if ln.text == " ":
                spaces.setdefault(round(ln.y1), []).append(ln.x1)
        lines = [ln for ln in lines if ln.text != " "]
    if len(lines) < 2:
        return lines
    lines.sort(key=_BASELINE_KEY)
    pieces: Counter[int] | None = None  # lines per baseline (a table's rows have 3+), if asked
    prev = lines[0]
    out = [prev]
    append = out.append
    for ln in itertools.islice(lines, 1, None):
        gap = ln.x0 - prev.x1
        apart = abs(ln.y1 - prev.y1) >= 0.3 * prev.size
        raised = False
        if apart and prev.size < ln.size and ln.y0 < prev.y1 <= ln.y1:
            # a raised footnote number before its note's text ("¹ Zie ook ..."), within the
            # height of that text: one line, so that the note is known as a footnote
            apart = not (raised := _MARK.fullmatch(prev.text) is not None)
        if gap < -1 or apart:
            append(ln)  # not on one baseline: the usual case
            prev = ln
            continue
        # a bullet, or the number of a footnote set apart from its text ("3   Bedragen van ...")
        bullet = raised or _BULLET_ONLY.match(prev.text) is not None
        if not bullet and _MARK.fullmatch(prev.text) is not None and ln.text[:1].isupper():
            if pieces is None:
                pieces = Counter([round(x.y1) for x in lines])
            bullet = pieces[round(prev.y1)] == 2
        spaced = bool(spaces) and any(
            prev.x1 - 1 <= end <= ln.x0 + 1 for end in spaces.get(round(ln.y1), ())
        )
        if gap < 0.6 * prev.size or (bullet and gap < 4 * prev.size) or spaced:
            sep = "" if prev.text.endswith(" ") or ln.text.startswith(" ") else " "
            size = ln.size if bullet else prev.size
            bold = ln.bold if bullet else prev.bold and ln.bold
            prev = out[-1] = Line(
                prev.x0,
                min(prev.y0, ln.y0),
                ln.x1,
                max(prev.y1, ln.y1),
                prev.text + sep + ln.text,
                size,
                bold,
            )
        else:
            append(ln)
            prev = ln
    return out


_BASELINE_KEY = operator.attrgetter("y1", "x0")
_READING_KEY = operator.attrgetter("y0", "x0")


# --- reading order -------------------------------------------------------------------------------


def _gutters(lines: Sequence[Line], body: float) -> list[float]:
    """x positions of white vertical lanes between columns of narrow lines (O(n log n))."""
    x0 = min([ln.x0 for ln in lines])
    x1 = max([ln.x1 for ln in lines])
    width = x1 - x0
    if width <= 0:
        return []
    # the top and bottom lines (a running header, a page number) may stand in a gutter
    narrow = 0.55 * width
    spans = sorted([(ln.x0, ln.x1) for ln in lines[1:-1] if ln.x1 - ln.x0 < narrow])
    if len(spans) < 2:
        return []
    min_gap = max(5.0, 0.5 * body)  # columns of figures stand close together
    # just left of the next column: a wider line of the column before (beside a text box, say)
    # may reach into the lane, and only a line past it spans both
    return [end - 1.0 for _, end in _holes(spans, min_gap)]


def _holes(spans: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """The white lanes, at least min_gap wide, between x-intervals sorted by their start."""
    holes = []
    reach = spans[0][1]
    for a, b in itertools.islice(spans, 1, None):
        if a - reach >= min_gap:
            holes.append((reach, a))
        if b > reach:
            reach = b
    return holes


def reading_order(
    lines: list[Line], body: float, depth: int = 0, inherited: Sequence[float] = ()
) -> list[list[Line]]:
    """Groups of lines in reading order; each group is one column stretch, top to bottom.

    Lines that cross a column gutter (a title over two columns, a footer) part the page into
    segments; within a segment the columns are read left to right, each top to bottom.
    `inherited`: the gutters of the stretch this one was cut from, used when its own lines
    show none (a text box beside a paragraph wider than a column: the box's lane is only
    seen with the page's narrow lines).
    """
    lines = sorted(lines, key=_READING_KEY)
    if depth == 0 and len(lines) > 5:
        banded = _table_bands(lines, body)
        if banded is not None:
            return banded
    gutters = _gutters(lines, body) if depth < MAX_DEPTH and len(lines) > 2 else []
    if not gutters and inherited:
        gutters = [g for g in inherited if any(ln.x1 < g for ln in lines)]
        gutters = [g for g in gutters if any(ln.x0 > g for ln in lines)]
    if not gutters and depth < MAX_DEPTH and len(lines) > 3:
        beside = _side_by_side(lines, body, depth)
        if beside is not None:
            return beside
    if not gutters:
        return [lines] if lines else []
    parts: list[tuple[bool, list[Line]]] = []  # (spanning?, lines), top to bottom
    bisect_right = bisect.bisect_right
    n_gutters = len(gutters)
    current: list[Line] = []
    state = None
    for ln in lines:  # does the line cross a gutter?
        i = bisect_right(gutters, ln.x0)
        crosses = i < n_gutters and gutters[i] < ln.x1
        if crosses is state:
            current.append(ln)
        else:
            current = [ln]
            state = crosses
            parts.append((crosses, current))
    if len(parts) == 1:  # columns all the way down: read them one after the other
        return _segment(lines, gutters, body, depth)
    groups: list[list[Line]] = []
    for crosses, part in parts:
        if crosses:
            groups.append(part)
        else:  # a stretch between full-width lines has gutters (a table's) of its own
            groups.extend(reading_order(part, body, depth + 1, gutters))
    return groups


def _side_by_side(lines: list[Line], body: float, depth: int) -> list[list[Line]] | None:
    """A frame beside wrapping text (key figures left of a paragraph): lines that stand side by
    side over a stretch of the page, too wide to show a gutter among the page's narrow lines.
    The page is cut into bands of lines that overlap in height; bands whose lines leave a white
    lane between them, and next to each other with lanes that meet, are one stretch, read left
    of the lane, then right of it. None when there is no such stretch (lines sorted by y0)."""
    bottom = -1.0
    for ln in lines:  # most pages: no two lines beside each other, said in one cheap pass
        if ln.y0 < bottom - 1.0:
            break
        bottom = max(bottom, ln.y1)
    else:
        return None
    bands: list[list[Line]] = []
    bottom = 0.0
    for ln in lines:
        if bands and ln.y0 < bottom - 1.0:
            bands[-1].append(ln)
            bottom = max(bottom, ln.y1)
        else:
            bands.append([ln])
            bottom = ln.y1
    min_gap = max(5.0, 0.8 * body)
    stretches: list[tuple[int, int, float, float]] = []  # first band, last band, lane
    for i, band in enumerate(bands):
        lane = _lane(band, min_gap) if len(band) > 1 else None
        if lane is None:
            continue
        if stretches and stretches[-1][1] == i - 1:
            first, _, lo, hi = stretches[-1]
            if max(lo, lane[0]) < min(hi, lane[1]):
                stretches[-1] = (first, i, max(lo, lane[0]), min(hi, lane[1]))
                continue
        stretches.append((i, i, *lane))
    groups: list[list[Line]] = []
    pending: list[Line] = []
    pos = 0
    found = False
    for first, last, lo, hi in stretches:
        stretch = [ln for band in bands[first : last + 1] for ln in band]
        left = [ln for ln in stretch if ln.x1 <= lo + 0.5]
        right = [ln for ln in stretch if ln.x0 >= hi - 0.5]
        if len(left) < 2 or len(right) < 2 or len(left) + len(right) < len(stretch):
            continue
        found = True
        pending += [ln for band in bands[pos:first] for ln in band]
        if pending:
            groups.append(pending)
            pending = []
        groups += [*reading_order(left, body, depth + 1), *reading_order(right, body, depth + 1)]
        pos = last + 1
    if not found:
        return None
    pending += [ln for band in bands[pos:] for ln in band]
    if pending:
        groups.append(pending)
    return groups


def _lane(band: list[Line], min_gap: float) -> tuple[float, float] | None:
    """The widest white vertical lane between the lines of a band, if one is min_gap wide."""
    holes = _holes(sorted([(ln.x0, ln.x1) for ln in band]), min_gap)
    return max(holes, key=lambda h: h[1] - h[0]) if holes else None


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines (sorted by y0) in clusters that start at one height: the rows of a table."""
    rows: list[list[Line]] = []
    row: list[Line] = []
    top = 0.0  # y0 of the current row's first line
    for ln in lines:
        if row and abs(ln.y0 - top) < 0.4 * ln.size:
            row.append(ln)
        else:
            row = [ln]
            top = ln.y0
            rows.append(row)
    return rows


def _table_bands(lines: list[Line], body: float) -> list[list[Line]] | None:
    """Find runs of rows with three or more cells side by side (tables) and read the page as
    bands: the text above a table, the table row by row, the text below. None: no table."""
    rows = _rows(lines)
    runs: list[tuple[int, int]] = []  # [first, last] row indices of each run
    start = last = end = -1  # end: the run's last row, a wrapped line of its last cell too
    starts: list[float] = []  # where the cells of the run's dense rows begin
    for i, row in enumerate(rows):
        dense = len(row) >= 3
        if start < 0 and not dense:
            continue  # most rows of most pages: one line of text
        if start >= 0 and not dense:
            prev = rows[i - 1]
            size = max(row[0].size, 1)
            gap = row[0].y0 - max([ln.y1 for ln in prev])
            same = abs(row[0].size - prev[0].size) < 0.5
            if gap < 0.6 * size and same and i - last <= 2:
                end = i
                continue  # a wrapped cell's next line
            if same and gap < 1.5 * size and all(_aligned(ln.x0, starts) for ln in row):
                last = end = i  # a row with empty cells (one carried over from the page before)
                continue
            if last > start:
                runs.append((start, end))
            start = last = -1
        elif dense and start >= 0:
            last = end = i
            starts.extend([ln.x0 for ln in row])
        elif dense:
            start = last = end = i
            starts = [ln.x0 for ln in row]
    if start >= 0 and last > start:
        runs.append((start, end))
    if not runs:
        return None
    groups: list[list[Line]] = []
    pos = 0
    found = False
    bisect_right = bisect.bisect_right
    for first, last in runs:
        run_rows = rows[first : last + 1]
        run = [ln for row in run_rows for ln in row]
        # a table's lanes are as narrow as its own type allows, often smaller than the body's
        small = min(body, statistics.median([ln.size for ln in run]))
        gutters = _gutters([rows[first][0], *run, rows[last][-1]], small)
        keys = [[bisect_right(gutters, ln.x0) for ln in row] for row in run_rows]
        n_columns = len(set(itertools.chain.from_iterable(keys)))
        top = first
        if first > pos and _header_above(rows[first - 1], rows[first]):
            top = first - 1  # the upper row of a two-row header (merged cells), lanes aside
            run_rows = [rows[top], *run_rows]
            run = [*rows[top], *run]
            keys = [[bisect_right(gutters, ln.x0) for ln in rows[top]], *keys]
        table = _table(run, run_rows, keys, n_columns, top < first) if n_columns >= 3 else None
        if table is None:
            continue
        found = True
        above = [ln for row in rows[pos:top] for ln in row]
        groups.extend(reading_order(above, body, 1) if above else [])
        groups.extend(table)
        pos = last + 1
    if not found:
        return None
    below = [ln for row in rows[pos:] for ln in row]
    groups.extend(reading_order(below, body, 1) if below else [])
    return groups


def _wraps(above: list[Line], row: list[Line]) -> bool:
    """Is `row` the next line of a cell of the row above (closer than a row's gap)?"""
    return row[0].y0 - max([c.y1 for c in above]) < 0.6 * row[0].size


def _aligned(x: float, starts: list[float]) -> bool:
    return any(abs(x - s) <= 2.0 for s in starts)


def _segment(
    segment: list[Line], gutters: list[float], body: float, depth: int
) -> list[list[Line]]:
    if not segment:
        return []
    columns: dict[int, list[Line]] = {}
    for ln in segment:
        columns.setdefault(bisect.bisect_right(gutters, ln.x0), []).append(ln)
    if len(columns) >= 3:
        rows = _rows(segment)  # segment is sorted by y0
        keys = [[bisect.bisect_right(gutters, ln.x0) for ln in row] for row in rows]
        table = _table(segment, rows, keys, len(columns))
        if table:
            return table
    before, after = _peel(columns)
    out: list[list[Line]] = [before] if before else []
    for key in sorted(columns):
        if not columns[key]:
            continue
        if depth + 1 < MAX_DEPTH and len(columns[key]) > 2:
            out.extend(reading_order(columns[key], body, depth + 1))
        else:
            out.append(columns[key])
    if after:
        out.append(after)
    return out


def _peel(columns: dict[int, list[Line]]) -> tuple[list[Line], list[Line]]:
    """Take off the lines that stand above every other column (a running header, a title
    over the left column only) or below them (the heading of the full-width text after a
    two-column stretch), each apart from its own column's text by more than a line's gap:
    they are read before or after the columns, not as part of one. Changes `columns`."""
    before: list[Line] = []
    after: list[Line] = []
    for top in (True, False):
        while True:
            ends = [(k, v[0] if top else v[-1]) for k, v in columns.items() if v]
            if len(ends) < 2:
                break
            if top:
                key, line = min(ends, key=lambda e: e[1].y0)
                others = min([ln.y0 for k, ln in ends if k != key])
                apart = line.y1 <= others
                rest = columns[key][1:2]
                gap = rest[0].y0 - line.y1 if rest else None
            else:
                key, line = max(ends, key=lambda e: e[1].y1)
                others = max([ln.y1 for k, ln in ends if k != key])
                apart = line.y0 >= others
                rest = columns[key][-2:-1]
                gap = line.y0 - rest[0].y1 if rest else None
            if not apart or (gap is not None and gap <= 0.8 * max(line.size, 1)):
                break
            if top:
                before.append(columns[key].pop(0))
            else:
                after.insert(0, columns[key].pop())
    return before, after


# --- tables ---------------------------------------------------------------------------------------


def _header_above(above: list[Line], first: list[Line]) -> bool:
    """Is `above` the upper row of a two-row header over `first`: fewer cells (some span
    several columns), in the same type, just above it?"""
    gap = first[0].y0 - max([ln.y1 for ln in above])
    return (
        len(above) < len(first)
        and gap < 1.5 * max(first[0].size, 1)
        and all(abs(ln.size - first[0].size) < 0.5 for ln in above)
    )


def _table(
    segment: list[Line],
    rows: list[list[Line]],
    keys: list[list[int]],
    n_columns: int,
    two_row_header: bool = False,
) -> list[list[Line]] | None:
    """A segment whose narrow columns line up row by row is a table: one group per row, each a
    single Line that carries the row's cells (rows are formatted by _format_rows).

    `rows`: the segment's lines in rows (_rows); `keys`: per row, the column of each line;
    `n_columns`: how many columns the segment's lines fall in."""
    if n_columns < 4:
        lengths = sorted([len(ln.text.strip()) for ln in segment])
        if lengths[len(lengths) // 2] > 30:
            return None  # three text columns of a newsletter, not a table
    if n_columns < 5 and _text_columns(rows, keys):
        return None  # narrow columns of running text: most lines fill their column
    spread = [len(set(k)) for k in keys]
    # a caption above or a page number below is no table row
    lo, hi = 0, len(rows)
    while lo < hi and spread[lo] < 2:
        lo += 1
    while hi > lo and spread[hi - 1] < 2 and not _wraps(rows[hi - 2], rows[hi - 1]):
        hi -= 1
    full = sum(1 for n in spread[lo:hi] if n >= 3)
    # the next line of a wrapped cell is no row of its own
    starts = sum(1 for i in range(lo, hi) if i == lo or not _wraps(rows[i - 1], rows[i]))
    if full < 2 or full < 0.4 * starts:
        return None
    width = max(map(len, rows[lo:hi]))
    # wrapped cells: a cluster with few cells just under a row continues that row's cells
    merged: list[dict[int, list[Line]]] = []
    bottom = 0.0
    for i in range(lo, hi):
        r = rows[i]
        if spread[i] == len(r):  # the usual row: one line per cell
            cells = {k: [c] for k, c in zip(keys[i], r, strict=True)}
        else:
            cells = {}
            for k, c in zip(keys[i], r, strict=True):
                cells.setdefault(k, []).append(c)
        if merged and len(cells) < width and r[0].y0 - bottom < 0.6 * r[0].size:
            for k, v in cells.items():
                merged[-1].setdefault(k, []).extend(v)
        else:
            merged.append(cells)
        bottom = max([c.y1 for c in r])
    if two_row_header and lo == 0 and len(merged) >= 3 and len(merged[0]) < len(merged[1]):
        merged[:2] = [_one_header(merged[0], merged[1], merged[2:])]
    out: list[list[Line]] = rows[:lo]
    for cells in merged:
        order = sorted(cells)
        texts = [
            v[0].text.strip() if len(v) == 1 else join_lines([c.text for c in v])
            for v in map(cells.__getitem__, order)
        ]
        first = cells[order[0]][0]
        row = tuple(zip(order, texts, strict=True))
        text = " ".join(texts)
        out.append([Line(first.x0, first.y0, first.x1, first.y1, text, first.size, False, row)])
    out.extend(rows[hi:])
    return out


def _one_header(
    upper: dict[int, list[Line]], lower: dict[int, list[Line]], body: list[dict[int, list[Line]]]
) -> dict[int, list[Line]]:
    """A two-row header as one row: each column's name is the upper cell over it (the one
    whose centre is nearest the column's) and its own lower cell ("Meerjarenraming" over
    "2026", "2027", ...: "Meerjarenraming 2026")."""
    spans: dict[int, tuple[float, float]] = {}
    for cells in [lower, *body]:
        for k, lines in cells.items():
            lo, hi = spans.get(k, (lines[0].x0, lines[0].x1))
            spans[k] = (min(lo, *(ln.x0 for ln in lines)), max(hi, *(ln.x1 for ln in lines)))
    tops = [(sum(ln.x0 + ln.x1 for ln in v) / (2 * len(v)), v) for v in upper.values()]
    out: dict[int, list[Line]] = {}
    for k in sorted(spans):
        centre = (spans[k][0] + spans[k][1]) / 2
        over = min(tops, key=lambda t: abs(t[0] - centre))[1]
        out[k] = [*over, *lower.get(k, ())]
    return out


def _text_columns(rows: list[list[Line]], keys: list[list[int]]) -> bool:
    """Are these columns of running text (a page set in three columns) rather than a table?
    Their lines fill columns of about one width, where a table's cells vary (numbers, short
    words) and its columns differ."""
    spans: dict[int, tuple[float, float]] = {}
    for row, row_keys in zip(rows, keys, strict=True):
        for ln, k in zip(row, row_keys, strict=True):
            lo, hi = spans.get(k, (ln.x0, ln.x1))
            spans[k] = (min(lo, ln.x0), max(hi, ln.x1))
    widths = [hi - lo for lo, hi in spans.values()]
    if not widths or min(widths) <= 0 or max(widths) > 1.3 * min(widths):
        return False
    full = total = 0
    for row, row_keys in zip(rows, keys, strict=True):
        for ln, k in zip(row, row_keys, strict=True):
            lo, hi = spans[k]
            total += 1
            full += ln.x1 - ln.x0 >= 0.8 * (hi - lo)
    return total > 0 and full >= 0.6 * total


def _format_rows(group_rows: list[Line]) -> list[Block]:
    return [Block(ROW, (line,)) for line in row_lines([line.cells or () for line in group_rows])]


def row_lines(rows: Sequence[Sequence[tuple[int, str]]]) -> list[str]:
    """Table rows as "header: cell; header: cell"; the first of two or more rows is the header.
    A row is its (column, text) cells, left to right (the PDF and the HTML reader alike)."""
    header: dict[int, str] = {}
    out = []
    get = header.get
    for i, cells in enumerate(rows):
        if i == 0 and len(rows) > 1:
            header = dict(cells)
            get = header.get
            out.append("; ".join([v for _, v in cells if v]))
            continue
        out.append(
            "; ".join([f"{h}: {v}" if (h := get(k, "")) and h != v else v for k, v in cells])
        )
    return out


# --- paragraphs ------------------------------------------------------------------------------------


def _median_pitch(lines: list[Line]) -> float | None:
    """The usual distance from one line to the next, in units of the font size."""
    pitches = [
        step / size
        for a, b in itertools.pairwise(lines)
        if abs(a.size - b.size) < 0.5 and 0 < (step := b.y0 - a.y0) < 3 * (size := max(a.size, 1))
    ]
    pitches.sort()
    return pitches[len(pitches) // 2] if pitches else None


# a key figure on a line of its own ("Formatie ICT: 18 fte"): two such lines in a row are a
# list of figures (a frame of key figures), not the lines of one paragraph
_PAIR = re.compile(r"\s*[^\s:.;][^:.;]{1,35}:\s+\S[^:;]{0,30}\s*$")


def _paragraphs(group: list[Line], body: tuple[float, bool]) -> list[Block]:
    """Lines of one column stretch, top to bottom, into typed blocks."""
    if not group:
        return []
    pitch = _median_pitch(group)
    right = max([ln.x1 for ln in group])
    left = min([ln.x0 for ln in group])
    blocks: list[Block] = []
    first = group[0]
    current: list[Line] = [first]
    short = left + 0.7 * (right - left)  # a line ending before this is a paragraph's last
    body_size, body_bold = body
    big, low = body_size + 0.9, body_size - 0.5
    # a heading's style: a larger font, or bold where the body is not
    styled = [ln.size >= big or (ln.bold and not body_bold and ln.size >= low) for ln in group]
    bullet = _BULLET.match
    sentence_end = _SENTENCE_END.search
    marker = bullet(first.text)  # the bullet of the current block's first line, if any
    prev, prev_styled = first, styled[0]
    for i in range(1, len(group)):
        ln = group[i]
        ln_styled = styled[i]
        step = ln.y0 - prev.y0
        size = prev.size if prev.size > 1 else 1
        ln_marker = bullet(ln.text)
        new = (
            abs(ln.size - prev.size) > 0.5
            or ln_styled != prev_styled
            or ln_marker is not None
            or step < -0.3 * size  # back up: another box or column
            or step > (pitch * 1.25 * size + 0.5 if pitch else 1.6 * size)
            or (prev.x1 < short and not prev_styled and sentence_end(prev.text))
            or (ln.x0 > prev.x0 + 1.2 * size and len(current) > 1 and marker is None)
            or (_PAIR.match(prev.text) is not None and _PAIR.match(ln.text) is not None)
        )
        if new:
            blocks.append(_typed(current, body, marker, prev_styled))
            current = [ln]
            marker = ln_marker
        else:
            current.append(ln)
        prev, prev_styled = ln, ln_styled
    blocks.append(_typed(current, body, marker, prev_styled))
    return blocks


def _typed(
    lines: list[Line], body: tuple[float, bool], marker: re.Match[str] | None, styled: bool
) -> Block:
    """The kind of a block of lines; `marker`: the _BULLET match of its first line;
    `styled`: its lines are in a heading's style (_paragraphs parts lines that differ)."""
    texts = tuple([ln.text.strip() for ln in lines])
    size = lines[0].size
    if marker and not marker.group(0).strip()[:1].isalnum():
        return Block(ITEM, texts, size)  # a bullet glyph; "1." may number a heading
    if (
        styled
        and len(lines) <= 3
        and sum(map(len, texts)) <= HEADING_MAX_CHARS
        and not texts[-1].endswith((".", ";", ","))
        and not any(_SENTENCE_INSIDE.search(t) for t in texts)
    ):
        return Block(HEADING, texts, size)
    return Block(ITEM if marker else PARAGRAPH, texts, size)


def page_blocks(page_dict: dict, styles: Counter[tuple[float, bool]] | None = None) -> list[Block]:
    """The typed blocks of one page (PyMuPDF `get_text("dict")` data), in reading order.

    `styles` counts the characters per (font size, bold) of the pages read so far; pass the
    same Counter for every page of a document, so that the body font is the document's, not
    that of a page that is mostly table or title.
    """
    lines, apart = oriented_lines(page_dict)
    if not lines:
        return [Block(PARAGRAPH, (text,)) for text in apart]
    styles = Counter() if styles is None else styles
    counts: dict[tuple[float, bool], int] = {}
    for ln in lines:
        key = (ln.size, ln.bold)
        counts[key] = counts.get(key, 0) + len(ln.text)
    styles.update(counts)
    body = styles.most_common(1)[0][0]
    # a chapter tab or a watermark comes first, where a repeated one is taken for a running
    # header, and apart, so that it neither cuts nor joins the page's paragraphs
    out: list[Block] = [Block(PARAGRAPH, (text,)) for text in apart]
    joined: dict[int, list[str]] = {}  # out[i] continued over column breaks: all its lines
    rows: list[Line] = []  # a run of table rows, formatted together (the first is the header)
    for group in reading_order(lines, body[0]):
        if group[0].cells is not None:
            rows.append(group[0])
            continue
        if rows:
            out.extend(_format_rows(rows))
            rows = []
        blocks = _paragraphs(group, body)
        if out and blocks and continues(out[-1], blocks[0]):
            i = len(out) - 1  # gather lines in a list: no copying, however many breaks
            joined.setdefault(i, list(out[i].lines)).extend(blocks[0].lines)
            out[i] = Block(out[i].kind, blocks[0].lines, out[i].size)
            blocks = blocks[1:]
        out.extend(blocks)
    if rows:
        out.extend(_format_rows(rows))
    for i, all_lines in joined.items():
        out[i] = Block(out[i].kind, tuple(all_lines), out[i].size)
    _mark_footnotes(out, body[0])
    return out


_FOOTNOTE_START = re.compile(r"\s*(?:\d{1,3}|\*{1,3})\s+\S")


def _mark_footnotes(blocks: list[Block], body: float) -> None:
    """The blocks that end a page in a smaller font, each opening with its number: footnotes,
    kept apart so that a paragraph running over the page break is not cut by them."""
    i = len(blocks) - 1
    # below the footnotes: a footer, a page number (short single lines in a small font)
    for _ in range(2):  # (a footer of two lines too: "Gemeente X | Begroting" / "Pagina 2")
        lines = blocks[i].lines if i > 0 and len(blocks[i].lines) <= 2 else ()
        if (
            lines
            and all(0 < len(line) <= 60 for line in lines)
            and blocks[i].size < body
            and not _FOOTNOTE_START.match(lines[0])
        ):
            i -= 1
    while (
        i > 0
        and blocks[i].kind in (PARAGRAPH, ITEM)
        and 0 < blocks[i].size < 0.92 * body
        and _FOOTNOTE_START.match(blocks[i].lines[0])
    ):
        blocks[i] = Block(FOOTNOTE, blocks[i].lines, blocks[i].size)
        i -= 1


_OPEN_END = re.compile(r"[^.!?:;\"”’)]\s*$")
_LOWER_START = re.compile(r"^\s*[a-zà-ÿ0-9€(]")


def continues(before: Block, after: Block) -> bool:
    """Does `after` carry on the paragraph or list item `before` (over a column or page
    break): `before` stops mid-sentence and `after` starts with a lower-case word?"""
    return (
        before.kind in (PARAGRAPH, ITEM)
        and after.kind == PARAGRAPH
        and (not before.size or not after.size or abs(before.size - after.size) < 0.5)
        and bool(before.lines)
        and bool(after.lines)
        and _OPEN_END.search(before.lines[-1]) is not None
        and _LOWER_START.match(after.lines[0]) is not None
    )
