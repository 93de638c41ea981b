"""A loopback HTTP server that serves feeds and pages, and misbehaves on request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

# An article page, long enough for the page reader to keep.
PAGE = (
    "<html><head><title>Siege tightens</title></head><body><article>"
    "<h1>Siege of Bamako tightens</h1>"
    + "".join(
        f"<p>Paragraph {i}: JNIM fighters blocked fuel convoys on the roads to Bamako, "
        "residents said, and the junta promised to reopen the routes within days.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class FeedServer:
    """Routes registered by tests; counts requests per path and remembers their headers."""

    runner: web.AppRunner | None = None
    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    headers: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    streamed: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def static(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml",
        etag: str | None = None,
        status: int = 200,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body

        async def handler(request: web.Request) -> web.StreamResponse:
            if etag is not None and request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            headers = {"ETag": etag} if etag else {}
            return web.Response(
                body=data, status=status, content_type=content_type, headers=headers
            )

        return self.add(path, handler)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.hits[path] = self.hits.get(path, 0) + 1
        self.headers.setdefault(path, []).append(dict(request.headers))
        handler = self.routes.get(path)
        if handler is None:
            return web.Response(status=404, text="no such page")
        return await handler(request)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self.runner = web.AppRunner(app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self.release.set()
        if self.runner is not None:
            await self.runner.cleanup()

    async def __aenter__(self) -> FeedServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def rss(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 document with the given items (title, link, description, pubDate, guid)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>http://example.invalid/</link>",
        "<description>feed</description>",
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "pubDate"):
            if key in item:
                parts.append(f"<{key}>{item[key]}</{key}>")
        if "description" in item:
            parts.append(f"<description><![CDATA[{item['description']}]]></description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)
