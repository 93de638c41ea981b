"""Articles built from paragraphs and read by the actor finder, for the actor tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefings.analysis.actors.finder import ActorFinder
from briefings.formats.base import build_article
from briefings.model import ActorFindings, Article
from briefings.text.sentences import split_sentences


def article(*paragraphs: str, title: str = "A headline", subtitle: str | None = None) -> Article:
    """An article of one untitled section holding ``paragraphs``."""
    return build_article(title, subtitle, [(None, [("paragraph", p) for p in paragraphs])])


def find(finder: ActorFinder, *paragraphs: str, title: str = "A headline") -> ActorFindings:
    """What ``finder`` finds in an article of ``paragraphs``."""
    art = article(*paragraphs, title=title)
    return finder.find(art, split_sentences(art))


def surfaces(found: ActorFindings, actor_id: str) -> list[str]:
    """The surfaces of ``actor_id``'s mentions, in order."""
    return [m.surface for m in found.mentions if m.actor_id == actor_id]


def named(found: ActorFindings) -> dict[str, tuple[str, list[str]]]:
    """Actor name -> (type, mention surfaces)."""
    return {
        a.actor.name: (a.actor.type, [m.surface for m in found.mentions if m.actor_id == a.id])
        for a in found.actors
    }


_PARTS: dict[str, Callable[[str, str], bool]] = {
    "starting": str.startswith,
    "holding": str.__contains__,
    "ending": str.endswith,
}
_KEYS = {"actors", "only", "types", "surfaces", "present", "absent", "people", *_PARTS}


def check_named(found: dict[str, tuple[str, list[str]]], expect: dict[str, Any]) -> None:
    """Assert what one case of a table of :func:`named` expectations says of ``found``.

    ``actors``: name -> [type, mention surfaces]; ``only``: the same, and no other name is
    found; ``types``: name -> type; ``surfaces``: name -> mention surfaces; ``present`` and
    ``absent``: names; ``people``: the names of type person, in order; ``starting``,
    ``holding`` and ``ending``: text -> the names that start with, hold or end with it (an
    empty list: none does). An unknown key, or a case that expects nothing, is an error.
    """
    unknown = set(expect) - _KEYS
    assert expect and not unknown, f"expectations: unknown {sorted(unknown)} or none"
    for name, actor in expect.get("actors", {}).items():
        assert found[name] == tuple(actor), name
    if "only" in expect:
        assert found == {name: tuple(actor) for name, actor in expect["only"].items()}
    for name, kind in expect.get("types", {}).items():
        assert found[name][0] == kind, name
    for name, mentions in expect.get("surfaces", {}).items():
        assert found[name][1] == mentions, name
    for name in expect.get("present", []):
        assert name in found
    for name in expect.get("absent", []):
        assert name not in found
    if "people" in expect:
        assert [name for name, (kind, _) in found.items() if kind == "person"] == expect["people"]
    for key, fits in _PARTS.items():
        for part, names in expect.get(key, {}).items():
            assert [name for name in found if fits(name, part)] == names, f"{key} {part!r}"
