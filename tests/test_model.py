"""The trained judge: learning beyond the lexicon, safe persistence, train and evaluate commands."""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from themescan.cli import app
from themescan.config import Config, default_model_dir
from themescan.errors import ModelError
from themescan.language import lemmatise
from themescan.lexicon import load_lexicons
from themescan.model import ModelVersionWarning, PassageModel
from themescan.pipeline import Classifier
from themescan.results import Document, Page
from themescan.themes import THEMES
from themescan.training import train

# Steering by figures, said without any word of the datagedreven lexicon (original text).
STEERING = [
    "Elke maand leggen wij de meldingen per straat naast elkaar en kiezen wij daar de aanpak op.",
    "Het wijkteam bekijkt iedere week het overzicht van meldingen en stuurt de ploegen bij.",
    "Uit het overzicht van meldingen per straat kiest het team waar de ploegen eerst heen gaan.",
    "Wij volgen het aantal meldingen per straat en passen het rooster van de ploegen aan.",
    "De ploegen gaan naar de straten waar het overzicht de meeste meldingen laat zien.",
    "Met het maandelijkse overzicht van meldingen kiest het team de straten voor de aanpak.",
    "De teamleider legt het overzicht van meldingen naast de planning en stuurt de ploegen bij.",
    "Meldingen per straat bepalen sinds dit jaar welke straten de ploegen als eerste aanpakken.",
]
NEUTRAL = [
    "De raad stelt jaarlijks de kaders vast waarbinnen het college de begroting uitvoert.",
    "Het zwembad krijgt in het najaar een nieuw dak en energiezuinige pompen.",
    "Voor sportverenigingen blijft de subsidieregeling ongewijzigd.",
    "De lasten van de afvalinzameling worden gedekt door de afvalstoffenheffing.",
    "De algemene reserve blijft boven het minimum uit de nota reserves.",
    "Wij zetten de samenwerking met bewonersgroepen in de wijken voort.",
    "De huur van de sporthallen stijgt met het percentage van de loonindex.",
    "Het onderhoud van bruggen volgt het beheerplan openbare ruimte.",
    "De straten in het centrum krijgen nieuwe bestrating en bredere stoepen.",
    "Het team van de buitendienst werkt sinds dit jaar vanuit de nieuwe werf.",
]
OTHER_THEMES = {
    "informatieveiligheid": "Na een phishingaanval voeren wij een pentest uit en volgen wij de BIO.",
    "digitalisering": "Inwoners vragen via de website met DigiD een uittreksel aan; het zaaksysteem is vernieuwd.",
    "smart_city": "In het centrum meten sensoren via een LoRa-netwerk de drukte en de luchtkwaliteit.",
    "digitale_transformatie": "De raad stelt een visie op de digitale transformatie vast met een algoritmeregister.",
}
NEW_STEERING = (
    "Sinds dit voorjaar legt de wijkploeg de meldingen per straat naast elkaar; de straten met "
    "de meeste meldingen krijgen als eerste de aanpak van de ploegen."
)


def write_passages(path: Path) -> Path:
    lines = [{"text": t, "labels": ["datagedreven"]} for t in STEERING]
    lines += [{"text": t, "labels": []} for t in NEUTRAL]
    for theme, text in OTHER_THEMES.items():
        lines += [{"text": f"{text} ({i})", "labels": [theme]} for i in range(3)]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    return path


def flags(model: str | None, text: str) -> set[str]:
    result = Classifier(Config(model=model)).classify_document(Document((Page(1, text),)), "t")
    return {t.theme for t in result.themes if t.flag}


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    model, report = train(passage_files=[write_passages(folder / "passages.jsonl")], folds=3)
    assert report.n_passages == len(STEERING) + len(NEUTRAL) + 12
    model.save(folder / "model")
    return folder / "model"


def test_training_learns_what_the_lexicon_misses(small_model: Path) -> None:
    lexicons = load_lexicons()
    assert not [h for h in lexicons.matcher.find(NEW_STEERING) if h.theme == "datagedreven"]
    assert "datagedreven" not in flags("none", NEW_STEERING)  # the lexicon rule cannot see it
    assert "datagedreven" in flags(str(small_model), NEW_STEERING)
    assert "datagedreven" not in flags(str(small_model), NEUTRAL[0] + " " + NEUTRAL[4])


def test_saved_model_predicts_the_same_after_loading(tmp_path: Path) -> None:
    model = PassageModel.load()
    model.save(tmp_path / "copy")
    again = PassageModel.load(tmp_path / "copy")
    texts = [NEW_STEERING, *OTHER_THEMES.values()]
    hits = [load_lexicons().matcher.find(t) for t in texts]
    lemmas = list(lemmatise(texts))
    assert np.array_equal(model.predict(texts, lemmas, hits), again.predict(texts, lemmas, hits))
    assert again.thresholds == pytest.approx(model.thresholds, abs=1e-4)
    assert again.cues == model.cues


def test_fast_scoring_equals_the_feature_matrix_the_model_was_trained_on() -> None:
    """predict() skips building sparse matrices; it must give the numbers training saw."""
    model = PassageModel.load()
    texts = [NEW_STEERING, *OTHER_THEMES.values(), *NEUTRAL[:3], "", "12 34 ,"]
    hits = [load_lexicons().matcher.find(t) for t in texts]
    lemmas = list(lemmatise(texts))
    z = np.asarray((model.features(texts, lemmas, hits) @ model.coef.T).todense())
    expected = 1 / (1 + np.exp(-(z + model.intercept)))
    assert model.predict(texts, lemmas, hits) == pytest.approx(expected, abs=1e-5)


def test_feature_hashing_is_scikit_learns() -> None:
    """The model was trained on features hashed as HashingVectorizer hashes them; scoring hashes
    them its own (faster) way and must land every n-gram, accented or not, in the same column."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from themescan.model import CHAR_FEATURES, WORD_FEATURES, char_counts, word_counts

    texts = [
        NEW_STEERING,
        *NEUTRAL,
        "Privacy-by-design, één loket en de coördinatie van ICT (2025): 12,5%!",
        "a ab abc abcd abcde abcdef  é ëë",
        "",
    ]
    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_FEATURES,
        alternate_sign=False, norm=None, lowercase=True,
    )  # fmt: skip
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES, token_pattern=r"\S+",
        alternate_sign=False, norm=None, lowercase=False,
    )  # fmt: skip
    lemmas = list(lemmatise(texts))
    assert (char_counts(texts) != chars.transform(texts)).nnz == 0
    assert (word_counts(lemmas) != words.transform(lemmas)).nnz == 0


def packaged_model_with(folder: Path, edit: Callable[[dict], None]) -> Path:
    """A copy of the packaged model whose model.json `edit` has changed."""
    folder = shutil.copytree(default_model_dir(), folder)
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    edit(meta)
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_model_from_another_version_warns(tmp_path: Path) -> None:
    folder = packaged_model_with(
        tmp_path / "old", lambda m: m["versions"].update(themescan="0.0.1")
    )
    with pytest.warns(ModelVersionWarning, match="0.0.1"):
        PassageModel.load(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PassageModel.load()  # the packaged model matches this version: no warning


def test_model_of_another_format_is_refused(tmp_path: Path) -> None:
    folder = packaged_model_with(tmp_path / "new", lambda m: m.update(format="themescan-model/99"))
    with pytest.raises(ModelError, match="format"):
        PassageModel.load(folder)


@pytest.mark.parametrize("which", ["packaged", "trained"])
def test_nothing_in_a_model_folder_is_a_pickle(which: str, small_model: Path) -> None:
    folder = default_model_dir() if which == "packaged" else small_model
    assert sorted(p.name for p in folder.iterdir()) == [
        "fingerprints.txt",
        "model.json",
        "weights.npz",
    ]
    json.loads((folder / "model.json").read_text(encoding="utf-8"))
    prints = (folder / "fingerprints.txt").read_text(encoding="ascii").split()
    assert all(len(p) == 12 and int(p, 16) >= 0 for p in prints)  # hex hashes, nothing else
    with zipfile.ZipFile(folder / "weights.npz") as z:
        assert all(name.endswith(".npy") for name in z.namelist())
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        for name in arrays.files:
            assert arrays[name].dtype != object, name


def test_model_metadata_says_how_it_was_made() -> None:
    meta = json.loads((default_model_dir() / "model.json").read_text(encoding="utf-8"))
    assert {"themescan", "scikit-learn", "spacy"} <= set(meta["versions"])
    assert meta["lexicon_hash"] == load_lexicons().digest
    assert meta["training_data_hash"] and meta["created"]
    assert set(meta["cross_validation"]["per_theme"]) == set(meta["thresholds"])


def test_train_cli_prints_scores_and_saves(tmp_path: Path) -> None:
    passages = write_passages(tmp_path / "p.jsonl")
    result = CliRunner().invoke(
        app, ["train", "--passages", str(passages), "-o", str(tmp_path / "m"), "--folds", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "datagedreven" in result.output and "macro F1" in result.output
    assert (tmp_path / "m" / "weights.npz").is_file()


def test_train_cli_from_labelled_documents(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["train", str(SAMPLES), "--labels", str(SAMPLES / "labels.csv"),
         "--passages", str(write_passages(tmp_path / "p.jsonl")),
         "-o", str(tmp_path / "m"), "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert meta["cross_validation"]["n_documents"] == 9
    assert "over documents" in meta["cross_validation"]["method"]


def test_train_without_data_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["train", "-o", "nowhere"])
    assert result.exit_code == 2
    assert "--passages" in result.output


def test_evaluate_scores_against_labels_and_the_keyword_baseline(tmp_path: Path) -> None:
    runner = CliRunner()
    csv_out = tmp_path / "results.csv"
    runner.invoke(app, ["classify", str(SAMPLES), "-q", "--no-cache", "--workers", "0",
                        "-o", str(csv_out)])  # fmt: skip
    res = runner.invoke(
        app,
        ["evaluate", str(csv_out), "--labels", str(SAMPLES / "labels.csv"),
         "--baseline", "keywords", "--docs", str(SAMPLES), "--format", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    ours, base = data["themescan"], data["baseline_keywords"]
    assert ours["documents"] == base["documents"] == 9
    assert data["margin_macro_f1"] == pytest.approx(ours["macro_f1"] - base["macro_f1"], abs=1e-3)
    for theme in ours["themes"].values():
        assert theme["tp"] + theme["fp"] + theme["fn"] + theme["tn"] == 9
        assert -1 <= theme["kappa"] <= 1
    assert ours["macro_f1"] > base["macro_f1"]


def test_model_trained_with_another_language_pipeline_warns(tmp_path: Path) -> None:
    folder = packaged_model_with(
        tmp_path / "other",
        lambda m: m["versions"].update({"language pipeline": "nl_core_news_sm 3.8"}),
    )
    with pytest.warns(ModelVersionWarning, match="nl_core_news_sm"):
        PassageModel.load(folder)


def test_threshold_on_a_flat_f1_curve_is_the_middle_of_the_plateau() -> None:
    """Document thresholds come from a flat F1 curve; its exact maximum is noise, so with a
    tolerance the middle of the near-best run is taken, not an edge."""
    from themescan.model import best_threshold

    # positives score 0.9; negatives spread from 0.05 to 0.85: every threshold between the
    # top negative and the positives is perfect, and so is nearly every one below it
    negatives = np.linspace(0.05, 0.85, 200)
    scores = np.concatenate([negatives, np.full(50, 0.9)])
    truth = np.concatenate([np.zeros(200, bool), np.ones(50, bool)])
    exact, f1 = best_threshold(scores, truth)
    assert f1 == 1.0 and 0.85 < exact < 0.9
    middle, f1_middle = best_threshold(scores, truth, tolerance=0.05)
    assert f1_middle >= 0.95
    assert middle < exact  # inside the plateau, away from the edge next to the positives


# --- the blend of model and lexicon rule -------------------------------------------------------


def test_blend_weighs_each_judge_from_its_own_threshold() -> None:
    """At equal weight, a model at its threshold and a rule at its cut sit on the threshold; a
    sure rule lifts a doubtful model over it, a weak term (a rule at its floor) keeps a doubtful
    model under, and a theme with weight 0 keeps the model's own probability."""
    from themescan.model import RULE_CUT, RULE_FLOOR, blend

    thresholds = np.array([0.7, 0.7])
    weights = np.array([0.5, 0.0])
    at_cut = blend(np.array([[0.7, 0.7]]), np.array([[RULE_CUT, 1.0]]), thresholds, weights)
    assert at_cut[0] == pytest.approx([0.7, 0.7])
    doubtful = np.array([[0.6, 0.6]])
    lifted = blend(doubtful, np.array([[0.9, 0.9]]), thresholds, weights)
    assert lifted[0, 0] > 0.7 and lifted[0, 1] == pytest.approx(0.6)
    weak = blend(doubtful, np.array([[0.05, 0.05]]), thresholds, weights)
    assert weak[0, 0] < 0.6
    assert weak[0, 0] == pytest.approx(
        blend(doubtful, np.array([[RULE_FLOOR, 0]]), thresholds, weights)[0, 0]
    )


def test_the_rule_abstains_where_it_has_no_term() -> None:
    """A passage without a term of the theme is the model's alone: the rule has heard nothing,
    which is not evidence against the theme (a keyword-free passage the model is sure of, in
    ../shared/dev, was held under its threshold by the rule's vote of RULE_FLOOR)."""
    from themescan.model import blend

    thresholds = np.array([0.7, 0.7])
    for p in (0.6, 0.75, 0.999):
        silent = blend(np.array([[p, p]]), np.array([[0.0, 0.0]]), thresholds, np.array([0.5, 0.0]))
        assert silent[0] == pytest.approx([p, p])


def test_a_model_without_lexicon_weights_scores_with_its_own_probabilities() -> None:
    model = PassageModel.load()
    texts = [NEW_STEERING, *OTHER_THEMES.values()]
    hits = [load_lexicons().matcher.find(t) for t in texts]
    lemmas = list(lemmatise(texts))
    cut = [model.threshold(t, len(texts)) for t in model.themes]
    assert any(w > 0 for w in model.lexicon_weights.values())  # the packaged model blends
    blended = model.score(texts, lemmas, hits, cut)
    model.lexicon_weights = {}
    plain = model.score(texts, lemmas, hits, cut)
    assert np.array_equal(plain, model.predict(texts, lemmas, hits))
    assert not np.allclose(blended, plain)


@pytest.mark.parametrize(
    "weights", [{"informatieveiligheid": 1.0}, {"x": 0.5}, {"smart_city": -0.5}, [0.5]]
)
def test_model_with_bad_lexicon_weights_is_refused(tmp_path: Path, weights: object) -> None:
    folder = packaged_model_with(tmp_path / "bad", lambda m: m.update(lexicon_weights=weights))
    with pytest.raises(ModelError, match="lexicon_weights"):
        PassageModel.load(folder)


def test_train_cli_lexicon_weight_sets_the_blend(tmp_path: Path) -> None:
    passages = write_passages(tmp_path / "p.jsonl")
    runner = CliRunner()
    args = ["train", "--passages", str(passages), "--folds", "3"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "m"), "--lexicon-weight", "0"])
    assert result.exit_code == 0, result.output
    assert PassageModel.load(tmp_path / "m").lexicon_weights == dict.fromkeys(
        json.loads((tmp_path / "m" / "model.json").read_text())["themes"], 0.0
    )
    refused = runner.invoke(app, [*args, "-o", str(tmp_path / "n"), "--lexicon-weight", "1"])
    assert refused.exit_code == 2 and "--lexicon-weight" in refused.output
    assert not (tmp_path / "n").exists()


def test_evaluate_warns_when_documents_are_made_of_the_training_passages(
    small_model: Path, tmp_path: Path
) -> None:
    """A model scored on documents composed of its own training passages shows what it
    remembers: evaluate says so (the model folder keeps fingerprints of its training sentences,
    not the text). A document that shares no more than budget boilerplate is not named."""
    meta = json.loads((small_model / "model.json").read_text(encoding="utf-8"))
    prints = (small_model / "fingerprints.txt").read_text(encoding="ascii").split()
    assert meta["fingerprints"]["sentences"] == len(prints) > 0
    assert not any(t in (small_model / "fingerprints.txt").read_text() for t in STEERING)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "made_of_training.txt").write_text("\n\n".join(STEERING + NEUTRAL), encoding="utf-8")
    (docs / "new.txt").write_text(
        "\n\n".join([NEW_STEERING, "De gemeente onderhoudt de parken met eigen mensen."] * 3),
        encoding="utf-8",
    )
    labels = tmp_path / "labels.csv"
    header = "file," + ",".join(THEMES)
    labels.write_text(
        f"{header}\nmade_of_training.txt,0,0,1,0,0\nnew.txt,0,0,1,0,0\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["evaluate", str(docs), "--labels", str(labels), "--model", str(small_model)]
    )
    assert result.exit_code == 0, result.output
    assert "1 of these documents share sentences with the passages the model was trained on" in (
        result.stderr
    )
    assert "made_of_training.txt" in result.stderr and "new.txt" not in result.stderr
    packaged = CliRunner().invoke(app, ["evaluate", str(docs), "--labels", str(labels)])
    assert "share sentences" not in packaged.stderr
    # a copy without a label is not scored, so it is not counted either (trial 9: "40 of
    # these documents" of 20 scored, naming one that was not)
    (docs / "unlabelled_copy.txt").write_text("\n\n".join(STEERING + NEUTRAL), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["evaluate", str(docs), "--labels", str(labels), "--model", str(small_model)]
    )
    assert "1 of these documents share sentences" in result.stderr
    assert "unlabelled_copy.txt" not in result.stderr


def test_evaluate_gives_an_interval_with_its_macro_f1() -> None:
    """A macro F1 on 30 documents is one draw: evaluate gives its 95% bootstrap interval (in
    the table and in JSON), which holds the figure, and none for a single document."""
    from themescan.evaluation import score

    gold = {f"d{i}": frozenset({"smart_city"} if i % 3 == 0 else set()) for i in range(30)}
    predicted = dict(gold) | {"d1": frozenset({"smart_city"}), "d3": frozenset()}
    s = score(predicted, gold)
    assert s.interval is not None
    lo, hi = s.interval
    assert lo < s.macro_f1 < hi <= 1.0
    assert s.as_dict()["macro_f1_interval"] == [round(lo, 4), round(hi, 4)]
    assert score({"d0": frozenset()}, {"d0": frozenset()}).interval is None
    result = CliRunner().invoke(
        app, ["evaluate", str(SAMPLES), "--labels", str(SAMPLES / "labels.csv"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "(packaged)"
    # the samples are judged without a wrong decision: no bootstrap interval (every resample
    # would be perfect, or lose a theme's positives and score an artefact), as the table says,
    # but the share of wrong decisions a perfect score on this few still allows
    ours = data["themescan"]
    assert ours["macro_f1"] == 1.0 and ours["macro_f1_interval"] is None
    assert ours["wrong_share_bound"] == round(1 - 0.025 ** (1 / (5 * ours["documents"])), 4)
    assert s.as_dict()["wrong_share_bound"] is None  # wrong decisions: the interval says it


def test_a_model_without_the_fingerprints_it_lists_is_refused(
    small_model: Path, tmp_path: Path
) -> None:
    """Trial 13: with fingerprints.txt deleted the model loaded, and evaluate's warning about
    documents made of the training passages went off without a word."""
    import shutil

    from themescan.errors import ModelError
    from themescan.loading import check_model_dir

    assert (small_model / "fingerprints.txt").is_file()
    copy = tmp_path / "m"
    shutil.copytree(small_model, copy)
    (copy / "fingerprints.txt").unlink()
    for arrays in (False, True):
        with pytest.raises(ModelError, match=r"fingerprints\.txt is missing"):
            check_model_dir(copy, arrays)
