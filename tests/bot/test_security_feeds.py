"""Attacks through feed content over loopback: SSRF through entry links and redirects,
unbounded teaser fetches, and credentials in feed URLs shown in logs, metrics and health."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from fakes.clock import FakeClock
from fakes.feed_server import PAGE, FeedServer, rss
from helpers.http_app import http_settings
from helpers.polling import eventually

from bot.app import App
from bot.feeds import FeedPoller
from bot.links import MAX_REDIRECTS, LinkRefused, Links, any_address, public_only
from bot.logs import scrub
from bot.metrics import Metrics
from bot.sections import FeedSettings
from briefings.model import Article


class Sink:
    def __init__(self) -> None:
        self.articles: list[Article] = []

    async def __call__(self, articles: Sequence[Article], source: str) -> None:
        self.articles.extend(articles)


@pytest.fixture
async def inside() -> AsyncIterator[FeedServer]:
    """Stands for an internal service: nothing from feed content may reach it."""
    async with FeedServer() as srv:
        srv.static(
            "/secret", PAGE.replace("Siege", "INTERNAL ADMIN PAGE"), content_type="text/html"
        )
        yield srv


@pytest.fixture
def outside(feeds: FeedServer) -> FeedServer:
    """Stands for a public web server (the test's policy treats its port as public)."""
    return feeds


def _port(server: FeedServer) -> int:
    return int(server.base.rsplit(":", 1)[1])


def _teaser(link: str, n: int = 0) -> dict[str, str]:
    return {
        "title": f"Teaser {n}",
        "link": link,
        "guid": f"https://example.org/guid/{n}",
        "description": "JNIM blocks fuel convoys.",
        "pubDate": "Mon, 23 Nov 2026 06:00:00 GMT",
    }


async def _poll(
    feed_url: str, links: Links, max_bytes: int = 5_000_000, **options: int
) -> list[Article]:
    sink = Sink()
    async with aiohttp.ClientSession() as session:
        poller = FeedPoller(
            [FeedSettings(url=feed_url, max_bytes=max_bytes)],
            session=session,
            sink=sink,
            clock=FakeClock(),
            teaser_words=40,
            links=links,
            **options,
        )
        try:
            assert await poller.poll_due() == 1
            assert poller.health()[0].failures == 0
        finally:
            await links.close()
    return sink.articles


async def test_links_to_internal_addresses_are_refused_and_teasers_kept(
    inside: FeedServer,
) -> None:
    port = _port(inside)
    targets = [
        f"http://127.0.0.1:{port}/secret",
        f"http://localhost:{port}/secret",
        f"http://[::1]:{port}/secret",
        f"http://0x7f000001:{port}/secret",
        f"http://2130706433:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        f"http://[::ffff:127.0.0.1]:{port}/secret",
        "file:///etc/passwd",
    ]
    # The operator's configured feed is on loopback and still works: it is trusted.
    feed = inside.static("/feed.xml", rss([_teaser(t, n) for n, t in enumerate(targets)]))
    articles = await _poll(feed, Links(public_only))
    assert inside.hits.get("/feed.xml") == 1
    assert "/secret" not in inside.hits  # nothing internal was fetched
    assert len(articles) == len(targets)  # every teaser is stored
    for article in articles:
        assert "INTERNAL" not in article.text
        assert article.word_count < 40
        assert any(n.startswith("full text not fetched") for n in article.notes), article.url


async def test_a_redirect_to_an_internal_address_is_refused(
    inside: FeedServer, outside: FeedServer
) -> None:
    public = _port(outside)

    def policy(ip: object, port: int) -> bool:  # only the "public" server's port is public
        return port == public

    async def to_inside(request: web.Request) -> web.Response:
        raise web.HTTPFound(inside.url("/secret"))

    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/story")

    outside.add("/jump", to_inside)
    outside.add("/hop", hop)
    outside.static("/story", PAGE, content_type="text/html")
    feed = inside.static(
        "/feed.xml", rss([_teaser(outside.url("/jump"), 0), _teaser(outside.url("/hop"), 1)])
    )
    articles = await _poll(feed, Links(policy))
    by_title = {a.url: a for a in articles}
    jumped = by_title[outside.url("/jump")]
    assert "/secret" not in inside.hits
    assert jumped.word_count < 40 and "full text not fetched" in jumped.notes[-1]
    # A redirect within public addresses is followed, one checked hop at a time.
    hopped = by_title[outside.url("/hop")]
    assert hopped.word_count > 100 and outside.hits["/story"] == 1


async def test_too_many_redirects_are_refused(outside: FeedServer) -> None:
    public = _port(outside)

    async def loop(request: web.Request) -> web.Response:
        n = int(request.query.get("n", "0"))
        raise web.HTTPFound(f"/loop?n={n + 1}")

    outside.add("/loop", loop)
    links = Links(lambda ip, port: port == public)
    try:
        with pytest.raises(LinkRefused, match=f"more than {MAX_REDIRECTS} redirects"):
            await links.fetch(outside.url("/loop"), timeout=5, max_bytes=10_000)
    finally:
        await links.close()
    assert outside.hits["/loop"] == MAX_REDIRECTS + 1


async def test_private_links_are_allowed_when_the_operator_says_so(inside: FeedServer) -> None:
    story = inside.static("/story", PAGE, content_type="text/html")
    feed = inside.static("/feed.xml", rss([_teaser(story)]))
    (article,) = await _poll(feed, Links(any_address))
    assert article.word_count > 100 and inside.hits["/story"] == 1


async def test_teaser_fetches_are_bounded_per_poll(outside: FeedServer) -> None:
    public = _port(outside)
    running = 0
    most = 0
    gate = asyncio.Event()

    async def slow_page(request: web.Request) -> web.Response:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await gate.wait()
        running -= 1
        return web.Response(text=big, content_type="text/html")

    big = PAGE.replace("</body>", "<!--" + "x" * (3_000 - len(PAGE)) + "--></body>")
    outside.add("/page", slow_page)
    entries = [_teaser(outside.url(f"/page?n={n}"), n) for n in range(8)]
    feed = outside.static("/feed.xml", rss(entries))
    links = Links(lambda ip, port: port == public)
    # Each fetch reserves up to the feed's cap (4 kB) from a 10 kB budget; a page is 3 kB.
    task = asyncio.create_task(
        _poll(feed, links, max_bytes=4_000, teaser_concurrency=2, teaser_bytes=10_000)
    )
    assert await eventually(lambda: running == 2, 30)
    gate.set()
    articles = await task
    assert most == 2
    full = [a for a in articles if a.word_count > 100]
    kept = [a for a in articles if a.word_count < 40]
    assert len(articles) == 8 and full and kept and len(full) + len(kept) == 8
    assert outside.hits["/page"] * 3_000 <= 10_000
    assert any("byte budget" in " ".join(a.notes) for a in kept)


async def test_feed_credentials_never_shown(tmp_path: Path, inside: FeedServer) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500)

    inside.add("/private.xml", broken)
    port = _port(inside)
    feed_url = f"http://reader:p%40ss@127.0.0.1:{port}/private.xml?apikey=SEKRIT1&lang=en"
    out = io.StringIO()
    app = App(
        http_settings(tmp_path, feed_url),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        console_stream=out,
    )
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(scrub(record.getMessage()))  # type: ignore[method-assign]
    logging.getLogger("bot").addHandler(handler)
    await app.start()
    try:
        assert app.feeds is not None and app.http is not None
        await app.feeds.poll_due()
        assert inside.hits.get("/private.xml") == 1  # the credentials were used, not shown
        base = f"http://127.0.0.1:{app.http.port}"
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/healthz") as r:
                health = await r.text()
            async with session.get(base + "/metrics") as r:
                metrics = await r.text()
        assert await eventually(lambda: "has failed 1 times" in out.getvalue(), 30)
        shown = [health, metrics, out.getvalue(), *records]
        for place in shown:
            assert "SEKRIT1" not in place and "p%40ss" not in place, place
        assert f"http://reader:***@127.0.0.1:{port}/private.xml?apikey=***&lang=en" in health
        assert "briefbot_feed_errors_total{feed=" in metrics
    finally:
        logging.getLogger("bot").removeHandler(handler)
        await app.stop()


async def test_metric_labels_use_the_feed_name(inside: FeedServer) -> None:
    url = inside.static("/gone.xml", "", status=500) + "?token=SEKRIT2"
    metrics = Metrics()
    async with aiohttp.ClientSession() as session:
        poller = FeedPoller(
            [FeedSettings(url=url, name="Sahel wire")],
            session=session,
            sink=Sink(),
            clock=FakeClock(),
            metrics=metrics,
        )
        await poller.poll_due()
        await poller.close()
    text = metrics.render().decode()
    assert 'briefbot_feed_errors_total{feed="Sahel wire"} 1.0' in text
    assert "SEKRIT2" not in text
