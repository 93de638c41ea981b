"""Channel digests on APScheduler: one job per channel, changed live, claimed once per period.

:class:`DigestScheduler` implements the command layer's ``DigestControl``: ``/digest``
changes reach :meth:`on_changed` (the job is added, rescheduled or removed at once) and
``/digest now`` reaches :meth:`post_now`. APScheduler only decides *when* to run; what a
digest covers and whether it still has to be posted is decided by project code on the
injected clock (:mod:`bot.periods`):

- a digest covers what arrived since the channel's previous digest (the store keeps the
  last claimed period, whose label ends with the period's end), so Monday's weekday
  digest covers the weekend and no item is posted twice;
- posting is claimed per (channel, period) by a unique row written in the same
  transaction as the digest's outbox row, so a restart or a second process running the
  same schedule never posts it twice, and a crash after the claim loses nothing;
- after downtime, the latest missed digest is posted once if the bot is back within the
  grace window, else skipped and logged (its stories then go into the next digest);
- an empty digest posts one "nothing new" line when the channel asked for it
  (``post_when_empty``), else nothing (its period is still claimed).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.metrics import Metrics
from bot.payloads import ReplyPayload
from bot.periods import (
    Period,
    Schedule,
    catch_up,
    digest_period,
    on_demand_period,
    previous_fire_time,
)
from bot.sections import DigestDefaults
from briefings.chat.access import ChannelRef
from briefings.service.answers import Answers
from briefings.service.replies import Notice, Reply
from briefings.service.schedules import Clock, stored_time
from briefings.store import DigestSettings, NewDelivery, Store

log = logging.getLogger(__name__)

Tracker = Callable[[Coroutine[Any, Any, None]], Awaitable[None]]
"""Runs a coroutine as work that stopping the bot waits for."""

ON_DEMAND_WINDOW = timedelta(hours=24)
"""What ``/digest now`` covers when the channel never had a digest."""

CATCH_UP_AT_ONCE = 4
"""How many channels' missed digests are looked at (and posted) at once at start."""


def schedule_of(setting: DigestSettings) -> Schedule:
    """The schedule of a channel's digest settings."""
    return Schedule(setting.days, stored_time(setting.time_of_day), setting.timezone)


def job_id(platform: str, workspace: str, channel: str) -> str:
    """The APScheduler job id of a channel's digest."""
    return f"digest:{platform}:{workspace}:{channel}"


def period_end(label: str | None) -> datetime | None:
    """The end of a claimed period from its label (``2026-11-23T07:00:00Z`` or ``now:…``)."""
    if not label:
        return None
    try:
        return datetime.strptime(label.removeprefix("now:"), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC
        )
    except ValueError:
        return None


class DigestScheduler:
    """Schedules and posts channel digests.

    Args:
        store: the store (digest settings, claims, outbox).
        answers: composes a channel's digest for a period.
        clock: the current time.
        defaults: grace window and item limit.
        owner: this process's name, recorded with its claims.
        scheduler: the APScheduler instance (shared with the rest of the bot); a new one
            on the running loop when omitted.
        on_enqueued: called after a digest was queued (wakes the outbox drain).
        metrics: where to count digests.
        track: runs a job's work so that stopping waits for it (see :class:`bot.app.App`).
    """

    def __init__(
        self,
        store: Store,
        answers: Answers,
        *,
        clock: Clock,
        defaults: DigestDefaults | None = None,
        owner: str = "briefbot",
        scheduler: AsyncIOScheduler | None = None,
        on_enqueued: Callable[[], None] | None = None,
        metrics: Metrics | None = None,
        track: Tracker | None = None,
    ) -> None:
        self._store = store
        self._answers = answers
        self._clock = clock
        self._defaults = defaults or DigestDefaults()
        self._owner = owner
        self.scheduler = scheduler if scheduler is not None else AsyncIOScheduler(timezone=UTC)
        self._on_enqueued = on_enqueued
        self._metrics = metrics
        self._jobs: dict[str, str] = {}
        self._track = track

    # Jobs --------------------------------------------------------------------------------

    async def load(self) -> int:
        """Add a job for every enabled channel and catch up on missed digests; how many."""
        settings = await self.sync()
        slots = asyncio.Semaphore(CATCH_UP_AT_ONCE)

        async def catch_up(setting: DigestSettings) -> None:
            async with slots:
                await self.catch_up(setting)

        # In a random order: processes starting together then rarely compose one
        # channel's digest at the same time (only one of them can claim it).
        order = random.sample(settings, len(settings))
        await asyncio.gather(*(catch_up(s) for s in order))
        return len(settings)

    async def sync(self) -> list[DigestSettings]:
        """Bring the jobs in line with the store (changes made by another bot process).

        Returns:
            The enabled channels' settings.
        """
        settings = await self._store.digests.list(enabled_only=True)
        wanted = {job_id(s.platform, s.workspace, s.channel): s for s in settings}
        for ident, setting in wanted.items():
            if self._jobs.get(ident) != schedule_of(setting).describe():
                self._add(setting)
        for ident in set(self._jobs) - set(wanted):
            _, platform, workspace, channel = ident.split(":", 3)
            self.remove(platform, workspace, channel)
        return settings

    def _add(self, setting: DigestSettings) -> None:
        trigger = schedule_of(setting).trigger()
        # replace_existing only applies once the scheduler runs; remove the old job first.
        self.remove(setting.platform, setting.workspace, setting.channel)
        self.scheduler.add_job(
            self._job,
            trigger=trigger,
            args=[setting.platform, setting.workspace, setting.channel],
            id=job_id(setting.platform, setting.workspace, setting.channel),
            name=f"digest {setting.platform}:{setting.channel}",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self._defaults.grace)),
        )
        self._jobs[job_id(setting.platform, setting.workspace, setting.channel)] = schedule_of(
            setting
        ).describe()

    def remove(self, platform: str, workspace: str, channel: str) -> bool:
        """Drop a channel's job; whether it had one."""
        self._jobs.pop(job_id(platform, workspace, channel), None)
        job = self.scheduler.get_job(job_id(platform, workspace, channel))
        if job is None:
            return False
        job.remove()
        return True

    def next_fire(self, platform: str, workspace: str, channel: str) -> datetime | None:
        """When the channel's digest job runs next (None without a job)."""
        job = self.scheduler.get_job(job_id(platform, workspace, channel))
        if job is None:
            return None
        if getattr(job, "next_run_time", None) is not None:
            when: datetime = job.next_run_time
            return when
        fire: datetime | None = job.trigger.get_next_fire_time(None, self._clock())
        return fire

    # DigestControl -----------------------------------------------------------------------

    async def on_changed(self, setting: DigestSettings) -> None:
        """A channel's settings were saved: (re)schedule its job, or drop it when off.

        Turning a digest on also lifts a block left by an earlier permanent failure: the
        command layer only gets here after the platform said the bot can post there.
        """
        if setting.enabled:
            await self._store.outbox.enable_target(
                setting.platform, setting.workspace, setting.channel
            )
            self._add(setting)
            log.info(
                "digest for %s:%s now runs %s",
                setting.platform,
                setting.channel,
                schedule_of(setting).describe(),
            )
        elif self.remove(setting.platform, setting.workspace, setting.channel):
            log.info("digest for %s:%s is off", setting.platform, setting.channel)

    async def post_now(self, channel: ChannelRef) -> None:
        """Post a channel's digest now: everything since its previous digest."""
        setting = await self._store.digests.get(
            channel.platform, channel.workspace, channel.channel
        )
        if setting is None:
            setting = DigestSettings(channel.platform, channel.workspace, channel.channel)
        now = self._clock()
        period = on_demand_period(now, period_end(setting.last_period), ON_DEMAND_WINDOW)
        await self.post(setting, period, always=True)

    # Posting -----------------------------------------------------------------------------

    async def _job(self, platform: str, workspace: str, channel: str) -> None:
        """What APScheduler runs: the digest, shielded and tracked when a tracker is set
        (so stopping the bot waits for a digest being claimed instead of cancelling it)."""
        work = self._fire(platform, workspace, channel)
        if self._track is not None:
            await self._track(work)
        else:
            await work

    async def _fire(self, platform: str, workspace: str, channel: str) -> None:
        setting = await self._store.digests.get(platform, workspace, channel)
        if setting is None or not setting.enabled:
            self.remove(platform, workspace, channel)
            return
        now = self._clock()
        fire = previous_fire_time(schedule_of(setting).trigger(), now + timedelta(seconds=1))
        if fire is None:
            log.warning("digest job for %s:%s ran with no fire time due", platform, channel)
            return
        await self.run_scheduled(setting, fire)

    async def run_scheduled(self, setting: DigestSettings, fire_time: datetime) -> bool:
        """Post a channel's scheduled digest for the period ending at ``fire_time``.

        Returns:
            Whether this process claimed the period (False: it was already posted).
        """
        previous = period_end(setting.last_period)
        period = digest_period(schedule_of(setting), fire_time, previous)
        return await self.post(setting, period)

    async def catch_up(self, setting: DigestSettings) -> bool:
        """Post the channel's latest missed digest if still within the grace window.

        Returns:
            Whether a digest was posted.
        """
        now = self._clock()
        decision = catch_up(
            schedule_of(setting),
            now,
            period_end(setting.last_period),
            timedelta(seconds=self._defaults.grace),
            since=setting.created_at,
        )
        if decision is None:
            return False
        late = int(decision.late_by.total_seconds())
        if decision.action == "skip":
            log.warning(
                "digest for %s:%s due at %s was missed by %d s (over the grace window); "
                "skipped; the next digest covers everything since the previous one",
                setting.platform,
                setting.channel,
                decision.fire_time.isoformat(),
                late,
            )
            self._count("skipped")
            return False
        log.info(
            "posting the digest for %s:%s missed at %s (%d s late)",
            setting.platform,
            setting.channel,
            decision.fire_time.isoformat(),
            late,
        )
        return await self.run_scheduled(setting, decision.fire_time)

    async def post(self, setting: DigestSettings, period: Period, *, always: bool = False) -> bool:
        """Compose, claim and queue one digest; whether this call claimed the period.

        Args:
            setting: the channel's settings.
            period: what the digest covers.
            always: post even an empty digest (``/digest now``).
        """
        if not always and await self._claimed(setting, period.key):
            log.info("digest %s for %s was already claimed", period.key, setting.channel)
            return False
        digest = await self._answers.channel_digest(
            setting, period.start, period.end, limit=self._defaults.max_items
        )
        reply: Reply | None = digest
        if digest.is_empty:
            reply = None
            if setting.post_when_empty or always:
                since = period.start.astimezone(schedule_of(setting).trigger().zone)
                reply = Notice("info", f"Nothing new since {since.strftime('%a %d %b %H:%M')}.")
        deliveries = []
        if reply is not None:
            deliveries.append(
                NewDelivery(
                    key=f"digest:{setting.platform}:{setting.workspace}:{setting.channel}:"
                    f"{period.key}",
                    platform=setting.platform,
                    workspace=setting.workspace,
                    target=setting.channel,
                    payload=ReplyPayload(reply).to_json(),
                )
            )
        won = await self._store.digests.claim(
            setting.platform,
            setting.workspace,
            setting.channel,
            period.key,
            owner=self._owner,
            now=self._clock(),
            deliveries=deliveries,
        )
        if not won:
            log.info("digest %s for %s was already claimed", period.key, setting.channel)
            return False
        self._count("posted" if not digest.is_empty else "empty")
        if deliveries and self._on_enqueued is not None:
            self._on_enqueued()
        log.info(
            "digest %s for %s:%s: %d items",
            period.key,
            setting.platform,
            setting.channel,
            len(digest.items),
        )
        return True

    async def _claimed(self, setting: DigestSettings, period: str) -> bool:
        """Whether another process has claimed this period already (then composing the
        digest again is wasted work; the claim itself still decides when they race)."""
        current = await self._store.digests.get(
            setting.platform, setting.workspace, setting.channel
        )
        return current is not None and current.last_period == period

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.digests.labels(outcome).inc()
