"""Discord's global request limit: a pacer that counts requests as Discord does, by arrival.

discord.py waits out per-route rate limits itself (it reads the bucket headers);
:class:`Pacer` keeps this process under Discord's global limit of requests a second.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import aiohttp


@dataclass(slots=True)
class _Request:
    """A request holding a slot of the pacer."""

    sent: float | None
    """When it (last) left this process, by the loop's clock; None while it has not."""
    freed: bool = False
    timer: asyncio.TimerHandle | None = None


_HOLDER: ContextVar[_Request | None] = ContextVar("briefbot_discord_slot", default=None)
"""The slot of the request the current task is sending, for the HTTP trace to stamp."""


class Pacer:
    """Keeps requests under a global limit of ``rate`` a second, counted as Discord counts
    them: by when they reach it.

    A request takes one of ``rate × window`` slots before it is sent. Its slot is free again
    ``window`` after the request reached Discord, which is no later than ``margin`` after it
    was sent (the margin covers the trip and the two clocks' disagreement) and no later than
    its answer: at ``min(sent + margin, answer) + window``. No span of ``window`` at Discord
    then holds more than ``rate × window`` of them, and a slow answer (a loaded machine
    reads its sockets late) holds no slot. With ``traced``, "sent" is when the HTTP
    request left, as :attr:`trace` (given to the client as ``http_trace``) stamps it: a
    request that discord.py holds back for a per-route bucket keeps its slot until it goes,
    and is counted from then. Without, it is when the slot was taken.

    Args:
        rate: requests allowed per second.
        window: the length of Discord's window, in seconds.
        margin: the most a request may take to reach Discord, clocks' disagreement included.
        traced: :attr:`trace` is installed on the client that sends the requests.
    """

    def __init__(
        self, rate: float, *, window: float = 1.0, margin: float = 0.05, traced: bool = False
    ) -> None:
        self.limit = max(1, int(rate * window))
        self._window = window
        self._margin = margin
        self._traced = traced
        self._free = asyncio.Semaphore(self.limit)
        self.trace = aiohttp.TraceConfig()
        """Stamps when requests leave; see ``traced``."""
        self.trace.on_request_start.append(self._on_request_start)

    async def _on_request_start(self, *_: object) -> None:
        request = _HOLDER.get()
        if request is not None and not request.freed:
            request.sent = asyncio.get_running_loop().time()
            self._free_at(request, request.sent + self._margin + self._window)

    def _free_at(self, request: _Request, when: float) -> None:
        if request.timer is not None:
            request.timer.cancel()
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
            self._free_at(request, request.sent + self._margin + self._window)
        token = _HOLDER.set(request)
        try:
            yield
        finally:
            _HOLDER.reset(token)
            if not request.freed:
                now = loop.time()
                if request.sent is None:  # nothing left: nothing was counted
                    self._release(request)
                else:
                    self._free_at(request, min(now, request.sent + self._margin) + self._window)
