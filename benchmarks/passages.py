"""How well passages and evidence snippets follow the text's own units (issue 12 targets).

    python benchmarks/passages.py [FOLDER ...]      (default: ../shared/dev/docs)

Prints, over every document in the folders:
- passages: their number, median length, and the share that ends at a sentence end, a
  heading or a table row (target >= 90%), and that share with list items counted too;
- snippets: for each theme the evidence of its flag and the snippets of its three best
  passages; the share that are whole sentences or marked cuts (target >= 90%): a snippet
  starts at a sentence start, a bullet, a table row or "…", and ends at a sentence end, the
  end of its line (a row, an item, a heading) or "…".
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

from themescan.config import Config
from themescan.language import passages
from themescan.pipeline import Classifier, make_evidence
from themescan.reading import find_documents, read_document
from themescan.themes import THEMES

ROOT = Path(__file__).resolve().parents[1]
_END = re.compile(r"[.!?:;][\"'”’)]*$")
_START = re.compile(r"^(?:…|[\"'‘“(€]?[A-Z0-9À-Ý]|[•●▪■◦○\-–—*])")


def passage_end(kind: str, text: str) -> str:
    """Where a passage ends: 'sentence', 'heading', 'row', 'item' or 'cut'."""
    if kind in ("heading", "row"):
        return kind
    if _END.search(text.rstrip()):
        return "sentence"
    return "item" if kind == "item" else "cut"


def whole(snippet: str, page_text: str) -> bool:
    """A snippet that starts and ends where the text's own units do, or says where it was cut."""
    lines = page_text.split("\n")
    if snippet in lines:
        return True  # a whole row, item, heading or paragraph
    starts = bool(_START.match(snippet)) or any(ln.startswith(snippet[:40]) for ln in lines)
    ends = snippet.endswith("…") or bool(_END.search(snippet))
    ends = ends or any(ln.endswith(snippet[-40:]) for ln in lines)
    return starts and ends


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print this many failing examples")
    ns = ap.parse_args()
    folders = ns.folders or [ROOT.parent / "shared" / "dev" / "docs"]
    classifier = Classifier(Config())
    ends: dict[str, int] = {}
    lengths: list[int] = []
    flags_ok = flags_n = top_ok = top_n = 0
    bad_passages: list[str] = []
    bad_snippets: list[str] = []
    for path, _name in find_documents(folders):
        document = read_document(path)
        for page in document.pages:
            for p in passages(page):
                where = passage_end(
                    getattr(p, "kind", "paragraph"), p.text
                )  # older themescan: no kind
                ends[where] = ends.get(where, 0) + 1
                lengths.append(len(p.text))
                if where == "cut":
                    bad_passages.append(p.text[-80:])
        scored, _ = classifier.score_passages(document)
        thresholds = classifier.thresholds(len(scored))
        for col, theme in enumerate(THEMES):
            ranked = sorted(scored, key=lambda s, c=col: -s.scores[c])[:3]
            for rank, s in enumerate(ranked):
                if s.scores[col] < 0.05:
                    continue
                ev = make_evidence(document, s, theme, s.scores[col])
                ok = whole(ev.snippet, document.pages[ev.page - 1].text)
                top_n += 1
                top_ok += ok
                if rank == 0 and s.scores[col] >= thresholds[theme]:
                    flags_n += 1
                    flags_ok += ok
                if not ok:
                    bad_snippets.append(ev.snippet)
    total = sum(ends.values())
    if not total:
        sys.exit("no passages")
    structural = ends.get("sentence", 0) + ends.get("heading", 0) + ends.get("row", 0)
    print(f"documents in {', '.join(map(str, folders))}")
    print(f"passages: {total}, median {statistics.median(lengths):.0f} characters")
    print("  ends: " + ", ".join(f"{k} {v}" for k, v in sorted(ends.items())))
    print(f"  at a sentence end, heading or table row: {structural / total:.1%} (target >= 90%)")
    print(f"  ... or the end of a list item: {(structural + ends.get('item', 0)) / total:.1%}")
    if flags_n:
        print(f"flag evidence: {flags_n}, whole sentences or marked cuts {flags_ok / flags_n:.1%}")
    if top_n:
        print(f"top-3 snippets per theme: {top_n}, whole or marked {top_ok / top_n:.1%} (>= 90%)")
    for text in bad_passages[: ns.show]:
        print("  passage ends mid-sentence: …" + text.replace("\n", " / "))
    for text in bad_snippets[: ns.show]:
        print("  snippet not whole: " + text.replace("\n", " / "))


if __name__ == "__main__":
    main()
