"""Outbox rows grouped into messages: subscription rows of one target sent as one, and the
keys each message goes out under."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from adapters.base import Target
from bot.payloads import decode_as
from briefings.replies import Digest, DigestItem
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


def bundle_reply(rows: Sequence[Delivery], now: datetime) -> Digest:
    """One message for several subscription rows of one target (a burst or a day).

    Args:
        rows: ``notify`` rows of one target, oldest first.
        now: the current time (the end of the window the message covers).
    """
    items: dict[str, DigestItem] = {}
    actors: dict[str, str] = {}
    for row in rows:
        item = decode_as(DigestItem, row.payload["item"])
        items.setdefault(item.story_id, item)
        for actor_id, name in row.payload.get("actors", {}).items():
            actors.setdefault(actor_id, name)
    names = ", ".join(actors.values()) or "your subscriptions"
    daily = all(r.payload.get("mode") == "daily" for r in rows)
    count = len(items)
    if daily:
        title = f"Your daily update on {names}: {count} new article{'s' if count > 1 else ''}"
    elif count == 1:
        title = f"New on {names}"
    else:
        title = f"{count} new articles on {names}"
    start = min(r.created_at for r in rows)
    return Digest(title=title, start=start, end=now, items=tuple(items.values()), empty_text="")


def send_groups(rows: Sequence[Delivery]) -> list[list[Delivery]]:
    """Rows in send order; ``notify`` rows of one target and mode become one group."""
    groups: list[list[Delivery]] = []
    bundles: dict[tuple[Any, ...], list[Delivery]] = {}
    for row in rows:
        if row.payload.get("kind") == "notify":
            key = (row.platform, row.workspace, row.target, row.payload.get("mode"))
            if key in bundles:
                bundles[key].append(row)
                continue
            bundles[key] = [row]
            groups.append(bundles[key])
        else:
            groups.append([row])
    return groups
