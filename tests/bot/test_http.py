"""The running app's HTTP side: the push endpoint, /healthz and /metrics, over loopback."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from fakes.feed_server import FeedServer
from helpers.http_app import TOKEN, http_settings
from helpers.polling import eventually

from bot.app import App

ARTICLE = {
    "title": "JNIM fighters attack a convoy near Kati",
    "subtitle": "The group claims the attack on fuel tankers bound for Bamako.",
    "url": "https://example.org/push/kati-convoy",
    "published": "2026-11-20",
    "sections": [
        {
            "label": "Details",
            "paragraphs": [
                "On November 19, JNIM fighters attacked a fuel convoy near Kati, burning "
                "ten trucks, the transport union said.",
                "The Malian army said it had sent reinforcements to the road.",
            ],
        }
    ],
}


class Running:
    def __init__(self, app: App, out: io.StringIO, session: aiohttp.ClientSession) -> None:
        self.app = app
        self.out = out
        self.session = session

    @property
    def base(self) -> str:
        assert self.app.http is not None
        return f"http://127.0.0.1:{self.app.http.port}"

    async def push(
        self, body: bytes, *, token: str | None = TOKEN, ctype: str = "application/json"
    ):  # type: ignore[no-untyped-def]
        headers = {"Content-Type": ctype}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.session.post(self.base + "/articles", data=body, headers=headers) as r:
            return r.status, await r.json()


@pytest.fixture
async def running(tmp_path: Path, feeds: FeedServer) -> AsyncIterator[Running]:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500)

    url = feeds.add("/broken.xml", broken)
    out = io.StringIO()
    app = App(
        http_settings(tmp_path, url),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        console_stream=out,
    )
    await app.start()
    async with aiohttp.ClientSession() as session:
        yield Running(app, out, session)
    await app.stop()


async def test_push_needs_the_bearer_token(running: Running) -> None:
    body = json.dumps(ARTICLE).encode()
    assert (await running.push(body, token=None))[0] == 401
    assert (await running.push(body, token="wrong-token-0123456789"))[0] == 401


async def test_a_pushed_article_is_stored_once_and_notifies(running: Running) -> None:
    await running.app.store.subscriptions.subscribe(
        platform="console",
        workspace="local",
        subscriber="you",
        actor_id="jnim",
        now=running.app.clock(),
    )
    body = json.dumps(ARTICLE).encode()
    status, doc = await running.push(body)
    assert status == 201
    words = doc["articles"][0]["words"]
    assert doc == {
        "articles": [
            {
                "id": "https://example.org/push/kati-convoy",
                "outcome": "new",
                "error": None,
                "title": "JNIM fighters attack a convoy near Kati",
                "words": words,
            }
        ],
        "bytes": len(body),
    }
    assert words > 10
    status, doc = await running.push(body)
    assert (status, doc["articles"][0]["outcome"]) == (200, "unchanged")
    # The outbox drain wakes up for the new row.
    assert await eventually(lambda: "New on JNIM" in running.out.getvalue(), 30)
    assert "── @you" in running.out.getvalue()
    assert "JNIM fighters attack a convoy near Kati" in running.out.getvalue()


async def test_push_rejects_oversized_and_broken_bodies(running: Running) -> None:
    status, doc = await running.push(b"x" * 20001, ctype="text/plain")
    assert status == 413 and "20000-byte cap" in doc["error"]
    status, doc = await running.push(b"{broken", ctype="application/json")
    assert status == 422 and "JSON is broken" in doc["error"]


async def test_a_pushed_title_without_a_body_is_refused_as_ingest_refuses_it(
    running: Running,
) -> None:
    status, doc = await running.push(b"x", ctype="text/plain")
    assert status == 422
    assert doc["error"].startswith("not an article: only a title ('x')")
    assert (await running.app.store.counts()).articles == 0
    # A feed pushed whole keeps its entries with a body and refuses the one without.
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        b"<item><title>Curfew in Kati</title><link>https://example.org/kati</link>"
        b"<description>The army imposed a curfew in Kati on Monday after an attack."
        b"</description></item>"
        b"<item><title>Breaking</title><link>https://example.org/breaking</link></item>"
        b"</channel></rss>"
    )
    status, doc = await running.push(feed, ctype="application/rss+xml")
    assert status == 201
    outcomes = {a["id"]: (a["outcome"], a["error"]) for a in doc["articles"]}
    assert outcomes["https://example.org/kati"] == ("new", None)
    assert outcomes["https://example.org/breaking"][0] is None
    assert "not an article" in outcomes["https://example.org/breaking"][1]
    assert (await running.app.store.counts()).articles == 1


async def test_healthz_lists_failing_feeds(running: Running) -> None:
    assert running.app.feeds is not None
    await running.app.feeds.poll_due()
    async with running.session.get(running.base + "/healthz") as r:
        assert r.status == 200
        doc = await r.json()
    assert doc["status"] == "degraded"
    assert doc["store"] == "ok"
    assert doc["adapters"] == ["console"]
    (feed,) = doc["feeds"]
    assert feed["ok"] is False and feed["last_error"] == "HTTP 500 Internal Server Error"
    # The admins hear about it through the outbox; the console wraps the notice, so its
    # words are matched, not its lines.
    assert await eventually(
        lambda: "failed 1 times in a row" in " ".join(running.out.getvalue().split()), 30
    ), running.out.getvalue()
    assert "── @admin" in running.out.getvalue()


async def test_metrics_count_articles_events_deliveries_and_feed_errors(running: Running) -> None:
    await running.push(json.dumps(ARTICLE).encode())
    assert running.app.feeds is not None
    await running.app.feeds.poll_due()
    # The admin notice about the feed is posted: a post to time.
    assert await eventually(lambda: "── @admin" in running.out.getvalue(), 30)
    async with running.session.get(running.base + "/metrics") as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        text = await r.text()
    assert 'briefbot_articles_ingested_total{outcome="new",source="push"} 1.0' in text
    events = next(
        line for line in text.splitlines() if line.startswith("briefbot_events_extracted_total")
    )
    assert float(events.split()[-1]) >= 1
    assert 'briefbot_outbox_deliveries{state="pending"}' in text
    assert "briefbot_feed_errors_total{feed=" in text
    assert 'briefbot_post_latency_seconds_count{platform="console"} 1.0' in text
    assert 'briefbot_deliveries_total{state="sent"} 1.0' in text
