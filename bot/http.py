"""The bot's HTTP server: the push endpoint, ``/healthz`` and Prometheus ``/metrics``.

- ``POST /articles`` (only when ``sources.push.token`` is set): see :mod:`bot.push`.
- ``GET /healthz``: JSON with the store, the adapters, every feed (failing ones
  included) and folder, and the outbox counts; 200 when the store answers (``status``
  is ``degraded`` while a feed is failing), 503 when it does not.
- ``GET /metrics``: the Prometheus text format (see :mod:`bot.metrics`).

Slow, idle and too many clients are cut (see :mod:`adapters.listener`).
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.listener import Limits, Listener
from bot.metrics import Metrics
from bot.push import PushEndpoint
from bot.sections import HttpSettings
from briefings.errors import BriefingError

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]
"""Returns the health document; its ``status`` is ``ok``, ``degraded`` or ``failing``."""

OutboxCounts = Callable[[], Awaitable[dict[str, int]]]

_LISTEN_ADVICE = {
    errno.EADDRINUSE: "another program (another briefbot?) listens there: stop it, or set "
    "[http] port to a free port (0 picks one)",
    errno.EACCES: "ports below 1024 need privileges: set [http] port to 1024 or above",
    errno.EADDRNOTAVAIL: "no network interface of this machine has that address: set "
    "[http] host to one it has (127.0.0.1, or 0.0.0.0 for all)",
}


class ListenError(BriefingError):
    """The HTTP server cannot listen on its configured host and port."""


class HttpServer:
    """Serves push, health and metrics on one port.

    Args:
        settings: host, port and which endpoints to serve.
        health: builds the health document.
        metrics: the process's metrics.
        outbox_counts: the outbox's counts by state (refreshed on each scrape).
        push: the push endpoint, when a token is configured.
    """

    def __init__(
        self,
        settings: HttpSettings,
        *,
        health: HealthCheck,
        metrics: Metrics,
        outbox_counts: OutboxCounts | None = None,
        push: PushEndpoint | None = None,
    ) -> None:
        self._settings = settings
        self._health = health
        self._metrics = metrics
        self._outbox_counts = outbox_counts
        self._push = push
        self._listener: Listener | None = None
        self.port: int | None = None

    def app(self) -> web.Application:
        """The aiohttp application (tests may serve it themselves)."""
        app = web.Application()
        if self._settings.health:
            app.router.add_get("/healthz", self._healthz)
        if self._settings.metrics:
            app.router.add_get("/metrics", self._metrics_page)
        if self._settings.push and self._push is not None:
            app.router.add_post("/articles", self._push.handle)
        return app

    async def start(self) -> None:
        """Listen on the configured host and port (port 0 picks a free one: see ``port``)."""
        s = self._settings
        limits = Limits(s.header_timeout, s.idle_timeout, s.request_timeout, s.max_connections)
        self._listener = Listener(self.app(), s.host, s.port, limits)
        try:
            await self._listener.start()
        except OSError as exc:
            await self.stop()
            raise self._listen_error(exc) from exc
        self.port = self._listener.port
        log.info("HTTP server on %s:%s", self._settings.host, self.port)

    def _listen_error(self, exc: OSError) -> ListenError:
        where = f"{self._settings.host}:{self._settings.port}"
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        advice = _LISTEN_ADVICE.get(exc.errno or 0, "check [http] host and port")
        return ListenError(f"the HTTP server cannot listen on {where}: {reason}; {advice}")

    async def stop(self) -> None:
        """Stop listening; requests in progress finish first."""
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None

    async def _healthz(self, request: web.Request) -> web.Response:
        doc = await self._health()
        return web.json_response(doc, status=503 if doc.get("status") == "failing" else 200)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        if self._outbox_counts is not None:
            try:
                self._metrics.set_outbox(await self._outbox_counts())
            except Exception:
                log.exception("cannot read the outbox counts for /metrics")
        return web.Response(
            body=self._metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
