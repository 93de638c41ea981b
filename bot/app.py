"""The running bot: adapters, store, scheduler and sources on one asyncio loop.

:class:`App` composes the parts (it holds a list of adapters; nothing inherits from it)
and owns their order of start and stop. Stopping (SIGINT/SIGTERM in ``briefbot run``)
first closes the doors — the HTTP server, the scheduler, the sources — then waits for
work in flight: a digest being claimed finishes its transaction, a post being published
finishes and is recorded, and deliveries claimed but not yet attempted go back to the
queue. Nothing is half-recorded: a claim and its outbox rows commit together, and a row
is marked only after its post returned.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.base import Adapter, Target
from bot.config import ConfigError, Settings
from bot.drain import Drain, FaultHook
from bot.feeds import FeedHealth, FeedPoller
from bot.folder import FolderWatcher
from bot.health import health_document
from bot.http import HttpServer
from bot.links import Links, any_address, public_only
from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.pipeline import Pipeline
from bot.platforms import build_adapters, by_platform, describe_running
from bot.push import PushEndpoint
from bot.scheduler import DigestScheduler
from bot.workers import AnalysisPool, Limits
from briefings.analysis.pipeline import Analyzer
from briefings.errors import BriefingError
from briefings.service.answers import Answers
from briefings.service.schedules import Clock, cron_days, time_text, utc_now
from briefings.store import Delivery, DigestSettings, Store
from briefings.store.channels import ChannelKinds
from briefings.store.pace import Pace

log = logging.getLogger(__name__)

FEED_TICK = 5.0
"""How often (seconds) the scheduler asks the feed poller which feeds are due."""

SYNC_EVERY = 60.0
"""How often (seconds) digest jobs are brought in line with the store (for changes made
through another bot process; this process's own changes apply at once)."""

SWITCH_INTERVAL = 0.001
"""Seconds a thread of the bot (the SQLite driver's, one building a long article's rows,
one unpacking an analysis) may hold the interpreter lock while the event loop waits for
it: 1 ms instead of Python's 5, so commands keep their pace while articles are stored."""

STOP_TIMEOUT = 30.0
"""How long stopping waits for work in flight before giving up on it (it stays queued)."""


class App:
    """briefbot, running.

    Args:
        settings: the loaded settings.
        database_url: where the store is.
        clock: the current time (real time in production).
        console_stream: where the console adapter prints.
        console_input: where an interactive console reads commands.
        owner: this process's name in claims (``delivery.instance``, else host and pid).
        extra_adapters: adapters built by the caller (an embedding program, a test); one
            for a platform the config also enables takes its place.
        faults: told each point a delivery passes (crash tests only, see bot.faults).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        database_url: str,
        clock: Clock = utc_now,
        console_stream: TextIO | None = None,
        console_input: TextIO | None = None,
        owner: str | None = None,
        extra_adapters: Sequence[Adapter] = (),
        faults: FaultHook | None = None,
    ) -> None:
        self.settings = settings
        self._extra_adapters = list(extra_adapters)
        self.database_url = database_url
        self.clock = clock
        self.console_stream = console_stream
        self.console_input = console_input
        self.owner = owner or settings.delivery.instance or f"{socket.gethostname()}:{os.getpid()}"
        self._faults = faults
        self.metrics = Metrics()
        self.adapters: list[Adapter] = []
        self.started_at: datetime | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._store: Store | None = None
        self._session: aiohttp.ClientSession | None = None
        self._links: Links | None = None
        self._drain_task: asyncio.Task[None] | None = None
        self.feeds: FeedPoller | None = None
        self.folders: list[FolderWatcher] = []
        self.http: HttpServer | None = None
        self.pool: AnalysisPool | None = None

    # Parts (available after start) ------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the app is not started")
        return self._store

    async def start(self) -> None:
        """Open the store, build and start every part."""
        s = self.settings
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._store = await Store.open(self.database_url)
        log.info("store: %s", self._store.url)
        analyzer = Analyzer.with_extra_actors(
            [s.resolve(p) for p in s.summary.actors], preset=s.summary.preset
        )
        self.answers = Answers(self.store, analyzer.gazetteer, self.clock)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.notifier = Notifier(
            self.store,
            clock=self.clock,
            settings=s.notifications,
            admins=s.admin_targets(),
            match=self.answers.match,
            on_enqueued=self._wake,
        )
        self.pool = pool = AnalysisPool(
            workers=s.analysis.workers,
            limits=Limits(s.analysis.max_words, s.analysis.time_limit),
            actors=[s.resolve(p) for p in s.summary.actors],
            preset=s.summary.preset,
        )
        self.pipeline = Pipeline(
            self.store,
            pool,
            clock=self.clock,
            notifier=self.notifier,
            metrics=self.metrics,
            actors=analyzer.gazetteer.actors,
        )
        await self.pipeline.prepare()
        self.digests = DigestScheduler(
            self.store,
            self.answers,
            clock=self.clock,
            defaults=s.digest,
            owner=self.owner,
            scheduler=self.scheduler,
            on_enqueued=self._wake,
            metrics=self.metrics,
            track=self._tracked,
        )
        shared = s.delivery.shared_pace == "on" or (
            s.delivery.shared_pace == "auto" and self._store.dialect == "postgresql"
        )
        self.adapters = build_adapters(
            s,
            self.answers,
            self.digests,
            console_stream=self.console_stream,
            console_input=self.console_input,
            shared_pace=Pace(self._store.engine) if shared else None,
            channel_kinds=ChannelKinds(self._store.engine),
        )
        replaced = {a.platform for a in self._extra_adapters}
        self.adapters = [a for a in self.adapters if a.platform not in replaced]
        self.adapters += self._extra_adapters
        self.drain = Drain(
            self.store.outbox,
            by_platform(self.adapters),
            clock=self.clock,
            settings=s.delivery,
            metrics=self.metrics,
            on_disabled=self._on_disabled,
            owner=self.owner,
            faults=self._faults,
        )
        if s.delivery.instance is not None:
            taken = await self.store.outbox.take_back(self.owner, now=self.clock())
            if taken:
                log.info("took back %d deliveries left in flight by %s", taken, self.owner)
        await self._seed_digests()
        for adapter in self.adapters:
            await adapter.start()
            log.info("adapter %s started", adapter.platform)
        self._start_sources()
        self.scheduler.start()
        await self.digests.load()
        self._every(SYNC_EVERY, self.digests.sync, "digest sync")
        self._drain_task = asyncio.create_task(self.drain.run(), name="outbox drain")
        await self._start_http()
        self.started_at = self.clock()
        log.info("%s", describe_running(self.settings, self.adapters))

    async def _seed_digests(self) -> None:
        """Store the channel digests set in the config file, unless the store has them."""
        defaults = self.settings.digest
        for n, ch in enumerate(defaults.channels):
            if await self.store.digests.get(ch.platform, ch.workspace, ch.channel) is not None:
                continue
            ids = []
            for name in ch.actors:
                resolution = await self.answers.resolve_actor(name)
                try:
                    ids.append(resolution.require().id)
                except BriefingError as exc:
                    raise ConfigError(
                        f"{self.settings.path or '<config>'}: digest.channels[{n}].actors: {exc}"
                    ) from None
            at = ch.time or defaults.time
            setting = DigestSettings(
                platform=ch.platform,
                workspace=ch.workspace,
                channel=ch.channel,
                time_of_day=time_text(at),
                days=cron_days(ch.days or defaults.days),
                timezone=ch.timezone or defaults.timezone,
                actors=tuple(ids),
                post_when_empty=(
                    defaults.post_when_empty if ch.post_when_empty is None else ch.post_when_empty
                ),
            )
            await self.store.digests.put(setting, now=self.clock())
            log.info("digest for %s:%s set from the config", ch.platform, ch.channel)

    def _start_sources(self) -> None:
        s = self.settings.sources
        if s.feeds:
            self._session = aiohttp.ClientSession(headers={"User-Agent": s.user_agent})
            policy = any_address if s.allow_private_links else public_only
            self._links = Links(policy, headers={"User-Agent": s.user_agent})
            self.feeds = FeedPoller(
                s.feeds,
                session=self._session,
                sink=self.pipeline.articles,
                clock=self.clock,
                on_failing=self._feed_failing,
                on_recovered=self._feed_recovered,
                report_after=s.report_after,
                max_backoff=s.max_backoff,
                teaser_words=s.teaser_words,
                metrics=self.metrics,
                reader=self.pool.read if self.pool is not None else None,
                links=self._links,
                teaser_concurrency=s.teaser_concurrency,
                teaser_bytes=s.teaser_bytes,
            )
            self._every(FEED_TICK, self.feeds.poll_due, "feeds", first=True)
        for n, folder in enumerate(s.folders):

            async def sink(path: Any, data: bytes) -> None:
                await self.pipeline.data(data, source="folder", name=str(path))

            watcher = FolderWatcher(
                self.settings.resolve(folder.path), sink, pattern=folder.pattern
            )
            self.folders.append(watcher)
            self._every(folder.interval, watcher.scan, f"folder {n}", first=True)

    def _every(
        self,
        seconds: float,
        job: Callable[[], Coroutine[Any, Any, Any]],
        name: str,
        *,
        first: bool = False,
    ) -> None:
        async def run() -> None:
            await self._tracked(job())

        # APScheduler 3 adds a job with an explicit ``next_run_time=None`` *paused*: leave
        # it out unless the first run is now, so the first run is one interval away.
        when = {"next_run_time": datetime.now(UTC)} if first else {}
        self.scheduler.add_job(
            run,
            "interval",
            seconds=seconds,
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            **when,
        )

    async def _tracked(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run work as a task stopping waits for (a job cancelled mid-way is not)."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def _start_http(self) -> None:
        h = self.settings.http
        if not h.enabled:
            return
        push = None
        if h.push and self.settings.sources.push.token is not None:
            push = PushEndpoint(self.settings.sources.push, self.pipeline)
        self.http = HttpServer(
            h,
            health=self.health,
            metrics=self.metrics,
            outbox_counts=self._outbox_counts,
            push=push,
        )
        await self.http.start()

    async def _outbox_counts(self) -> dict[str, int]:
        return {str(k): v for k, v in (await self.store.outbox.counts()).items()}

    def _wake(self) -> None:
        if not self._stopping:
            self.drain.wake()

    # Reports to admins ----------------------------------------------------------------

    async def _feed_failing(self, health: FeedHealth) -> None:
        day = self.clock().date().isoformat()
        await self.notifier.tell_admins(
            f"The feed {health.name} ({health.url}) has failed {health.failures} times in a "
            f"row: {health.last_error}. briefbot keeps retrying with backoff.",
            key=f"feed-failing:{health.url}:{day}",
        )

    async def _feed_recovered(self, health: FeedHealth) -> None:
        log.info("feed %s works again", health.url)

    async def _on_disabled(self, target: Target, reason: str, row: Delivery) -> None:
        if target.kind == "channel":
            await self.store.digests.set_enabled(
                target.platform, target.workspace, target.id, False, now=self.clock()
            )
            self.digests.remove(target.platform, target.workspace, target.id)
        await self.notifier.target_disabled(target, reason)

    # Health -------------------------------------------------------------------------------

    async def health(self) -> dict[str, Any]:
        """The health document of ``/healthz`` (see :mod:`bot.health`)."""
        return await health_document(
            started=self.started_at,
            adapters=[a.platform for a in self.adapters],
            outbox_counts=self._outbox_counts,
            feeds=self.feeds.health() if self.feeds else (),
            folders=[w.health() for w in self.folders],
        )

    # Stopping ---------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop taking work, finish what is in flight, release the rest, close everything."""
        if self._stopping:
            return
        self._stopping = True
        log.info("stopping")
        if self.http is not None:
            await self.http.stop()
        if getattr(self, "scheduler", None) is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=STOP_TIMEOUT)
            for task in pending:
                log.warning("stopping: %s did not finish in time", task.get_name())
        if self._drain_task is not None:
            await self.drain.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._drain_task, STOP_TIMEOUT)
        for adapter in reversed(self.adapters):
            try:
                await adapter.stop()
            except Exception:
                log.exception("adapter %s did not stop cleanly", adapter.platform)
        if self._session is not None:
            await self._session.close()
        if self.pool is not None:
            await self.pool.close()
        if self._links is not None:
            await self._links.close()
        if self._store is not None:
            await self._store.close()
        log.info("stopped")
