"""Companies named with a legal form: lists of them, and one company with two forms."""

from __future__ import annotations

from pathlib import Path

from helpers.actor_finding import find, named
from helpers.cases import CaseFile

from briefings.analysis.actors.finder import ActorFinder

CASES = CaseFile(Path(__file__).parent / "cases" / "companies.toml")


@CASES.cases("companies_in_a_list", "text", "names")
def test_companies_in_a_list(finder: ActorFinder, text: str, names: list[str]) -> None:
    found = named(find(finder, text))
    assert sorted(name for name, (kind, _) in found.items() if kind == "company") == names
