"""A real bot killed with SIGKILL all through a fan-out, and restarted: nothing lost, nothing twice.

``briefbot run`` posts channel digests (some long enough for several messages) and
subscription DMs (some bundled) to the Slack and Discord fakes running in this test. It is
killed again and again: at exact points of a delivery through ``BRIEFBOT_FAULT`` —
including after the post and before its record — and from outside, the moment the fakes
have received a few more messages (so also while a request is on the wire). Each time the
same instance is started again. At the end every story marker must be on its target
exactly once.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.fleet import Audit, BotProcess, Platforms, audit, workload

from briefings.store import Store

KILLS: list[str | int] = [
    "kill_after_send:1",
    "kill_before_send:2",
    3,
    "kill_after_send:3",
    "kill_after_claim:2",
    "kill_after_record:2",
    5,
    "kill_after_send:2",
    "kill_before_send:3",
    2,
    "kill_after_send:4",
    4,
]
"""A fault point and its count, or how many more messages to let through before SIGKILL."""


@pytest.fixture
async def platforms(request: pytest.FixtureRequest) -> AsyncIterator[Platforms]:
    # The history variant's Discord has forgotten every nonce: only the look-up helps.
    nonce_window = 0.0 if request.node.callspec.id == "history" else None
    started = await Platforms.start(channels=8, users=4, nonce_window=nonce_window)
    yield started
    await started.stop()
    assert started.slack.rejected == []
    assert started.discord.violations == []


async def remaining(store: Store) -> int:
    counts = await store.outbox.counts()
    return sum(n for state, n in counts.items() if state != "sent")


@pytest.mark.parametrize(
    ("nonce_window", "which", "kills"),
    [(60.0, ("slack", "discord"), KILLS), (0.0, ("discord",), KILLS[:7])],
    ids=["nonces", "history"],
)
async def test_sigkill_anywhere_loses_nothing_and_repeats_nothing(
    platforms: Platforms,
    sqlite_template: Path,
    tmp_path: Path,
    nonce_window: float,
    which: tuple[str, ...],
    kills: list[str | int],
) -> None:
    """``nonces``: Slack and Discord, Discord settling by sending again with the same
    nonces. ``history``: Discord alone, with every nonce forgotten, settling by comparing
    the channel's recent messages."""
    db = tmp_path / "bot.db"
    db.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite+aiosqlite:///{db}"
    size = 16 if len(which) == 2 else 10
    work = workload(platforms, digests=size, dms=size, big_every=4, per_user=2, which=which)
    store = await Store.open(url, migrate=False)
    try:
        await store.outbox.enqueue(work.rows, now=datetime.now(UTC))
        config = tmp_path / "bot.toml"
        config.write_text(
            platforms.config(
                url,
                instance="crash-1",
                slack="slack" in which,
                delivery={"batch": 4, "concurrency": 2},
                discord_options={"nonce_window": nonce_window},
            ),
            encoding="utf-8",
        )
        killed = 0
        logs: list[str] = []
        for kill in kills:
            if await remaining(store) == 0:
                break
            env = {"BRIEFBOT_FAULT": kill} if isinstance(kill, str) else {}
            bot = await BotProcess.start(config, url, env=env)
            if isinstance(kill, int):
                target = platforms.post_count() + kill
                posted = await until_done(bot, store, lambda: platforms.post_count() >= target)
                bot.kill()
                if not posted:
                    break  # the work ran out before the kill
            elif await until_done(bot, store):  # the work ran out before the fault point
                await bot.until(lambda: "briefbot is running" in bot.text(), 30)
                assert await bot.stop() == 0, bot.text()
            code = await bot.wait(60)
            logs.append(bot.text())
            assert bot.errors() == [], bot.text()
            killed += code == -signal.SIGKILL
        assert killed >= len(kills) - 2, "the fan-out ended before most kills: make it longer"
        bot = await BotProcess.start(config, url)
        try:
            assert await bot.until(lambda: "briefbot is running" in bot.text(), 30), bot.text()
            assert await until_done(bot, store), bot.text()
        finally:
            assert await bot.stop() == 0, bot.text()
        assert bot.errors() == [], bot.text()
        result: Audit = audit(platforms, work)
        assert result.lost == [] and result.duplicated == [] and result.misplaced == [], result
        rows = [await store.outbox.get(r.key) for r in work.rows]
        assert all(r is not None and r.state == "sent" and r.message_ids for r in rows)
        joined = "".join(logs)
        assert "already delivered" in joined  # some deliveries were in doubt, found posted
    finally:
        await store.close()


async def until_done(
    bot: BotProcess, store: Store, sooner: Callable[[], bool] | None = None, timeout: float = 60
) -> bool:
    """Wait (bounded) until ``sooner()`` holds (then True), or until every delivery is sent
    (then True without ``sooner``, else False), or the bot ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and bot.running:
        for _ in range(10):
            if sooner is not None and sooner():
                return True
            await asyncio.sleep(0.01)
        if await remaining(store) == 0:
            return sooner is None
    return sooner is None and await remaining(store) == 0
