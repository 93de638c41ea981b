"""People no gazetteer entry explains: objects of verbs that take a person, and namesakes."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "people.toml")


@CASES.cases(("people_after_a_verb", "a_namesake_is_another_person"), "text", "people")
def test_the_people_found_are(finder: ActorFinder, text: str, people: list[str]) -> None:
    found = named(find(finder, text))
    assert sorted(name for name, (kind, _) in found.items() if kind == "person") == people


@CASES.cases("a_listed_person", "paragraphs", "people", "others")
def test_a_listed_person(
    finder: ActorFinder, paragraphs: list[str], people: list[str], others: list[str]
) -> None:
    found = named(find(finder, *paragraphs))
    assert sorted(name for name, (kind, _) in found.items() if kind == "person") == people
    assert sorted(name for name, (kind, _) in found.items() if kind != "person") == others
