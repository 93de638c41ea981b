"""Collective and descriptor actors: unnamed agents, coalitions, communities, anonymous sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.actor_finding import check_named, find, named, surfaces
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "collectives.toml")


# ---------------------------------------------------------------------- names found
@CASES.cases("collectives_found", "paragraphs", "expect")
def test_collectives_found(
    finder: ActorFinder, paragraphs: list[str], expect: dict[str, Any]
) -> None:
    check_named(named(find(finder, *paragraphs)), expect)


# ---------------------------------------------------------------------- unnamed agents


@CASES.cases("an_unnamed_modifier_makes_the_phrase_an_actor", "text", "name")
def test_an_unnamed_modifier_makes_the_phrase_an_actor(
    finder: ActorFinder, text: str, name: str
) -> None:
    found = named(find(finder, text))
    assert found[name][0] == "armed_group"


def test_two_unnamed_groups_of_different_nouns_stay_apart(finder: ActorFinder) -> None:
    found = named(
        find(finder, "Unknown gunmen shot a guard while unidentified kidnappers took a trader.")
    )
    assert set(found) == {"Unknown gunmen", "unidentified kidnappers"}


def test_men_are_an_actor_only_when_unnamed(finder: ActorFinder) -> None:
    assert named(find(finder, "Kenyan men and Somali women queued for water.")) == {}
    assert "unknown men" in named(find(finder, "Two unknown men shot the driver."))


# ---------------------------------------------------------------------- modifiers and merges


@CASES.cases("plural_nouns_that_name_no_group_make_no_actor", "text")
def test_plural_nouns_that_name_no_group_make_no_actor(finder: ActorFinder, text: str) -> None:
    assert named(find(finder, text)) == {}


def test_a_states_own_forces_stay_the_states_whatever_the_noun(finder: ActorFinder) -> None:
    found = find(finder, "The Chadian army said the Chadian military had repelled the raid.")
    assert [(a.id, [m.surface for m in a.mentions]) for a in found.actors] == [
        ("chad-military", ["Chadian army", "Chadian military"])
    ]


def test_a_states_air_defences_are_its_military(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Chadian air defences shot down a drone, and Chad's air defence units downed two more.",
    )
    assert [(a.id, [m.surface for m in a.mentions]) for a in found.actors] == [
        ("chad-military", ["Chadian air defences", "Chad's air defence units"])
    ]


# ---------------------------------------------------------------------- unnamed sources
@CASES.cases("a_designated_source_that_speaks_is_an_actor", "text", "name", "kind")
def test_a_designated_source_that_speaks_is_an_actor(
    finder: ActorFinder, text: str, name: str, kind: str
) -> None:
    assert named(find(finder, text))[name][0] == kind


@CASES.cases("a_bare_or_silent_source_is_no_actor", "text")
def test_a_bare_or_silent_source_is_no_actor(finder: ActorFinder, text: str) -> None:
    assert named(find(finder, text)) == {}


def test_a_states_officials_stay_its_government(finder: ActorFinder) -> None:
    found = find(finder, "Kenyan officials said the border would reopen.")
    assert [a.id for a in found.actors] == ["kenya-government"]


# ---------------------------------------------------------------------- more group nouns


def test_a_states_institutions_are_its_government(finder: ActorFinder) -> None:
    found = find(finder, "Gangs burned Haitian State institutions and looted a bank.")
    assert [(a.id, [m.surface for m in a.mentions]) for a in found.actors] == [
        ("haiti-government", ["Haitian State institutions"])
    ]
    assert find(finder, "Kenyan financial institutions raised rates.").actors == ()


def test_a_state_before_a_group_noun_is_still_the_state(finder: ActorFinder) -> None:
    found = find(finder, "Kosovo sent police to the bridge, and Kosovo officials said so.")
    assert {a.id for a in found.actors} == {"kosovo", "kosovo-government"}


# ------------------------------------------------------------ acronyms defined in the text
def test_an_acronym_the_text_defines_overrides_the_gazetteers(finder: ActorFinder) -> None:
    found = find(
        finder,
        "The Armed Forces of the Philippines (AFP) resupplied the outpost. The AFP said two "
        "boats were rammed.",
    )
    assert "afp" not in {a.id for a in found.actors}
    assert surfaces(found, "x-armed-forces-of-the-philippines") == [
        "Armed Forces of the Philippines",
        "AFP",
        "AFP",
    ]


def test_a_known_acronym_without_a_definition_keeps_its_reading(finder: ActorFinder) -> None:
    found = find(
        finder,
        "AFP reported that the talks had failed. The United Nations (UN) said the UN would "
        "send envoys.",
    )
    assert {a.id for a in found.actors} == {"afp", "united-nations"}
    assert surfaces(found, "united-nations") == ["United Nations", "UN", "UN"]
