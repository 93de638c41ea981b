"""A real bot killed with SIGKILL all through a fan-out, and restarted: nothing lost, nothing twice.

``briefbot run`` posts channel digests (some long enough for several messages) and
subscription DMs (some bundled) to the Slack and Discord fakes running in this test. It is
killed again and again: at exact points of a delivery through ``BRIEFBOT_FAULT`` —
including after the post and before its record — and from outside, the moment the fakes
have received a few more messages (so also while a request is on the wire). Each time the
same instance is started again. Before each kill the outbox is topped up until enough
work is left for that kill to land, and the process's exit status (SIGKILL) says that it
did. At the end every story marker must be on its target exactly once.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.fleet import Audit, BotProcess, Platforms, audit, workload
from helpers.polling import eventually

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

MARGIN = 6
"""Deliveries left beyond what a kill needs, so that it lands before the work runs out."""


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
    shape = {"big_every": 4, "per_user": 2, "which": which}
    work = workload(platforms, digests=size, dms=size, **shape)
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
        logs: list[str] = []
        for kill in kills:
            # Every kill gets work enough to land: a fault point passed n times, or n more
            # messages, needs at least n deliveries left (a margin for those in doubt).
            needed = (int(kill.rpartition(":")[2]) if isinstance(kill, str) else kill) + MARGIN
            while await remaining(store) < needed:
                more = workload(platforms, digests=4, dms=4, first=len(work.rows), **shape)
                await store.outbox.enqueue(more.rows, now=datetime.now(UTC))
                work.extend(more)
            env = {"BRIEFBOT_FAULT": kill} if isinstance(kill, str) else {}
            bot = await BotProcess.start(config, url, env=env)
            if isinstance(kill, int):
                target = platforms.post_count() + kill
                posted = await bot.until(lambda: platforms.post_count() >= target, 60)
                bot.kill()
                assert posted, f"{kill} more messages never went out:\n{bot.text()}"
            code = await bot.wait(60)
            logs.append(bot.text())
            # The process says how it ended: a fault point that fired, or the outside kill.
            assert code == -signal.SIGKILL, f"{kill}: the bot ended with {code}:\n{bot.text()}"
            assert bot.errors() == [], bot.text()
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


async def until_done(bot: BotProcess, store: Store, timeout: float = 60) -> bool:
    """Wait (bounded) until every delivery is sent, or the bot ends."""
    done = await eventually(lambda: _sent_or_ended(bot, store), timeout, interval=0.05)
    return done and await remaining(store) == 0


async def _sent_or_ended(bot: BotProcess, store: Store) -> bool:
    return not bot.running or await remaining(store) == 0
