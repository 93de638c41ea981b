"""Collective and descriptor actors: unnamed agents, coalitions, communities, anonymous sources."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named, surfaces
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "collectives.toml")


# ---------------------------------------------------------------------- unnamed agents
def test_an_unnamed_group_keeps_its_surface_and_its_later_bare_uses(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Unidentified gunmen stormed a boarding school near Ruvoka on Friday. The gunmen "
            "left with 40 pupils, and two of the gunmen were later shot.",
        )
    )
    assert found == {
        "Unidentified gunmen": ("armed_group", ["Unidentified gunmen", "gunmen", "gunmen"])
    }


@CASES.cases("an_unnamed_modifier_makes_the_phrase_an_actor", "text", "name")
def test_an_unnamed_modifier_makes_the_phrase_an_actor(
    finder: ActorFinder, text: str, name: str
) -> None:
    found = named(find(finder, text))
    assert found[name][0] == "armed_group"


def test_a_bare_agent_noun_without_an_unnamed_one_earlier_is_no_actor(
    finder: ActorFinder,
) -> None:
    found = named(find(finder, "The attackers fled. Bandits stole cattle, and 18 were kidnappers."))
    assert found == {}


def test_two_unnamed_groups_of_different_nouns_stay_apart(finder: ActorFinder) -> None:
    found = named(
        find(finder, "Unknown gunmen shot a guard while unidentified kidnappers took a trader.")
    )
    assert set(found) == {"Unknown gunmen", "unidentified kidnappers"}


def test_men_are_an_actor_only_when_unnamed(finder: ActorFinder) -> None:
    assert named(find(finder, "Kenyan men and Somali women queued for water.")) == {}
    assert "unknown men" in named(find(finder, "Two unknown men shot the driver."))


# ---------------------------------------------------------------------- modifiers and merges
def test_one_modifier_makes_one_collective_per_type(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Coalition forces shot down four drones, and coalition warships escorted the "
            "tankers. Tuareg fighters took the wells; Tuareg rebels later withdrew.",
        )
    )
    assert found["Coalition forces"] == ("military", ["Coalition forces", "coalition warships"])
    assert found["Tuareg fighters"] == ("armed_group", ["Tuareg fighters", "Tuareg rebels"])


def test_border_guards_and_a_community_are_collectives(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Border guards fired on smugglers. Militants abducted members of the Yazidi "
            "community, and the international community protested.",
        )
    )
    assert found["Border guards"][0] == "military"
    assert found["Yazidi community"] == ("organisation", ["Yazidi community"])
    assert not any(name.lower().startswith("international") for name in found)


@CASES.cases("plural_nouns_that_name_no_group_make_no_actor", "text")
def test_plural_nouns_that_name_no_group_make_no_actor(finder: ActorFinder, text: str) -> None:
    assert named(find(finder, text)) == {}


def test_a_states_own_forces_stay_the_states_whatever_the_noun(finder: ActorFinder) -> None:
    found = find(finder, "The Chadian army said the Chadian military had repelled the raid.")
    assert [(a.id, [m.surface for m in a.mentions]) for a in found.actors] == [
        ("chad-military", ["Chadian army", "Chadian military"])
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


def test_an_organisations_analysts_speak_for_it(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "The Centre for Arid Studies (CAS) counted the dead. CAS analysts said most were "
            "herders.",
        )
    )
    assert not any(name.endswith("analysts") for name in found)


# ---------------------------------------------------------------------- more group nouns
def test_creeds_mercenaries_and_tribesmen_name_collectives(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Shia militias and Sunni tribesmen fought over the dam while Russian mercenaries "
            "guarded the mine.",
        )
    )
    assert found["Shia militias"][0] == "armed_group"
    assert found["Sunni tribesmen"][0] == "armed_group"
    assert found["Russian mercenaries"][0] == "armed_group"


def test_a_states_institutions_are_its_government(finder: ActorFinder) -> None:
    found = find(finder, "Gangs burned Haitian State institutions and looted a bank.")
    assert [(a.id, [m.surface for m in a.mentions]) for a in found.actors] == [
        ("haiti-government", ["Haitian State institutions"])
    ]
    assert find(finder, "Kenyan financial institutions raised rates.").actors == ()


def test_a_people_named_by_its_place_is_a_collective_not_the_state(finder: ActorFinder) -> None:
    found = named(
        find(
            finder,
            "Kosovo Albanians and Syrian Kurds marched, while ethnic Croats and the Kurds of "
            "the valley stayed home.",
        )
    )
    assert found == {
        "Kosovo Albanians": ("organisation", ["Kosovo Albanians"]),
        "Syrian Kurds": ("organisation", ["Syrian Kurds"]),
    }


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
