"""Rebuild the packaged default model from the labelled passages in training/passages/.

    python scripts/build_model.py [--check-dev ../shared/dev]

Trains with 5-fold cross-validation (scores and thresholds go into models/default/model.json),
then, when the shared dev corpus is present, scores the new model on its 30 documents, which
it never saw, and records those numbers in model.json too; so, when the real-text set has been
rebuilt into realdev/texts/, are the model's and keyword search's scores on it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from realdev import rows_of  # scripts/realdev.py, beside this script
from themescan.batch import scan
from themescan.config import Config
from themescan.evaluation import score
from themescan.training import read_labels, train

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--check-dev", type=Path, default=ROOT.parent / "shared" / "dev")
    ns = ap.parse_args()

    model, report = train(passage_files=[ROOT / "training" / "passages"], folds=5)
    model.meta["training_data"] = (
        "training/passages/*.jsonl, original passages written for themescan"
    )
    dev = ns.check_dev
    if (dev / "labels.csv").is_file():
        model.save(ns.out)  # evaluate the saved model exactly as users will load it
        results = scan([dev / "docs"], Config(model=str(ns.out)))
        preds = {r.file: frozenset(t.theme for t in r.themes if t.flag) for r in results}
        held_out = score(preds, read_labels(dev / "labels.csv")).as_dict()
        model.meta["held_out"] = {"set": "shared/dev/docs, never trained on", **held_out}
    texts = ROOT / "realdev" / "texts"
    if texts.is_dir() and any(texts.glob("*.txt")):  # rebuilt locally: see realdev/README.md
        model.save(ns.out)
        gold = read_labels(ROOT / "realdev" / "labels.csv")
        files = [texts / name for name in gold if (texts / name).is_file()]
        found = {}
        for name, setting in (("model", str(ns.out)), ("keywords", "keywords")):
            flags = {
                r.file: frozenset(t.theme for t in r.themes if t.flag)
                for r in scan(files, Config(model=setting))
            }
            found[name] = score(flags, {f.name: gold[f.name] for f in files}).as_dict()
        model.meta["real_text"] = {
            "set": f"realdev/, {len(files)} excerpts of real P&C pages",
            **found["model"],
            "keywords_macro_f1": found["keywords"]["macro_f1"],
        }
        # the rounds collected after the change they judge was fixed: the figure to believe
        later = {f"{r['id']}.txt" for r in rows_of("untouched")}
        if later:
            flags = {
                r.file: frozenset(t.theme for t in r.themes if t.flag)
                for r in scan([f for f in files if f.name in later], Config(model=str(ns.out)))
            }
            untouched = score(flags, {n: gold[n] for n in flags})
            model.meta["real_text"]["untouched"] = {
                "set": f"{len(flags)} real excerpts in rounds no choice was made on",
                "macro_f1": round(untouched.macro_f1, 4),
            }
    model.save(ns.out)
    summary = {
        "cross_validation": report.as_dict(),
        "held_out": model.meta.get("held_out"),
        "real_text": model.meta.get("real_text"),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
