"""One self-contained HTML page for people who would rather look than read a CSV.

The BMC table with 95% intervals, a bar chart (inline SVG drawn here, error bars included), and
a municipality x theme matrix in which every flagged cell opens its evidence (snippet, page,
score) with a link to that page of the source PDF. No network and no external assets: CSS and
the small sorting script are inline, and the page reads fully without the script. All text from
the results (names, snippets) is escaped.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from themescan.aggregation import (
    CLASSES,
    ONBEKEND,
    TOTAAL,
    ClassRow,
    Population,
    ResultRow,
    Table,
    TableReport,
    format_number,
    jaar_key,
    normalize_name,
    size_class,
)
from themescan.config import DEFAULT_BOUNDS
from themescan.evidence import Detail, page_link
from themescan.municipalities import find_gemeente
from themescan.ownfiles import GENERATOR
from themescan.stats import wilson
from themescan.tables import noise_summary
from themescan.themes import THEMES, TITLES

CLASS_COLOURS = {
    "klein": "#9ecae1",
    "middel": "#4292c6",
    "groot": "#08519c",
    "onbekend": "#bdbdbd",
    "totaal": "#f28e2b",
}
_CLASS_ORDER = {k: i for i, k in enumerate((*CLASSES, ONBEKEND, TOTAAL))}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Cited:
    """One document's evidence for a theme: where to read it."""

    file: str
    page: int | None
    score: float | None
    snippet: str
    link: str


@dataclass
class Municipality:
    """A row of the matrix: a municipality, its class and per theme its flagged documents."""

    naam: str
    klasse: str
    inwoners: int | None
    files: list[str] = field(default_factory=list)
    flagged: dict[str, list[Cited]] = field(default_factory=dict)
    best: dict[str, float] = field(default_factory=dict)
    """Highest score per theme over the municipality's documents (for sorting)."""
    key: str = ""
    """The municipality whatever the year or type of the row (--by): one key per municipality."""


def municipalities(
    rows: Sequence[ResultRow],
    details: Mapping[str, Mapping[str, Detail]],
    population: Population | None,
    docs: str | Path,
    out_dir: str | Path,
    bounds: tuple[int, int] = DEFAULT_BOUNDS,
    by: str | None = None,
) -> list[Municipality]:
    """Group the readable documents by municipality as `build_table` counts them (population
    file by `file`, then by name; otherwise the results' own gemeente and inwoners). With `by`
    ("jaar" or "doc_type"), a municipality has a row per year or type ("Kromstede (2024)"), as
    it is counted in each of build_table's tables."""
    units: dict[str, Municipality] = {}
    hints: dict[str, str] = {}
    years: dict[str, str] = {}  # per unit: the year its inwoners are of
    for row in rows:
        if not row.ok:
            continue
        naam, key, inwoners = row.gemeente, normalize_name(row.gemeente), row.inwoners
        if population is not None:
            g = find_gemeente(population, row.file, row.gemeente, row.jaar)  # as build_table does
            if g is not None:
                naam, key = g.naam, normalize_name(g.naam)
                inwoners = g.inwoners if g.inwoners is not None else inwoners
        if not key:
            naam, key = row.file, "file:" + row.file
        whose = key
        if by is not None:
            group = (row.doc_type if by == "doc_type" else row.jaar) or "(leeg)"
            naam, key = f"{naam} ({group})", f"{key}|{group}"
        unit = units.get(key)
        if unit is None:
            unit = units[key] = Municipality(naam, ONBEKEND, inwoners, key=whose)
        if inwoners is not None and (
            key not in years or jaar_key(row.jaar) > jaar_key(years[key])
        ):  # the latest year's, as build_table takes it
            unit.inwoners, years[key] = inwoners, row.jaar
        if row.grootteklasse in CLASSES:
            hints.setdefault(key, row.grootteklasse)
        unit.files.append(row.file)
        for theme in THEMES:
            d = details.get(row.file, {}).get(theme, Detail())
            if d.score is not None:
                unit.best[theme] = max(unit.best.get(theme, 0.0), d.score)
            if theme in row.flags:
                unit.flagged.setdefault(theme, []).append(
                    Cited(
                        row.file,
                        d.page,
                        d.score,
                        d.snippet,
                        page_link(row.file, d.page, docs, out_dir),
                    )
                )
    for key, unit in units.items():
        unit.klasse = size_class(unit.inwoners, bounds)
        if unit.klasse == ONBEKEND and key in hints and bounds == DEFAULT_BOUNDS:
            unit.klasse = hints[key]
    return sorted(units.values(), key=lambda u: normalize_name(u.naam))


# ---------------------------------------------------------------------------------------------
# Pieces of the page
# ---------------------------------------------------------------------------------------------


def _interval(row: ClassRow, theme: str) -> tuple[float, float] | None:
    return wilson(row.count(theme), row.n)


def _pct_text(row: ClassRow, theme: str) -> str:
    whole = row.pct_whole(theme)
    return "–" if whole is None else f"{whole}%"


def _whole_pct(share: float) -> int:
    """A share as whole percent, rounded half up as the table rounds (58.5 -> 59)."""
    return math.floor(100 * share + 0.5)


def _interval_text(row: ClassRow, theme: str) -> str:
    ci = _interval(row, theme)
    if ci is None:
        return ""
    return f"{_whole_pct(ci[0])}–{_whole_pct(ci[1])}"


def table_html(report: TableReport) -> str:
    """The BMC table: themes down, size classes across; per cell the whole percentage, its 95%
    Wilson interval and the count."""
    unit = "documenten" if report.per == "document" else "gemeenten"
    parts = []
    for table in report.tables:
        if table.group is not None:
            parts.append(f"<h3>{_e(report.by)} = {_e(table.group)}</h3>")
        head = "".join(
            f'<th scope="col">{_e(r.grootteklasse)}<br><span class="sub">'
            f"{_e(r.omschrijving)}, n={r.n}</span></th>"
            for r in table.rows
        )
        body = []
        for theme in THEMES:
            cells = []
            for r in table.rows:
                if r.n == 0:
                    cells.append('<td class="num">–</td>')
                    continue
                ci = _interval_text(r, theme)
                cells.append(
                    f'<td class="num">'
                    f'<span class="pct">{_pct_text(r, theme)}</span> '
                    f'<span class="ci">({ci})</span><br>'
                    f'<span class="count">{r.count(theme)} van {r.n}</span></td>'
                )
            body.append(f'<tr><th scope="row">{_e(TITLES[theme])}</th>{"".join(cells)}</tr>')
        parts.append(
            '<div class="scroll"><table class="bmc">'
            f'<thead><tr><th scope="col">Thema</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )
        note = (
            f"Aandeel {unit} met expliciete aandacht voor het thema, afgerond op hele procenten; "
            "tussen haakjes het 95%-betrouwbaarheidsinterval (Wilson-score). Het interval dekt "
            "de toevalsruis van n, niet de fouten van de automatische beoordeling: toets die met "
            "themescan sample en themescan agreement."
        )
        noise = noise_summary(table)
        if noise:
            note += f" {noise}"
        if table.skipped:
            note += f" {table.skipped} document(en) niet meegeteld (status niet ok)."
        parts.append(f'<p class="note">{_e(note)}</p>')
    return "\n".join(parts)


def chart_svg(report: TableReport) -> str:
    """Grouped bars per theme, one per size class and totaal, with Wilson error bars, as SVG:
    one chart per table (per year or document type with --by)."""
    charts = []
    for i, table in enumerate(report.tables):
        caption = f"{report.by} = {table.group}" if table.group is not None else ""
        if caption:
            charts.append(f"<h3>{_e(caption)}</h3>")
        charts.append(_chart(table, f"chart-title-{i}", caption))
    return "".join(charts)


def _chart(table: Table, ident: str, caption: str = "") -> str:
    rows = [r for r in table.rows if r.n > 0] or list(table.rows)
    width, height = 760, 380
    left, right, top, bottom = 48, 12, 16, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    group_w = plot_w / len(THEMES)
    bar_w = group_w * 0.8 / max(1, len(rows))

    def y(pct: float) -> float:
        return top + plot_h * (1 - pct / 100)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}">Aandeel met expliciete aandacht per thema en grootteklasse, '
        f"met 95%-intervallen{_e(', ' + caption if caption else '')}</title>",
    ]
    for v in range(0, 101, 20):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'class="grid"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" class="axis" text-anchor="end">{v}%</text>'
        )
    for ti, theme in enumerate(THEMES):
        x0 = left + ti * group_w + group_w * 0.1
        for ri, r in enumerate(rows):
            pct = r.pct(theme, 1) or 0.0
            x = x0 + ri * bar_w
            colour = CLASS_COLOURS.get(r.grootteklasse, "#969696")
            label = f"{TITLES[theme]}, {r.grootteklasse}: {_pct_text(r, theme)}"
            ci = _interval(r, theme)
            if ci is not None:
                label += f" (95%-interval {_interval_text(r, theme)}%, {r.count(theme)} van {r.n})"
            out.append(
                f'<rect x="{x:.1f}" y="{y(pct):.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{y(0) - y(pct):.1f}" fill="{colour}"><title>{_e(label)}</title></rect>'
            )
            if ci is not None:
                cx = x + bar_w * 0.46
                lo, hi = y(100 * ci[0]), y(100 * ci[1])
                cap = min(4.0, bar_w * 0.3)
                out.append(
                    f'<path class="err" d="M{cx:.1f} {lo:.1f}V{hi:.1f}'
                    f'M{cx - cap:.1f} {lo:.1f}H{cx + cap:.1f}M{cx - cap:.1f} {hi:.1f}H{cx + cap:.1f}"/>'
                )
        lines = textwrap.wrap(TITLES[theme], 16, break_long_words=False)
        cx = left + ti * group_w + group_w / 2
        spans = "".join(
            f'<tspan x="{cx:.1f}" dy="{0 if i == 0 else 14}">{_e(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out.append(f'<text y="{y(0) + 18:.1f}" class="label" text-anchor="middle">{spans}</text>')
    lx = left
    ly = height - 22
    for r in rows:
        colour = CLASS_COLOURS.get(r.grootteklasse, "#969696")
        text = f"{r.grootteklasse} (n={r.n})"
        out.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{ly}" class="axis">{_e(text)}</text>'
        )
        lx += 24 + 7 * len(text)
    out.append("</svg>")
    return "".join(out)


def _evidence_html(cites: list[Cited], several: bool) -> str:
    items = []
    for c in cites:
        where = []
        if c.page is not None:
            where.append(f"p. {c.page}")
        if c.score is not None:
            where.append(f"score {_decimal(c.score, 3)}")
        snippet = (
            f'<q class="snip">{_e(c.snippet)}</q>'
            if c.snippet
            else '<span class="none">geen passage in de resultaten</span>'
        )
        # the file name stands in the row's first cell; repeat it only when there are several
        label = (c.file if several else "bron") + (f", p. {c.page}" if c.page is not None else "")
        items.append(
            f'<li>{snippet}<br><span class="meta">{_e(" · ".join(where))}</span> '
            f'<a href="{_e(c.link)}">{_e(label)}</a></li>'
        )
    return f'<details><summary>ja</summary><ul class="ev">{"".join(items)}</ul></details>'


def matrix_html(units: Sequence[Municipality]) -> str:
    """The municipality x theme matrix; data-sort attributes feed the sorting script."""
    head = (
        '<th scope="col" data-key="naam">Gemeente</th>'
        '<th scope="col" data-key="klasse">Grootteklasse</th>'
        '<th scope="col" data-key="inwoners" class="num">Inwoners</th>'
        + "".join(
            f'<th scope="col" data-key="{t}" data-type="num">{_e(TITLES[t])}</th>' for t in THEMES
        )
    )
    body = []
    for u in units:
        docs = f"{len(u.files)} documenten" if len(u.files) > 1 else u.files[0]
        cells = [
            f'<th scope="row" data-sort="{_e(normalize_name(u.naam))}">'
            f'{_e(u.naam)}<span class="docs">{_e(docs)}</span></th>',
            f'<td data-sort="{_CLASS_ORDER.get(u.klasse, 9)}">{_e(u.klasse)}</td>',
            f'<td class="num" data-sort="{u.inwoners or -1}">'
            f"{format_number(u.inwoners) if u.inwoners is not None else '–'}</td>",
        ]
        for t in THEMES:
            score = u.best.get(t, 0.0)
            if t in u.flagged:
                cells.append(
                    f'<td class="yes" data-sort="{1 + score:.4f}">'
                    f"{_evidence_html(u.flagged[t], len(u.files) > 1)}</td>"
                )
            else:
                title = (
                    f"niet gevonden (hoogste score {_decimal(score, 3)})"
                    if t in u.best
                    else "niet gevonden"
                )
                cells.append(f'<td class="no" data-sort="{score:.4f}" title="{_e(title)}">–</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table class="matrix" id="matrix">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


_CSS = """
:root{--fg:#1b1b1b;--muted:#5a5a5a;--line:#d6d6d6;--yes:#e3f1e0;--accent:#08519c}
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;padding:1rem;max-width:72rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--accent);padding-bottom:.2rem}
.lead,.note,.meta,.sub,.docs{color:var(--muted)}
.note{font-size:.9rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f4f6f8;position:sticky;top:0}
.num{text-align:right;white-space:nowrap}
.bmc td.num .pct{font-weight:600;font-size:1.05rem}
.ci,.count,.sub{font-size:.8rem}
.sub{font-weight:normal}
.docs{display:block;font-size:.75rem;font-weight:normal;overflow-wrap:anywhere}
td.yes{background:var(--yes)}
td.no{color:#999;text-align:center}
details summary{cursor:pointer;font-weight:600;color:#1a5e20}
ul.ev{margin:.3rem 0 0;padding-left:1rem;font-size:.85rem;min-width:14rem}
ul.ev li{margin-bottom:.4rem}
q.snip{font-style:italic}
.none{color:var(--muted)}
a{color:var(--accent)}
svg.chart{width:100%;height:auto;max-width:52rem;display:block}
svg .grid{stroke:#e3e3e3;stroke-width:1}
svg .axis{font-size:12px;fill:#444}
svg .label{font-size:12px;fill:#222}
svg .err{stroke:#222;stroke-width:1.3;fill:none}
.warn{background:#fff6da;border-left:4px solid #e0a800;padding:.5rem .8rem;font-size:.9rem}
.sortbar{font-size:.9rem;margin:.3rem 0 .6rem}
.sortbar select{font:inherit;max-width:100%}
th[data-key]{cursor:pointer}
@media (max-width:640px){
 body{padding:.6rem;font-size:15px}
 table.bmc{font-size:.85rem}
 .bmc th,.bmc td{padding:.3rem}
 table.matrix thead{display:none}
 table.matrix,table.matrix tbody,table.matrix tr,table.matrix th,table.matrix td{display:block;width:100%}
 table.matrix tr{border:1px solid var(--line);border-radius:6px;margin-bottom:.8rem;padding:.3rem}
 table.matrix td,table.matrix th[scope=row]{border:0;text-align:left;padding:.2rem .4rem}
 table.matrix td::before{font-weight:600;color:var(--muted)}
{LABELS} table.matrix td.no{text-align:left}
}
@page{size:A4 landscape;margin:12mm}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 table.matrix{table-layout:fixed;font-size:8pt}
 table.matrix th[data-key=naam]{width:13%}
 table.matrix th[data-key=klasse],table.matrix th[data-key=inwoners]{width:8%}
 ul.ev{min-width:0;font-size:7.5pt}
 .docs{font-size:6.5pt}
 a{overflow-wrap:anywhere}
 .sortbar,.noprint{display:none}
 a{color:inherit;text-decoration:none}
 thead th{position:static}
 tr,li,svg{break-inside:avoid}
 h2{break-after:avoid}
 .scroll{overflow:visible}
 td.yes{background:none}
 details summary{color:inherit}
}
"""

# On a phone each matrix row becomes a card; its cells say which column they are (in CSS, so
# the labels are not repeated in every cell of a 400-row matrix).
_CSS = _CSS.replace(
    "{LABELS}",
    "".join(
        f' table.matrix tr > :nth-child({i})::before{{content:"{label}: "}}\n'
        for i, label in enumerate(["Grootteklasse", "Inwoners", *(TITLES[t] for t in THEMES)], 2)
    ),
)

# Sorting by clicking a column head, by the select box, or by the link (report.html#sort=klasse,
# #sort=-smart_city for descending); opens every evidence cell before printing.
_JS = """
(function(){
var t=document.getElementById('matrix');if(!t)return;
var tb=t.tBodies[0],heads=t.tHead.rows[0].cells,state={};
function val(r,i,num){var c=r.cells[i],v=c.getAttribute('data-sort');return num?parseFloat(v):v;}
function sortBy(i){
 var num=i>0,dir=state[i]=state[i]?-state[i]:(i>2?-1:1);
 var rows=Array.prototype.slice.call(tb.rows);
 rows.sort(function(a,b){var x=val(a,i,num),y=val(b,i,num);
  var c=num?(x-y):(x<y?-1:x>y?1:0);if(c===0){c=val(a,0,false)<val(b,0,false)?-1:1;}return c*dir;});
 rows.forEach(function(r){tb.appendChild(r);});
 for(var k=0;k<heads.length;k++){heads[k].removeAttribute('aria-sort');}
 heads[i].setAttribute('aria-sort',dir===1?'ascending':'descending');
}
for(var i=0;i<heads.length;i++){(function(i){heads[i].addEventListener('click',function(){sortBy(i);});})(i);}
var bar=document.getElementById('sortbar');
if(bar){bar.hidden=false;bar.addEventListener('change',function(e){sortBy(parseInt(e.target.value,10));});}
var m=/^#sort=(-?)(\\w+)$/.exec(location.hash);
if(m){for(var j=0;j<heads.length;j++){if(heads[j].getAttribute('data-key')===m[2]){state[j]=m[1]?1:-1;sortBy(j);}}}
var opened=[];
window.addEventListener('beforeprint',function(){
 document.querySelectorAll('details:not([open])').forEach(function(d){d.open=true;opened.push(d);});});
window.addEventListener('afterprint',function(){opened.forEach(function(d){d.open=false;});opened=[];});
})();
"""


def _sortbar() -> str:
    options = [("0", "gemeente"), ("1", "grootteklasse"), ("2", "inwoners")]
    options += [(str(3 + i), TITLES[t]) for i, t in enumerate(THEMES)]
    opts = "".join(f'<option value="{v}">{_e(label)}</option>' for v, label in options)
    return (
        '<p class="sortbar" id="sortbar" hidden><label>Sorteer op '
        f"<select>{opts}</select></label> (of klik op een kolomkop)</p>"
    )


def _decimal(x: float, places: int = 2) -> str:
    """A number as a Dutch page writes it: decimal comma ("0,57")."""
    return f"{x:.{places}f}".replace(".", ",")


def accuracy_note(real_text: Mapping | None, origin: str = "model") -> str:
    """What the judge that made the results reaches on real P&C text, from its model.json
    (`real_text`), in words for a council: the shares above rest on its decisions. `origin`:
    "model", a rule ("none", "keywords": named, with what is known of it), "unknown" (no
    record of who decided: the packaged model's figures, said as such) or "hand" (decisions
    not made by themescan: nothing is claimed about them; trial 14)."""
    if origin == "hand":
        return (
            "De beslissingen in dit bestand zijn niet door themescan gemaakt (er staan geen "
            "scores in): deze pagina zegt niets over hoe goed ze zijn."
        )
    if origin == "keywords":
        known = real_text.get("keywords_macro_f1") if isinstance(real_text, Mapping) else None
        figure = (
            f" Op echte P&C-teksten haalt trefwoorden zoeken een macro-F1 van "
            f"{_decimal(float(known))} (1 is foutloos)."
            if isinstance(known, int | float)
            else ""
        )
        return (
            "De beslissingen hierboven zijn van trefwoorden zoeken (--model keywords), niet van "
            "het getrainde oordeel: elk trefwoord telt als aandacht, ook een woord in het "
            f"voorbijgaan.{figure} Gebruik ze als vergelijking, niet als uitkomst."
        )
    if origin == "none":
        return (
            "De beslissingen hierboven zijn van de lexiconregel (--model none), niet van het "
            "getrainde oordeel; hoe goed die regel op echte teksten is, staat in de README van "
            "themescan. Toets de aandelen met themescan sample en themescan agreement voordat u "
            "ze gebruikt."
        )
    if not isinstance(real_text, Mapping):
        return ""
    try:
        untouched = real_text.get("untouched") or {}
        themes = real_text["themes"]
        recalls = {t: float(themes[t]["recall"]) for t in THEMES if t in themes}
        n = int(real_text["documents"])
        overall = float(real_text["macro_f1"])
    except (KeyError, TypeError, ValueError):
        return ""
    weakest = min(recalls, key=recalls.__getitem__) if recalls else None

    count = f"{n:,}".replace(",", ".")
    if untouched.get("macro_f1") is not None:
        parts = [
            "Hoe goed oordeelt themescan? Op echte P&C-teksten waarop bij het bouwen geen keuze "
            f"is gemaakt haalt dit oordeel een macro-F1 van {_decimal(float(untouched['macro_f1']))} "
            f"(1 is foutloos; over alle {count} echte fragmenten {_decimal(overall)})."
        ]
    else:
        parts = [
            "Hoe goed oordeelt themescan? Op echte P&C-teksten haalt dit oordeel een macro-F1 "
            f"van {_decimal(overall)} ({count} fragmenten; 1 is foutloos)."
        ]
    if weakest:
        parts.append(
            f" Het mist een deel van de aandacht: over alle {count} fragmenten vindt het bij "
            f"{TITLES[weakest].lower()} {100 * recalls[weakest]:.0f}% van wat lezers vonden."
        )
    parts.append(
        " Het ziet ook aandacht waar lezers die niet zagen. De aandelen hierboven kunnen daardoor "
        "tientallen procentpunten afwijken van wat een lezer telt, naar boven en naar beneden; "
        "toets ze met themescan sample en themescan agreement voordat u ze gebruikt."
    )
    if origin == "unknown":
        parts.insert(
            0,
            "Welk oordeel deze resultaten maakte, is niet vastgelegd (er ligt geen "
            ".themescan.json naast het bestand); de cijfers hieronder gelden voor het "
            "meegeleverde model. ",
        )
    return "".join(parts)


def _counted(units: Sequence[Municipality], report: TableReport) -> str:
    """How many rows the matrix has, and of how many municipalities ("34 rijen van 15
    gemeenten, een per jaar" with --by jaar: 34 gemeenten would count one several times)."""
    unit = "documenten" if report.per == "document" else "gemeenten"
    if report.by is None:
        return f"{len(units)} {unit}"
    distinct = len({u.key for u in units})
    per = "jaar" if report.by == "jaar" else "documenttype"
    return f"{len(units)} rijen van {distinct} {unit}, een per {per}"


def render_report(
    report: TableReport,
    units: Sequence[Municipality],
    title: str = "Expliciete aandacht voor digitale thema's",
    source: str = "",
    warnings: Sequence[str] = (),
    accuracy: str = "",
) -> str:
    """The whole page as one string (UTF-8, no external references). `accuracy`: what the
    judge reaches on real text (accuracy_note), shown under the table."""
    unit = "documenten" if report.per == "document" else "gemeenten"
    if len(report.tables) > 1:  # --by: the count of each table
        lead = f"per {report.by}: " + ", ".join(
            f"{t.group} {t.total.n} {unit}" for t in report.tables if t.total
        )
    else:
        total = report.tables[0].total if report.tables else None
        lead = f"{total.n} {unit}" if total else ""
    read = len({f for u in units for f in u.files})
    unread = sum(t.skipped for t in report.tables)
    if read or unread:  # trial 14: how many documents the page rests on was nowhere
        lead += f" ({read} {'document' if read == 1 else 'documenten'} gelezen"
        lead += f", {unread} niet te lezen)" if unread else ")"
    if source:
        lead += f" uit {source}"
    lead += f"; gemaakt met themescan op {date.today().isoformat()}."
    warn = "".join(f"<li>{_e(getattr(w, 'nl', w))}</li>" for w in warnings)  # Dutch page
    flagged = sum(len(u.flagged) for u in units)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl"><head><meta charset="utf-8">'
        f'<meta name="generator" content="{GENERATOR}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><p class="lead">{_e(lead)}</p></header>'
        + (f'<div class="warn"><ul>{warn}</ul></div>' if warn else "")
        + '<section id="tabel"><h2>Aandeel per grootteklasse</h2>'
        + table_html(report)
        + (f'<p class="note accuracy">{_e(accuracy)}</p>' if accuracy else "")
        + "</section>"
        + '<section id="grafiek"><h2>Grafiek</h2>'
        + chart_svg(report)
        + '<p class="note">De zwarte strepen geven het 95%-betrouwbaarheidsinterval (Wilson-score).</p></section>'
        + f'<section id="gemeenten"><h2>Per gemeente</h2><p class="note">{_counted(units, report)}, '
        f"{flagged} thema's met expliciete aandacht. Klik op <b>ja</b> voor de passage, de pagina "
        "en de score; de link opent de pagina in het brondocument.</p>"
        + _sortbar()
        + matrix_html(units)
        + "</section>"
        + f"<script>{_JS}</script></body></html>\n"
    )
