"""People named as the object of a verb that takes a person ("met Jean Kouassi")."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "objects.toml")


@CASES.cases("people_after_a_verb", "text", "people")
def test_people_after_a_verb(finder: ActorFinder, text: str, people: list[str]) -> None:
    found = named(find(finder, text))
    assert sorted(name for name, (kind, _) in found.items() if kind == "person") == people
