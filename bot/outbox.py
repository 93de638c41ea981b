"""The outbox drain: claim due deliveries, publish them through their adapter, record how.

Every message the bot sends is an outbox row first (see :mod:`briefings.store.outbox`).
The drain claims due rows (a lease, so a second process or a restart never takes the same
row while it is in flight), publishes each through the adapter of its platform, and marks
it ``sent``; a transient failure is retried after ``backoff × 2^(attempts-1)`` (at most
``max_backoff``, at least the platform's Retry-After) until ``max_attempts``; a permanent
one (channel gone, bot removed, no permission) marks it ``dead``, disables the target and
tells the caller's ``on_disabled`` hook (which tells the admins).

Subscription rows (payload kind ``notify``) claimed together for one target are sent as
one message: that is how a burst of instant notifications, or a day's bundle, becomes a
single post.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.base import Adapter, DeliveryError, Target
from bot.config import DeliverySettings
from bot.metrics import Metrics
from bot.payloads import PayloadError, decode_as, decode_reply
from bot.periods import Clock
from briefings.replies import Digest, DigestItem, Reply
from briefings.store.outbox import Outbox
from briefings.store.records import Delivery

log = logging.getLogger(__name__)

DisabledHook = Callable[[Target, str, Delivery], Awaitable[None]]
"""Told that a target failed permanently and was disabled: target, reason, the row."""


@dataclass(frozen=True, slots=True)
class DrainResult:
    """What one pass of the drain did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    released: int = 0


def target_of(row: Delivery) -> Target:
    """The adapter target of an outbox row."""
    return Target(row.platform, row.workspace, row.target, row.target_kind)


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


class Drain:
    """Sends what the outbox holds, through the adapters.

    Args:
        outbox: the store's outbox.
        adapters: the running adapters by platform name.
        clock: the current time.
        settings: batch size, attempts, backoff and lease.
        metrics: where to count deliveries and post latency.
        on_disabled: told when a target fails permanently.
    """

    def __init__(
        self,
        outbox: Outbox,
        adapters: Mapping[str, Adapter],
        *,
        clock: Clock,
        settings: DeliverySettings | None = None,
        metrics: Metrics | None = None,
        on_disabled: DisabledHook | None = None,
    ) -> None:
        self._outbox = outbox
        self._adapters = adapters
        self._clock = clock
        self._settings = settings or DeliverySettings()
        self._metrics = metrics
        self._on_disabled = on_disabled
        self._wake = asyncio.Event()
        self._stopping = False
        self._busy = asyncio.Lock()

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Drain until :meth:`stop`: a pass, then wait for a wake-up or the poll interval."""
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox pass failed; trying again at the next poll")
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._settings.poll)
            self._wake.clear()

    async def stop(self) -> None:
        """Finish the publish in flight; claimed rows not yet attempted go back to the queue."""
        self._stopping = True
        self._wake.set()
        async with self._busy:
            pass

    async def run_once(self) -> DrainResult:
        """One pass: claim due rows, publish them, record the outcomes."""
        async with self._busy:
            if self._stopping:
                return DrainResult()
            now = self._clock()
            rows = await self._outbox.claim_due(
                now=now,
                limit=self._settings.batch,
                lease=timedelta(seconds=self._settings.lease),
            )
            counts = {"sent": 0, "failed": 0, "dead": 0, "released": 0}
            disabled: set[Target] = set()
            for group in _groups(rows):
                target = target_of(group[0])
                if target in disabled:  # claimed before its target was disabled
                    counts[await self._dead(group, "target disabled")] += len(group)
                    continue
                if self._stopping:
                    for row in group:
                        await self._outbox.mark_failed(
                            row.id, "not attempted: the bot was stopping", retry_at=self._clock()
                        )
                    counts["released"] += len(group)
                    continue
                outcome = await self._send(group)
                counts["dead" if outcome == "disabled" else outcome] += len(group)
                if outcome == "disabled":
                    disabled.add(target)
            return DrainResult(claimed=len(rows), **counts)

    async def _send(self, group: list[Delivery]) -> str:
        first = group[0]
        target = target_of(first)
        adapter = self._adapters.get(first.platform)
        try:
            reply = self._reply(group)
        except (PayloadError, KeyError, TypeError, ValueError) as exc:
            return await self._dead(group, f"unreadable payload: {exc}")
        if adapter is None:
            error = DeliveryError(f"no {first.platform} adapter is running", permanent=False)
            return await self._failed(group, error)
        started = time.perf_counter()
        try:
            await adapter.publish(target, reply, key=first.key)
        except DeliveryError as exc:
            if exc.permanent:
                return await self._disable(group, target, str(exc))
            return await self._failed(group, exc)
        except Exception as exc:  # an adapter bug must not stop the queue
            log.exception("publishing %s to %s failed unexpectedly", first.key, target)
            return await self._failed(group, DeliveryError(repr(exc), permanent=False))
        finally:
            if self._metrics is not None:
                self._metrics.post_latency.labels(first.platform).observe(
                    time.perf_counter() - started
                )
        now = self._clock()
        for row in group:
            await self._outbox.mark_sent(row.id, now=now)
        self._count("sent", len(group))
        log.info("sent %s to %s:%s (%d rows)", first.key, target.platform, target.id, len(group))
        return "sent"

    def _reply(self, group: list[Delivery]) -> Reply:
        if group[0].payload.get("kind") == "notify":
            return bundle_reply(group, self._clock())
        return decode_reply(group[0].payload["reply"])

    async def _failed(self, group: list[Delivery], exc: DeliveryError) -> str:
        attempts = max(r.attempts for r in group)
        if attempts >= self._settings.max_attempts:
            return await self._dead(group, f"gave up after {attempts} attempts: {exc}")
        delay = min(self._settings.backoff * 2 ** (attempts - 1), self._settings.max_backoff)
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        retry_at = self._clock() + timedelta(seconds=delay)
        for row in group:
            await self._outbox.mark_failed(row.id, str(exc), retry_at=retry_at)
        self._count("failed", len(group))
        log.warning(
            "delivery %s failed (attempt %d): %s; retry in %.0f s",
            group[0].key,
            attempts,
            exc,
            delay,
        )
        return "failed"

    async def _dead(self, group: list[Delivery], reason: str) -> str:
        for row in group:
            await self._outbox.mark_dead(row.id, reason)
        self._count("dead", len(group))
        log.error("delivery %s given up: %s", group[0].key, reason)
        return "dead"

    async def _disable(self, group: list[Delivery], target: Target, reason: str) -> str:
        await self._dead(group, f"permanent failure: {reason}")
        await self._outbox.disable_target(
            target.platform, target.workspace, target.id, reason, now=self._clock()
        )
        log.error(
            "target %s:%s:%s disabled: %s", target.platform, target.workspace, target.id, reason
        )
        if self._on_disabled is not None:
            await self._on_disabled(target, reason, group[0])
        return "disabled"

    def _count(self, state: str, n: int) -> None:
        if self._metrics is not None:
            self._metrics.deliveries.labels(state).inc(n)


def _groups(rows: Sequence[Delivery]) -> list[list[Delivery]]:
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
