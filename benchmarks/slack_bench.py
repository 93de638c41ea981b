"""The Slack benchmark: command latency through the signed HTTP path, and a digest fan-out.

1. **Commands.** The real Slack adapter (slack-bolt ``AsyncApp`` in HTTP mode, the real
   command layer and answering service) over a SQLite store of 100,000 generated
   articles (:mod:`corpus`, seed 7, 300-500 words; built once and cached in the user cache
   directory by :mod:`bigstore`). The loopback fake Slack sends 1,000 signed
   ``/actor`` and ``/event`` requests one after another; each is timed from sending the
   request to the answer: the ack when the answer fits in it (it does when ready within
   ``ack_budget``), else the ``response_url`` post. A first pass over the 50 distinct
   queries warms the database's pages and is reported apart (``cold_max_ms``: a 2.4 GB
   file read from disk). The same requests against a command layer with ready answers
   give what the adapter itself costs.
2. **Fan-out.** A 15-story digest (two messages) to 200 channels at once through
   :meth:`SlackAdapter.publish` against the fake enforcing one message a second per channel
   and 100 messages a second across the workspace (a burst of 10). Ten channels fail their
   first post with a 5xx (five after the message did arrive), and are retried the way the
   outbox retries. The floor is what those limits allow: ``(messages - burst) / rate``, or
   the per-channel spacing when that is longer. Lost and duplicated messages are counted
   on the fake, by (channel, part).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REQUESTS = 1000
CHANNELS = 200
RATE = 100.0
BURST = 10
CHANNEL_INTERVAL = 1.0

ACTOR_QUERIES = (
    "JNIM", "Russia", "Mali", "Africa Corps", "wagner", "United States", "usa", "Ukraine",
    "EU", "Iran", "Israel", "Hezbollah", "Hamas", "Houthis", "al-Shabaab", "Taliban",
    "ISIS", "RSF", "M23", "Rwanda", "China", "NATO", "African Union", "ECOWAS",
    "Turkey", "Syria", "Cuba", "Niger", "Burkina Faso", "Ethiopia",
)  # fmt: skip
EVENT_QUERIES = (
    "siege", "siege Bamako", "sanctions", "sanctions Iran", "attack", "blockade",
    "withdrew", "ceasefire", "talks", "protest", "drones", "accused", "aid",
    "threatened", "offensive Mali", "troops", "strike", "convoy", "agreement", "arrest",
)  # fmt: skip


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _store_path() -> Path:
    """The cached 100k-article store (:mod:`bigstore`; built from templates when missing)."""
    from bigstore import store_path

    return await store_path()


class _Fixed:
    """A command layer with ready answers: what the adapter alone costs per request."""

    async def handle(self, caller: Any, name: str, text: str = "") -> Any:
        from helpers.replies import EVENTS, PROFILE

        return PROFILE if name == "actor" else EVENTS

    async def press(self, caller: Any, action: str, value: str) -> Any:
        from helpers.replies import PROFILE

        return PROFILE


def slack_settings(api_url: str) -> Any:
    """The Slack adapter's settings in HTTP mode, against the fake at ``api_url``."""
    from fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET

    from adapters.slack.settings import SlackSettings

    return SlackSettings(
        bot_token=BOT_TOKEN,
        mode="http",
        app_token=APP_TOKEN,
        signing_secret=SIGNING_SECRET,
        host="127.0.0.1",
        port=0,
        api_base_url=api_url,
    )


async def _requests(store_path: Path | None, count: int) -> dict[str, float]:
    """Time ``count`` signed requests; ``store_path`` None measures the adapter alone."""
    from fakes.slack import FakeSlack

    from adapters.slack.adapter import SlackAdapter
    from briefings.analysis.actors.gazetteer import Gazetteer
    from briefings.chat.commands import Commands
    from briefings.service.answers import Answers
    from briefings.store import Store

    fake = FakeSlack()
    fake.add_channel("C0NEWS", "news")
    fake.add_user("U0ALICE", "alice")
    await fake.start()
    store = None
    if store_path is not None:
        store = await Store.open(f"sqlite+aiosqlite:///{store_path}", migrate=False)
        now = datetime(2026, 10, 28, 12, tzinfo=UTC)
        answers = Answers(store, Gazetteer.default(), lambda: now)
    settings = slack_settings(fake.api_url)
    adapter = SlackAdapter(
        settings,
        lambda policy: _Fixed() if store is None else Commands(answers, policy),
    )
    await adapter.start()
    fake.app_url = f"http://127.0.0.1:{adapter.port}{settings.path}"
    timings: list[float] = []
    cold: list[float] = []
    late = 0
    warm_up = 2 * max(len(ACTOR_QUERIES), len(EVENT_QUERIES))
    try:
        for n in range(count + warm_up):
            if n % 2 == 0:
                command, text = "/actor", ACTOR_QUERIES[(n // 2) % len(ACTOR_QUERIES)]
            else:
                command, text = "/event", EVENT_QUERIES[(n // 2) % len(EVENT_QUERIES)]
            exchange = await fake.command(command, text)
            answered = exchange.acked_at
            if not exchange.ack:
                late += 1
                url = exchange.response_url
                await fake.wait_for(lambda url=url: fake.replies_to(url) != [], timeout=30)
                answered = fake.replies_to(url)[0].at
            (timings if n >= warm_up else cold).append((answered - exchange.sent_at) * 1000)
        if fake.rejected:
            raise AssertionError(f"the fake rejected answers: {fake.rejected[:3]}")
    finally:
        await adapter.stop()
        if store is not None:
            await store.close()
        await fake.stop()
    return {
        "ack_p50_ms": round(statistics.median(timings), 2),
        "ack_p99_ms": round(percentile(timings, 0.99), 2),
        "ack_max_ms": round(max(timings), 2),
        "cold_max_ms": round(max(cold), 2),
        "answered_after_ack": late,
        "requests": len(timings),
    }


async def _fanout() -> dict[str, float]:
    from fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
    from fanouts import NoCommands, post_all, run_figures
    from helpers.replies import item

    from adapters.base import Target
    from adapters.slack.adapter import SlackAdapter
    from adapters.slack.render import render
    from adapters.slack.settings import SlackSettings
    from briefings.service.replies import Digest

    fake = FakeSlack(channel_interval=CHANNEL_INTERVAL, workspace_rate=RATE, workspace_burst=BURST)
    channels = [f"C{n:05d}" for n in range(CHANNELS)]
    for cid in channels:
        fake.add_channel(cid, cid.lower())
    for cid in channels[:5]:
        fake.fail("chat.postMessage", status=503, channel=cid, after_accept=True)
    for cid in channels[5:10]:
        fake.fail("chat.postMessage", status=500, channel=cid, after=1)
    await fake.start()
    settings = SlackSettings(
        bot_token=BOT_TOKEN,
        mode="http",
        app_token=APP_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_base_url=fake.api_url,
        channel_interval=CHANNEL_INTERVAL,
        workspace_rate=RATE,
    )
    adapter = SlackAdapter(settings, lambda policy: NoCommands())
    now = datetime(2026, 10, 28, 8, tzinfo=UTC)
    digest = Digest(
        "Morning briefing", now - timedelta(days=1), now, tuple(item(n) for n in range(15))
    )
    parts = len(render(digest))
    try:
        targets = [Target("slack", "T0FAKE", cid) for cid in channels]
        elapsed, retries = await post_all(adapter, digest, targets)
    finally:
        await adapter.stop()
        await fake.stop()
    posted = Counter(
        (m.channel, m.raw["metadata"]["event_payload"]["part"])
        for m in fake.posted(via="chat.postMessage")
    )
    expected = {(cid, part) for cid in channels for part in range(parts)}
    floor = max((len(expected) - BURST) / RATE, (parts - 1) * CHANNEL_INTERVAL)
    figures = run_figures(
        channels=CHANNELS, elapsed=elapsed, floor=floor, posted=posted, expected=expected
    )
    return {**figures, "rate_limited": fake.rate_limited, "retried": retries}


def bench_slack(runs: int) -> dict[str, float]:
    """Command latency over 100k articles, then the 200-channel fan-out (median of ``runs``)."""
    from fanouts import bench_platform

    async def latencies() -> tuple[dict[str, float], dict[str, float]]:
        return await _requests(None, REQUESTS), await _requests(await _store_path(), REQUESTS)

    def describe(figures: dict[str, float], ratios: list[float]) -> str:
        return (
            f"  commands: p50 {figures['ack_p50_ms']} ms, p99 {figures['ack_p99_ms']} ms "
            f"over {figures['requests']} requests; fan-out ratios {ratios}"
        )

    return bench_platform(
        runs, latencies=latencies, fanout=_fanout, latency="ack", describe=describe
    )
