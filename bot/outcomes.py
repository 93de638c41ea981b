"""How deliveries ended, recorded: sent, failed (to be retried), dead, target disabled.

A transient failure is retried after ``backoff × 2^(attempts-1)`` (at most ``max_backoff``,
at least the platform's Retry-After) until ``max_attempts``; a permanent one (channel gone,
bot removed, no permission) marks the rows ``dead``, disables the target and tells the
``on_disabled`` hook.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from adapters.base import DeliveryError, Sent, Target
from bot.journal import Journal
from bot.metrics import Metrics
from bot.sections import DeliverySettings
from briefings.service.schedules import Clock
from briefings.store.outbox import Outbox
from briefings.store.records import Delivery

log = logging.getLogger(__name__)

DisabledHook = Callable[[Target, str, Delivery], Awaitable[None]]
"""Told that a target failed permanently and was disabled: target, reason, the row."""


class Outcomes:
    """Records the outcome of a message's rows in the outbox, and counts it.

    Args:
        outbox: the store's outbox.
        journal: where ``sent`` records are written (in group commits).
        clock: the current time.
        settings: attempts and backoff.
        metrics: where to count deliveries.
        on_disabled: told when a target fails permanently.
    """

    def __init__(
        self,
        outbox: Outbox,
        journal: Journal,
        *,
        clock: Clock,
        settings: DeliverySettings,
        metrics: Metrics | None = None,
        on_disabled: DisabledHook | None = None,
    ) -> None:
        self._outbox = outbox
        self._journal = journal
        self._clock = clock
        self._settings = settings
        self._metrics = metrics
        self._on_disabled = on_disabled

    async def sent(self, rows: list[Delivery], sent: Sent) -> None:
        """Record ``rows`` sent as the platform's messages ``sent``."""
        await self._journal.sent(rows, self._clock(), sent)
        self._count("sent", len(rows))

    async def released(self, rows: list[Delivery]) -> None:
        """Hand claimed rows back unattempted (the bot is stopping): due again now."""
        for row in rows:
            await self._outbox.mark_failed(
                row.id,
                "not attempted: the bot was stopping",
                retry_at=self._clock(),
                in_doubt=False,
            )

    async def failed(
        self, group: list[Delivery], exc: DeliveryError, *, in_doubt: bool = True
    ) -> str:
        """Retry ``group`` after a backoff, or give it up after ``max_attempts``; the outcome."""
        attempts = max(r.attempts for r in group)
        if attempts >= self._settings.max_attempts:
            return await self.dead(group, f"gave up after {attempts} attempts: {exc}")
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

    async def dead(self, group: list[Delivery], reason: str) -> str:
        """Give ``group`` up for ``reason``; the outcome."""
        for row in group:
            await self._outbox.mark_dead(row.id, reason)
        self._count("dead", len(group))
        log.error("delivery %s given up: %s", group[0].key, reason)
        return "dead"

    async def disable(self, group: list[Delivery], target: Target, reason: str) -> str:
        """Give ``group`` up and disable its ``target``, which failed permanently; the
        outcome."""
        await self.dead(group, f"permanent failure: {reason}")
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
