"""Two Slack adapters (two bot processes) keep one workspace pace through the store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from fakes.slack import BOT_TOKEN, FakeSlack

from adapters.base import Target
from adapters.slack.adapter import SlackAdapter
from adapters.slack.settings import SlackSettings
from briefings.service.replies import Notice
from briefings.store import Store
from briefings.store.pace import Pace

RATE = 50.0
POSTS = 40


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(workspace_rate=RATE, workspace_burst=8)  # room for timer jitter
    for n in range(POSTS):
        slack.add_channel(f"C{n:03d}", f"c{n}")
    await slack.start()
    yield slack
    await slack.stop()


def adapter(fake: FakeSlack, pace: Pace | None) -> SlackAdapter:
    settings = SlackSettings(
        bot_token=BOT_TOKEN,
        mode="http",
        signing_secret="x",
        api_base_url=fake.api_url,
        channel_interval=0.0,
        workspace_rate=RATE,
        rate_limit_retries=0,
    )
    return SlackAdapter(settings, lambda policy: None, shared_pace=pace)  # type: ignore[arg-type,return-value]


async def fan_out(adapters: list[SlackAdapter]) -> float:
    started = time.monotonic()
    await asyncio.gather(
        *(
            adapters[n % len(adapters)].publish(
                Target("slack", "T0FAKE", f"C{n:03d}"), Notice("info", f"post {n}"), key=f"k{n}"
            )
            for n in range(POSTS)
        ),
        return_exceptions=True,
    )
    for a in adapters:
        await a.stop()
    return time.monotonic() - started


async def test_two_processes_sharing_the_pace_stay_under_the_workspace_limit(
    fake: FakeSlack, store: Store, other_store: Store
) -> None:
    pair = [adapter(fake, Pace(store.engine)), adapter(fake, Pace(other_store.engine))]
    took = await fan_out(pair)
    assert fake.rate_limited == 0
    assert len(fake.posted()) == POSTS
    assert took >= (POSTS - 8) / RATE * 0.9


async def test_two_processes_pacing_alone_overrun_it(fake: FakeSlack) -> None:
    await fan_out([adapter(fake, None), adapter(fake, None)])
    assert fake.rate_limited > 0
