"""An aiohttp listener that slow, idle and too many clients cannot exhaust.

aiohttp's own server waits for a request's headers and body as long as the client
likes and accepts every connection. :class:`Listener` serves an aiohttp application with

- a **connection cap**: past ``max_connections`` open connections, a new one gets an
  immediate ``503`` and is closed (the descriptors stay bounded);
- a **header timeout**: a connection that has not sent a complete request head within
  ``header_timeout`` seconds of connecting is closed;
- an **idle timeout**: a kept-alive connection idle (or sending a partial request head)
  for ``idle_timeout`` seconds after its last answer is closed;
- a **request timeout**: a request whose body or handling takes longer than
  ``request_timeout`` seconds gets a ``408``.

It is no substitute for a reverse proxy in front of an internet-facing port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

_WARN_EVERY = 60.0
"""Seconds between two warnings about connections refused at the cap."""

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n"
    b"Content-Length: 31\r\nRetry-After: 1\r\n\r\ntoo many connections; try again"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a client may take and how many may be connected at once."""

    header_timeout: float = 10.0
    idle_timeout: float = 30.0
    request_timeout: float = 60.0
    max_connections: int = 256

    def __post_init__(self) -> None:
        if min(self.header_timeout, self.idle_timeout, self.request_timeout) <= 0:
            raise ValueError("the HTTP timeouts must be positive")
        if self.max_connections < 1:
            raise ValueError("the HTTP connection cap must be at least 1")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Guard(asyncio.Protocol):
    """Stands between the socket and aiohttp's protocol: counts, caps and times it."""

    def __init__(self, listener: Listener) -> None:
        self._listener = listener
        self._inner: Any = None
        self._transport: asyncio.Transport | None = None
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        listener = self._listener
        if len(listener.open) >= listener.limits.max_connections:
            listener.refused_one()
            transport.write(_BUSY)
            transport.close()
            return
        listener.open[transport] = self
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(listener.limits.header_timeout, self._too_slow)
        assert listener.server is not None
        self._inner = listener.server()
        self._inner.connection_made(transport)

    def request_started(self) -> None:
        """A complete request head arrived: the header deadline no longer applies."""
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self._transport is not None and not self._transport.is_closing():
            log.debug("HTTP: closed a connection that sent no complete request in time")
            self._transport.abort()

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._listener.open.pop(self._transport, None)
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self._inner is not None:
            self._inner.connection_lost(exc)
            self._inner = None


class Listener:
    """Serves one aiohttp application on a host and port, within :class:`Limits`.

    Args:
        app: the application.
        host: the address to listen on.
        port: the port (0 picks a free one: see ``port`` after :meth:`start`).
        limits: the timeouts and the connection cap.
    """

    def __init__(self, app: web.Application, host: str, port: int, limits: Limits) -> None:
        self.limits = limits
        self.host = host
        self.port = port
        self.open: dict[asyncio.BaseTransport, _Guard] = {}
        self.server: web.Server | None = None
        app.middlewares.append(self._timed)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, keepalive_timeout=limits.idle_timeout
        )
        self._listening: asyncio.Server | None = None
        self._refused = 0
        self._warned = float("-inf")

    def refused_one(self) -> None:
        """Count a connection refused at the cap; say so at most once a minute."""
        self._refused += 1
        now = asyncio.get_running_loop().time()
        if now - self._warned >= _WARN_EVERY:
            log.warning(
                "HTTP: %d connections open (the cap); refused %d since the last warning",
                len(self.open),
                self._refused,
            )
            self._warned, self._refused = now, 0

    @web.middleware
    async def _timed(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        guard = self.open.get(request.transport) if request.transport is not None else None
        if guard is not None:
            guard.request_started()
        try:
            async with asyncio.timeout(self.limits.request_timeout):
                return await handler(request)
        except TimeoutError:
            return web.Response(
                status=408, text="the request took too long", headers={"Connection": "close"}
            )

    async def start(self) -> None:
        """Listen; ``port`` then holds the port actually bound."""
        await self._runner.setup()
        self.server = self._runner.server
        loop = asyncio.get_running_loop()
        self._listening = await loop.create_server(
            lambda: _Guard(self), self.host, self.port, reuse_address=True
        )
        self.port = self._listening.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening; requests in progress finish first, idle connections close."""
        if self._listening is not None:
            self._listening.close()
        await self._runner.cleanup()
        if self._listening is not None:
            for guard in list(self.open.values()):
                if guard._transport is not None:
                    guard._transport.abort()
            await self._listening.wait_closed()
            self._listening = None
