"""Training and evaluation say what their figures can mean (issue 14, item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SECURITY_PARAGRAPH, SMART_CITY_PARAGRAPH, filler
from typer.testing import CliRunner

from themescan.cli import app
from themescan.themes import THEMES
from themescan.training import sample_size_warnings

# Short original passages so that every theme has a positive to learn from.
PASSAGES = [
    ("informatieveiligheid", "Na het datalek stelden wij een functionaris gegevensbescherming aan."),
    ("informatieveiligheid", "De ENSIA-verantwoording over de BIO gaat dit jaar naar de raad."),
    ("smart_city", "Slimme lantaarnpalen dimmen het licht als er niemand op straat is."),
    ("smart_city", "Sensoren in de afvalcontainers melden wanneer ze vol zijn."),
    ("digitalisering", "Inwoners vragen vanaf volgend jaar hun paspoort online aan via de website."),
    ("digitalisering", "Wij vervangen het zaaksysteem en werken voortaan volledig digitaal."),
    ("datagedreven", "Met een dashboard over de wijken sturen wij op de inzet van de handhavers."),
    ("datagedreven", "Het datalab analyseert de meldingen openbare ruimte voor betere planning."),
    ("digitale_transformatie", "De raad stelt een digitale agenda vast over de gevolgen van "
     "digitalisering voor samenleving en organisatie."),
    ("digitale_transformatie", "Wij richten een algoritmeregister in en leggen ethische "
     "kaders voor nieuwe technologie vast."),
]  # fmt: skip


def test_few_examples_warn_and_say_what_cv_cannot_mean() -> None:
    warnings = sample_size_warnings({t: 4 for t in THEMES}, 9, "document")
    assert len(warnings) == 1
    text = warnings[0]
    assert "4 positive, 5 negative" in text
    assert "not how well it will do on new budgets" in text
    assert sample_size_warnings({t: 25 for t in THEMES}, 60, "passage") == []
    # one side thin is enough to warn
    assert sample_size_warnings({"smart_city": 55}, 60, "passage")


@pytest.mark.slow
def test_model_records_its_documents_and_evaluate_warns_on_them(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    rows = []
    for i in range(6):
        paragraph = SMART_CITY_PARAGRAPH if i % 2 else SECURITY_PARAGRAPH
        name = f"doc{i}.txt"
        (docs / name).write_text(f"{filler(3, i)}\n\n{paragraph}\n\n{filler(3, i + 3)}\n")
        flags = {"smart_city": i % 2 == 1, "informatieveiligheid": i % 2 == 0}
        rows.append(name + "," + ",".join("1" if flags.get(t) else "0" for t in THEMES))
    labels = tmp_path / "labels.csv"
    labels.write_text("file," + ",".join(THEMES) + "\n" + "\n".join(rows) + "\n")
    passages = tmp_path / "passages.jsonl"
    passages.write_text(
        "".join(json.dumps({"text": text, "labels": [theme]}) + "\n" for theme, text in PASSAGES)
    )
    model = tmp_path / "model"
    runner = CliRunner()
    trained = runner.invoke(
        app,
        ["train", str(docs), "--labels", str(labels), "--passages", str(passages),
         "--folds", "2", "-o", str(model)],
    )  # fmt: skip
    assert trained.exit_code == 0, trained.output
    assert "few labelled documents" in trained.stderr
    meta = json.loads((model / "model.json").read_text(encoding="utf-8"))
    assert len(meta["trained_on"]) == 6
    assert not (tmp_path / "model.partial").exists()

    evaluated = runner.invoke(
        app, ["evaluate", str(docs), "--labels", str(labels), "--model", str(model)]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert "trained on 6 of these documents" in evaluated.stderr

    # a results CSV: the sidecar names the model and the inputs
    results = tmp_path / "r.csv"
    classified = runner.invoke(
        app,
        ["classify", str(docs), "--model", str(model), "--no-cache", "--workers", "0",
         "-q", "-o", str(results)],
    )  # fmt: skip
    assert classified.exit_code == 0, classified.output
    evaluated = runner.invoke(app, ["evaluate", str(results), "--labels", str(labels)])
    assert evaluated.exit_code == 0, evaluated.output
    assert "trained on 6 of these documents" in evaluated.stderr

    # the packaged model saw none of them
    fresh = runner.invoke(app, ["evaluate", str(docs), "--labels", str(labels)])
    assert fresh.exit_code == 0
    assert "trained on" not in fresh.stderr
