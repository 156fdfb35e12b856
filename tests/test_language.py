"""Unit tests of the Dutch language pipeline: lemmas and passages (issue 2 item 5)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from conftest import SECURITY_PARAGRAPH, SMART_CITY_PARAGRAPH, filler

from themescan.language import (
    MAX_PASSAGE,
    built_in,
    is_word,
    lemmatise,
    passages,
    pipeline_name,
    rule_lemma,
    words,
)
from themescan.pipeline import SNIPPET_CHARS, snippet_at
from themescan.results import Hit, Page

REGRESSION = Path(__file__).parent / "regression" / "passages.jsonl"


def test_built_in_pipeline_is_active() -> None:
    """nl_core_news_sm is not installable here, so every test runs on the built-in pipeline."""
    assert built_in()
    assert "built-in" in pipeline_name()


def test_words_agree_with_spacy_dutch_tokenizer() -> None:
    """The built-in word rule stands in for spacy.blank("nl")'s tokenizer: on real-looking
    budget passages it must give the same words (punctuation and numbers dropped) for at
    least 99.5% of the tokens."""
    import difflib

    import spacy

    texts = [json.loads(line)["text"] for line in REGRESSION.read_text("utf-8").splitlines()]
    texts += [SECURITY_PARAGRAPH, SMART_CITY_PARAGRAPH]
    nlp = spacy.blank("nl")
    total = differ = 0
    for text, doc in zip(texts, nlp.tokenizer.pipe(texts), strict=True):
        theirs = [t.text for t in doc if is_word(t.text)]
        ours = words(text)
        total += len(theirs)
        ops = difflib.SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes()
        differ += sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
    assert total > 2000
    assert differ / total < 0.005


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'Digitaal dichtbij' (2024):", ["Digitaal", "dichtbij"]),
        ("het 3D-model en de P&C-cyclus", ["het", "en", "de"]),
        ("nood- en hulpdiensten, en/of camera's.", ["en", "hulpdiensten", "en", "of", "camera's"]),
        ("«ICT-afdeling»…", ["ICT-afdeling"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("gemeenten", "gemeente"),
        ("steden", "stad"),
        ("sensoren", "sensor"),
        ("datalekken", "datalek"),
        ("dashboards", "dashboard"),
        ("buurgemeenten", "buurgemeente"),
        ("verkeerslichten", "verkeerslicht"),
        ("woningen", "woning"),
        ("camera's", "camera"),
        ("iVRI's", "ivri"),
        ("e-formulieren", "e-formulier"),
    ],
)
def test_lemmas(word: str, lemma: str) -> None:
    assert next(lemmatise([word])) == lemma


def test_lemmas_in_a_sentence() -> None:
    (out,) = lemmatise(["De gemeenten en steden plaatsen sensoren, 12 dashboards en meer."])
    words = out.split()
    assert words[:6] == ["de", "gemeente", "en", "stad", "plaatsen", "sensor"]
    assert "dashboard" in words
    assert "12" not in words and "," not in words


def test_hyphenated_and_apostrophe_words_are_kept() -> None:
    """spaCy's is_alpha is False for these, yet they are the theme's own words."""
    (out,) = lemmatise(["Wij breiden de e-dienstverlening uit; de ICT-afdeling plaatst camera's."])
    words = out.split()
    assert "e-dienstverlening" in words
    assert "ict-afdeling" in words
    assert words[-1] == "camera"


def test_compound_inherits_irregular_plural() -> None:
    assert rule_lemma("binnensteden") == "binnenstad"


def test_lemmatise_keeps_one_output_per_text() -> None:
    texts = ["Eerste tekst.", "", "Derde tekst met gemeenten."]
    out = list(lemmatise(texts))
    assert len(out) == 3
    assert out[1] == ""
    assert out[2].endswith("gemeente")


def test_400_page_text_does_not_hit_max_length() -> None:
    text = " ".join([filler(8)] * 2400)  # about 400 pages of 3,000 characters
    assert len(text) > 1_000_000  # spaCy's default max_length
    (out,) = lemmatise([text])
    assert out.count("raad") >= 2400


def _page() -> Page:
    long_paragraph = " ".join(f"Zin {i} gaat over de {filler(1, offset=i)}" for i in range(60))
    text = "\n".join(
        [
            "Paragraaf bedrijfsvoering",
            "Informatieveiligheid",
            SECURITY_PARAGRAPH,
            "Smart city",
            SMART_CITY_PARAGRAPH,
            long_paragraph,
            "Een korte slotregel zonder punt",
        ]
    )
    return Page(7, text)


def test_passages_keep_page_offsets() -> None:
    page = _page()
    found = list(passages(page))
    assert len(found) >= 4
    for p in found:
        assert p.page == 7
        assert p.text == page.text[p.start : p.end]
        assert p.text.strip() == p.text
    # in page order and not overlapping
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def test_passages_lose_no_text() -> None:
    page = _page()
    covered = [False] * len(page.text)
    for p in passages(page):
        for i in range(p.start, p.end):
            covered[i] = True
    lost = "".join(c for c, seen in zip(page.text, covered, strict=True) if not seen)
    assert lost.strip() == ""


def test_headings_join_their_paragraph() -> None:
    page = _page()
    first = next(iter(passages(page)))
    assert first.text.startswith("Paragraaf bedrijfsvoering\nInformatieveiligheid\n")
    assert first.text.endswith(SECURITY_PARAGRAPH)


def test_long_paragraph_is_split_at_sentences() -> None:
    sentences = [f"Zin {i} gaat over de {filler(1, offset=i)}" for i in range(80)]
    page = Page(1, " ".join(sentences))
    assert len(page.text) > 3 * MAX_PASSAGE
    found = list(passages(page))
    assert len(found) >= 3
    for p in found:
        assert len(p.text) <= MAX_PASSAGE
        assert p.text.startswith("Zin ")  # windows start at a sentence
        assert p.text == page.text[p.start : p.end]


def test_endless_sentence_is_cut() -> None:
    page = Page(2, " ".join(["woord"] * 4000))  # 24,000 characters without a full stop
    found = list(passages(page))
    assert len(found) > 5
    assert all(len(p.text) <= 2 * MAX_PASSAGE for p in found)
    assert all(p.text == page.text[p.start : p.end] for p in found)
    assert sum(len(p.text.split()) for p in found) == 4000


def test_one_long_sentence_among_short_ones_is_cut() -> None:
    """A table flattened into one run-on line must not become one giant passage."""
    run_on = " ".join(f"post {i} bedrag {i * 1000}" for i in range(500))  # no sentence end
    text = f"{filler(3)} {run_on}. {filler(3, offset=3)}"
    page = Page(1, text)
    found = list(passages(page))
    assert all(len(p.text) <= 2 * MAX_PASSAGE for p in found)
    assert all(p.text == page.text[p.start : p.end] for p in found)


def test_trained_pipeline_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nl_core_news_sm installed, lemmas come from the pipeline (here a stand-in: spaCy's
    Dutch lookup lemmatizer), the rules fill in where it leaves a plural as it is, and a model
    trained on the built-in pipeline warns that lemma features will differ."""
    import warnings

    import spacy

    import themescan.language as language
    from themescan.model import ModelVersionWarning, PassageModel

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # the lookup table of spacy-lookups-data, installed, never downloaded
    monkeypatch.setattr(language, "trained_pipeline", lambda: nlp)
    assert not built_in()
    assert "built-in" not in pipeline_name()
    (out,) = lemmatise(["De gemeenten plaatsen 12 sensoren en camera's, zie www.x.nl."])
    assert out.split()[:2] == ["de", "gemeente"]
    assert "sensor" in out.split() and "camera" in out.split()
    assert "12" not in out.split()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        PassageModel.load()
    assert any(issubclass(w.category, ModelVersionWarning) for w in caught)


# --- passages from layout, evidence in whole sentences (issue 12) --------------------------------


def _layout_page(blocks: list[tuple[str, str]], number: int = 3, **extra: str) -> Page:
    """A page as the PDF reader makes it: block texts on lines, with their spans and kinds."""
    spans, pos = [], 0
    for kind, text in blocks:
        spans.append((pos, pos + len(text), kind))
        pos += len(text) + 1
    return Page(number, "\n".join(t for _, t in blocks), tuple(spans), **extra)


def test_layout_passages_use_block_kinds() -> None:
    page = _layout_page(
        [
            ("heading", "Informatieveiligheid"),
            ("paragraph", SECURITY_PARAGRAPH),
            ("paragraph", "Wij doen dit jaar het volgende:"),
            ("item", "- de BIO invoeren;"),
            ("item", "- een phishingtest houden"),
            ("heading", "Kengetallen"),
            ("row", "Indicator: Meldingen datalekken; 2023: 4; 2024: 2"),
            ("row", "Indicator: Phishingtests; 2023: 1; 2024: 2"),
            ("paragraph", "Een korte slotregel zonder punt"),
        ],
        heading="Bedrijfsvoering",
    )
    found = list(passages(page))
    assert [(p.kind, p.heading) for p in found] == [
        ("paragraph", "Informatieveiligheid"),
        ("item", "Informatieveiligheid"),
        ("row", "Kengetallen"),
        ("row", "Kengetallen"),
        ("paragraph", "Kengetallen"),
    ]
    assert found[0].text == "Informatieveiligheid\n" + SECURITY_PARAGRAPH  # heading attached
    assert found[1].text.startswith("Wij doen dit jaar") and found[1].text.endswith("houden")
    assert found[2].text.startswith("Kengetallen\nIndicator: Meldingen")
    assert found[3].text == "Indicator: Phishingtests; 2023: 1; 2024: 2"
    for p in found:
        assert p.text == page.text[p.start : p.end]
    first = _layout_page([("paragraph", filler(2))], heading="Bedrijfsvoering")
    assert next(iter(passages(first))).heading == "Bedrijfsvoering"  # from an earlier page


def test_run_on_paragraph_takes_its_rest_from_the_next_page() -> None:
    page = _layout_page(
        [("paragraph", "Na een phishingaanval op twee medewerkers hebben wij alle")],
        tail="accounts voorzien van tweestapsverificatie. " + filler(3),
    )
    (p,) = passages(page)
    assert p.text.endswith("alle accounts voorzien van tweestapsverificatie. " + filler(3))
    assert p.end == len(page.text)  # offsets stay on its own page


def _hit(page: Page, term: str) -> Hit:
    start = page.text.index(term)
    return Hit("informatieveiligheid", term, page.number, start, start + len(term), 0.9)


def test_snippet_is_the_sentence_of_the_hit() -> None:
    text = " ".join([filler(4), SECURITY_PARAGRAPH, filler(4, offset=4)])
    page = _layout_page([("heading", "Bedrijfsvoering"), ("paragraph", text)])
    hit = _hit(page, "pentest")
    passage = next(p for p in passages(page) if p.start <= hit.start < p.end)
    snippet = snippet_at(page.text, passage, [hit])
    assert snippet.startswith("In 2025 laat de gemeente een pentest")
    assert snippet.endswith(".") and "…" not in snippet
    assert len(snippet) <= SNIPPET_CHARS
    assert snippet in page.text
    # widened by whole neighbouring sentences while they fit, never by half a one
    assert snippet.count(". ") >= 1


def test_snippet_of_an_overlong_sentence_marks_its_cuts() -> None:
    long_sentence = (
        "De gemeente werkt "
        + ", ".join(f"in wijk {i} aan de straatverlichting" for i in range(12))
        + " en laat in 2025 een pentest uitvoeren op het zaaksysteem, "
        + ", ".join(f"daarna op systeem {i}" for i in range(12))
        + "."
    )
    page = _layout_page([("paragraph", filler(2) + " " + long_sentence)])
    (passage,) = passages(page)
    snippet = snippet_at(page.text, passage, [_hit(page, "pentest")])
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "pentest" in snippet and len(snippet) <= SNIPPET_CHARS
    assert all(part.strip() in page.text for part in snippet.split("…"))


def test_snippet_of_a_table_row_is_the_row() -> None:
    row = "Indicator: Meldingen datalekken; 2023: 4; 2024: 2; Toelichting: Na de AVG-training daalde het aantal. Doel: 0"
    page = _layout_page([("heading", "Kengetallen"), ("row", row)])
    (passage,) = passages(page)
    assert snippet_at(page.text, passage, [_hit(page, "datalekken")]) == row
