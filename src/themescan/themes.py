"""The five themes of the BMC study; their ids are CSV column names and label-file keys."""

from __future__ import annotations

THEMES: tuple[str, ...] = (
    "informatieveiligheid",
    "digitalisering",
    "datagedreven",
    "smart_city",
    "digitale_transformatie",
)

TITLES: dict[str, str] = {
    "informatieveiligheid": "Informatieveiligheid & privacy",
    "digitalisering": "Digitalisering processen en dienstverlening",
    "datagedreven": "Datagedreven werken",
    "smart_city": "Smart city",
    "digitale_transformatie": "Digitale transformatie",
}
