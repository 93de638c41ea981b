"""Channel digests: live /digest changes, periods, claims, catch-up and empty digests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.store_samples import make_analysis

from bot.drain import Drain
from bot.platforms import ConsolePolicy
from bot.scheduler import DigestScheduler, job_id, period_end
from bot.sections import DigestDefaults
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.access import Caller, ChannelRef
from briefings.chat.commands import Commands
from briefings.service.answers import Answers
from briefings.service.replies import Digest, Notice
from briefings.store import DigestSettings, Store

W, C = "W1", "C1"
# Monday 23 November 2026; 08:00 in Berlin is 07:00 UTC.
MONDAY_0800 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


class Rig:
    def __init__(
        self, store: Store, gazetteer: Gazetteer, clock: FakeClock, *, grace: float = 7200
    ) -> None:
        self.store = store
        self.clock = clock
        self.answers = Answers(store, gazetteer, clock)
        self.digests = DigestScheduler(
            store,
            self.answers,
            clock=clock,
            defaults=DigestDefaults(grace=grace),
            owner="test",
        )
        self.platform = RecordingPlatform()
        self.drain = Drain(store.outbox, {"chat": self.platform}, clock=clock)
        self.commands = Commands(self.answers, ConsolePolicy(), self.digests)

    async def command(self, text: str) -> object:
        caller = Caller("chat", W, "U1", C)
        name, _, rest = text.partition(" ")
        return await self.commands.handle(caller, name, rest)

    async def setting(self, **changes: object) -> DigestSettings:
        base = DigestSettings("chat", W, C, "08:00", "mon-fri", "Europe/Berlin")
        saved = await self.store.digests.put(
            replace(base, **changes),  # type: ignore[arg-type]
            now=datetime(2026, 11, 1, tzinfo=UTC),
        )
        return saved

    async def article(self, key: str, at: datetime, title: str | None = None) -> None:
        analysis = make_analysis(
            title or f"JNIM story {key}",
            url=f"https://example.org/{key}",
            published=date(2026, 11, 20),
            fetched=at,
            salience={"jnim": 0.8},
        )
        await self.store.save(analysis, now=at)

    async def posted(self) -> list[object]:
        await self.drain.run_once()
        return [p.reply for p in self.platform.to(C)]


def _titles(reply: object) -> list[str]:
    assert isinstance(reply, Digest)
    return [i.headline for i in reply.items]


async def test_digest_commands_reach_the_scheduler_live(store: Store, gazetteer: Gazetteer) -> None:
    rig = Rig(store, gazetteer, FakeClock(datetime(2026, 11, 20, 12, tzinfo=UTC)))
    answer = await rig.command("digest weekdays 08:00 Europe/Berlin")
    assert isinstance(answer, Notice) and answer.kind == "ok"
    job = rig.digests.scheduler.get_job(job_id("chat", W, C))
    assert job is not None
    assert job.trigger.schedule.describe() == "mon-fri 08:00 Europe/Berlin"
    assert rig.digests.next_fire("chat", W, C) == MONDAY_0800  # Friday noon → Monday

    await rig.command("digest 18:30 America/New_York")
    job = rig.digests.scheduler.get_job(job_id("chat", W, C))
    assert job.trigger.schedule.describe() == "mon-fri 18:30 America/New_York"

    await rig.command("digest off")
    assert rig.digests.scheduler.get_job(job_id("chat", W, C)) is None
    await store.outbox.disable_target("chat", W, C, "bot removed", now=rig.clock())
    await rig.command("digest on")
    assert rig.digests.scheduler.get_job(job_id("chat", W, C)) is not None
    assert await store.outbox.disabled_reason("chat", W, C) is None  # re-enabled by /digest on


async def test_a_digest_covers_everything_since_the_previous_one_and_never_repeats(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800)
    rig = Rig(store, gazetteer, clock)
    setting = await rig.setting()
    await rig.article("fri", datetime(2026, 11, 20, 9, tzinfo=UTC))  # after Friday's digest
    await rig.article("sat", datetime(2026, 11, 21, 12, tzinfo=UTC))
    await rig.article("old", datetime(2026, 11, 20, 6, tzinfo=UTC))  # before Friday 08:00
    assert await rig.digests.run_scheduled(setting, MONDAY_0800)
    (monday,) = await rig.posted()
    assert sorted(_titles(monday)) == ["JNIM story fri", "JNIM story sat"]

    tuesday = MONDAY_0800 + timedelta(days=1)
    await rig.article("mon", MONDAY_0800 + timedelta(hours=3))
    clock.set(tuesday)
    setting = await store.digests.get("chat", W, C)
    assert setting is not None and period_end(setting.last_period) == MONDAY_0800
    assert await rig.digests.run_scheduled(setting, tuesday)
    assert _titles((await rig.posted())[-1]) == ["JNIM story mon"]


async def test_a_period_is_claimed_once_across_processes(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800)
    first, second = Rig(store, gazetteer, clock), Rig(store, gazetteer, clock)
    setting = await first.setting()
    await first.article("a", MONDAY_0800 - timedelta(hours=1))
    assert await first.digests.run_scheduled(setting, MONDAY_0800)
    assert not await second.digests.run_scheduled(setting, MONDAY_0800)
    assert not await first.digests.run_scheduled(setting, MONDAY_0800)
    assert len(await first.posted()) == 1
    assert (await second.drain.run_once()).claimed == 0


async def test_an_empty_digest_posts_one_line_or_nothing(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800)
    rig = Rig(store, gazetteer, clock)
    quiet = await rig.setting(post_when_empty=False)
    assert await rig.digests.run_scheduled(quiet, MONDAY_0800)
    assert await rig.posted() == []
    stored = await store.digests.get("chat", W, C)
    assert stored is not None and stored.last_period == "2026-11-23T07:00:00Z"

    tuesday = MONDAY_0800 + timedelta(days=1)
    clock.set(tuesday)
    chatty = await rig.setting(post_when_empty=True)
    assert await rig.digests.run_scheduled(chatty, tuesday)
    (line,) = await rig.posted()
    assert line == Notice("info", "Nothing new since Mon 23 Nov 08:00.")


async def test_the_scheduled_job_finds_its_fire_time_on_the_clock(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800 + timedelta(seconds=3))  # the job runs a little late
    rig = Rig(store, gazetteer, clock)
    await rig.setting()
    await rig.article("a", MONDAY_0800 - timedelta(hours=2))
    await rig.digests.load()
    job = rig.digests.scheduler.get_job(job_id("chat", W, C))
    await job.func(*job.args)
    (digest,) = await rig.posted()
    assert _titles(digest) == ["JNIM story a"]
    stored = await store.digests.get("chat", W, C)
    assert stored is not None and stored.last_period == "2026-11-23T07:00:00Z"


async def test_a_missed_digest_is_posted_once_within_the_grace_window(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800 + timedelta(minutes=90))  # down at 08:00, back at 09:30
    rig = Rig(store, gazetteer, clock, grace=7200)
    await rig.setting()
    await rig.article("a", MONDAY_0800 - timedelta(hours=2))
    assert await rig.digests.load() == 1
    assert len(await rig.posted()) == 1
    restarted = Rig(store, gazetteer, clock, grace=7200)  # a second restart: nothing more
    await restarted.digests.load()
    assert (await restarted.drain.run_once()).claimed == 0
    assert len(rig.platform.posted) == 1


async def test_a_digest_missed_beyond_grace_is_skipped_and_folded_into_the_next(
    store: Store, gazetteer: Gazetteer
) -> None:
    friday = MONDAY_0800 - timedelta(days=3)
    clock = FakeClock(friday)
    rig = Rig(store, gazetteer, clock, grace=7200)
    setting = await rig.setting(post_when_empty=True)
    assert await rig.digests.run_scheduled(setting, friday)
    assert len(await rig.posted()) == 1  # Friday's: nothing new
    await rig.article("a", MONDAY_0800 - timedelta(hours=2))
    clock.set(MONDAY_0800 + timedelta(hours=5))  # down all Monday morning
    await rig.digests.load()
    assert len(await rig.posted()) == 1
    setting = await store.digests.get("chat", W, C)
    assert setting is not None
    tuesday = MONDAY_0800 + timedelta(days=1)
    clock.set(tuesday)
    await rig.article("b", tuesday - timedelta(hours=1))
    assert await rig.digests.run_scheduled(setting, tuesday)
    digest = (await rig.posted())[-1]
    assert sorted(_titles(digest)) == ["JNIM story a", "JNIM story b"]


async def test_digest_now_covers_since_the_last_digest(store: Store, gazetteer: Gazetteer) -> None:
    clock = FakeClock(MONDAY_0800)
    rig = Rig(store, gazetteer, clock)
    setting = await rig.setting()
    await rig.digests.run_scheduled(setting, MONDAY_0800)
    await rig.article("later", MONDAY_0800 + timedelta(hours=1))
    clock.advance(hours=2)
    await rig.digests.post_now(ChannelRef("chat", W, C))
    posted = await rig.posted()
    assert _titles(posted[-1]) == ["JNIM story later"]
    stored = await store.digests.get("chat", W, C)
    assert stored is not None and stored.last_period == "now:2026-11-23T09:00:00Z"
    # The next scheduled digest starts where "now" ended.
    tuesday = MONDAY_0800 + timedelta(days=1)
    clock.set(tuesday)
    await rig.digests.run_scheduled(stored, tuesday)
    assert await rig.posted() == posted  # nothing new since 09:00: skipped, not repeated


async def test_changes_made_by_another_process_arrive_with_the_next_sync(
    store: Store, gazetteer: Gazetteer
) -> None:
    clock = FakeClock(MONDAY_0800)
    here, there = Rig(store, gazetteer, clock), Rig(store, gazetteer, clock)
    assert await here.digests.sync() == []
    await there.command("digest weekdays 09:00 Europe/Berlin")
    await here.digests.sync()
    job = here.digests.scheduler.get_job(job_id("chat", W, C))
    assert job is not None and job.trigger.schedule.describe() == "mon-fri 09:00 Europe/Berlin"
    await there.command("digest 10:00")
    await here.digests.sync()
    job = here.digests.scheduler.get_job(job_id("chat", W, C))
    assert job.trigger.schedule.describe() == "mon-fri 10:00 Europe/Berlin"
    await there.command("digest off")
    await here.digests.sync()
    assert here.digests.scheduler.get_job(job_id("chat", W, C)) is None
