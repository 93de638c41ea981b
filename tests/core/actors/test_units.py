"""Armed bodies named by a unit noun: regular units, groups, and the people of a known one."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "units.toml")


@CASES.cases("units_found", "paragraphs", "found")
def test_units_found(finder: ActorFinder, paragraphs: list[str], found: dict[str, str]) -> None:
    assert {name: kind for name, (kind, _) in named(find(finder, *paragraphs)).items()} == found
