"""Two and four bot processes on one PostgreSQL: 500 scheduled digests and 5,000 subscription
deliveries, each posted exactly once, and the work of a process killed mid-run finished by
the others.

Every process runs the same 500 digest schedules (the (channel, period) claim makes each
digest once), claims outbox rows with ``FOR UPDATE SKIP LOCKED`` under a short lease, and
runs its own Discord shard. One process is SIGKILLed while it holds claimed rows; when its
lease runs out the others take them over, settle those in doubt with the platforms and
send the rest. The fakes' limits are off: this is about correctness, the fan-out
benchmark is about pace.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.fleet import BotProcess, Platforms, audit, workload
from helpers.polling import eventually
from helpers.store_samples import MALI, make_analysis
from sqlalchemy import text

from briefings.store import DigestSettings, Store

DIGESTS = 500
DMS = 5000
HEADLINE = "⟨A.1⟩"
"""The marker in the one article every channel digest carries."""


async def held_by(store: Store, owner: str) -> int:
    async with store.engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT count(*) FROM deliveries WHERE claimed_by = :o"
                " AND state IN ('claimed', 'sending')"
            ),
            {"o": owner},
        )
        return int(result.scalar_one())


async def unsent(store: Store) -> tuple[int, int]:
    """(claims made, outbox rows not yet sent)."""
    async with store.engine.connect() as conn:
        claims = (await conn.execute(text("SELECT count(*) FROM digest_claims"))).scalar_one()
        left = (
            await conn.execute(text("SELECT count(*) FROM deliveries WHERE state <> 'sent'"))
        ).scalar_one()
    return int(claims), int(left)


@pytest.mark.parametrize("processes", [2, 4])
async def test_processes_share_the_work_and_finish_a_dead_ones(
    pg_database: str, tmp_path: Path, processes: int
) -> None:
    platforms = await Platforms.start(channels=DIGESTS // 2, users=DMS // 2 // 5)
    store = await Store.open(pg_database)
    bots: list[BotProcess] = []
    try:
        now = datetime.now(UTC)
        article = make_analysis(f"Mali's junta faces collapse {HEADLINE}", MALI, fetched=now)
        await store.save_many([article], now=now)
        # Every process runs every channel's schedule; it fires once they are all up
        # (one that starts late catches up on it: the claims still make each digest once).
        fire = (now + timedelta(seconds=12 + processes)).replace(microsecond=0)
        work = workload(platforms, digests=0, dms=DMS, per_user=5)
        await store.outbox.enqueue(work.rows, now=now)
        channels = [("slack", "T0FAKE", c) for c in platforms.slack_channels] + [
            ("discord", str(platforms.guild.id), str(c.id)) for c in platforms.discord_channels
        ]
        at = fire.strftime("%H:%M:%S")
        for chunk in range(0, len(channels), 25):
            await asyncio.gather(
                *(
                    store.digests.put(DigestSettings(p, w, c, time_of_day=at), now=now)
                    for p, w, c in channels[chunk : chunk + 25]
                )
            )
        for n in range(processes):
            config = tmp_path / f"bot{n}.toml"
            config.write_text(
                platforms.config(
                    pg_database,
                    instance=f"w{n}",
                    delivery={"lease": "3s", "batch": 50},
                    discord_options={
                        "shard_count": processes,
                        "shard_ids": [n],
                        "requests_per_second": 2000,
                        "sync_commands": n == 0,
                    },
                ),
                encoding="utf-8",
            )
            bots.append(await BotProcess.start(config, pg_database, name=f"w{n}"))
        for bot in bots:
            assert await bot.until(lambda: "briefbot is running" in bot.text(), 90), bot.text()
        victim = bots[0]

        async def frozen_holding_work() -> bool:
            # Frozen, the victim cannot finish what it holds between the look and the kill.
            if await held_by(store, "w0") == 0:
                return False
            victim.pause()
            if await held_by(store, "w0") > 0:
                return True
            victim.resume()
            return False

        async def all_sent() -> bool:
            return await unsent(store) == (DIGESTS, 0)

        assert await eventually(frozen_holding_work, 60, interval=0.005), victim.text()
        victim.kill()
        assert await victim.wait() == -9
        assert await held_by(store, "w0") > 0  # it died holding work
        assert await eventually(all_sent, 120, interval=0.1), (
            await unsent(store),
            bots[1].text()[-3000:],
        )
        for bot in bots[1:]:
            assert await bot.stop() == 0, bot.text()
        for bot in bots:
            assert bot.errors() == [], bot.text()
        result = audit(platforms, work)
        assert result.lost == [] and result.duplicated == [] and result.misplaced == []
        per_channel = {c: 0 for _, _, c in channels}
        for _, channel, body in platforms.posts():
            if HEADLINE in body:
                per_channel[channel] = per_channel.get(channel, 0) + 1
        assert set(per_channel.values()) == {1}, {c: n for c, n in per_channel.items() if n != 1}
        assert len(per_channel) == DIGESTS
        posted = {b.name: b.text().count('"sent ') for b in bots}
        assert all(posted[b.name] > 0 for b in bots[1:]), posted  # the survivors all worked
        assert platforms.slack.rejected == [] and platforms.discord.violations == []
    finally:
        for bot in bots:
            bot.kill()
            await bot.wait(10)
        await store.close()
        await platforms.stop()
