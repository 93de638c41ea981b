"""The Discord benchmark: interaction latency through the gateway, and a digest fan-out.

(Named ``discord_bench`` so that it never shadows the ``discord`` package on ``sys.path``.)

1. **Interactions.** The real Discord adapter (discord.py client, command tree, the real
   command layer and answering service) over a SQLite store of 100,000 generated
   articles — the same store the Slack benchmark builds and caches (:mod:`corpus`, seed 7).
   The loopback fake Discord sends 1,000 ``/actor`` and ``/event`` INTERACTION_CREATE
   events over the gateway websocket, one after another; each is timed from sending the
   event to the fake receiving the callback that carries the answer (or, when the adapter
   deferred, the first followup). Twenty warm-up interactions are not counted. The same
   interactions against a command layer with ready answers give what the adapter costs,
   and each command is also run directly on the command layer (no Discord) to show what
   the answering service costs.
2. **Fan-out.** A 12-story digest (two messages) to 200 text channels at once through
   :meth:`DiscordAdapter.publish`, against the fake enforcing Discord's limits: 50
   requests per second globally (fixed one-second windows) and 5 messages per 5 seconds
   per channel. Five channels fail their first post with a 503, five more answer 503 after
   the message did arrive; both are retried the way the outbox retries (the nonce keeps the
   second kind from posting twice). The floor is what the global limit allows for every
   request that must be made (the messages plus the ten failed attempts):
   ``(requests - 1) // 50`` seconds. Lost and duplicated messages are counted on the fake,
   by (channel, nonce).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_bench import ACTOR_QUERIES, EVENT_QUERIES, percentile

INTERACTIONS = 1000
WARM_UP = 20
CHANNELS = 200
GLOBAL_RATE = 50
PER_CHANNEL = (5, 5.0)
FAILING = 5
NOW = datetime(2026, 10, 28, 12, tzinfo=UTC)


async def _store_path() -> Path:
    """The cached 100k-article store the Slack benchmark builds (built now if missing)."""
    from slack_bench import _store_path as shared_store

    return await shared_store()


class _Fixed:
    """A command layer with ready answers: what the adapter alone costs per interaction."""

    def __init__(self, replies: dict[str, Any]) -> None:
        self.replies = replies

    async def handle(self, caller: Any, name: str, text: str = "") -> Any:
        return self.replies[name]

    async def press(self, caller: Any, action: str, value: str) -> Any:
        return self.replies["actor"]


def _settings(fake: Any, **options: Any) -> Any:
    from adapters.discord import DiscordSettings

    return DiscordSettings(
        token=fake.token,
        api_base_url=fake.api_base,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.05,
        **options,
    )


async def _interactions(store_path: Path, count: int, *, alone: bool) -> dict[str, float]:
    """Time ``count`` interactions; ``alone`` answers from ready replies (adapter cost only)."""
    from fakes.discord import FakeDiscord

    from adapters.discord import DiscordAdapter
    from briefings.analysis.actors.gazetteer import Gazetteer
    from briefings.chat.access import Caller
    from briefings.chat.commands import Commands
    from briefings.service.answers import Answers
    from briefings.store import Store

    fake = FakeDiscord()
    guild = fake.add_guild("Bench")
    channel = fake.add_channel(guild, "news")
    user = guild.add_member(fake.add_user("alice"))
    await fake.start()
    store = await Store.open(f"sqlite+aiosqlite:///{store_path}", migrate=False)
    answers = Answers(store, Gazetteer.default(), lambda: NOW)
    await answers.refresh()
    fixed = _Fixed(
        {
            "actor": await answers.profiles.actor_profile("JNIM"),
            "event": await answers.search_events("siege", None),
        }
    )
    adapter = DiscordAdapter(
        _settings(fake), lambda policy: fixed if alone else Commands(answers, policy)
    )
    await adapter.start()
    timings: dict[str, list[float]] = {"actor": [], "event": []}
    service: list[float] = []
    deferred = 0
    layer = Commands(answers, adapter.policy)
    caller = Caller("discord", str(guild.id), str(user.id), str(channel.id))
    try:
        for n in range(count + WARM_UP):
            if n % 2 == 0:
                name, options = "actor", {"name": ACTOR_QUERIES[(n // 2) % len(ACTOR_QUERIES)]}
            else:
                name, options = "event", {"query": EVENT_QUERIES[(n // 2) % len(EVENT_QUERIES)]}
            interaction = await fake.command(name, options, user=user, channel=channel)
            await interaction.answer(timeout=30)
            deferred += interaction.deferred
            assert interaction.answered_at is not None
            if n >= WARM_UP:
                timings[name].append((interaction.answered_at - interaction.sent_at) * 1000)
                if not alone:
                    started = time.perf_counter()
                    await layer.handle(caller, name, next(iter(options.values())))
                    service.append((time.perf_counter() - started) * 1000)
        if fake.violations:
            raise AssertionError(f"the fake saw bad payloads: {fake.violations[:3]}")
    finally:
        await adapter.stop()
        await store.close()
        await fake.close()
    every = timings["actor"] + timings["event"]
    figures = {
        "callback_p50_ms": round(statistics.median(every), 2),
        "callback_p99_ms": round(percentile(every, 0.99), 2),
        "callback_max_ms": round(max(every), 2),
        "actor_p99_ms": round(percentile(timings["actor"], 0.99), 2),
        "event_p99_ms": round(percentile(timings["event"], 0.99), 2),
        "deferred": deferred,
        "interactions": len(every),
    }
    if service:
        figures["service_p50_ms"] = round(statistics.median(service), 2)
        figures["service_p99_ms"] = round(percentile(service, 0.99), 2)
    return figures


async def _fanout() -> dict[str, float]:
    from fakes.discord import FakeDiscord, RateLimits
    from fanouts import NoCommands, post_all, run_figures

    from adapters.base import Target
    from adapters.discord import DiscordAdapter
    from adapters.discord.poster import nonce
    from adapters.discord.render import render
    from briefings.service.replies import Digest, DigestItem, SourceLink

    fake = FakeDiscord(
        rate_limits=RateLimits(global_per_second=GLOBAL_RATE, per_channel=PER_CHANNEL)
    )
    guild = fake.add_guild("Fan-out")
    channels = [fake.add_channel(guild, f"news-{n}") for n in range(CHANNELS)]
    for channel in channels[:FAILING]:
        fake.fail("POST", rf"^channels/{channel.id}/messages$", 503)
    for channel in channels[FAILING : 2 * FAILING]:
        fake.fail("POST", rf"^channels/{channel.id}/messages$", 503, after_accept=True)
    await fake.start()
    adapter = DiscordAdapter(
        _settings(fake, requests_per_second=GLOBAL_RATE), lambda policy: NoCommands()
    )
    items = tuple(
        DigestItem(
            f"story-{n}",
            f"Story {n}: JNIM tightens the siege of Bamako",
            "Fighters cut the roads into the capital; fuel and food prices rise. " * 3,
            ("Convoys were attacked near Kati.", "The junta promised to reopen the roads."),
            (),
            (SourceLink(f"Report {n}", f"https://news.example/{n}", "Sahel Monitor"),),
            4,
            NOW - timedelta(hours=n),
        )
        for n in range(12)
    )
    digest = Digest("Morning briefing", NOW - timedelta(days=1), NOW, items)
    parts = len(render(digest))
    await adapter.start()
    try:
        await fake.until(lambda: fake.global_window_left() == 0)
        targets = [Target("discord", str(guild.id), str(c.id)) for c in channels]
        elapsed, retries = await post_all(adapter, digest, targets)
    finally:
        await adapter.stop()
        await fake.close()
    posted = Counter((int(cid), m["nonce"]) for cid, ms in fake.messages.items() for m in ms)
    expected = {(c.id, nonce(f"d:{c.id}", i)) for c in channels for i in range(parts)}
    requests = len(expected) + 2 * FAILING
    floor = float((requests - 1) // GLOBAL_RATE)
    figures = run_figures(
        channels=CHANNELS, elapsed=elapsed, floor=floor, posted=posted, expected=expected
    )
    return {
        **figures,
        "rate_limited": fake.rate_limited,
        "rate_limited_global": fake.limited_by["global"],
        "retried": retries,
    }


def bench_discord(runs: int) -> dict[str, float]:
    """Interaction latency over 100k articles, then the 200-channel fan-out (median of ``runs``)."""
    from fanouts import bench_platform

    logging.getLogger("discord").setLevel(logging.ERROR)

    async def latencies() -> tuple[dict[str, float], dict[str, float]]:
        store = await _store_path()
        alone = await _interactions(store, INTERACTIONS, alone=True)
        return alone, await _interactions(store, INTERACTIONS, alone=False)

    def describe(figures: dict[str, float], ratios: list[float]) -> str:
        return (
            f"  interactions: p50 {figures['callback_p50_ms']} ms, "
            f"p99 {figures['callback_p99_ms']} ms over {figures['interactions']} "
            f"(/actor p99 {figures['actor_p99_ms']} ms, /event p99 {figures['event_p99_ms']} ms), "
            f"{figures['deferred']} deferred; fan-out ratios {ratios}\n"
            f"  the commands called directly: p50 {figures['service_p50_ms']} ms, "
            f"p99 {figures['service_p99_ms']} ms"
        )

    return bench_platform(
        runs, latencies=latencies, fanout=_fanout, latency="callback", describe=describe
    )
