"""Outbox rows grouped into messages: subscription rows of one target sent as one, and the
keys each message goes out under."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from adapters.base import Target
from bot.payloads import NotifyPayload, Payload, PayloadError, ReplyPayload, payload_of
from briefings.service.replies import Digest, DigestItem, Reply
from briefings.store.records import Delivery


def target_of(row: Delivery) -> Target:
    """The adapter target of an outbox row."""
    return Target(row.platform, row.workspace, row.target, row.target_kind)


def send_key(carrier: Delivery) -> str:
    """The key a message goes out under: its first row's key, then ``key~attempt`` on later
    attempts, so every composition of a bundled message has a key of its own."""
    return carrier.key if carrier.attempts <= 1 else f"{carrier.key}~{carrier.attempts}"


def carrier_keys(key: str) -> tuple[str, ...]:
    """The delivery keys the carrier of a send key may have (see :func:`send_key`)."""
    head, _, attempt = key.rpartition("~")
    return (key, head) if head and attempt.isdigit() else (key,)


@dataclass(slots=True)
class Group:
    """Rows sent as one message, and what they carry (or why it cannot be read)."""

    rows: list[Delivery]
    payloads: list[Payload] = field(default_factory=list)
    error: PayloadError | None = None

    def reply(self, now: datetime) -> Reply:
        """The message: a row's reply, or the rows' notifications bundled.

        Args:
            now: the current time (the end of the window a bundle covers).

        Raises:
            PayloadError: a row's payload cannot be read.
        """
        if self.error is not None:
            raise self.error
        first = self.payloads[0]
        if isinstance(first, ReplyPayload):
            return first.reply
        notes = [p for p in self.payloads if isinstance(p, NotifyPayload)]
        return bundle_reply(notes, start=min(r.created_at for r in self.rows), end=now)


def group_of(rows: Sequence[Delivery]) -> Group:
    """The rows of one message (recorded under one send key) with their payloads read."""
    try:
        return Group(list(rows), [payload_of(r.payload) for r in rows])
    except PayloadError as exc:
        return Group(list(rows), error=exc)


def bundle_reply(notes: Sequence[NotifyPayload], *, start: datetime, end: datetime) -> Digest:
    """One message for several notifications of one target (a burst or a day).

    Args:
        notes: the notifications, oldest first.
        start: when the first of them was queued.
        end: the current time.
    """
    items: dict[str, DigestItem] = {}
    actors: dict[str, str] = {}
    for note in notes:
        items.setdefault(note.item.story_id, note.item)
        for actor_id, name in note.actors:
            actors.setdefault(actor_id, name)
    names = ", ".join(actors.values()) or "your subscriptions"
    daily = all(n.mode == "daily" for n in notes)
    count = len(items)
    if daily:
        title = f"Your daily update on {names}: {count} new article{'s' if count > 1 else ''}"
    elif count == 1:
        title = f"New on {names}"
    else:
        title = f"{count} new articles on {names}"
    return Digest(title=title, start=start, end=end, items=tuple(items.values()), empty_text="")


def send_groups(rows: Sequence[Delivery]) -> list[Group]:
    """Rows in send order; notifications of one target and mode become one group."""
    groups: list[Group] = []
    bundles: dict[tuple[str, str, str, str], Group] = {}
    for row in rows:
        try:
            payload = payload_of(row.payload)
        except PayloadError as exc:
            groups.append(Group([row], error=exc))
            continue
        if isinstance(payload, NotifyPayload):
            key = (row.platform, row.workspace, row.target, payload.mode)
            group = bundles.get(key)
            if group is not None:
                group.rows.append(row)
                group.payloads.append(payload)
                continue
            group = bundles[key] = Group([row], [payload])
        else:
            group = Group([row], [payload])
        groups.append(group)
    return groups
