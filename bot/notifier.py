"""Subscription delivery: a new article → matching subscriptions → outbox rows.

For each new article the subscriptions it triggers are looked up in the store's in-memory
subscription index by the article's actor ids (no database round trip; the cost does not
grow with the number of subscriptions). A
subscription notifies only when its actor is salient enough in the article: the
subscription's own threshold when it set one (above 0), else ``notifications.salience``
(default 0.2; salience is 0-1, how central the actor is to the article, so 0.2 skips
passing mentions). Each (subscriber, article) gets one outbox row, whichever of the
subscriber's actors matched, keyed ``notify:<platform>:<workspace>:<subscriber>:<article>``
so it is recorded once and sent once.

Rows are due at a *slot* so that the drain sends them together:

- ``instant``: the first article of a burst is due ``burst`` seconds later (60 s by
  default) and later articles join that slot; the next slot is at least ``min_interval``
  after the previous one, so a subscriber gets at most one message per interval.
- ``daily``: due at the subscriber's chosen time of day in its chosen zone
  (``subscribe NAME daily 07:30 Europe/Berlin``; either left out falls back to
  ``notifications.daily_time`` / ``notifications.timezone``); the day's articles share that
  slot and arrive as one message. A subscriber following several actors daily at
  different times gets each article at the earliest of them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, time, timedelta

from adapters.base import Target
from bot.payloads import NotifyMode, NotifyPayload, ReplyPayload
from bot.periods import DigestTrigger, Schedule
from bot.sections import AdminTarget, NotificationSettings
from briefings.model import Analysis
from briefings.service.composition import Story, story_item
from briefings.service.replies import DigestItem, Notice
from briefings.service.schedules import Clock, stored_time
from briefings.store import NewDelivery, Store, Subscription

log = logging.getLogger(__name__)

Matcher = Callable[[Analysis], Awaitable[Sequence[Subscription]]]
"""The subscriptions an analysed article triggers (before the salience threshold)."""

Recipient = tuple[str, str, str]
"""Who a subscription message goes to: (platform, workspace, subscriber id)."""


def article_item(analysis: Analysis, received: datetime) -> DigestItem:
    """The digest item of one article, as a notification shows it.

    Args:
        analysis: the analysed article.
        received: when briefbot received it.
    """
    return story_item(Story.from_analysis(analysis, received))


class Notifier:
    """Turns new articles into subscription deliveries, and tells the admins things.

    Args:
        store: the store (its subscriptions and outbox).
        clock: the current time.
        settings: the threshold, burst, interval and daily time.
        admins: who hears about failing feeds and disabled targets.
        match: finds the subscriptions of an article; by default the store's index.
        on_enqueued: called after rows were queued (wakes the outbox drain).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        settings: NotificationSettings | None = None,
        admins: Sequence[AdminTarget] = (),
        match: Matcher | None = None,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings or NotificationSettings()
        self._admins = tuple(admins)
        self._match = match or self._by_actor_ids
        self._on_enqueued = on_enqueued
        self._slots: dict[Recipient, datetime] = {}
        self._daily: dict[tuple[time, str], DigestTrigger] = {}

    async def _by_actor_ids(self, analysis: Analysis) -> Sequence[Subscription]:
        return await self._store.subscriptions.for_actors([a.id for a in analysis.actors])

    def threshold(self, subscription: Subscription) -> float:
        """The least salience that notifies this subscription."""
        if subscription.threshold > 0:
            return subscription.threshold
        return self._settings.salience

    async def on_new(self, analyses: Sequence[Analysis], *, received: datetime) -> list[str]:
        """Queue the deliveries that new articles trigger; returns the queued keys.

        Args:
            analyses: newly stored articles (not updates or duplicates: those were
                notified when they first arrived).
            received: when briefbot received them.
        """
        now = self._clock()
        rows: list[NewDelivery] = []
        for analysis in analyses:
            salience = {a.id: a.salience for a in analysis.actors}
            names = {a.id: a.name for a in analysis.actors}
            wanted: dict[Recipient, list[Subscription]] = {}
            for sub in await self._match(analysis):
                if salience.get(sub.actor_id, 0.0) >= self.threshold(sub):
                    wanted.setdefault((sub.platform, sub.workspace, sub.subscriber), []).append(sub)
            if not wanted:
                continue
            item = article_item(analysis, received)
            for who, subs in wanted.items():
                mode: NotifyMode = "instant" if any(s.mode == "instant" for s in subs) else "daily"
                due = (
                    self._instant_slot(who, now)
                    if mode == "instant"
                    else self._daily_slot(subs, now)
                )
                platform, workspace, subscriber = who
                matched = {s.actor_id: names.get(s.actor_id, s.actor_id) for s in subs}
                rows.append(
                    NewDelivery(
                        key=f"notify:{platform}:{workspace}:{subscriber}:{analysis.article.id}",
                        platform=platform,
                        workspace=workspace,
                        target=subscriber,
                        target_kind=subs[0].subscriber_kind,
                        payload=NotifyPayload(mode, item, tuple(matched.items())).to_json(),
                        not_before=due,
                    )
                )
        if not rows:
            return []
        keys = await self._store.outbox.enqueue(rows, now=now)
        if keys and self._on_enqueued is not None:
            self._on_enqueued()
        log.info("queued %d subscription deliveries", len(keys))
        return keys

    def _instant_slot(self, who: Recipient, now: datetime) -> datetime:
        slot = self._slots.get(who)
        if slot is not None and slot > now:
            return slot  # join the burst already waiting
        due = now + timedelta(seconds=self._settings.burst)
        if slot is not None:
            due = max(due, slot + timedelta(seconds=self._settings.min_interval))
        self._slots[who] = due
        return due

    def _daily_slot(self, subs: Sequence[Subscription], now: datetime) -> datetime:
        fires = [self._daily_trigger(s).get_next_fire_time(None, now) for s in subs]
        return min((f for f in fires if f is not None), default=now + timedelta(days=1))

    def _daily_trigger(self, sub: Subscription) -> DigestTrigger:
        """The trigger of a daily subscription's time and zone (the defaults where unset)."""
        at, zone = self._settings.daily_time, self._settings.timezone
        try:
            if sub.daily_time is not None:
                at = stored_time(sub.daily_time)
            if sub.timezone is not None:
                zone = sub.timezone
            key = (at, zone)
            if key not in self._daily:
                self._daily[key] = Schedule("daily", at, zone).trigger()
        except (ValueError, KeyError) as exc:  # a zone or time no longer valid: the default
            log.warning("subscription %d has an unusable daily time: %s", sub.id, exc)
            key = (self._settings.daily_time, self._settings.timezone)
            if key not in self._daily:
                self._daily[key] = Schedule("daily", *key).trigger()
        return self._daily[key]

    async def tell_admins(self, text: str, *, key: str) -> list[str]:
        """Send every admin a notice, once per ``key`` (e.g. ``feed-failing:<url>:<day>``).

        Args:
            text: what to tell them.
            key: what makes this notice unique.
        """
        if not self._admins:
            log.warning("no admins configured to tell: %s", text)
            return []
        payload = ReplyPayload(Notice("error", text)).to_json()
        rows = [
            NewDelivery(
                key=f"admin:{key}:{a.platform}:{a.workspace}:{a.id}",
                platform=a.platform,
                workspace=a.workspace,
                target=a.id,
                target_kind=a.kind,
                payload=payload,
            )
            for a in self._admins
        ]
        keys = await self._store.outbox.enqueue(rows, now=self._clock())
        if keys and self._on_enqueued is not None:
            self._on_enqueued()
        return keys

    def is_admin(self, target: Target) -> bool:
        """Whether a target is one of the admins (their own failures are only logged)."""
        return any(
            (a.platform, a.workspace, a.id) == (target.platform, target.workspace, target.id)
            for a in self._admins
        )

    async def target_disabled(self, target: Target, reason: str) -> list[str]:
        """Tell the admins that a target failed permanently and was disabled.

        Args:
            target: the channel or user the bot can no longer post to.
            reason: the platform's reason.
        """
        where = f"{target.platform} {target.kind} {target.id} (workspace {target.workspace})"
        if self.is_admin(target):
            log.error("cannot reach admin %s: %s", where, reason)
            return []
        return await self.tell_admins(
            f"briefbot stopped posting to {where}: {reason}. Its digest and subscription "
            "messages are disabled until the bot can post there again.",
            key=f"disabled:{target.platform}:{target.workspace}:{target.id}",
        )
