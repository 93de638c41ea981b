"""Sample outbox rows: a channel notice and a subscription message."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.payloads import encode_reply, encode_value
from briefings.replies import ActorRef, DigestItem, Notice, SourceLink
from briefings.store import NewDelivery


def notice(key: str, target: str = "C1", text: str = "hello") -> NewDelivery:
    """A one-line notice to post in a channel."""
    return NewDelivery(
        key, "chat", "W1", target, {"kind": "reply", "reply": encode_reply(Notice("info", text))}
    )


def notify(key: str, story: str, target: str = "U1", mode: str = "instant") -> NewDelivery:
    """A subscription message about one story, for a user's DM."""
    item = DigestItem(
        story_id=story,
        headline=f"Story {story}",
        tldr="",
        key_points=(),
        actors=(ActorRef("jnim", "JNIM", "armed_group"),),
        sources=(SourceLink(f"Story {story}", f"https://example.org/{story}"),),
        event_count=1,
        published=datetime(2026, 11, 23, 6, tzinfo=UTC),
    )
    payload = {
        "kind": "notify",
        "mode": mode,
        "item": encode_value(item),
        "actors": {"jnim": "JNIM"},
    }
    return NewDelivery(key, "chat", "W1", target, payload, target_kind="user")
