"""The outbox drain: claim due deliveries, publish them through their adapter, record how.

Every message the bot sends is an outbox row first (see :mod:`briefings.store.outbox`).
The drain claims due rows of the platforms this process serves (a lease, so another
process never takes a row while it is in flight, and takes it over when its holder died),
records them ``sending`` under a *send key* before publishing, and ``sent`` with the
platform's message ids after. A transient failure is retried after
``backoff × 2^(attempts-1)`` (at most ``max_backoff``, at least the platform's Retry-After)
until ``max_attempts``; a permanent one (channel gone, bot removed, no permission) marks it
``dead``, disables the target and tells the caller's ``on_disabled`` hook.

Exactly once, by design: a row claimed with a send key is *in doubt* — its post began
and its outcome was never recorded (the process was killed between the two, or the
platform's answer was lost). Before anything is sent again the drain asks the adapter
(:class:`~adapters.base.Reconciling`) what the platform holds under that key: everything
→ the row is recorded sent; nothing → it is posted afresh under a new key; part of a
multi-message delivery → only the missing parts are posted, under the same key. Only what
the platform provably lacks is sent again. An adapter that cannot look (the console)
sends again: at least once.

Subscription rows (payload kind ``notify``) claimed together for one target are sent as
one message: that is how a burst of instant notifications, or a day's bundle, becomes a
single post. Such a message is rebuilt from every row recorded under its send key, and its
first row (the *carrier*, whose key the send key carries) decides for all of them: a
process holding only other rows of it waits until the carrier's holder has settled it.
Different targets are posted concurrently (``concurrency``); one target's messages go in
order.
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

from adapters.base import Adapter, DeliveryError, Found, Reconciling, Sent, Target
from bot.config import DeliverySettings
from bot.metrics import Metrics
from bot.payloads import PayloadError, decode_as, decode_reply
from bot.periods import Clock
from briefings.service.replies import Digest, DigestItem, Reply
from briefings.store.outbox import BeginSend, Outbox, SentRows
from briefings.store.records import Delivery

log = logging.getLogger(__name__)

DisabledHook = Callable[[Target, str, Delivery], Awaitable[None]]
"""Told that a target failed permanently and was disabled: target, reason, the row."""

FaultHook = Callable[[str], None]
"""Told each point a delivery passes (test-only fault injection, see :mod:`bot.faults`)."""

SETTLE_WAIT = timedelta(seconds=2)
"""How long a row whose message another process is settling waits before it looks again."""


@dataclass(frozen=True, slots=True)
class DrainResult:
    """What one pass of the drain did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    released: int = 0
    found: int = 0
    """Rows in doubt found already delivered (recorded sent without posting again)."""


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


class Journal:
    """The drain's records of sends, written by one task in group commits.

    Posts run side by side; each records ``sending`` before its post and ``sent`` after.
    Rather than a transaction (and a database connection) each, the records waiting at a
    moment are written together in one transaction, and each caller resumes once its
    record is committed — so the order "recorded sending, then posted" still holds.
    """

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._begin: list[tuple[BeginSend, asyncio.Future[bool]]] = []
        self._sent: list[tuple[SentRows, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def begin(self, rows: Sequence[Delivery], key: str, now: datetime) -> bool:
        """Record ``rows`` ``sending`` under ``key``; False when they are no longer held."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._begin.append(((rows, key, now), future))
        self._kick()
        return await future

    async def sent(self, rows: Sequence[Delivery], now: datetime, sent: Sent) -> None:
        """Record ``rows`` sent with the platform's message ids."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._sent.append((([r.id for r in rows], now, sent.message_ids), future))
        self._kick()
        await future

    def _kick(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="outbox journal")

    async def _write(self) -> None:
        while self._begin or self._sent:
            begin, self._begin = self._begin, []
            sent, self._sent = self._sent, []
            try:
                held = await self._outbox.record(
                    begin=[op for op, _ in begin], sent=[op for op, _ in sent]
                )
            except BaseException as exc:
                for _, future in (*begin, *sent):
                    if not future.done():
                        future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), ok in zip(begin, held, strict=True):
                if not future.done():
                    future.set_result(ok)
            for _, future in sent:
                if not future.done():
                    future.set_result(True)


class Drain:
    """Sends what the outbox holds, through the adapters.

    Args:
        outbox: the store's outbox.
        adapters: the running adapters by platform name; only their platforms' rows are
            claimed.
        clock: the current time.
        settings: batch size, concurrency, attempts, backoff and lease.
        metrics: where to count deliveries and post latency.
        on_disabled: told when a target fails permanently.
        owner: this process's name, recorded with its claims.
        faults: told each point a delivery passes (tests only).
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
        owner: str = "briefbot",
        faults: FaultHook | None = None,
    ) -> None:
        self._outbox = outbox
        self._adapters = adapters
        self._clock = clock
        self._settings = settings or DeliverySettings()
        self._metrics = metrics
        self._on_disabled = on_disabled
        self._owner = owner
        self._fault = faults or (lambda point: None)
        self._journal = Journal(outbox)
        self._wake = asyncio.Event()
        self._stopping = False
        self._busy = asyncio.Lock()

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Drain until :meth:`stop`: passes back to back while they find full batches,
        else wait for a wake-up or the poll interval."""
        while not self._stopping:
            full = False
            try:
                result = await self.run_once()
                full = result.claimed >= self._settings.batch
            except Exception:
                log.exception("outbox pass failed; trying again at the next poll")
            if self._stopping:
                return
            if full:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._settings.poll)
            self._wake.clear()

    async def stop(self) -> None:
        """Finish the posts in flight; claimed rows not yet attempted go back to the queue."""
        self._stopping = True
        self._wake.set()
        async with self._busy:
            pass

    async def run_once(self) -> DrainResult:
        """One pass: claim due rows, settle those in doubt, publish the rest, record it all."""
        async with self._busy:
            if self._stopping:
                return DrainResult()
            rows = await self._outbox.claim_due(
                now=self._clock(),
                limit=self._settings.batch,
                lease=timedelta(seconds=self._settings.lease),
                platforms=set(self._adapters),
                owner=self._owner,
            )
            self._fault("after_claim")
            counts = {"sent": 0, "failed": 0, "dead": 0, "released": 0, "found": 0}
            fresh = [r for r in rows if not r.in_doubt]
            doubtful: dict[str, list[Delivery]] = {}
            for row in rows:
                if row.in_doubt:
                    assert row.send_key is not None
                    doubtful.setdefault(row.send_key, []).append(row)
            for key, own in doubtful.items():
                outcome, again = await self._settle(key, own)
                counts["dead" if outcome == "disabled" else outcome] += len(own) - len(again)
                fresh += again
            await self._send_all(sorted(fresh, key=lambda d: d.id), counts)
            return DrainResult(claimed=len(rows), **counts)

    async def _send_all(self, rows: list[Delivery], counts: dict[str, int]) -> None:
        """Post the groups of ``rows``: targets side by side, each target's in order."""
        chains: dict[Target, list[list[Delivery]]] = {}
        for group in _groups(rows):
            chains.setdefault(target_of(group[0]), []).append(group)
        slots = asyncio.Semaphore(self._settings.concurrency)

        async def chain(target: Target, groups: list[list[Delivery]]) -> None:
            disabled = False
            for group in groups:
                if disabled:  # claimed before its target was disabled
                    counts[await self._dead(group, "target disabled")] += len(group)
                elif self._stopping:
                    await self._release(group)
                    counts["released"] += len(group)
                else:
                    async with slots:
                        outcome = await self._send(group)
                    disabled = outcome == "disabled"
                    counts["dead" if disabled else outcome] += len(group)

        outcomes = await asyncio.gather(
            *(chain(t, g) for t, g in chains.items()), return_exceptions=True
        )
        for outcome in outcomes:  # every chain has finished; now report the first failure
            if isinstance(outcome, BaseException):
                raise outcome

    async def _release(self, group: list[Delivery]) -> None:
        for row in group:
            await self._outbox.mark_failed(
                row.id,
                "not attempted: the bot was stopping",
                retry_at=self._clock(),
                in_doubt=False,
            )

    async def _send(self, group: list[Delivery]) -> str:
        first = group[0]
        target = target_of(first)
        adapter = self._adapters.get(first.platform)
        if adapter is None:
            error = DeliveryError(f"no {first.platform} adapter is running", permanent=False)
            return await self._failed(group, error, in_doubt=False)
        now = self._clock()
        try:
            reply = self._reply(group, now)
        except (PayloadError, KeyError, TypeError, ValueError) as exc:
            return await self._dead(group, f"unreadable payload: {exc}")
        key = send_key(first)
        if not await self._journal.begin(group, key, now):
            log.warning("delivery %s was taken over by another sender; leaving it", first.key)
            return "released"
        self._fault("before_send")
        started = time.perf_counter()
        try:
            sent = await adapter.publish(target, reply, key=key)
        except DeliveryError as exc:
            if exc.permanent:
                return await self._disable(group, target, str(exc))
            return await self._failed(group, exc, in_doubt=not exc.unsent)
        except Exception as exc:  # an adapter bug must not stop the queue
            log.exception("publishing %s to %s failed unexpectedly", key, target)
            return await self._failed(group, DeliveryError(repr(exc), permanent=False))
        finally:
            if self._metrics is not None:
                self._metrics.post_latency.labels(first.platform).observe(
                    time.perf_counter() - started
                )
        self._fault("after_send")
        await self._sent(group, sent)
        self._fault("after_record")
        log.info("sent %s to %s:%s (%d rows)", key, target.platform, target.id, len(group))
        return "sent"

    async def _sent(self, rows: list[Delivery], sent: Sent) -> None:
        await self._journal.sent(rows, self._clock(), sent)
        self._count("sent", len(rows))

    # Rows in doubt -------------------------------------------------------------------------

    async def _settle(self, key: str, own: list[Delivery]) -> tuple[str, list[Delivery]]:
        """Settle rows whose message ``key`` may be on the platform.

        Returns:
            The outcome for the rows settled here, and the rows to post afresh (the
            platform provably lacks their message).
        """
        first = own[0]
        carrier = await self._carrier(key)
        if carrier is None or carrier.id not in {r.id for r in own}:
            return await self._follow(key, own, carrier)
        adapter = self._adapters.get(first.platform)
        if adapter is None:
            error = DeliveryError(f"no {first.platform} adapter is running", permanent=False)
            return await self._failed(own, error), []
        if not isinstance(adapter, Reconciling):
            log.warning(
                "%s cannot look deliveries up; sending %s again (at least once)",
                first.platform,
                key,
            )
            return "sent", own
        target = target_of(first)
        rows = await self._outbox.batch(key)
        since = carrier.sending_at or first.created_at
        try:
            reply = self._reply(rows, since)
        except (PayloadError, KeyError, TypeError, ValueError) as exc:
            return await self._dead(own, f"unreadable payload: {exc}"), []
        try:
            found = await adapter.find(target, reply, key=key, since=since)
            if found.empty:
                log.info("delivery %s is not on %s: sending it again", key, first.platform)
                return "sent", own
            sent = Sent(tuple(p for p in found.parts if p is not None))
            if not found.complete:
                sent = await adapter.complete(target, reply, key=key, found=found)
        except DeliveryError as exc:
            if exc.permanent:
                return await self._disable(own, target, str(exc)), []
            return await self._failed(own, exc), []
        await self._sent(own, sent)
        outcome = "found" if found.complete else "sent"
        log.info("delivery %s settled with %s: %s", key, first.platform, _found_text(found))
        return outcome, []

    async def _carrier(self, key: str) -> Delivery | None:
        """The row whose key the send key carries (the first row of its message)."""
        for candidate in carrier_keys(key):
            row = await self._outbox.get(candidate)
            if row is not None:
                return row
        return None

    async def _follow(
        self, key: str, own: list[Delivery], carrier: Delivery | None
    ) -> tuple[str, list[Delivery]]:
        """Rows of a message whose carrier another sender holds: follow its outcome."""
        if carrier is None or carrier.send_key != key:
            return "sent", own  # the carrier moved on: this message never went out
        if carrier.state == "sent":
            await self._sent(own, Sent(carrier.message_ids))
            return "found", []
        if carrier.state == "dead":
            return await self._dead(own, "its message was given up"), []
        retry_at = self._clock() + SETTLE_WAIT
        for row in own:
            await self._outbox.mark_failed(
                row.id, f"waiting for message {key} to be settled", retry_at=retry_at
            )
        return "released", []

    # Outcomes ----------------------------------------------------------------------------

    def _reply(self, group: Sequence[Delivery], now: datetime) -> Reply:
        if group[0].payload.get("kind") == "notify":
            return bundle_reply(group, now)
        return decode_reply(group[0].payload["reply"])

    async def _failed(
        self, group: list[Delivery], exc: DeliveryError, *, in_doubt: bool = True
    ) -> str:
        attempts = max(r.attempts for r in group)
        if attempts >= self._settings.max_attempts:
            return await self._dead(group, f"gave up after {attempts} attempts: {exc}")
        delay = min(self._settings.backoff * 2 ** (attempts - 1), self._settings.max_backoff)
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        retry_at = self._clock() + timedelta(seconds=delay)
        for row in group:
            await self._outbox.mark_failed(row.id, str(exc), retry_at=retry_at, in_doubt=in_doubt)
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


def _found_text(found: Found) -> str:
    if found.complete:
        return "already delivered"
    if found.idempotent:
        return "sent again under the same key"
    present = sum(p is not None for p in found.parts)
    return f"{present} of {len(found.parts)} parts were there; posted the rest"


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
