"""The outbox drain: claim due deliveries, publish them through their adapter, record how.

Every message the bot sends is an outbox row first (see :mod:`briefings.store.outbox`).
The drain claims due rows of the platforms this process serves (a lease, so another
process never takes a row while it is in flight, and takes it over when its holder died),
records them ``sending`` under a *send key* before publishing, and ``sent`` with the
platform's message ids after; a failure is retried later or given up, and a permanent
one disables the target (see :mod:`bot.outcomes`). A row claimed with a send key is *in
doubt* (its post began and its outcome was never recorded): it is settled with the
platform before anything is sent again (see :mod:`bot.reconciliation`), so each message
goes out exactly once.

Subscription rows (payload kind ``notify``) claimed together for one target are sent as
one message: that is how a burst of instant notifications, or a day's bundle, becomes a
single post. Different targets are posted concurrently (``concurrency``); one target's
messages go in order.

While it runs, the drain claims its next batch as soon as half a batch is left in flight,
rather than waiting until the last post of a batch has answered, so the platform's budget
is not left idle at the end of every batch. It claims whole batches: claims of odd sizes
would split the rows one target has due at once between processes, whose posts to that
channel then meet (Slack's per-channel pace is kept by each process). A target's messages
still go in order across batches (a chain waits for the one its target had in flight), and
at most ``concurrency`` posts are in flight in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from adapters.base import Adapter, DeliveryError, Target
from bot.bundles import Group, send_groups, send_key, target_of
from bot.journal import Journal
from bot.metrics import Metrics
from bot.outcomes import DisabledHook, Outcomes
from bot.payloads import PayloadError
from bot.reconciliation import Reconciler
from bot.sections import DeliverySettings
from briefings.service.schedules import Clock
from briefings.store.outbox import Outbox
from briefings.store.records import Delivery

log = logging.getLogger(__name__)

FaultHook = Callable[[str], None]
"""Told each point a delivery passes (test-only fault injection, see :mod:`bot.faults`)."""


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
        self._owner = owner
        self._fault = faults or (lambda point: None)
        self._journal = Journal(outbox)
        self._outcomes = Outcomes(
            outbox,
            self._journal,
            clock=clock,
            settings=self._settings,
            metrics=metrics,
            on_disabled=on_disabled,
        )
        self._reconciler = Reconciler(outbox, adapters, clock=clock, outcomes=self._outcomes)
        self._wake = asyncio.Event()
        self._stopping = False
        self._busy = asyncio.Lock()
        self._slots = asyncio.Semaphore(self._settings.concurrency)
        self._tails: dict[Target, asyncio.Task[bool]] = {}
        """Each target's last chain of posts, which its next chain waits for."""
        self._flights: set[asyncio.Task[DrainResult]] = set()
        self._unfinished = 0
        """Rows claimed and not yet settled, over every pass in flight."""
        self._room = asyncio.Event()

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Drain until :meth:`stop`: a pass whenever half a batch or less is in flight, back
        to back while passes find full batches, else at a wake-up or the poll interval.
        Meanwhile the journal keeps one database connection (see
        :class:`~bot.journal.Journal`)."""
        self._journal.hold()
        try:
            await self._drain()
        finally:
            await self._journal.release()

    async def _drain(self) -> None:
        while not self._stopping:
            full = False
            await self._has_room()
            if self._stopping:
                return
            try:
                claimed, flight = await self._launch()
                full = claimed >= self._settings.batch
                if flight is not None:
                    self._flights.add(flight)
                    flight.add_done_callback(self._landed)
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
        self._room.set()
        async with self._busy:
            pass
        if self._flights:
            await asyncio.wait(list(self._flights))
        await self._journal.release()

    async def run_once(self) -> DrainResult:
        """One pass: claim due rows, settle those in doubt, publish the rest, record it all."""
        _, flight = await self._launch()
        return DrainResult() if flight is None else await flight

    async def _has_room(self) -> None:
        """Wait until half a batch or less is claimed and not yet settled."""
        while self._unfinished > self._settings.batch // 2 and not self._stopping:
            self._room.clear()
            await self._room.wait()

    def _landed(self, flight: asyncio.Task[DrainResult]) -> None:
        self._flights.discard(flight)
        if not flight.cancelled() and flight.exception() is not None:
            log.error("outbox pass failed", exc_info=flight.exception())

    def _settled(self, n: int) -> None:
        self._unfinished -= n
        if self._unfinished <= self._settings.batch // 2:
            self._room.set()

    async def _launch(self) -> tuple[int, asyncio.Task[DrainResult] | None]:
        """Claim due rows, settle those in doubt, and start publishing the rest: how many
        rows were claimed, and the task that finishes the pass (``None`` when none was)."""
        async with self._busy:
            if self._stopping:
                return 0, None
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
            self._unfinished += len(rows)
            pending = len(rows)
            try:
                for key, own in doubtful.items():
                    outcome, again = await self._reconciler.settle(key, own)
                    settled = len(own) - len(again)
                    counts["dead" if outcome == "disabled" else outcome] += settled
                    self._settled(settled)
                    pending -= settled
                    fresh += again
                chains = self._chains(sorted(fresh, key=lambda d: d.id), counts)
            except BaseException:
                self._settled(pending)  # not started: the lease hands these rows back
                raise
            if not rows:
                return 0, None
            return len(rows), asyncio.create_task(self._finish(chains, len(rows), counts))

    async def _finish(
        self, chains: list[asyncio.Task[bool]], claimed: int, counts: dict[str, int]
    ) -> DrainResult:
        """Wait for a pass's chains; its result, or the first failure once all have ended."""
        outcomes = await asyncio.gather(*chains, return_exceptions=True)
        for outcome in outcomes:  # every chain has finished; now report the first failure
            if isinstance(outcome, BaseException):
                raise outcome
        return DrainResult(claimed=claimed, **counts)

    def _chains(self, rows: list[Delivery], counts: dict[str, int]) -> list[asyncio.Task[bool]]:
        """Start posting the groups of ``rows``: targets side by side, each target's in
        order, after whatever that target still has in flight from an earlier pass."""
        by_target: dict[Target, list[Group]] = {}
        for group in send_groups(rows):
            by_target.setdefault(target_of(group.rows[0]), []).append(group)
        tasks = []
        for target, groups in by_target.items():
            task = asyncio.create_task(self._chain(self._tails.get(target), groups, counts))
            self._tails[target] = task
            task.add_done_callback(partial(self._untail, target))
            tasks.append(task)
        return tasks

    def _untail(self, target: Target, task: asyncio.Task[bool]) -> None:
        if self._tails.get(target) is task:
            del self._tails[target]

    async def _chain(
        self, after: asyncio.Task[bool] | None, groups: list[Group], counts: dict[str, int]
    ) -> bool:
        """Post one target's groups in order, once its earlier chain (``after``) has ended;
        whether the target was disabled."""
        disabled = False
        if after is not None:
            await asyncio.wait([after])
            disabled = not after.cancelled() and after.exception() is None and after.result()
        left = sum(len(group.rows) for group in groups)
        try:
            for group in groups:
                n = len(group.rows)
                if disabled:  # claimed before its target was disabled
                    counts[await self._outcomes.dead(group.rows, "target disabled")] += n
                elif self._stopping:
                    await self._outcomes.released(group.rows)
                    counts["released"] += n
                else:
                    async with self._slots:
                        outcome = await self._send(group)
                    disabled = outcome == "disabled"
                    counts["dead" if disabled else outcome] += n
                left -= n
                self._settled(n)
        finally:
            self._settled(left)  # a failure ends the chain: its lease hands the rest back
        return disabled

    async def _send(self, message: Group) -> str:
        group = message.rows
        first = group[0]
        target = target_of(first)
        adapter = self._adapters.get(first.platform)
        if adapter is None:
            error = DeliveryError(f"no {first.platform} adapter is running", permanent=False)
            return await self._outcomes.failed(group, error, in_doubt=False)
        now = self._clock()
        try:
            reply = message.reply(now)
        except PayloadError as exc:
            return await self._outcomes.dead(group, f"unreadable payload: {exc}")
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
                return await self._outcomes.disable(group, target, str(exc))
            return await self._outcomes.failed(group, exc, in_doubt=not exc.unsent)
        except Exception as exc:  # an adapter bug must not stop the queue
            log.exception("publishing %s to %s failed unexpectedly", key, target)
            return await self._outcomes.failed(group, DeliveryError(repr(exc), permanent=False))
        finally:
            if self._metrics is not None:
                self._metrics.post_latency.labels(first.platform).observe(
                    time.perf_counter() - started
                )
        self._fault("after_send")
        await self._outcomes.sent(group, sent)
        self._fault("after_record")
        log.info("sent %s to %s:%s (%d rows)", key, target.platform, target.id, len(group))
        return "sent"
