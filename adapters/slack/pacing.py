"""Slack's posting pace: per channel, across the workspace, shared by processes; 429 holds.

:class:`Pacer` spaces posts to one channel by ``channel_interval`` and across the
workspace by ``1 / workspace_rate``; after a 429 it holds every post for ``Retry-After``.
With several bot processes a :class:`SharedPace` (the database, see
:class:`briefings.store.pace.Pace`) books each post's workspace slot, so the processes
together keep the workspace's pace, and a 429 seen by one holds them all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

CATCH_UP = 2
"""How many workspace intervals a late post may make up at once (a burst of three)."""


class SharedPace(Protocol):
    """A pace shared with other bot processes (:class:`briefings.store.pace.Pace`)."""

    async def book(
        self, scopes: Sequence[tuple[str, float]], *, now: datetime, count: int = 1
    ) -> datetime:
        """Book the next ``count`` slots free in every scope (name, step in seconds);
        when the first of them is."""
        ...

    async def hold(self, scope: str, *, until: datetime) -> None:
        """Give no slot of ``scope`` before ``until`` (the platform answered 429)."""
        ...


class Pacer:
    """Spaces posts per channel and across the workspace, and holds everything after a 429.

    The workspace pace is decided when a post is sent, not booked ahead: a post that is late
    (timers overshoot, the event loop stalls) lets at most ``CATCH_UP`` more go out at once
    to make up the time, never the whole backlog.
    """

    def __init__(
        self,
        channel_interval: float,
        workspace_rate: float | None = None,
        *,
        shared: SharedPace | None = None,
    ) -> None:
        self.channel_interval = channel_interval
        self.workspace_rate = workspace_rate
        self.shared = shared
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}
        self._workspace = asyncio.Lock()
        self._booking = asyncio.Lock()
        self._bookings: dict[str, list[asyncio.Future[float]]] = {}
        self._booking_tasks: set[asyncio.Future[None]] = set()
        self._workspace_next = 0.0
        self._held_until = 0.0

    def hold(self, seconds: float, workspace: str | None = None) -> None:
        """Post nothing for ``seconds`` (Slack answered 429); with a shared pace and the
        workspace known, the other processes hold too."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)
        if self.shared is not None and workspace is not None and self.workspace_rate:
            until = datetime.now(UTC) + timedelta(seconds=seconds)
            task = asyncio.ensure_future(self._hold_shared(f"slack:{workspace}", until))
            self._booking_tasks.add(task)
            task.add_done_callback(self._booking_tasks.discard)

    async def _hold_shared(self, scope: str, until: datetime) -> None:
        assert self.shared is not None
        try:
            await self.shared.hold(scope, until=until)
        except Exception:
            log.exception("could not share a rate-limit hold of %s", scope)

    async def _wait_until(self, moment: float) -> None:
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    @asynccontextmanager
    async def slot(self, channel: str, workspace: str = "") -> AsyncIterator[None]:
        """Wait for this channel's turn, then hold the channel until the post is done."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            await self._wait_until(max(self._next.get(channel, 0.0), self._held_until))
            if self.shared is not None:
                await self._book_shared(channel, workspace)
            if self.workspace_rate:
                # Also spaced at send time: booked slots that a stalled event loop reaches
                # late must not all go out at once (Slack's bucket does not bank them).
                step = 1.0 / self.workspace_rate
                # Alone, a late post may make up CATCH_UP steps; with a shared pace the
                # booked slots already allowed for that, so posts are only spaced here.
                catch_up = 0 if self.shared is not None else CATCH_UP
                async with self._workspace:
                    due = max(self._workspace_next, time.monotonic() - catch_up * step)
                    while time.monotonic() < max(due, self._held_until):
                        await self._wait_until(max(due, self._held_until))
                    self._workspace_next = due + step
            try:
                yield
            finally:
                self._next[channel] = time.monotonic() + self.channel_interval

    async def _book_shared(self, channel: str, workspace: str) -> None:
        """Book the workspace's next slot with the other processes. (A channel's own pace
        stays with this process: one channel's posts rarely meet in two processes, and
        Slack's Retry-After covers them when they do.)"""
        assert self.shared is not None
        if not self.workspace_rate:
            return
        step = 1.0 / self.workspace_rate
        while True:
            slot: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            waiting = self._bookings.setdefault(workspace, [])
            waiting.append(slot)
            if len(waiting) == 1:
                task = asyncio.ensure_future(self._book_waiting(workspace, step))
                self._booking_tasks.add(task)
                task.add_done_callback(self._booking_tasks.discard)
            at = await slot
            await self._wait_until(max(at, self._held_until))
            if time.monotonic() - at <= CATCH_UP * step:
                return
            # Reached too late (a stalled loop): the slot went by and may now be another
            # process's; sending anyway would crowd theirs. Book a new one.

    async def _book_waiting(self, workspace: str, step: float) -> None:
        """Book slots for every post waiting, in one booking (they queue on one row
        anyway), then for those that came meanwhile; each post gets its own slot."""
        assert self.shared is not None
        async with self._booking:
            while waiting := self._bookings.pop(workspace, []):
                now = datetime.now(UTC)
                try:
                    at = await self.shared.book(
                        [(f"slack:{workspace}", step)], now=now, count=len(waiting)
                    )
                except Exception as exc:
                    for future in waiting:
                        future.set_exception(exc)
                    continue
                first = time.monotonic() + (at - now).total_seconds()
                for n, future in enumerate(waiting):
                    future.set_result(first + n * step)


class PacedRateLimitHandler(AsyncRateLimitErrorRetryHandler):
    """The SDK's 429 handler, which also makes the pacer hold every post for ``Retry-After``."""

    def __init__(self, pacer: Pacer, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pacer = pacer

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is not None:
            values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after")
            try:
                self.pacer.hold(float(values[0]) if values else 1.0)
            except ValueError:
                self.pacer.hold(1.0)
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def make_client(token: str, base_url: str, pacer: Pacer, rate_limit_retries: int) -> AsyncWebClient:
    """The Web API client: Slack's rate-limit retries only, never a blind resend on a reset."""
    handlers: list[AsyncRetryHandler] = [PacedRateLimitHandler(pacer, rate_limit_retries)]
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=handlers)


def posting_client(client: AsyncWebClient) -> AsyncWebClient:
    """A client for ``chat.postMessage`` with no retries of its own: the poster retries a
    429 itself, through the pacer, so the retry waits for a slot like any post."""
    return AsyncWebClient(token=client.token, base_url=client.base_url, retry_handlers=[])
