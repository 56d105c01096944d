"""Places: the per-corpus alias table (seeds/places.toml) and NER places from the parse.

The package has no place list; the seeds bring theirs. The table tests run with the seeds' table in
force (``places.using``), as the pipeline does for that corpus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from timeline import places as places_module
from timeline.places import find_places, gazetteer, kind_of, parent_of, place_mentions

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def seeds_table():
    table = places_module.load_table(SEEDS)
    if not table.places:
        pytest.skip("seeds/places.toml not present")
    with places_module.using(table):
        yield table


def test_transliterations_map_to_canonical_names():
    text = ("The military took control of al-Leiti. Fighters from Misurata entered Sirt, "
            "then Darnah and Sabrata.")
    assert find_places(text) == ("Lithi", "Misrata", "Sirte", "Derna", "Sabratha")


def test_every_spelling_of_lithi_is_lithi():
    for spelling in ("Lithi", "al-Leiti", "Leithi", "al-Lithi", "Leiti"):
        assert find_places(f"Troops entered {spelling} on Sunday.") == ("Lithi",), spelling


def test_no_match_inside_other_words():
    text = "Libyan and Iraqi officials met Syrian and Sirtean envoys; the Derna-based group left."
    assert find_places(text) == ("Derna",)  # "Libyan", "Iraqi", "Syrian", "Sirtean" are not places


def test_lower_case_words_are_not_places():
    assert find_places("the jordan of the story; a turkey dinner") == ()
    assert find_places("Drones based in Jordan struck.") == ("Jordan",)


def test_order_of_first_mention_and_each_place_once():
    text = "In Benghazi and Tripoli, then Benghazi again, and Tobruk."
    assert find_places(text) == ("Benghazi", "Tripoli", "Tobruk")


def test_longest_spelling_wins_and_offsets_are_exact():
    text = "Clashes near Ras Lanuf and in al-Leiti."
    mentions = place_mentions(text)
    assert [(m.name, m.text) for m in mentions] == [("Ras Lanuf", "Ras Lanuf"), ("Lithi", "al-Leiti")]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_phrases_that_are_not_places_are_ignored():
    text = "The U.S. Africa Command said recruits came from across Africa."
    mentions = place_mentions(text)
    assert [m.start for m in mentions] == [text.rindex("Africa")]


def test_kinds_and_parents():
    assert kind_of("Lithi") == "neighbourhood" and parent_of("Lithi") == "Benghazi"
    assert kind_of("Benghazi") == "city" and parent_of("Benghazi") == "Libya"
    assert kind_of("Libya") == "country" and parent_of("Libya") is None
    assert kind_of("Atlantis") is None


def test_the_seed_table_is_consistent():
    places = gazetteer()
    assert {"Libya", "Benghazi", "Lithi", "Sirte", "Derna", "Sabratha", "Tripoli", "Tobruk", "Misrata",
            "Guwarsha", "al-Fatayeh", "Ajdabiya", "Ras Lanuf", "Syria", "Iraq", "Sicily", "Italy",
            "Jordan", "Afghanistan"} <= set(places)
    for place in places.values():
        assert place.kind in {"country", "region", "continent", "city", "neighbourhood", "landmark"}
        assert place.parent is None or place.parent in places
        if place.kind in {"neighbourhood", "landmark"}:
            assert place.parent is not None, place.name
        for variant in place.variants:  # every spelling finds its own place
            assert find_places(f"It happened in {variant} yesterday.") == (place.name,), variant


def test_reference_points_are_not_where_it_happened():
    from timeline.places import scene_places

    text = "In the coastal city of Derna, 300 kilometres east of Benghazi, six fighters died."
    assert find_places(text) == ("Derna", "Benghazi")
    assert scene_places(text) == ("Derna",)
    assert scene_places("Fighting 20 km from Sirte and in Ajdabiya.") == ("Ajdabiya",)
    assert scene_places("Forces retook Lithi in Benghazi.") == ("Lithi", "Benghazi")


def test_a_country_named_as_an_owner_is_not_where_it_happened(tmp_path):
    """"France's special forces are in Mali": the forces are France's, the clause happens in Mali. A
    city's possessive names a part of it ("Gao's main market"), and a country that is the only place
    named stays ("France's parliament voted")."""
    from timeline.places import scene_places

    (tmp_path / "places.toml").write_text(
        '[[place]]\nname = "France"\nkind = "country"\nvariants = ["France"]\n\n'
        '[[place]]\nname = "Mali"\nkind = "country"\nvariants = ["Mali"]\n\n'
        '[[place]]\nname = "Gao"\nkind = "city"\nparent = "Mali"\nvariants = ["Gao"]\n', encoding="utf-8")
    with places_module.using(places_module.load_table(tmp_path)):
        assert scene_places("France’s special forces are in Mali to train the army.") == ("Mali",)
        assert scene_places("Mali's army retook Gao on Sunday.") == ("Gao",)
        assert scene_places("Shells hit Gao's main market, residents said.") == ("Gao",)
        assert scene_places("France's parliament voted to extend the mission.") == ("France",)
        assert scene_places("France sent troops to Mali.") == ("France", "Mali")


def test_where_aircraft_come_from_is_not_where_they_strike():
    from timeline.places import scene_places

    text = "US warplanes flying from a Royal Air Force base in Britain attacked a camp near Sabratha."
    assert scene_places(text, ("Britain", "Sabratha")) == ("Sabratha",)
    assert scene_places("Airstrikes hit Sirte, using drones based in Jordan.", ("Sirte", "Jordan")) == ("Sirte",)
    # a base that is the scene stays: Italy let the US use an airbase in Sicily
    assert scene_places("Italy let the US use an airbase in Sicily.", ("Italy", "Sicily")) == ("Italy", "Sicily")
    assert scene_places("Fighters retreated from Derna.", ("Derna",)) == ("Derna",)


def test_city_of_walks_up_to_the_city():
    from timeline.places import city_of

    assert city_of("Lithi") == "Benghazi" and city_of("Ouagadougou Conference Centre") == "Sirte"
    assert city_of("Derna") == "Derna"
    assert city_of("Libya") is None and city_of("Sicily") is None and city_of("Atlantis") is None


def test_without_a_table_the_package_knows_no_place():
    with places_module.using(places_module.EMPTY):
        assert find_places("Forces retook Lithi in Benghazi.") == ()
        assert gazetteer() == {} and kind_of("Benghazi") is None


def test_places_of_other_corpora_come_from_the_parse():
    from timeline import nlp

    text = "GM said sales fell in Canada, Japan and South Korea, while Chrysler opened a plant in New York."
    doc = nlp.parse(text)
    with places_module.using(places_module.EMPTY):
        found = places_module.entity_places(text, doc.ents)
    assert {"Canada", "Japan", "South Korea", "New York"} <= set(found)


def test_a_bad_table_names_the_file_and_the_entry(tmp_path):
    (tmp_path / "places.toml").write_text('[[place]]\nname = "X"\nkind = "planet"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"places.toml: place 'X' has kind 'planet'"):
        places_module.load_table(tmp_path)
    (tmp_path / "places.toml").write_text('[[place]]\nname = "Y"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"place #1 lacks 'kind'"):
        places_module.load_table(tmp_path)


def test_person_name_spellings_come_from_the_corpus_table(tmp_path, seeds_table):
    assert seeds_table.name_of("Kadhafi") == seeds_table.name_of("Qaddafi") == "gaddafi"
    assert seeds_table.name_of("Hifter") == "haftar" and seeds_table.name_of("Obama") == "obama"
    assert places_module.EMPTY.name_of("Kadhafi") == "kadhafi"  # the package knows no names
    (tmp_path / "places.toml").write_text('[names]\nsmith = ["smyth"]\njones = ["Smyth"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"places.toml: \[names\] spelling 'Smyth' is listed under 'smith'"):
        places_module.load_table(tmp_path)
    (tmp_path / "places.toml").write_text('[names]\nsmith = "smyth"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[names\] 'smith' must be a list of spellings"):
        places_module.load_table(tmp_path)
