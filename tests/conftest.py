"""Shared fixtures: paths to samples/ and ../shared, and factories for generated documents.

Every document a test needs is generated here at run time (PDFs with pymupdf); no binary
fixtures live in the repository.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "samples"
SHARED = REPO_ROOT.parent / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Original Dutch paragraphs that each give one theme explicit attention (labelling.md: a plan,
# money, an incident, a result). Written for these tests; the municipalities are fictional.
SMART_CITY_PARAGRAPH = (
    "In 2025 legt de gemeente in het stadshart een LoRaWAN-netwerk aan. Honderdtwintig sensoren "
    "meten daar de drukte op straat, de luchtkwaliteit en de vulgraad van de ondergrondse "
    "afvalcontainers. Met die metingen plannen wij de routes van de reinigingsdienst en sturen "
    "wij de inzet van handhavers bij evenementen."
)
SECURITY_PARAGRAPH = (
    "Na een phishingaanval op twee medewerkers in maart hebben wij alle accounts voorzien van "
    "tweestapsverificatie. In 2025 laat de gemeente een pentest uitvoeren op het zaaksysteem en "
    "rapporteren wij de uitkomsten van de ENSIA-zelfevaluatie aan de raad. Voor de uitbreiding "
    "van de formatie informatiebeveiliging is structureel 85.000 euro opgenomen."
)
# Neutral budget sentences without any lexicon term, to pad documents.
FILLER_SENTENCES = (
    "De raad stelt jaarlijks de kaders vast waarbinnen het college de begroting uitvoert.",
    "Het onderhoud van wegen, bruggen en fietspaden volgt het beheerplan openbare ruimte.",
    "Voor sportverenigingen blijft de subsidieregeling in deze periode ongewijzigd.",
    "De lasten van de afvalinzameling worden volledig gedekt door de afvalstoffenheffing.",
    "In de wijken zetten wij de samenwerking met bewonersgroepen en welzijnsorganisaties voort.",
    "De algemene reserve blijft boven het minimum dat de raad in de nota reserves heeft bepaald.",
    "Het zwembad aan de Parklaan krijgt in het najaar een nieuw dak en energiezuinige pompen.",
    "De huur van de gemeentelijke sporthallen stijgt met het percentage van de loonindex.",
)

# A page is a list of paragraphs; a paragraph is a string (one line) or a list of lines.
Paragraph = str | Sequence[str]
PdfFactory = Callable[..., Path]


def filler(n: int, offset: int = 0) -> str:
    """n neutral sentences, varied so that no two pages of a generated document are identical."""
    k = len(FILLER_SENTENCES)
    return " ".join(FILLER_SENTENCES[(offset + i) % k] for i in range(n))


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[Paragraph]],
    *,
    header: str | None = None,
    footer: Callable[[int, int], str] | None = None,
    fontsize: float = 10,
    **save_options: object,
) -> Path:
    """Write a PDF whose lines are exactly as given (so tests control line-end hyphens).

    Each paragraph becomes one text block; `header` is printed at the top of every page and
    `footer(page_number, page_count)` at the bottom. `save_options` go to Document.save
    (e.g. encryption, user_pw).
    """
    doc = pymupdf.open()
    for number, paragraphs in enumerate(pages, 1):
        page = doc.new_page(width=595, height=842)
        if header:
            page.insert_text((72, 40), header, fontsize=8)
        y = 90.0
        for para in paragraphs:
            lines = [para] if isinstance(para, str) else list(para)
            page.insert_text((72, y), "\n".join(lines), fontsize=fontsize)
            y += fontsize * 1.2 * len(lines) + 2.5 * fontsize
        if footer:
            page.insert_text((260, 812), footer(number, len(pages)), fontsize=8)
    doc.save(path, **save_options)
    doc.close()
    return path


def wrap(text: str, width: int = 80) -> list[str]:
    """Break a paragraph into lines of at most `width` characters at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def write_scanned_pdf(path: Path, source: Path) -> Path:
    """A 'scan': every page of `source` rendered to an image, with no text layer."""
    src = pymupdf.open(source)
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=60)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, pixmap=pix)
    out.save(path)
    out.close()
    src.close()
    return path


def write_truncated_pdf(path: Path, source: Path, keep: float = 0.6) -> Path:
    """A copy of `source` cut off after `keep` of its bytes, as an interrupted download."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def multipage_pages(n: int = 6) -> list[list[Paragraph]]:
    """Pages with different body text on each, one of them positive for informatieveiligheid."""
    topics = ["wegen", "groen", "onderwijs", "sport", "cultuur", "water", "wonen", "zorg"]
    pages: list[list[Paragraph]] = []
    for i in range(n):
        topic = topics[i % len(topics)]
        body = [f"Onderdeel {topic}", wrap(filler(4, offset=i))]
        if i == 1:
            body.append(wrap(SECURITY_PARAGRAPH))
        pages.append(body)
    return pages


@pytest.fixture
def pdf_factory(tmp_path: Path) -> PdfFactory:
    """write_pdf with paths relative to this test's tmp folder."""

    def make(name: str, pages: Sequence[Sequence[Paragraph]], **kwargs: object) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_pdf(path, pages, **kwargs)  # type: ignore[arg-type]

    return make


@dataclass(frozen=True)
class BadFolder:
    """A folder of problem files; `expected` maps each file's relative name to a status check."""

    root: Path
    expected: dict[str, Callable[[str], bool]]
    good: dict[str, str]  # relative name -> theme that a positive paragraph in it must flag


def _is(status: str) -> Callable[[str], bool]:
    def check(s: str) -> bool:
        return s == status

    check.__doc__ = f"== {status!r}"
    return check


def _error_with(word: str) -> Callable[[str], bool]:
    def check(s: str) -> bool:
        return s.startswith("error") and word in s

    check.__doc__ = f"error mentioning {word!r}"
    return check


def _damaged(s: str) -> bool:
    """mentions damage and is not a plain ok"""
    return s != "ok" and "damaged" in s


def build_big_text(chars: int, positive: str) -> str:
    """About `chars` characters of neutral paragraphs with `positive` in the middle."""
    paragraphs: list[str] = []
    size = 0
    i = 0
    while size < chars:
        para = f"{filler(4, offset=i)} Dit is alinea {i}."
        paragraphs.append(para)
        size += len(para) + 2
        i += 1
    paragraphs.insert(len(paragraphs) // 2, positive)
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> BadFolder:
    """Every bad input of issue 2 item 11 next to good files, in one folder (built once)."""
    root = tmp_path_factory.mktemp("bad input")
    work = tmp_path_factory.mktemp("sources")
    source = write_pdf(work / "bron.pdf", multipage_pages(6), footer=lambda n, t: f"- {n} -")
    rng = random.Random(20240611)

    (root / "leeg.pdf").write_bytes(b"")
    write_truncated_pdf(root / "afgebroken download.pdf", source, keep=0.6)
    (root / "eigenlijk tekst.pdf").write_text(
        "Dit is een notitie die per ongeluk de extensie .pdf heeft gekregen.\n", encoding="utf-8"
    )
    write_pdf(
        root / "beveiligd.pdf",
        multipage_pages(3),
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="geheim",
        owner_pw="beheer",
    )
    write_scanned_pdf(root / "gescand.pdf", source)
    (root / "rommel.txt").write_bytes(rng.randbytes(40_000))
    # junk without NUL bytes: control characters and high bytes only
    junk = bytes(
        rng.choice([*range(1, 9), *range(14, 32), *range(128, 256)]) for _ in range(20_000)
    )
    (root / "ruis.txt").write_bytes(junk)
    (root / "groot.txt").write_text(
        build_big_text(3_000_000, SMART_CITY_PARAGRAPH), encoding="utf-8"
    )
    sub = root / "sub map"
    sub.mkdir()
    write_pdf(
        sub / "Begroting Één café 2025.pdf",
        [[wrap(filler(3))], [wrap(SECURITY_PARAGRAPH)], [wrap(filler(3, offset=2))]],
    )
    (sub / "Voorjaarsnota Súdwest-Fryslân.txt").write_text(
        f"{filler(3)}\n\n{SMART_CITY_PARAGRAPH}\n", encoding="utf-8"
    )
    os.symlink(root, sub / "lus", target_is_directory=True)  # a folder link that loops

    expected = {
        "leeg.pdf": _error_with("empty"),
        "afgebroken download.pdf": _damaged,
        "eigenlijk tekst.pdf": _is("error: not a PDF"),
        "beveiligd.pdf": _is("error: encrypted"),
        "gescand.pdf": _is("no text: scanned?"),
        "rommel.txt": _error_with("not text"),
        "ruis.txt": _error_with("not text"),
        "groot.txt": _is("ok"),
        "sub map/Begroting Één café 2025.pdf": _is("ok"),
        "sub map/Voorjaarsnota Súdwest-Fryslân.txt": _is("ok"),
    }
    good = {
        "groot.txt": "smart_city",
        "sub map/Begroting Één café 2025.pdf": "informatieveiligheid",
        "sub map/Voorjaarsnota Súdwest-Fryslân.txt": "smart_city",
    }
    return BadFolder(root, expected, good)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The repo's samples/ (part of the product: missing samples fail, they are not skipped)."""
    assert SAMPLES.is_dir(), f"{SAMPLES} is missing"
    docs = [p for p in SAMPLES.iterdir() if p.suffix.lower() in {".pdf", ".txt", ".html", ".htm"}]
    assert len(docs) >= 6, f"samples/ holds {len(docs)} documents, issue 2 asks for at least six"
    return SAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the repo; tests that need it are skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    return SHARED
