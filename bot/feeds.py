"""RSS/Atom feed polling: per-feed intervals, conditional GET, backoff, full text for teasers.

A poll fetches the feed (``If-None-Match`` / ``If-Modified-Since`` from the last answer,
a timeout, a size cap), turns its entries into articles with the core's feed parser,
fetches the page of every new entry that only carries a teaser (fewer words than
``teaser_words``) and hands the articles to the sink. Entry links come from the feed's
author, not the operator: they are fetched through :class:`bot.links.Links` (global
addresses only, unless allowed), a few at a time and within a byte budget per poll; a
refused or skipped link leaves the teaser stored with a note. A failing poll is retried after
``interval × 2^failures`` (at most ``max_backoff``, at least the server's Retry-After);
after ``report_after`` failures in a row the feed is reported once (to the admins) and
shows as failing in the health output until a poll succeeds again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp

from bot.fetch import Fetched, FetchError, fetch
from bot.links import LinkRefused, Links
from bot.metrics import Metrics
from bot.redaction import redact_text, redact_url
from bot.sections import FeedSettings
from bot.workers import ReadRequest, read
from briefings.errors import BriefingError, EmptyFeedError
from briefings.model import Article
from briefings.service.schedules import Clock

log = logging.getLogger(__name__)

ArticleSink = Callable[[Sequence[Article], str], Awaitable[object]]
"""Receives the articles of one poll and the source label (the feed's name or URL)."""

KnownIds = Callable[[Sequence[str]], Awaitable[set[str]]]
"""Returns which of the given article ids are already stored."""

FeedReport = Callable[["FeedHealth"], Awaitable[None]]

Reader = Callable[[bytes, ReadRequest], Awaitable[list[Article]]]
"""Reads one fetched document into its articles."""
"""Told when a feed starts failing for good, or recovers."""

_FEED_TYPES = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"

MAX_SEEN = 5000
"""Article ids remembered per feed (entries fall off the end of a feed over time)."""


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One feed as the health output and the admins see it (credentials redacted)."""

    url: str
    name: str
    failing: bool
    failures: int
    last_error: str | None
    last_success: datetime | None
    next_poll: datetime


@dataclass(slots=True)
class _Budget:
    """What one poll may still spend on teaser pages: bytes, and fetches at once."""

    left: int
    slots: asyncio.Semaphore


def _noted(article: Article, note: str) -> Article:
    return dataclasses.replace(article, notes=(*article.notes, note))


@dataclass(slots=True)
class _FeedState:
    settings: FeedSettings
    next_due: datetime
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    last_success: datetime | None = None
    reported: bool = False
    seen: dict[str, None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The feed's name, else its URL without credentials (logs, metrics, notices)."""
        return self.settings.name or redact_url(self.settings.url)


class FeedPoller:
    """Polls a set of feeds; call :meth:`poll_due` often (the scheduler ticks it).

    Args:
        feeds: the feeds from the config.
        session: the HTTP client session (closed by its owner).
        sink: receives the articles of each successful poll.
        clock: the current time.
        known: which article ids are already stored (skips their full-text fetch).
        on_failing: called once when a feed reaches ``report_after`` failures in a row.
        on_recovered: called when a reported feed succeeds again.
        report_after: failures in a row before a feed is reported.
        max_backoff: the longest wait between two polls of a failing feed, in seconds.
        teaser_words: entries with fewer words are teasers (``full_text = "auto"``).
        metrics: where to count feed errors.
        reader: reads a fetched feed into articles (the worker pool's; inline by default).
        links: fetches teaser entries' links (global addresses only when omitted; the
            poller then owns it and :meth:`close` closes it).
        teaser_concurrency: teaser pages fetched at once per poll.
        teaser_bytes: the most bytes of teaser pages fetched per poll.
    """

    def __init__(
        self,
        feeds: Sequence[FeedSettings],
        *,
        session: aiohttp.ClientSession,
        sink: ArticleSink,
        clock: Clock,
        known: KnownIds | None = None,
        on_failing: FeedReport | None = None,
        on_recovered: FeedReport | None = None,
        report_after: int = 3,
        max_backoff: float = 6 * 3600.0,
        teaser_words: int = 80,
        metrics: Metrics | None = None,
        reader: Reader | None = None,
        links: Links | None = None,
        teaser_concurrency: int = 4,
        teaser_bytes: int = 20_000_000,
    ) -> None:
        now = clock()
        self._feeds = [_FeedState(f, now) for f in feeds]
        self._session = session
        self._sink = sink
        self._clock = clock
        self._known = known
        self._on_failing = on_failing
        self._on_recovered = on_recovered
        self._report_after = report_after
        self._max_backoff = max_backoff
        self._teaser_words = teaser_words
        self._metrics = metrics
        self._reader = reader or _read_inline
        self._owns_links = links is None
        self._links = links or Links(headers=session.headers)
        self._teaser_concurrency = teaser_concurrency
        self._teaser_bytes = teaser_bytes
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Close the link fetcher, when the poller made it."""
        if self._owns_links:
            await self._links.close()

    def health(self) -> tuple[FeedHealth, ...]:
        """Every feed's state, failing ones included (never dropped in silence)."""
        return tuple(self._health(s) for s in self._feeds)

    def _health(self, state: _FeedState) -> FeedHealth:
        return FeedHealth(
            url=redact_url(state.settings.url),
            name=state.label,
            failing=state.failures >= self._report_after,
            failures=state.failures,
            last_error=redact_text(state.last_error) if state.last_error else None,
            last_success=state.last_success,
            next_poll=state.next_due,
        )

    async def poll_due(self) -> int:
        """Poll every feed that is due now; returns how many were polled."""
        if self._lock.locked():
            return 0
        async with self._lock:
            now = self._clock()
            due = [s for s in self._feeds if s.next_due <= now]
            await asyncio.gather(*(self._poll(s) for s in due))
            return len(due)

    async def _poll(self, state: _FeedState) -> None:
        feed = state.settings
        try:
            got = await fetch(
                self._session,
                feed.url,
                timeout=feed.timeout,
                max_bytes=feed.max_bytes,
                etag=state.etag,
                last_modified=state.last_modified,
                accept=_FEED_TYPES,
            )
            articles = [] if got.not_modified else await self._parse(got)
        except (FetchError, BriefingError) as exc:
            await self._failed(state, exc)
            return
        if not got.not_modified:
            try:
                fresh = await self._fresh(state, articles)
                if fresh:
                    budget = _Budget(
                        self._teaser_bytes, asyncio.Semaphore(self._teaser_concurrency)
                    )
                    fresh = list(
                        await asyncio.gather(*(self._expand(feed, a, budget) for a in fresh))
                    )
                    await self._sink(fresh, state.label)
            except Exception as exc:  # not stored: keep the old ETag so the next poll retries
                log.exception("feed %s: storing its articles failed", state.label)
                await self._failed(state, FetchError(f"storing its articles failed: {exc!r}"))
                return
            state.etag, state.last_modified = got.etag, got.last_modified
            for article in articles:
                state.seen[article.id] = None
            while len(state.seen) > MAX_SEEN:
                del state.seen[next(iter(state.seen))]
        await self._succeeded(state)

    async def _parse(self, got: Fetched) -> list[Article]:
        kind = got.content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            raise FetchError(f"the URL returned an HTML page ({kind}), not an RSS or Atom feed")
        try:
            return await self._reader(
                got.body, ReadRequest("feed", source=redact_url(got.url), fetched=self._clock())
            )
        except EmptyFeedError:  # a feed with nothing in it yet polls fine
            return []

    async def _fresh(self, state: _FeedState, articles: list[Article]) -> list[Article]:
        fresh = [a for a in articles if a.id not in state.seen]
        if fresh and self._known is not None:
            stored = await self._known([a.id for a in fresh])
            fresh = [a for a in fresh if a.id not in stored]
        return fresh

    async def _expand(self, feed: FeedSettings, article: Article, budget: _Budget) -> Article:
        """The article with the full text of its page, when the entry is only a teaser."""
        if article.url is None or feed.full_text == "never":
            return article
        if feed.full_text == "auto" and article.word_count >= self._teaser_words:
            return article
        try:
            async with budget.slots:
                take = min(feed.max_bytes, budget.left)
                if take <= 0:
                    return _noted(
                        article, "full text not fetched: this poll's byte budget is spent"
                    )
                budget.left -= take
                spent = take  # a fetch that failed part-way may have read all of it
                try:
                    page = await self._links.fetch(
                        article.url, timeout=feed.timeout, max_bytes=take
                    )
                    spent = len(page.body)
                except LinkRefused:
                    spent = 0  # refused before connecting
                    raise
                finally:
                    budget.left += take - spent
            request = ReadRequest(
                "html",
                source=article.source,
                url=article.url,
                published=article.published,
                fetched=article.fetched,
            )
            [full] = await self._reader(page.body, request)
        except LinkRefused as exc:
            log.warning("full text of %s refused (%s); keeping the teaser", article.url, exc)
            return _noted(article, f"full text not fetched: {exc}")
        except (FetchError, BriefingError) as exc:
            log.info("full text of %s not fetched (%s); keeping the teaser", article.url, exc)
            return article
        return full if full.word_count > article.word_count else article

    async def _failed(self, state: _FeedState, exc: Exception) -> None:
        now = self._clock()
        state.failures += 1
        state.last_error = str(exc)
        delay = min(state.settings.interval * 2**state.failures, self._max_backoff)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            delay = max(delay, min(float(retry_after), self._max_backoff))
        state.next_due = now + timedelta(seconds=delay)
        if self._metrics is not None:
            self._metrics.feed_errors.labels(state.label).inc()
            self._metrics.feed_failing.set(sum(s.reported for s in self._feeds))
        log.warning(
            "feed %s failed (%d in a row): %s; next try in %.0f s",
            state.label,
            state.failures,
            exc,
            delay,
        )
        if state.failures >= self._report_after and not state.reported:
            state.reported = True
            if self._metrics is not None:
                self._metrics.feed_failing.set(sum(s.reported for s in self._feeds))
            if self._on_failing is not None:
                await self._on_failing(self._health(state))

    async def _succeeded(self, state: _FeedState) -> None:
        now = self._clock()
        was_reported = state.reported
        state.failures, state.last_error, state.reported = 0, None, False
        state.last_success = now
        state.next_due = now + timedelta(seconds=state.settings.interval)
        if was_reported:
            if self._metrics is not None:
                self._metrics.feed_failing.set(sum(s.reported for s in self._feeds))
            if self._on_recovered is not None:
                await self._on_recovered(self._health(state))


async def _read_inline(data: bytes, request: ReadRequest) -> list[Article]:
    return read(data, request)
