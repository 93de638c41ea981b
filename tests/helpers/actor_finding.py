"""Articles built from paragraphs and read by the actor finder, for the actor tests."""

from __future__ import annotations

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
