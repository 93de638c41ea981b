"""The bot's HTTP server: the push endpoint, ``/healthz`` and Prometheus ``/metrics``.

- ``POST /articles`` (only when ``sources.push.token`` is set): a newsroom system pushes
  one article (text, Markdown, HTML or the documented JSON form, by Content-Type) or a
  feed document, with ``Authorization: Bearer <token>``. Optional query parameters:
  ``url``, ``published`` (YYYY-MM-DD) and ``source``. Answers 201 when something new was
  stored, 200 when it was known already, 401 without the right token, 413 over the size
  cap, 422 when the body is not an article; the JSON body lists each article's outcome.
- ``GET /healthz``: JSON with the store, the adapters, every feed (failing ones
  included) and folder, and the outbox counts; 200 when the store answers (``status``
  is ``degraded`` while a feed is failing), 503 when it does not.
- ``GET /metrics``: the Prometheus text format (see :mod:`bot.metrics`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.config import HttpSettings, PushSettings
from bot.metrics import Metrics
from bot.pipeline import Pipeline

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]
"""Returns the health document; its ``status`` is ``ok``, ``degraded`` or ``failing``."""

OutboxCounts = Callable[[], Awaitable[dict[str, int]]]

_FORMATS = {
    "application/json": "json",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
}


class PushEndpoint:
    """``POST /articles``: authenticated article intake.

    Args:
        settings: the token and the size cap.
        pipeline: where the articles go.
    """

    def __init__(self, settings: PushSettings, pipeline: Pipeline) -> None:
        if settings.token is None:
            raise ValueError("the push endpoint needs sources.push.token")
        self._token = settings.token.get_secret_value().encode("utf-8")
        self._max_bytes = settings.max_bytes
        self._pipeline = pipeline

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        return hmac.compare_digest(token.strip().encode("utf-8"), self._token)

    async def handle(self, request: web.Request) -> web.Response:
        """Take one pushed article or feed."""
        if not self._authorised(request):
            return web.json_response(
                {"error": "a valid 'Authorization: Bearer <token>' header is required"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="briefbot"'},
            )
        if request.content_length is not None and request.content_length > self._max_bytes:
            return _too_large(self._max_bytes)
        body = await request.content.read(self._max_bytes + 1)
        if len(body) > self._max_bytes:
            return _too_large(self._max_bytes)
        published: date | None = None
        if "published" in request.query:
            try:
                published = date.fromisoformat(request.query["published"])
            except ValueError:
                return web.json_response(
                    {"error": "published must be a date like 2026-04-27"}, status=422
                )
        kind = _FORMATS.get(request.content_type, "auto")
        outcomes = await self._pipeline.data(
            body,
            source="push",
            name=request.query.get("source") or request.query.get("url"),
            format=kind,
            url=request.query.get("url"),
            published=published,
        )
        items = [{"id": o.id, "outcome": o.outcome, "error": o.error} for o in outcomes]
        if outcomes and all(o.error is not None for o in outcomes):
            return web.json_response({"articles": items, "error": outcomes[0].error}, status=422)
        status = 201 if any(o.outcome == "new" for o in outcomes) else 200
        return web.json_response({"articles": items}, status=status)


def _too_large(cap: int) -> web.Response:
    return web.json_response({"error": f"the body is over the {cap}-byte cap"}, status=413)


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
        self._runner: web.AppRunner | None = None
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
        self._runner = web.AppRunner(self.app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._settings.host, self._settings.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self._settings.port
        log.info("HTTP server on %s:%s", self._settings.host, self.port)

    async def stop(self) -> None:
        """Stop listening; requests in progress finish first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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
