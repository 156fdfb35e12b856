"""scripts/realdev.py: its bootstrap uses its own vectorised macro F1, which must agree with
evaluation.score (or the intervals it prints would be about a different number), and assemble
must never renumber, reuse a URL or take a held-out page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from themescan.evaluation import score
from themescan.themes import THEMES

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "realdev.py"


def _script():
    spec = importlib.util.spec_from_file_location("realdev_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _themes(row) -> frozenset[str]:
    return frozenset(t for t, on in zip(THEMES, row, strict=True) if on)


def test_bootstrap_macro_f1_is_the_evaluation_macro_f1():
    realdev = _script()
    rng = np.random.default_rng(1)
    for size in (1, 3, 40):
        for _ in range(30):
            pred = rng.random((size, len(THEMES))) < 0.3
            truth = rng.random((size, len(THEMES))) < 0.3
            names = [f"d{i}" for i in range(size)]
            flags = {n: _themes(row) for n, row in zip(names, pred, strict=True)}
            gold = {n: _themes(row) for n, row in zip(names, truth, strict=True)}
            assert realdev._macro_f1(pred, truth) == score(flags, gold).macro_f1


def test_assemble_keeps_ids_refuses_held_out_and_puts_a_round_in_its_own_split(tmp_path, capsys):
    import json

    realdev = _script()
    realdev.INDEX = tmp_path / "index.csv"
    realdev.TEXTS = tmp_path / "texts"
    realdev.HELDOUT = tmp_path / "heldout.txt"
    realdev.HELDOUT.write_text("https://held.example/out\n", encoding="utf-8")

    def collect(folder: Path, pages: dict[str, str]) -> Path:
        (folder / "X").mkdir(parents=True)
        lines = []
        for i, (url, text) in enumerate(pages.items(), 1):
            (folder / "X" / f"X{i:03d}.txt").write_text(text, encoding="utf-8")
            lines.append(json.dumps({"id": f"X{i:03d}", "url": url, "query": "q"}))
        (folder / "X" / "index.jsonl").write_text("\n".join(lines), encoding="utf-8")
        return folder

    realdev.assemble(collect(tmp_path / "one", {"https://a.example/1": "Eerste pagina."}))
    first = realdev.read_index()
    assert [r["id"] for r in first] == ["R001"] and first[0]["split"] in ("tune", "final")
    later = collect(
        tmp_path / "two",
        {
            "https://www.a.example/1/": "Dezelfde pagina, ander adres.",  # same URL: dropped
            "https://held.example/out": "Niet te gebruiken.",  # held out: refused
            "https://b.example/2": "Tweede pagina.",
        },
    )
    realdev.assemble(later, "final2")
    rows = realdev.read_index()
    assert [(r["id"], r["url"]) for r in rows[:1]] == [("R001", "https://a.example/1")]
    assert [(r["id"], r["split"], r["url"]) for r in rows[1:]] == [
        ("R002", "final2", "https://b.example/2")
    ]
    assert (realdev.TEXTS / "R002.txt").read_text(encoding="utf-8") == "Tweede pagina."
    assert "'held-out': 1" in capsys.readouterr().out


def test_untouched_is_the_later_rounds_together(tmp_path):
    realdev = _script()
    realdev.INDEX = tmp_path / "index.csv"
    splits = ["tune", "final", "final2", "final3", "final4", "final2"]
    lines = [",".join(realdev.COLUMNS)]
    for i, split in enumerate(splits, 1):
        row = dict.fromkeys(realdev.COLUMNS, "")
        row.update(id=f"R{i:03d}", split=split)
        lines.append(",".join(row[c] for c in realdev.COLUMNS))
    realdev.INDEX.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [r["id"] for r in realdev.rows_of("untouched")] == ["R003", "R004", "R005", "R006"]
    assert [r["id"] for r in realdev.rows_of("final")] == ["R002"]
    assert len(realdev.rows_of("all")) == len(splits)


def test_documents_of_excerpts_keep_every_page_and_take_the_union_of_labels(tmp_path):
    from themescan.reading import read_document

    realdev = _script()
    src = tmp_path / "src"
    src.mkdir()
    gold = {}
    words = ("haven", "dijk", "school", "markt", "brug", "molen", "kade")
    for i, word in enumerate(words):  # pages alike but for a number would be running heads
        text = f"Pagina over de {word} van uittreksel {i}.\n"
        (src / f"R{i}.txt").write_text(text, encoding="utf-8")
        gold[f"R{i}.txt"] = frozenset({"smart_city"} if i == 3 else ())
    out = tmp_path / "docs"
    out.mkdir()
    labels, files = realdev.compose_documents(sorted(src.iterdir()), gold, 3, out)
    # two whole documents of three per shuffling (the seventh excerpt left over), five shufflings
    assert len(files) == 2 * realdev.COMPOSITIONS
    seen = []
    for f in files:
        doc = read_document(f)
        assert len(doc.pages) == 3
        texts = [p.text for p in doc.pages]
        seen += texts
        assert labels[f.name] == (
            {"smart_city"} if any("uittreksel 3" in t for t in texts) else set()
        )
    # no page lost or merged; each shuffling uses six distinct excerpts, and they differ
    assert all(t.startswith("Pagina over de") for t in seen)
    per = [tuple(seen[i : i + 6]) for i in range(0, len(seen), 6)]
    assert all(len(set(p)) == 6 for p in per)
    assert len(set(per)) > 1


def test_worklist_and_check_rebuild_texts_saved_one_by_one(tmp_path, capsys):
    """The texts can be saved one by one from the search answers (realdev/README.md): worklist
    splits the queries into parts for several people, check tells which saved texts are the
    labelled ones (sha256), which differ and which are missing, and leaves every file alone."""
    realdev = _script()
    realdev.INDEX = tmp_path / "index.csv"
    realdev.TEXTS = tmp_path / "texts"
    texts = {"R001": "Eerste  pagina.\n", "R002": "Tweede pagina.", "R003": "Derde pagina."}
    rows = [
        {c: "" for c in realdev.COLUMNS}
        | {"id": i, "url": f"https://x.example/{i}", "query": q, "sha256": realdev.text_hash(t)}
        for (i, t), q in zip(texts.items(), ("q een", "q een", "q twee"), strict=True)
    ]
    realdev._write_index(rows)
    parts = realdev.worklist(tmp_path / "work", 2)
    assert sorted(p.name for p in parts) == ["part1.tsv", "part2.tsv"]
    lines = [ln.split("\t") for p in parts for ln in p.read_text("utf-8").splitlines()]
    assert sorted(ln[1] for ln in lines) == ["R001", "R002", "R003"]
    assert {
        ln[0] for ln in parts[0].read_text("utf-8").splitlines() for ln in [ln.split("\t")]
    } in (
        {"q een"},
        {"q twee"},
    )  # a query's rows stay in one part: one look-up answers them all
    realdev.TEXTS.mkdir()
    (realdev.TEXTS / "R001.txt").write_text("Eerste pagina.", encoding="utf-8")  # spaces differ
    (realdev.TEXTS / "R002.txt").write_text("Tweede bladzijde.", encoding="utf-8")
    result = realdev.check()
    assert result == {"matching": ["R001"], "changed": ["R002"], "missing": ["R003"]}
    assert (realdev.TEXTS / "R002.txt").read_text("utf-8") == "Tweede bladzijde."
