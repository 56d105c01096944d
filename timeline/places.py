"""Place names found in text, mapped to canonical names from ``resources/gazetteer.toml``.

Why a gazetteer and not NER: the corpus is about one country, transliterations vary wildly
("al-Leiti", "Lithi", "Leithi") and the timeline must show one name per place. The data file holds
names, kinds and parents; this module only matches them.

Matching rules: whole words only (no "Sirte" inside "Sirtean", no "Iraq" inside "Iraqi"), case
insensitive but a match written entirely in lower case is ignored, the longest spelling wins where
spellings overlap, ``[ignore]`` phrases ("Africa Command") are blanked out first.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RESOURCES = Path(__file__).with_name("resources")


@dataclass(frozen=True)
class Place:
    name: str  # canonical name
    kind: str  # country, region, continent, city, neighbourhood, landmark
    parent: str | None
    variants: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMention:
    name: str  # canonical name
    start: int
    end: int
    text: str  # as written


@cache
def gazetteer() -> dict[str, Place]:
    """Canonical name -> Place, in file order. Raises ValueError naming the entry if the file is bad."""
    path = RESOURCES / "gazetteer.toml"
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    places: dict[str, Place] = {}
    for i, entry in enumerate(data.get("place", [])):
        try:
            name, kind = entry["name"], entry["kind"]
            variants = tuple(entry.get("variants", [])) or (name,)
        except KeyError as missing:
            raise ValueError(f"{path}: place #{i + 1} lacks {missing}") from None
        if name in places:
            raise ValueError(f"{path}: place {name!r} is listed twice")
        places[name] = Place(name, kind, entry.get("parent"), variants)
    for place in places.values():
        if place.parent is not None and place.parent not in places:
            raise ValueError(f"{path}: {place.name!r} has unknown parent {place.parent!r}")
    return places


@cache
def _ignored() -> tuple[str, ...]:
    with open(RESOURCES / "gazetteer.toml", "rb") as fh:
        return tuple(tomllib.load(fh).get("ignore", {}).get("phrases", []))


def _variant_pattern(variant: str) -> str:
    # Any run of white space in a spelling matches any run of white space in the text.
    return r"\s+".join(re.escape(part) for part in variant.split())


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    by_variant: dict[str, str] = {}
    for place in gazetteer().values():
        for variant in place.variants:
            key = " ".join(variant.split()).casefold()
            if key in by_variant and by_variant[key] != place.name:
                raise ValueError(f"gazetteer: spelling {variant!r} used by {by_variant[key]!r} and {place.name!r}")
            by_variant[key] = place.name
    # Longest spellings first so "al-Leiti" beats "Leiti" and "Ras Lanuf" is not cut short.
    ordered = sorted(by_variant, key=lambda v: (-len(v), v))
    alternation = "|".join(_variant_pattern(v) for v in ordered)
    pattern = re.compile(r"(?<![\w])(?:" + alternation + r")(?![\w])", re.IGNORECASE)
    return pattern, by_variant


def _blank_ignored(text: str) -> str:
    for phrase in _ignored():
        text = re.sub(_variant_pattern(phrase), lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    return text


def place_mentions(text: str) -> tuple[PlaceMention, ...]:
    """Every place mention in ``text`` with offsets, left to right."""
    pattern, by_variant = _matcher()
    mentions = []
    for match in pattern.finditer(_blank_ignored(text)):
        written = text[match.start():match.end()]
        if written == written.lower():
            continue  # "jordan", "chad": place names are written with a capital
        name = by_variant[" ".join(written.split()).casefold()]
        mentions.append(PlaceMention(name, match.start(), match.end(), written))
    return tuple(mentions)


def find_places(text: str) -> tuple[str, ...]:
    """Canonical names of the places ``text`` mentions, each once, in order of first mention."""
    seen: dict[str, None] = {}
    for mention in place_mentions(text):
        seen.setdefault(mention.name, None)
    return tuple(seen)


# A place named only as a reference point for another one: "300 kilometres east of Benghazi",
# "20 km from Sirte", "to the west in Benghazi". Matched against the text just before a mention.
_REFERENCE_POINT = re.compile(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of"
    r"|\b(?:km|kilometres|kilometers|kms|miles)\)?\s+(?:from|outside|of)"
    r"|\bto\s+the\s+(?:north|south|east|west)\s+(?:of|in))\s+(?:the\s+(?:city|town)\s+of\s+)?$",
    re.IGNORECASE,
)


def scene_places(text: str) -> tuple[str, ...]:
    """Like ``find_places`` but without places named only as a reference point.

    Why: "six fighters died in Derna, 300 kilometres east of Benghazi" happened in Derna; merging
    must not think it shares a place with a Benghazi report.
    """
    seen: dict[str, None] = {}
    for mention in place_mentions(text):
        if _REFERENCE_POINT.search(text[max(0, mention.start - 60):mention.start]):
            continue
        seen.setdefault(mention.name, None)
    return tuple(seen)


def city_of(name: str) -> str | None:
    """The city a place lies in (itself for a city; walking up from a neighbourhood/landmark).

    None for countries, regions and continents, which are too wide to locate a happening.
    """
    places = gazetteer()
    seen = set()
    while name in places and name not in seen:
        seen.add(name)
        place = places[name]
        if place.kind == "city":
            return name
        if place.kind not in {"neighbourhood", "landmark"} or place.parent is None:
            return None
        name = place.parent
    return None


def parent_of(name: str) -> str | None:
    """The containing place of a neighbourhood/city/landmark (``Lithi`` -> ``Benghazi``)."""
    place = gazetteer().get(name)
    return place.parent if place else None


def kind_of(name: str) -> str | None:
    place = gazetteer().get(name)
    return place.kind if place else None
