"""Is a page's text layer language (issue 12 item 3)? textlayer.judge on small strings."""

from __future__ import annotations

import pytest

from themescan.textlayer import LITTLE, TEXT, UNREADABLE, judge, layer_stats

DUTCH = (
    "In 2025 laten we twee penetratietesten uitvoeren op de systemen die van buitenaf "
    "bereikbaar zijn. Alle medewerkers volgen een e-learning over phishing; wie op een testmail "
    "klikt, krijgt een korte extra training."
)
BULLETS = (
    "• Programma 1: Bestuur en dienstverlening\n• Programma 2: Ruimte, wonen en mobiliteit\n"
    "• Programma 3: Zorg, jeugd en werk"
)
NUMBERS = (
    "Omschrijving 2023 2024 2025\nLasten 12.345 13.001 13.870\nBaten -4.210 -4.380 -4.512\n"
    "Saldo 8.135 8.621 9.358\nToevoeging reserve 412 0 125\nOnttrekking 1.200 800 650"
)
COST_LINES = (
    "Wegen 1.234\nGroen 567\nOnderwijs 890\nSport 320\nCultuur 410\nAutomatisering 655\n"
    "Huisvesting 1.020\nBelastingen 233\nRiolering 1.870\nAfval 1.455\nOmgevingsvergunningen 212\n"
    "Burgerzaken 377\nParkeren 145\nMarkten 48\nBegraafplaatsen 96"
)
UNITS = (
    "Indicator Eenheid 2023 2024\nWegen km 312 315\nFietspaden km 88 91\nGroen ha 45 47\n"
    "Riolering km 240 241\nBomen st 9.120 9.300\nAfval kg 182 176\nWater m3 1.230 1.190\n"
    "Bezetting fte 412 418\nVerzuim % 5,8 5,4\nKlanttevredenheid cijfer 7,2 7,4"
)
CONTENTS = (
    "Inhoud\n1 Inleiding ........................... 3\n2 Programma's ........................ 7\n"
    "2.1 Bestuur en dienstverlening ......... 8\n2.2 Ruimte, wonen en mobiliteit ....... 14\n"
    "3 Paragrafen . . . . . . . . . . . . . 22\n4 Financiële begroting ________________ 31"
)
ENGLISH = (
    "The council approved the budget for the digital services programme. Residents can now "
    "book an appointment online, and the number of requests handled by phone fell by a third."
)


def glyph_codes(text: str, first: int) -> str:
    """Text as a subset font without a character map extracts: each distinct character becomes
    the next code from `first` on, in order of first use; spaces stay."""
    codes: dict[str, str] = {}
    return "".join(c if c == " " else codes.setdefault(c, chr(first + len(codes))) for c in text)


@pytest.mark.parametrize(
    "text",
    [
        DUTCH,
        BULLETS,
        NUMBERS,
        COST_LINES,
        UNITS,
        CONTENTS,
        ENGLISH,
        DUTCH.upper(),
        DUTCH + "\n" + NUMBERS,
    ],
)
def test_language_and_tables_are_text(text: str) -> None:
    assert judge(text) == TEXT


@pytest.mark.parametrize("text", ["", "   \n ", "Bijlage 3", "Pagina 12 van 120", "€ 1.234"])
def test_short_pages_are_not_judged(text: str) -> None:
    assert judge(text) == LITTLE


@pytest.mark.parametrize(
    "garbage",
    [
        glyph_codes(DUTCH, 0x21),  # codes from "!": punctuation and digits
        glyph_codes(DUTCH, 0x61),  # codes from "a": "abbc d efgh ij kcbgclmm..."
        glyph_codes(DUTCH, 0x41),
        glyph_codes(DUTCH, 0x03),  # control characters, as the broken fixture extracts
        glyph_codes(DUTCH, 0xE000),  # private use area
        "\ufffd" * 60 + " " + DUTCH[:40],  # replacement characters between some text
        "'\"&()#*+++ cdef fgf fh '&)( *#++ fgh cdef '\"& fh fgf #*+ cdef ()& fgf",
        "abcdefghijklmnopqrstuvwxyzabcdefghijkl" * 3,  # letters without spaces
    ],
)
def test_glyph_code_garbage_is_unreadable(garbage: str) -> None:
    assert judge(garbage) == UNREADABLE, layer_stats(garbage)


def test_real_page_with_some_odd_characters_is_text() -> None:
    """A stray private-use bullet or replacement character does not condemn a page."""
    page = ("\uf0b7 " + DUTCH + "\n") * 3 + "\ufffd"
    assert judge(page) == TEXT


def test_stats_count_the_signals() -> None:
    s = layer_stats("De gemeente 2025 \ufffd xq")
    assert (s.odd, s.digits, s.words, s.vowel_words, s.function_words) == (1, 4, 3, 2, 1)


def test_a_long_page_is_judged_throughout() -> None:
    """Readable running header and footer around a body of glyph codes: unreadable; a long
    page of text with a stray code block: text."""
    body = glyph_codes(DUTCH * 8, 0x61)
    assert judge("Gemeente Brakelveen · Begroting 2025\n" + body + "\nPagina 3 van 9") == UNREADABLE
    assert judge((DUTCH + "\n") * 8 + glyph_codes(DUTCH[:60], 0x03)) == TEXT
