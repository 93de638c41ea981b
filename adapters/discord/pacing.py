"""Discord's global request limit: a pacer that counts requests as Discord does, by arrival.

discord.py waits out per-route rate limits itself (it reads the bucket headers);
:class:`Pacer` keeps this process under Discord's global limit of requests a second.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import aiohttp

RESOLUTION = 0.002
"""How far Discord's rate-limit headers (milliseconds, rounded) may be off, twice over."""
SAMPLES = 64
"""How many recent answers bound the two clocks' disagreement (see :class:`Pacer`)."""
LOOK_FROM = 256
"""How many buckets discord.py holds before it looks for idle ones."""
SWEEP_EVERY = 30.0
"""Seconds between two looks through discord.py's route buckets (see :func:`sweep_sparingly`)."""


@dataclass(slots=True)
class _Request:
    """A request holding a slot of the pacer."""

    sent: float | None
    """When it (last) left this process, by the loop's clock; None while it has not."""
    wall: float = 0.0
    """The same moment by the wall clock (to read Discord's headers against)."""
    freed: bool = False
    answered: bool = False
    """Its answer's headers were read: its slot's moment is settled."""
    due: float = float("inf")
    """When its slot is to be freed, by the loop's clock."""
    timer: asyncio.TimerHandle | None = None


_HOLDER: ContextVar[_Request | None] = ContextVar("briefbot_discord_slot", default=None)
"""The slot of the request the current task is sending, for the HTTP trace to stamp."""


def counted_at(headers: Mapping[str, str]) -> float | None:
    """When Discord counted a request, by Discord's clock (epoch seconds), from its answer's
    bucket headers: the bucket resets at ``X-RateLimit-Reset``, which is
    ``X-RateLimit-Reset-After`` seconds after the answer was made. None without them."""
    reset, after = headers.get("X-RateLimit-Reset"), headers.get("X-RateLimit-Reset-After")
    if reset is None or after is None:
        return None
    try:
        return float(reset) - float(after)
    except ValueError:
        return None


class Pacer:
    """Keeps requests under a global limit of ``rate`` a second, counted as Discord counts
    them: by when they reach it.

    A request takes one of ``rate × window`` slots before it is sent, and its slot is free
    again ``window`` after the request reached Discord. Until its answer comes, that is
    taken to be ``margin`` after it was sent (the margin covers the trip and the two clocks'
    disagreement), or at the answer if that comes sooner. An answer with bucket headers
    says when Discord counted the request, by Discord's clock (:func:`counted_at`); the
    last :data:`SAMPLES` answers bound how far that clock is from this one (Discord counted
    each before it was answered here), and the moment so read, never before the request
    was sent nor after its answer, is the one the slot is freed a window after: sooner
    than the margin would have it, or later, when Discord counted the request late. While
    the last :data:`SAMPLES` headers say requests take longer than ``margin`` to be counted,
    the margin of requests that come back without them grows to that (:attr:`margin`).

    No span of ``window`` at Discord then holds more than ``rate × window`` requests, a
    slow answer (a loaded machine reads its sockets late) holds no slot, and a request
    whose answer names its moment gives its slot back without the margin. With
    ``traced``, "sent" is when the HTTP request left, as :attr:`trace` (given to the
    client as ``http_trace``) stamps it: a request that discord.py holds back for a
    per-route bucket keeps its slot until it goes, and is counted from then. Without, it is
    when the slot was taken.

    Args:
        rate: requests allowed per second (the slots are ``rate × window``, rounded down:
            processes sharing Discord's limit should be given whole slots each).
        window: the length of Discord's window, in seconds.
        margin: the most a request may take to reach Discord, clocks' disagreement included.
        traced: :attr:`trace` is installed on the client that sends the requests.
        wall: the wall clock (epoch seconds) that Discord's headers are read against.
    """

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        margin: float = 0.05,
        traced: bool = False,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.limit = max(1, int(rate * window + 1e-9))
        self._window = window
        self._margin = margin
        self._traced = traced
        self._wall = wall
        self._free = asyncio.Semaphore(self.limit)
        self._trips: deque[float] = deque(maxlen=SAMPLES)
        """How long recent requests took to be counted, as their headers say (at most)."""
        self._skews: deque[float] = deque(maxlen=SAMPLES)
        """Lower bounds of (Discord's clock - the wall clock here), one per recent answer."""
        self.reclaimed = 0
        """Slots given back on Discord's headers before the margin had passed."""
        self.late = 0
        """Requests that Discord's headers say it counted later than the margin allowed."""
        self.trace = aiohttp.TraceConfig()
        """Stamps when requests leave and when their answers come; see ``traced``."""
        self.trace.on_request_start.append(self._on_request_start)
        self.trace.on_request_end.append(self._on_request_end)

    async def _on_request_start(self, *_: object) -> None:
        request = _HOLDER.get()
        if request is not None and not request.freed:
            request.sent = asyncio.get_running_loop().time()
            request.wall = self._wall()
            request.due = float("inf")  # sent (again): counted from now
            request.answered = False
            self._free_at(request, request.sent + self.margin + self._window)

    async def _on_request_end(
        self, _session: object, _context: object, params: aiohttp.TraceRequestEndParams
    ) -> None:
        request = _HOLDER.get()
        if request is not None and not request.freed and request.sent is not None:
            now = asyncio.get_running_loop().time()
            reached = self.reached(request.sent, request.wall, now, params.response.headers)
            request.answered = True
            self._free_at(request, reached + self._window, later=True)

    def reached(
        self, sent: float, sent_wall: float, answered: float, headers: Mapping[str, str]
    ) -> float:
        """The latest a request can have reached Discord, by the loop's clock.

        Args:
            sent: when it left, by the loop's clock.
            sent_wall: the same moment by the wall clock.
            answered: when its answer came, by the loop's clock.
            headers: the answer's headers.
        """
        bound = min(answered, sent + self.margin)
        counted = counted_at(headers)
        if counted is None:
            return bound
        # Discord counted it before its answer came here: a lower bound of the skew.
        self._skews.append(counted - (sent_wall + (answered - sent)))
        skew = max(self._skews)
        by_header = max(sent, min(answered, sent + (counted - skew - sent_wall) + RESOLUTION))
        self._trips.append(by_header - sent)
        if by_header < bound:
            self.reclaimed += 1
        elif by_header > bound:
            self.late += 1
        return by_header

    @property
    def margin(self) -> float:
        """The margin in force: ``margin``, or longer while recent requests took longer to be
        counted (a loaded machine, or a slow route, sends late)."""
        return max(self._margin, max(self._trips, default=0.0))

    def _free_at(self, request: _Request, when: float, *, later: bool = False) -> None:
        """Free ``request``'s slot at ``when``; sooner than already planned, or, with
        ``later``, whenever (Discord's headers may show the margin was too short)."""
        if when == request.due or (when > request.due and not later):
            return
        if request.timer is not None:
            request.timer.cancel()
        request.due = when
        request.timer = asyncio.get_running_loop().call_at(when, self._release, request)

    def _release(self, request: _Request) -> None:
        if not request.freed:
            request.freed = True
            self._free.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot around one request."""
        await self._free.acquire()
        loop = asyncio.get_running_loop()
        request = _Request(None if self._traced else loop.time())
        if request.sent is not None:
            request.wall = self._wall()
            self._free_at(request, request.sent + self.margin + self._window)
        token = _HOLDER.set(request)
        try:
            yield
        finally:
            _HOLDER.reset(token)
            if not request.freed and not request.answered:
                now = loop.time()
                if request.sent is None:  # nothing left: nothing was counted
                    self._release(request)
                else:
                    self._free_at(request, min(now, request.sent + self.margin) + self._window)


def sweep_sparingly(
    http: object, every: float = SWEEP_EVERY, clock: Callable[[], float] = time.monotonic
) -> None:
    """Make a discord.py HTTP client look for idle route buckets at most once every
    ``every`` seconds.

    discord.py keeps a rate-limit bucket per route and channel, and once it holds 256 it
    looks through all of them for idle ones each time it makes another. A fan-out makes one
    per channel and DM it posts to: at thousands of them that look-through, repeated for
    each new bucket, took most of a posting process's CPU. A bucket is idle only after five
    minutes without a request, so looking every ``every`` seconds frees as many, as soon
    to within ``every``. A client without that method (another discord.py) is left alone.

    Args:
        http: the client's HTTP client (``client.http``).
        every: the least seconds between two looks.
        clock: seconds, monotonic.
    """
    sweep = getattr(http, "_try_clear_expired_ratelimits", None)
    buckets = getattr(http, "_buckets", None)
    if sweep is None or not isinstance(buckets, dict) or getattr(sweep, "sparing", False):
        return
    last = -float("inf")

    def sparing() -> None:
        nonlocal last
        now = clock()
        if len(buckets) >= LOOK_FROM and now - last >= every:
            last = now
            sweep()

    sparing.sparing = True  # type: ignore[attr-defined]
    setattr(http, "_try_clear_expired_ratelimits", sparing)  # noqa: B010
