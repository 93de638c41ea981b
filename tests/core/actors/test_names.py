"""Discovery of names the gazetteer lacks: people, organisations and collective actors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.actor_finding import check_named, find, named
from helpers.cases import CaseFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.spellings import name_key
from briefings.formats.base import build_article
from briefings.text.sentences import split_sentences

CASES = CaseFile(Path(__file__).parent / "cases" / "names.toml")


# ---------------------------------------------------------------------- names found
@CASES.cases("names_found", "paragraphs", "expect")
def test_names_found(finder: ActorFinder, paragraphs: list[str], expect: dict[str, Any]) -> None:
    check_named(named(find(finder, *paragraphs)), expect)


@CASES.cases("a_name_is_found_whole", "text", "name")
def test_a_name_is_found_whole(finder: ActorFinder, text: str, name: str) -> None:
    assert name in named(find(finder, text))


@CASES.cases("the_actors_found_are_exactly", "text", "actor_ids")
def test_the_actors_found_are_exactly(finder: ActorFinder, text: str, actor_ids: list[str]) -> None:
    assert {a.id for a in find(finder, text).actors} == set(actor_ids)


def test_variant_keys() -> None:
    assert name_key("Abdel Karim") == name_key("Abdul Karim") == name_key("Abd al Karim")
    assert name_key("Mohamed Ali") == name_key("Muhammad Ali")
    assert name_key("Jane Roe") != name_key("John Roe")


# ---------------------------------------------------------------------- places and actors
def test_a_state_as_geography(finder: ActorFinder) -> None:
    found = find(
        finder,
        "Raiders crossed near the border with Niger, then struck in northern Mali and in "
        "Gao Town Market, Burkina Faso, on Friday.",
    )
    assert found.actors == ()
    assert {"Niger", "Mali", "Burkina Faso"} <= {p.surface for p in found.places}


def test_states_in_a_list_of_participants_are_actors(finder: ActorFinder) -> None:
    found = find(finder, "Kenya led the mission, joined by Chile, Ghana, Norway and Vietnam.")
    assert {"kenya", "chile", "ghana", "norway", "vietnam"} <= {a.id for a in found.actors}


def test_a_titled_office_before_a_name_with_a_particle(finder: ActorFinder) -> None:
    found = find(finder, "Troops loyal to Syrian president Bashar al-Assad advanced.")
    assert "syria-president" not in {a.id for a in found.actors}


def test_people_in_bylines(finder: ActorFinder) -> None:
    art = build_article(
        "Rebels take the ridge",
        None,
        [(None, [("paragraph", "By Jane Okafor and Li Wei"), ("paragraph", "The army left.")])],
    )
    found = finder.find(art, split_sentences(art))
    assert {"Jane Okafor", "Li Wei"} <= {a.name for a in found.actors}


# ---------------------------------------------------------------------- any shape, no error
_GIVEN = st.sampled_from(["Jane", "Abdel", "Abdul", "Peter", "Ana", "Kofi", "Thérèse", "Li"])
_LAST = st.sampled_from(["Roe", "Karim", "al-Rashidi", "van der Berg", "Obi Jr.", "Mensah III"])
_TITLE = st.sampled_from(["", "President ", "Secretary of State ", "Col. ", "BSA commander "])
_ORG = st.sampled_from(
    [
        "Border Security Apparatus (BSA)",
        "the 212th Mechanised Brigade",
        "Trans-Sahel Logistics, S.A.",
        "the Karimov regime",
        "Syrian rebels",
        "the ruling UNITY party",
        "Los Caimanes del Norte",
        "the Office of Sanctions Enforcement",
        "Chad",
        "(XQ)",
        "KFOR troops",
    ]
)
_GLUE = st.sampled_from(
    [" said ", " met ", ", joined by ", " near the border with ", " and ", " (", ") "]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_TITLE, _GIVEN, _LAST, _GLUE, _ORG), min_size=1, max_size=4))
def test_names_of_every_shape_never_break_the_finder(
    finder: ActorFinder, parts: list[tuple[str, str, str, str, str]]
) -> None:
    text = " ".join(f"{t}{g} {s}{glue}{org}." for t, g, s, glue, org in parts)
    art = build_article("A headline", None, [(None, [("paragraph", text)])])
    found = finder.find(art, split_sentences(art))
    for mention in found.mentions:
        assert art.text[mention.start : mention.end] == mention.surface
    for actor in found.actors:
        assert actor.mentions, actor.id
