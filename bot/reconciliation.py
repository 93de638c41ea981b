"""Rows in doubt settled with the platform before anything is sent again: exactly once.

A row claimed with a send key is *in doubt* — its post began and its outcome was never
recorded (the process was killed between the two, or the platform's answer was lost).
Before anything is sent again the drain asks the adapter
(:class:`~adapters.base.Reconciling`) what the platform holds under that key: everything
→ the row is recorded sent; nothing → it is posted afresh under a new key; part of a
multi-message delivery → only the missing parts are posted, under the same key. Only what
the platform provably lacks is sent again. An adapter that cannot look (the console)
sends again: at least once.

A message of several subscription rows is rebuilt from every row recorded under its send
key, and its first row (the *carrier*, whose key the send key carries) decides for all of
them: a process holding only other rows of it waits until the carrier's holder has settled
it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from adapters.base import Adapter, DeliveryError, Found, Reconciling, Sent
from bot.bundles import carrier_keys, group_of, target_of
from bot.outcomes import Outcomes
from bot.payloads import PayloadError
from briefings.service.schedules import Clock
from briefings.store.outbox import Outbox
from briefings.store.records import Delivery

log = logging.getLogger(__name__)

SETTLE_WAIT = timedelta(seconds=2)
"""How long a row whose message another process is settling waits before it looks again."""


class Reconciler:
    """Settles rows in doubt with the platform that may hold their message.

    Args:
        outbox: the store's outbox.
        adapters: the running adapters by platform name.
        clock: the current time.
        outcomes: where settled rows' outcomes are recorded.
    """

    def __init__(
        self,
        outbox: Outbox,
        adapters: Mapping[str, Adapter],
        *,
        clock: Clock,
        outcomes: Outcomes,
    ) -> None:
        self._outbox = outbox
        self._adapters = adapters
        self._clock = clock
        self._outcomes = outcomes

    async def settle(self, key: str, own: list[Delivery]) -> tuple[str, list[Delivery]]:
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
            return await self._outcomes.failed(own, error), []
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
            reply = group_of(rows).reply(since)
        except PayloadError as exc:
            return await self._outcomes.dead(own, f"unreadable payload: {exc}"), []
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
                return await self._outcomes.disable(own, target, str(exc)), []
            return await self._outcomes.failed(own, exc), []
        await self._outcomes.sent(own, sent)
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
            await self._outcomes.sent(own, Sent(carrier.message_ids))
            return "found", []
        if carrier.state == "dead":
            return await self._outcomes.dead(own, "its message was given up"), []
        retry_at = self._clock() + SETTLE_WAIT
        for row in own:
            await self._outbox.mark_failed(
                row.id, f"waiting for message {key} to be settled", retry_at=retry_at
            )
        return "released", []


def _found_text(found: Found) -> str:
    if found.complete:
        return "already delivered"
    if found.idempotent:
        return "sent again under the same key"
    present = sum(p is not None for p in found.parts)
    return f"{present} of {len(found.parts)} parts were there; posted the rest"
