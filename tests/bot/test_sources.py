"""Feed polling and the watched folder, against a loopback HTTP server and a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from fakes.clock import FakeClock
from fakes.feed_server import PAGE, FeedServer, rss
from helpers.polling import eventually

from bot.feeds import FeedHealth, FeedPoller
from bot.fetch import FetchError, fetch
from bot.folder import FolderWatcher
from bot.links import Links
from bot.metrics import Metrics
from bot.sections import FeedSettings
from briefings.model import Article

LONG = " ".join(
    f"Sentence {i} says that the Malian army and JNIM fought near Kidal on Monday."
    for i in range(12)
)


@pytest.fixture
def server(feeds: FeedServer) -> FeedServer:
    return feeds


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"User-Agent": "briefbot-test"}) as s:
        yield s


class Sink:
    def __init__(self) -> None:
        self.batches: list[tuple[list[Article], str]] = []

    async def __call__(self, articles: Sequence[Article], source: str) -> None:
        self.batches.append((list(articles), source))

    @property
    def articles(self) -> list[Article]:
        return [a for batch, _ in self.batches for a in batch]


class Reports:
    def __init__(self) -> None:
        self.failing: list[FeedHealth] = []
        self.recovered: list[FeedHealth] = []

    async def on_failing(self, health: FeedHealth) -> None:
        self.failing.append(health)

    async def on_recovered(self, health: FeedHealth) -> None:
        self.recovered.append(health)


def _poller(
    feeds: list[FeedSettings],
    session: aiohttp.ClientSession,
    clock: FakeClock,
    sink: Sink,
    reports: Reports | None = None,
    metrics: Metrics | None = None,
    links: Links | None = None,
) -> FeedPoller:
    reports = reports or Reports()
    return FeedPoller(
        feeds,
        session=session,
        sink=sink,
        clock=clock,
        on_failing=reports.on_failing,
        on_recovered=reports.on_recovered,
        report_after=3,
        max_backoff=3600,
        teaser_words=40,
        metrics=metrics,
        links=links,
    )


def _items(n: int, base: str = "http://example.invalid/a") -> list[dict[str, str]]:
    return [
        {
            "title": f"JNIM attack number {i} near Kidal",
            "link": f"{base}/{i}",
            "guid": f"{base}/{i}",
            "description": LONG,
            "pubDate": "Mon, 23 Nov 2026 06:00:00 GMT",
        }
        for i in range(n)
    ]


async def test_etag_gives_304_and_nothing_is_handed_on_twice(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    url = server.static("/feed.xml", rss(_items(2)), etag='"v1"')
    clock, sink = FakeClock(), Sink()
    poller = _poller([FeedSettings(url=url, interval=600)], session, clock, sink)
    assert await poller.poll_due() == 1
    assert len(sink.articles) == 2
    assert await poller.poll_due() == 0  # not due yet
    clock.advance(seconds=600)
    assert await poller.poll_due() == 1
    assert server.headers["/feed.xml"][1]["If-None-Match"] == '"v1"'
    assert len(sink.batches) == 1
    health = poller.health()[0]
    assert (health.failing, health.failures, health.last_success) == (False, 0, clock.now)


async def test_new_entries_only_are_handed_on(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    body = {"doc": rss(_items(2))}

    async def changing(request: web.Request) -> web.Response:
        return web.Response(text=body["doc"], content_type="application/rss+xml")

    url = server.add("/feed.xml", changing)
    clock, sink = FakeClock(), Sink()
    poller = _poller([FeedSettings(url=url, interval=60)], session, clock, sink)
    await poller.poll_due()
    body["doc"] = rss(_items(3))
    clock.advance(seconds=60)
    await poller.poll_due()
    assert [len(batch) for batch, _ in sink.batches] == [2, 1]
    assert sink.batches[1][0][0].url == "http://example.invalid/a/2"


async def test_a_failing_feed_backs_off_is_reported_once_and_recovers(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    state = {"broken": True}

    async def flaky(request: web.Request) -> web.Response:
        if state["broken"]:
            return web.Response(status=500, text="oops")
        return web.Response(text=rss(_items(1)), content_type="application/rss+xml")

    url = server.add("/flaky.xml", flaky)
    clock, sink, reports, metrics = FakeClock(), Sink(), Reports(), Metrics()
    poller = _poller([FeedSettings(url=url, interval=60)], session, clock, sink, reports, metrics)
    waits = []
    for _ in range(4):
        start = clock.now
        assert await poller.poll_due() == 1
        waits.append((poller.health()[0].next_poll - start).total_seconds())
        clock.set(poller.health()[0].next_poll)
    assert waits == [120, 240, 480, 960]  # interval x 2^failures
    assert len(reports.failing) == 1
    assert reports.failing[0].failures == 3
    assert reports.failing[0].last_error == "HTTP 500 Internal Server Error"
    assert poller.health()[0].failing
    assert b'briefbot_feed_errors_total{feed="' + url.encode() + b'"} 4.0' in metrics.render()
    state["broken"] = False
    await poller.poll_due()
    assert len(reports.recovered) == 1 and not poller.health()[0].failing
    assert len(sink.articles) == 1


async def test_backoff_is_capped_and_honours_retry_after(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    async def busy(request: web.Request) -> web.Response:
        return web.Response(status=503, headers={"Retry-After": "900"})

    url = server.add("/busy.xml", busy)
    clock = FakeClock()
    poller = _poller([FeedSettings(url=url, interval=60)], session, clock, Sink())
    await poller.poll_due()
    assert (poller.health()[0].next_poll - clock.now).total_seconds() == 900
    for _ in range(8):
        clock.set(poller.health()[0].next_poll)
        await poller.poll_due()
    assert (poller.health()[0].next_poll - clock.now).total_seconds() == 3600


async def test_broken_xml_is_a_feed_error(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    url = server.static("/broken.xml", "<rss><channel><item><title>cut off")
    poller = _poller([FeedSettings(url=url)], session, FakeClock(), sink := Sink())
    await poller.poll_due()
    health = poller.health()[0]
    assert health.failures == 1 and health.last_error
    assert sink.articles == []


async def test_html_instead_of_a_feed_is_a_feed_error(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    url = server.static("/page", PAGE, content_type="text/html")
    poller = _poller([FeedSettings(url=url)], session, FakeClock(), sink := Sink())
    await poller.poll_due()
    assert poller.health()[0].last_error == (
        "the URL returned an HTML page (text/html), not an RSS or Atom feed"
    )
    assert sink.articles == []


async def test_a_slow_server_times_out(server: FeedServer, session: aiohttp.ClientSession) -> None:
    async def slow(request: web.Request) -> web.Response:
        await server.release.wait()
        return web.Response(text="late")

    url = server.add("/slow.xml", slow)
    poller = _poller([FeedSettings(url=url, timeout=0.2)], session, FakeClock(), Sink())
    await poller.poll_due()
    assert poller.health()[0].last_error == "no complete answer within 0.2 s"


async def test_a_20_mb_body_is_cut_off_at_the_cap(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    chunk = b"<!-- padding -->" * 4096  # 64 KiB

    async def huge(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        sent = 0
        try:
            while sent < 20 * 1024 * 1024:
                await resp.write(chunk)
                sent += len(chunk)
                server.streamed["/huge.xml"] = sent
            await resp.write_eof()
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    url = server.add("/huge.xml", huge)
    with pytest.raises(FetchError, match="passed the 1000000-byte cap; stopped reading"):
        await fetch(session, url, timeout=10, max_bytes=1_000_000)
    # A declared length over the cap is refused before reading the body.
    big = server.static("/declared.xml", b"x" * 2_000_000)
    with pytest.raises(FetchError, match="2000000 bytes, over the 1000000-byte cap"):
        await fetch(session, big, timeout=10, max_bytes=1_000_000)
    poller = _poller([FeedSettings(url=url, max_bytes=1_000_000)], session, FakeClock(), Sink())
    await poller.poll_due()
    assert "cap" in (poller.health()[0].last_error or "")
    assert server.streamed["/huge.xml"] < 20 * 1024 * 1024


async def test_teaser_entries_get_their_page_fetched(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    page = server.static("/story", PAGE, content_type="text/html")
    teaser = [
        {
            "title": "Siege of Bamako tightens",
            "link": page,
            "guid": page,
            "description": "JNIM blocks fuel convoys.",
            "pubDate": "Mon, 23 Nov 2026 06:00:00 GMT",
        }
    ]
    url = server.static("/teasers.xml", rss(teaser))
    clock, sink = FakeClock(), Sink()
    # Links reach only public addresses: let the loopback feed server's port count as one.
    port = int(server.base.rsplit(":", 1)[1])
    links = Links(lambda ip, p: p == port)
    poller = _poller([FeedSettings(url=url)], session, clock, sink, links=links)
    try:
        await poller.poll_due()
    finally:
        await links.close()
    (article,) = sink.articles
    assert article.url == page
    assert article.word_count > 100
    assert "residents said" in article.text
    assert server.hits["/story"] == 1


async def test_full_text_never_keeps_the_teaser(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    page = server.static("/story", PAGE, content_type="text/html")
    item = {"title": "Siege", "link": page, "guid": page, "description": "JNIM blocks fuel."}
    url = server.static("/teasers.xml", rss([item]))
    sink = Sink()
    poller = _poller([FeedSettings(url=url, full_text="never")], session, FakeClock(), sink)
    await poller.poll_due()
    assert sink.articles[0].word_count < 40
    assert "/story" not in server.hits


async def test_stored_articles_are_not_handed_on_again(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    url = server.static("/feed.xml", rss(_items(3)))
    asked: list[list[str]] = []

    async def known(ids: Sequence[str]) -> set[str]:
        asked.append(list(ids))
        return {"http://example.invalid/a/0"}

    sink = Sink()
    poller = FeedPoller(
        [FeedSettings(url=url)], session=session, sink=sink, clock=FakeClock(), known=known
    )
    await poller.poll_due()
    assert len(asked[0]) == 3
    assert [a.url for a in sink.articles] == [
        "http://example.invalid/a/1",
        "http://example.invalid/a/2",
    ]


async def test_the_folder_hands_on_new_and_changed_files(tmp_path: Path) -> None:
    got: list[tuple[Path, bytes]] = []

    async def sink(path: Path, data: bytes) -> None:
        got.append((path, data))

    folder = tmp_path / "inbox"
    watcher = FolderWatcher(folder, sink, max_bytes=100)
    assert await watcher.scan() == 0  # created when missing
    (folder / "a.txt").write_text("first", encoding="utf-8")
    (folder / ".hidden.txt").write_text("no", encoding="utf-8")
    (folder / "b.txt.part").write_text("no", encoding="utf-8")
    (folder / "big.txt").write_text("x" * 101, encoding="utf-8")
    assert await watcher.scan() == 1
    assert await watcher.scan() == 0
    (folder / "a.txt").write_text("second version", encoding="utf-8")
    assert await watcher.scan() == 1
    assert [(p.name, d) for p, d in got] == [("a.txt", b"first"), ("a.txt", b"second version")]
    health = watcher.health()
    assert health.ok and health.files == 2


async def test_concurrent_polls_do_not_overlap(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    gate = asyncio.Event()

    async def gated(request: web.Request) -> web.Response:
        await gate.wait()
        return web.Response(text=rss(_items(1)), content_type="application/rss+xml")

    url = server.add("/gated.xml", gated)
    poller = _poller([FeedSettings(url=url)], session, FakeClock(), sink := Sink())
    first = asyncio.create_task(poller.poll_due())
    assert await eventually(lambda: bool(server.hits.get("/gated.xml")), 30)
    assert await poller.poll_due() == 0
    gate.set()
    assert await first == 1
    assert len(sink.articles) == 1


async def test_articles_that_could_not_be_stored_are_fetched_again(
    server: FeedServer, session: aiohttp.ClientSession
) -> None:
    url = server.static("/feed.xml", rss(_items(1)), etag='"v1"')
    clock = FakeClock()
    calls: list[int] = []

    async def flaky_sink(articles: Sequence[Article], source: str) -> None:
        calls.append(len(articles))
        if len(calls) == 1:
            raise OSError("disk full")

    poller = FeedPoller(
        [FeedSettings(url=url, interval=60)], session=session, sink=flaky_sink, clock=clock
    )
    await poller.poll_due()
    assert poller.health()[0].failures == 1
    assert "storing its articles failed" in (poller.health()[0].last_error or "")
    clock.set(poller.health()[0].next_poll)
    await poller.poll_due()
    assert "If-None-Match" not in server.headers["/feed.xml"][1]  # the ETag was not kept
    assert calls == [1, 1] and poller.health()[0].failures == 0


async def test_a_file_that_could_not_be_stored_is_tried_again(tmp_path: Path) -> None:
    calls: list[str] = []

    async def flaky(path: Path, data: bytes) -> None:
        calls.append(path.name)
        if len(calls) == 1:
            raise OSError("database is locked")

    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    watcher = FolderWatcher(tmp_path, flaky)
    assert await watcher.scan() == 0
    assert await watcher.scan() == 1
    assert await watcher.scan() == 0
    assert calls == ["a.txt", "a.txt"]
