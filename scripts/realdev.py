"""The real-text development set: assemble it, rebuild its texts, score a model on it.

    python scripts/realdev.py assemble --collected DIR [--split S]  # index.csv from collected excerpts
    python scripts/realdev.py rebuild --responses DIR       # texts from saved search responses
    python scripts/realdev.py score [--model M] [--split tune|final|final2..5|untouched|all]
    python scripts/realdev.py score --split untouched --docs 20  # documents of 20 excerpts each
    python scripts/realdev.py agreement                     # two annotators, before adjudication
    python scripts/realdev.py calibrate --model M           # per-theme threshold offsets, with CV

The texts are excerpts of real municipal web pages; they are not ours, so only the index (URL,
query, sha256, municipality, year, type), the labels and the agreement are committed, and the
texts live in realdev/texts/ (ignored by git). See realdev/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDEV = ROOT / "realdev"
TEXTS = REALDEV / "texts"
INDEX = REALDEV / "index.csv"
LABELS = REALDEV / "labels.csv"
HELDOUT = ROOT.parent / "shared" / "heldout" / "urls.txt"
COLUMNS = (
    "id",
    "split",
    "url",
    "query",
    "sha256",
    "chars",
    "gemeente",
    "organisation_type",
    "jaar",
    "doc_type",
    "chapter",
)
FINAL_SHARE = 3  # one excerpt in three is kept untouched until the end ("final")
# "final2" to "final6": later rounds, collected and labelled after a change was fixed, kept apart whole
SPLITS = ("tune", "final", "final2", "final3", "final4", "final5", "final6", "all")
# the rounds collected and labelled after the change they judge was fixed: README's headline
UNTOUCHED = ("final2", "final3", "final4", "final5", "final6")


def text_hash(text: str) -> str:
    """sha256 of the excerpt with Unicode NFC and all runs of whitespace made one space: the
    same page text hashes alike whether it was saved with its line breaks or re-wrapped."""
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def url_key(url: str) -> str:
    key = url.strip().lower()
    for prefix in ("https://", "http://"):
        key = key.removeprefix(prefix)
    return key.removeprefix("www.").rstrip("/")


def heldout_keys() -> set[str]:
    if not HELDOUT.is_file():
        return set()
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {url_key(u) for u in lines if u.strip() and not u.startswith("#")}


def split_of(digest: str) -> str:
    """A fixed split by the text's hash: about a third 'final', never used for tuning."""
    return "final" if int(digest[:8], 16) % FINAL_SHARE == 0 else "tune"


def read_index() -> list[dict[str, str]]:
    with open(INDEX, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_index(rows: list[dict[str, str]]) -> None:
    with open(INDEX, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- assemble ------------------------------------------------------------------------------------


def assemble(collected: Path, split: str | None = None) -> None:
    """Add the collectors' folders (index.jsonl + <id>.txt each) to realdev/index.csv and
    realdev/texts/: held-out URLs refused, URLs and texts already in the index dropped. Rows
    already in the index keep their ids (their labels refer to them); new rows get the next.
    split: the split of every new row (a later round kept apart whole), else one by hash."""
    held = heldout_keys()
    existing = read_index() if INDEX.is_file() else []
    rows: list[dict[str, str]] = []
    seen_urls = {url_key(r["url"]) for r in existing}
    seen_texts = {r["sha256"] for r in existing}
    dropped: dict[str, int] = {"held-out": 0, "same url": 0, "same text": 0, "no text": 0}
    TEXTS.mkdir(parents=True, exist_ok=True)
    for index in sorted(collected.glob("*/index.jsonl")):
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            source = index.parent / f"{rec['id']}.txt"
            key = url_key(rec["url"])
            if key in held:
                dropped["held-out"] += 1
                continue
            if not source.is_file() or not source.read_text(encoding="utf-8").strip():
                dropped["no text"] += 1
                continue
            text = source.read_text(encoding="utf-8")
            digest = text_hash(text)
            if key in seen_urls:
                dropped["same url"] += 1
                continue
            if digest in seen_texts:
                dropped["same text"] += 1
                continue
            seen_urls.add(key)
            seen_texts.add(digest)
            rows.append(
                {
                    "text": text,
                    "split": split or split_of(digest),
                    "url": rec["url"],
                    "query": rec.get("query", ""),
                    "sha256": digest,
                    "chars": str(len(text)),
                    "gemeente": rec.get("gemeente", ""),
                    "organisation_type": rec.get("organisation_type", ""),
                    "jaar": str(rec.get("jaar", "")),
                    "doc_type": rec.get("doc_type", ""),
                    "chapter": rec.get("chapter", ""),
                }
            )
    # neutral ids in the order of the texts' hashes: an annotator cannot tell from an id which
    # collector (theme-leaning or general chapters) found the excerpt
    rows.sort(key=lambda r: r["sha256"])
    for n, row in enumerate(rows, len(existing) + 1):
        row["id"] = f"R{n:03d}"
        (TEXTS / f"{row['id']}.txt").write_text(row.pop("text"), encoding="utf-8")
    _write_index(existing + rows)
    print(
        f"{len(rows)} new excerpts, {len(existing) + len(rows)} in {INDEX.name}; dropped {dropped}"
    )


# --- rebuild -------------------------------------------------------------------------------------


def _results(response: object) -> list[dict]:
    """The result records of one saved search response (the tool's JSON, or a list of them)."""
    if isinstance(response, list):
        return [r for item in response for r in _results(item)]
    if isinstance(response, dict):
        return [r for r in response.get("results", []) if isinstance(r, dict)]
    return []


def rebuild(responses: Path) -> int:
    """Write realdev/texts/<id>.txt for every index row whose URL a saved response holds and
    whose text hashes to the index's sha256; report the rows still missing."""
    by_url: dict[str, list[str]] = {}
    for file in sorted(responses.rglob("*.json")):
        for r in _results(json.loads(file.read_text(encoding="utf-8"))):
            if "url" in r and "excerpt" in r:
                by_url.setdefault(url_key(r["url"]), []).append(r["excerpt"])
    TEXTS.mkdir(parents=True, exist_ok=True)
    missing, mismatched = [], []
    for row in read_index():
        found = by_url.get(url_key(row["url"]), [])
        text = next((t for t in found if text_hash(t) == row["sha256"]), None)
        if text is None:
            (mismatched if found else missing).append(row["id"])
            continue
        (TEXTS / f"{row['id']}.txt").write_text(text, encoding="utf-8")
    total = len(read_index())
    print(f"rebuilt {total - len(missing) - len(mismatched)} of {total} texts in {TEXTS}")
    if missing:
        print(f"no saved response holds the URL of: {' '.join(missing)}")
    if mismatched:
        print(f"the stored page changed (sha256 differs) for: {' '.join(mismatched)}")
    return 1 if missing or mismatched else 0


def worklist(out: Path, parts: int) -> list[Path]:
    """Split the rebuild into `parts` lists for people (or helpers) who save the texts one by
    one: per line query, id, url (tab-separated); a query's rows stay in one list, so one
    look-up answers them all. Returns the files written (out/part1.tsv, ...)."""
    by_query: dict[str, list[dict[str, str]]] = {}
    for row in read_index():
        by_query.setdefault(row["query"], []).append(row)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    queries = list(by_query)
    for k in range(parts):
        lines = [f"{q}\t{r['id']}\t{r['url']}" for q in queries[k::parts] for r in by_query[q]]
        files.append(out / f"part{k + 1}.tsv")
        files[-1].write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return files


def check() -> dict[str, list[str]]:
    """Which texts in realdev/texts are the labelled ones (their sha256), which were saved but
    differ (the page changed since, or a copying slip), which are missing. Nothing is moved or
    deleted: `score` leaves out only the missing ones, so delete a changed text to keep it out."""
    found: dict[str, list[str]] = {"matching": [], "changed": [], "missing": []}
    for row in read_index():
        path = TEXTS / f"{row['id']}.txt"
        if not path.is_file():
            found["missing"].append(row["id"])
        elif text_hash(path.read_text(encoding="utf-8")) == row["sha256"]:
            found["matching"].append(row["id"])
        else:
            found["changed"].append(row["id"])
    return found


# --- agreement -----------------------------------------------------------------------------------


def agreement(a: Path, b: Path) -> dict:
    """Per theme: both annotators' yes counts, raw agreement and Cohen's kappa."""
    from themescan.evaluation import ThemeScore
    from themescan.themes import THEMES
    from themescan.training import read_labels

    la, lb = read_labels(a), read_labels(b)
    common = sorted(set(la) & set(lb))
    out = {"excerpts": len(common), "themes": {}}
    for theme in THEMES:
        tp = sum(theme in la[f] and theme in lb[f] for f in common)
        fp = sum(theme in la[f] and theme not in lb[f] for f in common)
        fn = sum(theme not in la[f] and theme in lb[f] for f in common)
        s = ThemeScore(theme, tp, fp, fn, len(common) - tp - fp - fn)
        out["themes"][theme] = {
            "yes_a": tp + fp,
            "yes_b": tp + fn,
            "agree": round((len(common) - fp - fn) / len(common), 3),
            "kappa": round(s.kappa, 3),
        }
    return out


# --- calibrate ---------------------------------------------------------------------------------

CALIBRATION = ROOT / "training" / "real_calibration.json"
CALIBRATION_FOLDS = 5
PLATEAU = 0.02  # F1 within this of the best is as good: the middle of that run is taken


def _margins(model: str | None, files: list[Path]) -> dict[str, list[float]]:
    """Per excerpt and theme, how far its score is above (+) or below (-) the threshold, in
    logit space: the calibrated score puts the threshold at 0.5."""
    from themescan.batch import scan
    from themescan.config import Config
    from themescan.model import logit

    return {r.file: [logit(t.score) for t in r.themes] for r in scan(files, Config(model=model))}


def _best_offset(margins: list[float], truth: list[bool]) -> float:
    """The logit shift that maximises F1 (middle of the near-best plateau), within +-4."""
    import numpy as np

    from themescan.model import best_threshold, expit, logit

    if not any(truth):
        return 0.0
    s = np.array([expit(m) for m in margins])
    cut, _ = best_threshold(s, np.array(truth), tolerance=PLATEAU)
    return max(-4.0, min(4.0, -logit(cut)))


def calibrate(model: str | None) -> dict:
    """Per-theme offsets to the model's thresholds, chosen on the tune split's excerpts, with a
    cross-validated F1 (offsets chosen on four fifths, applied to the fifth) to report."""
    from themescan.evaluation import ThemeScore
    from themescan.themes import THEMES
    from themescan.training import read_labels

    gold = read_labels(LABELS)
    rows = [r for r in read_index() if r["split"] == "tune" and f"{r['id']}.txt" in gold]
    files = [TEXTS / f"{r['id']}.txt" for r in rows]
    margins = _margins(model, files)
    names = [f.name for f in files]
    fold = {r["id"] + ".txt": int(r["sha256"][8:16], 16) % CALIBRATION_FOLDS for r in rows}
    result: dict = {"split": "tune", "excerpts": len(names), "offsets": {}, "cv": {}}
    for col, theme in enumerate(THEMES):
        m = [margins[n][col] for n in names]
        y = [theme in gold[n] for n in names]
        result["offsets"][theme] = round(_best_offset(m, y), 3)
        pred: dict[int, bool] = {}
        for k in range(CALIBRATION_FOLDS):
            train = [i for i, n in enumerate(names) if fold[n] != k]
            d = _best_offset([m[i] for i in train], [y[i] for i in train])
            pred.update({i: m[i] + d >= 0 for i, n in enumerate(names) if fold[n] == k})
        tp = sum(pred[i] and y[i] for i in pred)
        fp = sum(pred[i] and not y[i] for i in pred)
        fn = sum(y[i] and not pred[i] for i in pred)
        tn = len(pred) - tp - fp - fn
        cv = ThemeScore(theme, tp, fp, fn, tn)
        base = ThemeScore(
            theme,
            sum(a >= 0 and b for a, b in zip(m, y, strict=True)),
            sum(a >= 0 and not b for a, b in zip(m, y, strict=True)),
            sum(a < 0 and b for a, b in zip(m, y, strict=True)),
            0,
        )
        result["cv"][theme] = {
            "f1_without_offsets": round(base.f1, 3),
            "f1_cross_validated": round(cv.f1, 3),
            "positives": sum(y),
        }
    result["cv"]["macro_f1_without_offsets"] = round(
        sum(result["cv"][t]["f1_without_offsets"] for t in THEMES) / len(THEMES), 3
    )
    result["cv"]["macro_f1_cross_validated"] = round(
        sum(result["cv"][t]["f1_cross_validated"] for t in THEMES) / len(THEMES), 3
    )
    return result


# --- score ---------------------------------------------------------------------------------------


BOOTSTRAP = 1000  # resamples of the excerpts for the intervals that `score` prints


def rows_of(split: str) -> list[dict[str, str]]:
    """The index rows of a split; "all" is every row, "untouched" the rounds in UNTOUCHED,
    "seen" the others (tune and final, where choices were made)."""
    return [
        r
        for r in read_index()
        if split in ("all", r["split"])
        or (split == "untouched" and r["split"] in UNTOUCHED)
        or (split == "seen" and r["split"] not in UNTOUCHED)
    ]


def score(model: str | None, split: str, compare: str | None = None, docs: int = 0) -> dict:
    """Macro F1 and per-theme P/R/F1 of a model, the lexicon rule and keyword search (and a
    second model, `compare`) on the rebuilt texts of one split, with the number of wrong
    decisions and a 95% bootstrap interval of the macro F1: few positives make F1 jumpy, and
    the interval says how much. The paired interval of each row's difference from the model
    says whether a gap is more than the luck of the draw.

    `docs` > 0 judges documents of that many excerpts instead (see compose_documents)."""
    import numpy as np

    from themescan.batch import scan
    from themescan.config import Config
    from themescan.evaluation import score as score_flags
    from themescan.themes import THEMES
    from themescan.training import read_labels

    gold = read_labels(LABELS)
    rows = rows_of(split)
    files = [TEXTS / f"{r['id']}.txt" for r in rows if f"{r['id']}.txt" in gold]
    absent = [f.name for f in files if not f.is_file()]
    if len(absent) == len(files):
        sys.exit(f"none of the {len(files)} texts is rebuilt; run `rebuild` first")
    if absent:  # a page no longer stored, or changed: score the rest, and say so
        print(
            f"{len(absent)} of {len(files)} texts not rebuilt, left out: "
            + " ".join(sorted(a.removesuffix(".txt") for a in absent)),
            file=sys.stderr,
        )
        files = [f for f in files if f.is_file()]
    scratch = tempfile.TemporaryDirectory(prefix="realdev-docs-")
    if docs:
        gold, files = compose_documents(files, gold, docs, Path(scratch.name))
    names = [f.name for f in files]
    truth = np.array([[t in gold[n] for t in THEMES] for n in names])
    rng = np.random.default_rng(2026)
    draws = [rng.integers(0, len(names), len(names)) for _ in range(BOOTSTRAP)]
    systems = [("themescan", model), ("lexicon rule", "none"), ("keywords", "keywords")]
    if compare:
        systems.append((f"compare: {compare}", compare))
    out: dict = {"split": split, "excerpts": len(files), "systems": [n for n, _ in systems]}
    if docs:
        out["documents_of"] = docs
    flags: dict[str, np.ndarray] = {}
    for name, setting in systems:
        results = scan(files, Config(model=setting))
        preds = {r.file: frozenset(t.theme for t in r.themes if t.flag) for r in results}
        flags[name] = np.array([[t in preds[n] for t in THEMES] for n in names])
        s = score_flags(preds, {n: gold[n] for n in names})
        boot = [_macro_f1(flags[name][i], truth[i]) for i in draws]
        row = {
            "macro_f1": round(s.macro_f1, 3),
            "interval": [round(float(np.percentile(boot, q)), 3) for q in (2.5, 97.5)],
            "errors": int((flags[name] != truth).sum()),
            **{
                t.theme: {
                    "p": round(t.precision, 3),
                    "r": round(t.recall, 3),
                    "f1": round(t.f1, 3),
                    "n": t.tp + t.fn,
                }
                for t in s.themes
            },
        }
        if name != "themescan":
            base = flags["themescan"]
            diff = [
                _macro_f1(flags[name][i], truth[i]) - _macro_f1(base[i], truth[i]) for i in draws
            ]
            row["difference_interval"] = [
                round(float(np.percentile(diff, q)), 3) for q in (2.5, 97.5)
            ]
        out[name] = row
    scratch.cleanup()
    return out


COMPOSITIONS = 5  # shufflings of a split into documents: every excerpt stands in five


def compose_documents(
    files: list[Path], gold: dict[str, frozenset[str]], size: int, into: Path
) -> tuple[dict[str, frozenset[str]], list[Path]]:
    """Documents of `size` real excerpts each, one excerpt a page (form feeds between), from
    COMPOSITIONS seeded shufflings of `files`; a document's labels are the union of its
    excerpts' labels (a document pays attention when one passage does). Whole real budgets are
    not in the set; these test what one excerpt alone cannot: whether the document decision
    holds when a theme's one passage stands among many pages of real text without it, and
    whether many weak real passages add up to a false flag. Returns labels and files."""
    import random

    labels: dict[str, frozenset[str]] = {}
    out: list[Path] = []
    for seed in range(COMPOSITIONS):
        order = sorted(files)
        random.Random(seed).shuffle(order)
        for start in range(0, len(order) - size + 1, size):
            group = order[start : start + size]
            name = f"doc{seed}-{start // size:03d}.txt"
            pages = [f.read_text(encoding="utf-8").strip() for f in group]
            (into / name).write_text("\n\f".join(pages) + "\n", encoding="utf-8")
            labels[name] = frozenset().union(*(gold[f.name] for f in group))
            out.append(into / name)
    return labels, out


def _macro_f1(pred, truth) -> float:
    """Macro F1 of boolean matrices (excerpts x themes), as evaluation.score computes it (a
    theme without a true positive in a resample counts 0)."""
    tp = (pred & truth).sum(axis=0)
    wrong = (pred != truth).sum(axis=0)
    f1 = [2 * a / (2 * a + w) if a else 0.0 for a, w in zip(tp, wrong, strict=True)]
    return float(sum(f1) / len(f1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("assemble")
    p.add_argument("--collected", type=Path, required=True)
    p.add_argument("--split", choices=SPLITS[:-1], help="for every new row (default: by hash)")
    p = sub.add_parser("rebuild")
    p.add_argument("--responses", type=Path, required=True)
    p = sub.add_parser("worklist", help="split the rebuild into lists for several people")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--parts", type=int, default=1)
    sub.add_parser("check", help="which saved texts match their sha256")
    p = sub.add_parser("score")
    p.add_argument("--model", default=None, help="model folder (default: the packaged model)")
    p.add_argument(
        "--split",
        default="tune",
        choices=(*SPLITS, "untouched", "seen"),
        help="untouched: final2-6; seen: tune and final",
    )
    p.add_argument("--compare", help="a second model folder, scored beside the first")
    p.add_argument(
        "--docs", type=int, default=0, metavar="N",
        help="judge documents of N excerpts each (one a page), five shufflings, not excerpts",
    )  # fmt: skip
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("calibrate")
    p.add_argument("--model", required=True, help="a model folder built without calibration")
    p.add_argument("--write", action="store_true", help=f"write {CALIBRATION.name}")
    p = sub.add_parser("agreement")
    p.add_argument("--a", type=Path, default=REALDEV / "annotations" / "annotator_a.csv")
    p.add_argument("--b", type=Path, default=REALDEV / "annotations" / "annotator_b.csv")
    ns = ap.parse_args()
    if ns.cmd == "assemble":
        assemble(ns.collected, ns.split)
    elif ns.cmd == "rebuild":
        return rebuild(ns.responses)
    elif ns.cmd == "worklist":
        for file in worklist(ns.out, max(1, ns.parts)):
            print(file)
    elif ns.cmd == "check":
        found = check()
        print(f"{len(found['matching'])} of {len(read_index())} texts match their sha256")
        for kind in ("changed", "missing"):
            if found[kind]:
                print(f"{kind}: {' '.join(found[kind])}")
        return 1 if found["changed"] or found["missing"] else 0
    elif ns.cmd == "calibrate":
        result = calibrate(ns.model)
        print(json.dumps(result, indent=2))
        if ns.write:
            CALIBRATION.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    elif ns.cmd == "agreement":
        print(json.dumps(agreement(ns.a, ns.b), indent=2))
    else:
        result = score(ns.model, ns.split, ns.compare, ns.docs)
        if ns.json:
            print(json.dumps(result, indent=2))
        else:
            _print_score(result)
    return 0


def _print_score(result: dict) -> None:
    from themescan.themes import THEMES

    size = result.get("documents_of")
    what = f"documents of {size} excerpts" if size else "excerpts"
    print(f"split {result['split']}: {result['excerpts']} {what}; P/R/F1 per theme")
    print(
        f"{'':24}" + "".join(f"{t[:14]:>16}" for t in THEMES)
        + f"{'macro F1':>10}{'95% interval':>15}{'errors':>8}  vs themescan"
    )  # fmt: skip
    for name in result["systems"]:
        r = result[name]
        cells = "".join(
            f"{r[t]['p']:.2f}/{r[t]['r']:.2f}/{r[t]['f1']:.2f}".rjust(16) for t in THEMES
        )
        low, high = r["interval"]
        gap = r.get("difference_interval")
        versus = f"  {gap[0]:+.3f} to {gap[1]:+.3f}" if gap else ""
        print(
            f"{name[:24]:24}{cells}{r['macro_f1']:>10.3f}{f'{low:.3f}-{high:.3f}':>15}"
            f"{r['errors']:>8}{versus}"
        )
    print(
        f"{'positives (gold)':24}" + "".join(f"{result['themescan'][t]['n']:>16}" for t in THEMES)
    )
    print(
        f"(intervals: {BOOTSTRAP} bootstrap resamples of the {what}; 'vs themescan': 95% interval "
        "of the paired difference in macro F1)"
    )
    if size:
        print(
            f"(each excerpt stands in {COMPOSITIONS} documents, so the documents are not "
            "independent and these intervals are too narrow; compare rows, not runs)"
        )


if __name__ == "__main__":
    sys.exit(main())
