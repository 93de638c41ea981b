"""Command latency while articles pour in: Slack and Discord answers, idle and during a burst.

One event loop holds what ``briefbot run`` holds: the store, the pipeline with its worker
pool, the Slack adapter (HTTP mode, slack-bolt) and the Discord adapter (discord.py), each
against its loopback fake. Commands alternate between ``/actor`` and ``/event`` on both
platforms, first with nothing else to do, then while a burst of 500 articles — ten of them
about 1 MB of name-dense text — goes through the pipeline as pushes do (16 at a time).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ACTOR_QUERIES = ("JNIM", "wagner", "Mali", "Houthis", "United States")
EVENT_QUERIES = ("siege", "blockade Bamako", "drone strike", "sanctions", "ceasefire")
BIG = 1_000_000
WARM_UP = 20


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _large(n: int) -> bytes:
    """About 1 MB of text whose every paragraph names new people, units and places."""
    lines = [f"Fighting spreads along the northern roads, part {n}", ""]
    size = 0
    k = 0
    while size < BIG:
        k += 1
        line = (
            f"On March {k % 28 + 1}, fighters of the Northern Front {k} attacked a convoy near "
            f"Tessalit {k}, commander Amadou Keita {k} told reporters, and the Malian army "
            f"said it had sent reinforcements from Gao {k} after the Kidal {k} council asked."
        )
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines).encode("utf-8")


class _Platforms:
    """The Slack and Discord adapters, started against their fakes, sending commands."""

    async def start(self, commands: Any) -> None:
        from discord_bench import _settings
        from fakes.discord import FakeDiscord
        from fakes.slack import FakeSlack
        from slack_bench import slack_settings

        from adapters.discord import DiscordAdapter
        from adapters.slack.adapter import SlackAdapter

        self.slack = FakeSlack()
        self.slack.add_channel("C0NEWS", "news")
        self.slack.add_user("U0ALICE", "alice")
        await self.slack.start()
        settings = slack_settings(self.slack.api_url)
        self.slack_adapter = SlackAdapter(settings, commands)
        await self.slack_adapter.start()
        self.slack.app_url = f"http://127.0.0.1:{self.slack_adapter.port}{settings.path}"
        self.discord = FakeDiscord()
        guild = self.discord.add_guild("Bench")
        self.channel = self.discord.add_channel(guild, "news")
        self.user = guild.add_member(self.discord.add_user("alice"))
        await self.discord.start()
        self.discord_adapter = DiscordAdapter(_settings(self.discord), commands)
        await self.discord_adapter.start()

    async def stop(self) -> None:
        await self.slack_adapter.stop()
        await self.discord_adapter.stop()
        await self.slack.stop()
        await self.discord.close()
        if self.slack.rejected or self.discord.violations:
            raise AssertionError("a fake saw bad payloads")

    async def slack_ms(self, n: int) -> float:
        if n % 2:
            exchange = await self.slack.command("/actor", ACTOR_QUERIES[n % len(ACTOR_QUERIES)])
        else:
            exchange = await self.slack.command("/event", EVENT_QUERIES[n % len(EVENT_QUERIES)])
        answered = exchange.acked_at
        if not exchange.ack:  # answered later through response_url
            url = exchange.response_url
            await self.slack.wait_for(lambda: self.slack.replies_to(url) != [], timeout=30)
            answered = self.slack.replies_to(url)[0].at
        return float((answered - exchange.sent_at) * 1000)

    async def discord_ms(self, n: int) -> float:
        if n % 2:
            name, options = "actor", {"name": ACTOR_QUERIES[n % len(ACTOR_QUERIES)]}
        else:
            name, options = "event", {"query": EVENT_QUERIES[n % len(EVENT_QUERIES)]}
        interaction = await self.discord.command(
            name, options, user=self.user, channel=self.channel
        )
        await interaction.answer(timeout=30)
        return float((interaction.answered_at - interaction.sent_at) * 1000)


async def _measure(
    platforms: _Platforms, until: asyncio.Task[Any] | None, count: int
) -> dict[str, list[float]]:
    """Commands one after another, ``count`` of them or until ``until`` is done."""
    out: dict[str, list[float]] = {"slack": [], "discord": []}
    n = 0
    while (until is None and n < count) or (until is not None and not until.done()):
        out["slack"].append(await platforms.slack_ms(n))
        out["discord"].append(await platforms.discord_ms(n))
        n += 1
    return out


async def _run(burst: int, bigs: int) -> dict[str, Any]:
    from corpus import generate

    from bot.app import SWITCH_INTERVAL
    from bot.pipeline import Pipeline
    from bot.workers import AnalysisPool, Limits
    from briefings.analysis.pipeline import Analyzer
    from briefings.chat.commands import Commands
    from briefings.service.answers import Answers
    from briefings.store import Store

    sys.setswitchinterval(SWITCH_INTERVAL)  # as briefbot run does
    with tempfile.TemporaryDirectory(prefix="briefbot-burst-") as tmp:
        store = await Store.open(f"sqlite+aiosqlite:///{Path(tmp) / 'burst.db'}")
        analyzer = Analyzer()
        now = datetime(2026, 10, 28, 12, tzinfo=UTC)
        answers = Answers(store, analyzer.gazetteer, lambda: now)
        pool = AnalysisPool(workers=0, limits=Limits(60_000, 20.0))
        pipeline = Pipeline(store, pool, clock=lambda: now, actors=analyzer.gazetteer.actors)
        await pipeline.prepare()
        texts = [g.text.encode("utf-8") for g in generate(200 + burst, seed=5)]
        await asyncio.gather(
            *(pipeline.data(t, source="seed", name=f"seed-{i}") for i, t in enumerate(texts[:200]))
        )
        await answers.refresh()
        platforms = _Platforms()
        await platforms.start(lambda policy: Commands(answers, policy))
        try:
            await _measure(platforms, None, WARM_UP)  # first requests build caches: not counted
            idle = await _measure(platforms, None, 200)
            inputs = texts[200 : 200 + burst - bigs] + [_large(i) for i in range(bigs)]
            gate = asyncio.Semaphore(16)

            async def push(i: int, data: bytes) -> None:
                async with gate:
                    await pipeline.data(data, source="push", name=f"burst-{i}")

            started = time.perf_counter()
            work = asyncio.ensure_future(
                asyncio.gather(*(push(i, d) for i, d in enumerate(_spread(inputs, bigs))))
            )
            busy = await _measure(platforms, work, 0)
            await work
            took = time.perf_counter() - started
        finally:
            await platforms.stop()
            await pool.close()
            await store.close()
    figures: dict[str, Any] = {"burst_articles": burst, "burst_large": bigs}
    figures["burst_seconds"] = round(took, 1)
    figures["pool_workers"] = pool.workers
    for name, timings in (("idle", idle), ("burst", busy)):
        for platform, values in timings.items():
            figures[f"{platform}_{name}_p50_ms"] = round(statistics.median(values), 2)
            figures[f"{platform}_{name}_p99_ms"] = round(_percentile(values, 0.99), 2)
            figures[f"{platform}_{name}_commands"] = len(values)
    return figures


def _spread(inputs: list[bytes], bigs: int) -> list[bytes]:
    """The large inputs placed evenly through the burst, not all at its end."""
    small = [d for d in inputs if len(d) < BIG]
    large = [d for d in inputs if len(d) >= BIG]
    step = max(1, len(small) // max(1, bigs))
    out: list[bytes] = []
    for i, data in enumerate(small):
        if i % step == 0 and large:
            out.append(large.pop())
        out.append(data)
    return out + large


def bench_burst(runs: int, *, burst: int = 500, bigs: int = 10) -> dict[str, Any]:
    """Median figures of ``runs`` runs (each idle, then under the burst)."""
    results = [asyncio.run(_run(burst, bigs)) for _ in range(runs)]
    out: dict[str, Any] = {"runs": runs}
    for key in results[0]:
        values = [r[key] for r in results]
        out[key] = statistics.median(values) if isinstance(values[0], float | int) else values[0]
    for platform in ("slack", "discord"):
        idle, busy = (f"{platform}_idle_", f"{platform}_burst_")
        print(
            f"{platform}: command p99 idle {out[idle + 'p99_ms']:.1f} ms, during the burst "
            f"{out[busy + 'p99_ms']:.1f} ms (p50 {out[idle + 'p50_ms']:.1f} / "
            f"{out[busy + 'p50_ms']:.1f} ms, {out[busy + 'commands']} commands in the burst)"
        )
    print(
        f"burst: {burst} articles, {bigs} of about 1 MB, in {out['burst_seconds']} s "
        f"with {out['pool_workers']} analysis worker(s)"
    )
    return out
