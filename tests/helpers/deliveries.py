"""Outbox rows as the bot writes them: a reply for a channel, a subscription message for a DM."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform

from adapters.base import Target
from bot.drain import Drain
from bot.payloads import encode_reply, encode_value
from bot.sections import DeliverySettings
from briefings.service.replies import ActorRef, DigestItem, Notice, Reply, SourceLink
from briefings.store import Delivery, NewDelivery, Store


def reply_row(key: str, platform: str, workspace: str, target: str, reply: Reply) -> NewDelivery:
    """A reply (a digest, a notice ...) to post in a channel."""
    return NewDelivery(
        key, platform, workspace, target, {"kind": "reply", "reply": encode_reply(reply)}
    )


def notify_row(
    key: str, platform: str, workspace: str, user: str, item: DigestItem, mode: str = "instant"
) -> NewDelivery:
    """A subscription message about one story (naming JNIM), for a user's DM."""
    payload = {
        "kind": "notify",
        "mode": mode,
        "item": encode_value(item),
        "actors": {"jnim": "JNIM"},
    }
    return NewDelivery(key, platform, workspace, user, payload, target_kind="user")


def notice(key: str, target: str = "C1", text: str = "hello") -> NewDelivery:
    """A one-line notice for a channel of the ``chat`` platform."""
    return reply_row(key, "chat", "W1", target, Notice("info", text))


def notify(key: str, story: str, target: str = "U1", mode: str = "instant") -> NewDelivery:
    """A subscription message about story ``story`` for a ``chat`` user."""
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
    return notify_row(key, "chat", "W1", target, item, mode)


def recording_drain(
    store: Store, platform: RecordingPlatform, clock: FakeClock, **kw: object
) -> tuple[Drain, list[tuple[Target, str]]]:
    """A drain over ``store``'s outbox to one recording platform, and the targets it disabled."""
    disabled: list[tuple[Target, str]] = []

    async def on_disabled(target: Target, reason: str, row: Delivery) -> None:
        disabled.append((target, reason))

    settings = DeliverySettings(backoff=30, max_backoff=600, max_attempts=3)
    drain = Drain(
        store.outbox,
        {platform.name: platform},
        clock=clock,
        settings=settings,
        on_disabled=on_disabled,
        **kw,  # type: ignore[arg-type]
    )
    return drain, disabled
