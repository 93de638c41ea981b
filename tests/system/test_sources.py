"""``briefbot run`` as a real process, fed by every source at once, on SQLite and PostgreSQL.

A feed served on loopback, a watched folder and the push endpoint each bring an article
about JNIM while the bot runs; each is stored, and a subscriber to JNIM is told about
each, on the console. Also: the entries of a feed file without links keep ids of their own
when it is dropped in the folder or pushed. This is the test that sees the bot poll.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from fakes.feed_server import FeedServer
from fakes.fleet import BotProcess

from briefings.store import Store

TOKEN = "push-token-0123456789"


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel wire</title>'
        "<link>https://example.org/</link><description>News</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(title: str, body: str, link: str | None) -> str:
    where = f"<link>{link}</link><guid>{link}</guid>" if link else ""
    return f"<item><title>{title}</title>{where}<description>{body}</description></item>"


FEED_ITEM = item(
    "JNIM fighters attack a convoy near Kati",
    "On November 19, JNIM fighters attacked a fuel convoy near Kati, burning ten trucks, "
    "the transport union said. The Malian army sent reinforcements to the road.",
    "https://example.org/news/kati-convoy",
)
FOLDER_TEXT = (
    "JNIM ambush kills soldiers near the Niger border\n"
    "The attack in the Ménaka region is the deadliest this month.\n"
    "Details. On November 18, JNIM fighters ambushed a Malian army patrol near "
    "Andéramboukane, killing at least 14 soldiers, two security sources said.\n"
)
PUSHED = {
    "title": "JNIM tightens its blockade of Bamako",
    "url": "https://example.org/push/bamako-blockade",
    "published": "2026-11-20",
    "sections": [
        {
            "label": "Details",
            "paragraphs": [
                "On November 20, JNIM fighters stopped fuel trucks on the roads into "
                "Bamako for a third week, traders said.",
            ],
        }
    ],
}
LINKLESS = rss(
    item("Militia clashes reported in Gao", "Clashes were reported in Gao on Monday.", None),
    item("Curfew declared in Gao", "The governor declared a curfew in Gao on Tuesday.", None),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    url: str = request.getfixturevalue("pg_database")
    return url


async def test_run_polls_a_feed_watches_a_folder_takes_pushes_and_tells_a_subscriber(
    tmp_path: Path, feeds: FeedServer, database: str
) -> None:
    entries: list[str] = []

    async def feed(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(text=rss(*entries), content_type="application/rss+xml")

    feed_url = feeds.add("/sahel.xml", feed)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = tmp_path / "bot.toml"
    config.write_text(
        f"""
[[sources.feeds]]
url = "{feed_url}"
name = "sahel"
interval = "1s"
full_text = "never"
[[sources.folders]]
path = "inbox"
interval = "1s"
[sources.push]
token = "{TOKEN}"
[http]
enabled = true
port = 0
[platforms.console]
enabled = true
[notifications]
burst = 0
min_interval = 0
[logging]
format = "json"
""",
        encoding="utf-8",
    )
    store = await Store.open(database)
    try:
        await store.subscriptions.subscribe(
            platform="console",
            workspace="local",
            subscriber="analyst",
            actor_id="jnim",
            now=datetime.now(UTC),
        )
        bot = await BotProcess.start(config, database, stdout=True)
        try:
            assert await bot.until(lambda: "briefbot is running" in bot.text(), 60), bot.text()
            listening = re.search(r"HTTP server on 127\.0\.0\.1:(\d+)", bot.text())
            assert listening is not None, bot.text()
            port = int(listening.group(1))
            # The feed is polled from the start: an empty feed first, then an entry.
            assert await bot.until(lambda: feeds.hits.get("/sahel.xml", 0) >= 1, 30)
            entries.append(FEED_ITEM)
            (inbox / "ambush.txt").write_text(FOLDER_TEXT, encoding="utf-8")
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    f"http://127.0.0.1:{port}/articles",
                    data=json.dumps(PUSHED),
                    headers={
                        "Authorization": f"Bearer {TOKEN}",
                        "Content-Type": "application/json",
                    },
                ) as answer,
            ):
                assert answer.status == 201, await answer.text()
            headlines = (
                "JNIM fighters attack a convoy near Kati",
                "JNIM ambush kills soldiers near the Niger border",
                "JNIM tightens its blockade of Bamako",
            )
            told = "".join

            def every_one_told() -> bool:
                out = told(bot.out)
                return "── @analyst" in out and all(h in out for h in headlines)

            assert await bot.until(every_one_told, 60), bot.text() + told(bot.out)
            # A feed file without links, dropped in the folder: two articles, not one.
            (inbox / "wire.xml").write_text(LINKLESS, encoding="utf-8")
            assert await bot.until(lambda: "wire.xml#2: new" in bot.text(), 30), bot.text()
        finally:
            assert await bot.stop() == 0, bot.text()
        assert bot.errors() == [], bot.text()
        window = await store.articles_between(datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC))
        stored = {a.id for a in window}
        assert {
            "https://example.org/news/kati-convoy",
            "https://example.org/push/bamako-blockade",
        } <= stored
        assert any(i.endswith("ambush.txt") for i in stored)
        assert any(i.endswith("wire.xml#1") for i in stored)
        assert any(i.endswith("wire.xml#2") for i in stored)
    finally:
        await store.close()
