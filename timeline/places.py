"""Places: named entities of the parse (GPE, LOC, FAC), with an optional per-corpus alias table.

The package knows no places. Where a happening is comes from the spaCy parse's entities; a corpus
folder may hold ``places.toml`` (see ``seeds/places.toml``) mapping the spellings its articles use
to one canonical name ("al-Leiti", "Leithi" -> "Lithi"), with kinds (country, region, continent,
city, neighbourhood, landmark) and parents for the chart lanes and the merging veto, and
``[ignore]`` phrases that contain a place name without naming the place ("Africa Command"), and
``[names]``: spellings of one person's name in that corpus's wires ("Kadhafi", "Qaddafi" ->
"Gaddafi"), which merging counts as one shared word (``PlaceTable.name_of``).

The table in force is a context variable: ``using(table)`` sets it for a block (the pipeline sets the
corpus's table while it runs); without one the table is empty and every entity is its own place.

Table matching rules: whole words only (no "Sirte" inside "Sirtean"), case insensitive but a match
written entirely in lower case is ignored, the longest spelling wins where spellings overlap, and
``[ignore]`` phrases are blanked out first. An entity the table does not know keeps its written name
(a leading "the" and a possessive "'s" removed).
"""
from __future__ import annotations

import contextlib
import re
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

TABLE_NAME = "places.toml"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PLACE_KINDS = frozenset({"country", "region", "continent", "city", "neighbourhood", "landmark"})


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


@dataclass(frozen=True)
class PlaceTable:
    """A corpus's alias table (empty by default)."""

    places: dict = field(default_factory=dict, hash=False, compare=False)  # name -> Place, file order
    ignore: tuple[str, ...] = ()
    path: str = ""
    # [names]: lower-case spelling -> lower-case canonical spelling ("kadhafi" -> "gaddafi")
    names: dict = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        by_variant: dict[str, str] = {}
        for place in self.places.values():
            for variant in place.variants:
                key = " ".join(variant.split()).casefold()
                if key in by_variant and by_variant[key] != place.name:
                    raise ValueError(f"{self.path}: spelling {variant!r} used by {by_variant[key]!r} and {place.name!r}")
                by_variant[key] = place.name
        object.__setattr__(self, "_by_variant", by_variant)
        ordered = sorted(by_variant, key=lambda v: (-len(v), v))  # longest first: "al-Leiti" beats "Leiti"
        pattern = (re.compile(r"(?<![\w])(?:" + "|".join(_variant_pattern(v) for v in ordered) + r")(?![\w])",
                              re.IGNORECASE) if ordered else None)
        object.__setattr__(self, "_pattern", pattern)
        object.__setattr__(self, "_ignore", tuple(re.compile(_variant_pattern(phrase), re.IGNORECASE)
                                                  for phrase in self.ignore))

    def canonical(self, written: str) -> str | None:
        return self._by_variant.get(" ".join(written.split()).casefold())  # type: ignore[attr-defined]

    def name_of(self, word: str) -> str:
        """The canonical spelling of a person's name word ("Kadhafi" -> "gaddafi"), else ``word`` lower-cased."""
        word = word.lower()
        return self.names.get(word, word)

    def person_names(self) -> frozenset[str]:
        """The canonical spellings of ``[names]``."""
        return frozenset(self.names.values())


def read_table(path: str | Path) -> PlaceTable:
    """Read a ``places.toml``; raises ValueError naming the file and the entry when it is bad."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML ({err}); fix the file or remove it") from None
    places: dict[str, Place] = {}
    for i, entry in enumerate(data.get("place", [])):
        try:
            name, kind = entry["name"], entry["kind"]
        except KeyError as missing:
            raise ValueError(f"{path}: place #{i + 1} lacks {missing}") from None
        if kind not in PLACE_KINDS:
            raise ValueError(f"{path}: place {name!r} has kind {kind!r}; use one of {sorted(PLACE_KINDS)}")
        if name in places:
            raise ValueError(f"{path}: place {name!r} is listed twice")
        places[name] = Place(name, kind, entry.get("parent"), tuple(entry.get("variants", [])) or (name,))
    for place in places.values():
        if place.parent is not None and place.parent not in places:
            raise ValueError(f"{path}: {place.name!r} has unknown parent {place.parent!r}")
    return PlaceTable(places, tuple(data.get("ignore", {}).get("phrases", [])), str(path),
                      _read_names(data.get("names", {}), path))


def _read_names(table, path: Path) -> dict[str, str]:
    """``[names]`` (canonical = [other spellings]) as lower-case spelling -> canonical spelling."""
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [names] must be a table of canonical = [\"spelling\", ...]")
    names: dict[str, str] = {}
    for canonical, variants in table.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
            raise ValueError(f"{path}: [names] {canonical!r} must be a list of spellings (strings)")
        for variant in [canonical, *variants]:
            if names.setdefault(variant.lower(), canonical.lower()) != canonical.lower():
                raise ValueError(f"{path}: [names] spelling {variant!r} is listed under "
                                 f"{names[variant.lower()]!r} and {canonical!r}; keep it under one name")
    return names


def load_table(folder: str | Path | None) -> PlaceTable:
    """The alias table of a corpus folder (``<folder>/places.toml``), or an empty one."""
    if folder is None:
        return EMPTY
    path = Path(folder) / TABLE_NAME
    return read_table(path) if path.is_file() else EMPTY


EMPTY = PlaceTable()
_CURRENT: ContextVar[PlaceTable] = ContextVar("timeline_places", default=EMPTY)


def current() -> PlaceTable:
    """The alias table in force (see ``using``)."""
    return _CURRENT.get()


@contextlib.contextmanager
def using(table: PlaceTable) -> Iterator[PlaceTable]:
    """Make ``table`` the alias table in force inside the block."""
    token = _CURRENT.set(table)
    try:
        yield table
    finally:
        _CURRENT.reset(token)


def gazetteer() -> dict[str, Place]:
    """Canonical name -> Place of the table in force."""
    return current().places


def _variant_pattern(variant: str) -> str:
    return r"\s+".join(re.escape(part) for part in variant.split())


def _blank_ignored(text: str, table: PlaceTable) -> str:
    for pattern in table._ignore:  # type: ignore[attr-defined]  (the [ignore] phrases, compiled once)
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def place_mentions(text: str, table: PlaceTable | None = None) -> tuple[PlaceMention, ...]:
    """Every mention of a table place in ``text`` with offsets, left to right."""
    table = table or current()
    pattern = table._pattern  # type: ignore[attr-defined]
    if pattern is None:
        return ()
    mentions = []
    for match in pattern.finditer(_blank_ignored(text, table)):
        written = text[match.start():match.end()]
        if written == written.lower():
            continue  # "jordan", "chad": place names are written with a capital
        mentions.append(PlaceMention(table.canonical(written), match.start(), match.end(), written))
    return tuple(mentions)


def find_places(text: str, table: PlaceTable | None = None) -> tuple[str, ...]:
    """Canonical names of the table places ``text`` mentions, each once, in order of first mention."""
    return tuple(dict.fromkeys(m.name for m in place_mentions(text, table)))


def entity_name(written: str, table: PlaceTable | None = None) -> str:
    """The canonical name of a place entity as written ("the United States" -> "United States")."""
    table = table or current()
    name = re.sub(r"(?i)^the\s+", "", written.strip())
    name = re.sub(r"['’]s$", "", name).strip(" .,;:")
    return table.canonical(name) or table.canonical(written) or name


def entity_places(text: str, ents=(), table: PlaceTable | None = None) -> tuple[str, ...]:
    """Places of a clause: its GPE/LOC/FAC entities and its table mentions, in order of first mention.

    ``ents`` are spaCy entity spans lying inside ``text``'s clause; an entity that only repeats a
    table mention, or that an ``[ignore]`` phrase covers, is not counted twice; a place entity that
    modifies a noun ("US drones") names an actor and is left out.
    """
    table = table or current()
    found: list[tuple[int, str]] = [(m.start, m.name) for m in place_mentions(text, table)]
    blanked = _blank_ignored(text, table)
    cursor = 0
    for ent in ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        if ent.root.dep_ in {"compound", "amod", "nmod"} and ent.root.head.pos_ in {"NOUN", "PROPN"} \
                and ent.root.head.ent_type_ not in PLACE_LABELS:
            continue  # "US drones", "US officials": a place word naming an actor, not where it happened
        at = text.find(ent.text, cursor)
        if at >= 0:
            cursor = at + len(ent.text)
            if not blanked[at:at + len(ent.text)].strip():
                continue
        name = entity_name(ent.text, table)
        if name and any(ch.isalpha() for ch in name):
            found.append((at if at >= 0 else len(text), name))
    found.sort(key=lambda x: x[0])
    return tuple(dict.fromkeys(name for _, name in found))


# A place named only as a reference point for another one: "300 kilometres east of Benghazi",
# "20 km from Sirte", "to the west in Benghazi"; or as where aircraft come from, not where they
# strike: "drones based in Jordan", "warplanes flying from a Royal Air Force base in Britain".
# Matched against the text just before a mention.
_REFERENCE_POINT = re.compile(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of"
    r"|\b(?:km|kilometres|kilometers|kms|miles)\)?\s+(?:from|outside|of)"
    r"|\bto\s+the\s+(?:north|south|east|west)\s+(?:of|in)"
    r"|\bbased\s+in"
    r"|\b(?:flying|flown|took\s+off|taking\s+off|launched)\s+from\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,5}?"
    r"(?:base|airbase|air\s+base|airfield|carrier)\s+(?:in|at|on))\s+(?:the\s+(?:city|town)\s+of\s+)?$",
    re.IGNORECASE,
)


_POSSESSIVE = re.compile(r"['’]s?\b")


def scene_places(text: str, names: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The places of ``text`` without those named only as a reference point.

    ``names`` are the text's places when already known (an event's ``places``); otherwise the table
    mentions of ``text``. Why: "six fighters died in Derna, 300 kilometres east of Benghazi" happened
    in Derna; merging must not think it shares a place with a Benghazi report. Nor a country named
    only in the possessive when another place is named ("Italy's special forces are in Libya").
    """
    table = current()
    if names is None:
        names = find_places(text)
    positions: dict[str, list[int]] = {}
    for m in place_mentions(text, table):
        positions.setdefault(m.name, []).append(m.start)
    for name in names:
        if name not in positions:
            positions[name] = [m.start() for m in re.finditer(re.escape(name), text)] or [-1]
    kept = []
    for name in names:
        starts = positions.get(name, [-1])
        if all(s >= 0 and _REFERENCE_POINT.search(text[max(0, s - 60):s]) for s in starts):
            continue
        kept.append(name)
    # a country named only as an owner ("Italy's elite special forces are in Libya") is whose the
    # actors are, not where the clause happens, when the clause names another place; a city's
    # possessive names a part of it ("Derna's 400 neighborhood", "Tripoli's Martyrs' Square")
    owners = [n for n in kept if n in table.places and table.places[n].kind == "country"
              and all(s >= 0 and _POSSESSIVE.match(text, s + len(n)) for s in positions.get(n, [-1]))]
    if owners and len(owners) < len(kept):
        kept = [n for n in kept if n not in owners]
    return tuple(kept)


def city_of(name: str) -> str | None:
    """The city a place lies in (itself for a city; walking up from a neighbourhood/landmark).

    None for countries, regions and continents, which are too wide to locate a happening, and for
    places the table does not know.
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
    """The containing place of a neighbourhood/city/landmark (``Lithi`` -> ``Benghazi``), from the table."""
    place = gazetteer().get(name)
    return place.parent if place else None


def kind_of(name: str) -> str | None:
    place = gazetteer().get(name)
    return place.kind if place else None
