"""An end-to-end Slack world: the fake Slack, a store with articles, and the real adapter.

The adapter runs the real slack-bolt ``AsyncApp`` (HTTP or Socket Mode) and the real
command layer and answering service over a SQLite store; only Slack itself is faked.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers.store_samples import MALI, make_analysis

from adapters.slack.adapter import CommandRunner, SlackAdapter
from adapters.slack.settings import SlackSettings
from briefings.chat.access import Policy
from briefings.chat.commands import Commands
from briefings.service.answers import Answers
from briefings.store import Store
from fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack, Posted
from fakes.world import Control, gazetteer

NOW = datetime(2026, 4, 27, 9, 0, tzinfo=UTC)
HOSTILE = "<!channel> <!here> <!everyone> @everyone @here <@U0ALICE> <#C0NEWS>"


@dataclass
class SlackWorld:
    """Everything a Slack end-to-end test touches."""

    fake: FakeSlack
    store: Store
    answers: Answers
    control: Control
    adapter: SlackAdapter

    async def ask(
        self,
        command: str,
        text: str = "",
        *,
        user: str = "U0ALICE",
        channel: str = "C0NEWS",
        parts: int = 1,
    ) -> list[Posted]:
        """Run a slash command and wait (bounded) for ``parts`` messages answering it."""
        exchange = await self.fake.command(command, text, user=user, channel=channel)
        url = exchange.response_url
        await self.fake.wait_for(lambda: len(self.fake.replies_to(url)) >= parts)
        return self.fake.replies_to(url)

    async def press(
        self, action_id: str, value: str, *, user: str = "U0ALICE", channel: str = "C0NEWS"
    ) -> list[Posted]:
        """Press a button and wait (bounded) for the answer."""
        exchange = await self.fake.click(action_id, value, user=user, channel=channel)
        url = exchange.response_url
        await self.fake.wait_for(lambda: len(self.fake.replies_to(url)) >= 1)
        return self.fake.replies_to(url)


def world_fake() -> FakeSlack:
    """A fake workspace: a news channel, a channel without the bot, an archived one, people."""
    fake = FakeSlack()
    fake.add_channel("C0NEWS", "news")
    fake.add_channel("C0QUIET", "quiet", is_member=False)
    fake.add_channel("C0OLD", "old", is_archived=True)
    fake.add_user("U0ALICE", "alice")
    fake.add_user("U0BOSS", "boss", is_admin=True)
    fake.add_user("U0CONF", "conf")
    return fake


async def open_store(template: Path, tmp: Path, extra: Sequence[str] = ()) -> Store:
    """A SQLite store holding the Mali article, a hostile one and ``extra`` paragraphs."""
    path = tmp / "slack.db"
    shutil.copyfile(template, path)
    store = await Store.open(f"sqlite+aiosqlite:///{path}", migrate=False)
    analyses = [
        make_analysis(
            "Mali's junta faces collapse",
            MALI,
            url="https://news.example/mali",
            source="Example News",
            fetched=NOW - timedelta(hours=2),
        ),
        make_analysis(
            f"JNIM siege tightens {HOSTILE}",
            [f"JNIM declared a siege of Bamako. {HOSTILE}", *extra],
            url="https://hostile.example/x?a=1&b=<2>",
            source=f"Hostile {HOSTILE}",
            fetched=NOW - timedelta(hours=1),
        ),
    ]
    try:
        await store.save_many(analyses, now=NOW)
    except BaseException:
        await store.close()
        raise
    return store


async def start_world(
    template: Path,
    tmp: Path,
    mode: str,
    *,
    runner: Callable[[Policy, Answers, Control], CommandRunner] | None = None,
    **options: Any,
) -> SlackWorld:
    """Start the fake, the store and the adapter; the app is connected when this returns."""
    fake = world_fake()
    await fake.start()
    try:
        store = await open_store(template, tmp)
    except BaseException:
        await fake.stop()
        raise
    answers = Answers(store, gazetteer(), lambda: NOW)
    control = Control(answers, "slack")
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN,
        "mode": mode,
        "app_token": APP_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "host": "127.0.0.1",
        "port": 0,
        "api_base_url": fake.api_url,
        "admins": ("U0CONF",),
        "channel_interval": 0.0,
    }
    try:
        settings = SlackSettings(**{**values, **options})
    except BaseException:
        await store.close()
        await fake.stop()
        raise

    def build(policy: Policy) -> CommandRunner:
        if runner is not None:
            return runner(policy, answers, control)
        return Commands(answers, policy, control)

    adapter = SlackAdapter(settings, build)
    control.adapter = adapter
    world = SlackWorld(fake, store, answers, control, adapter)
    try:
        await adapter.start()
        if mode == "http":
            fake.app_url = f"http://127.0.0.1:{adapter.port}{settings.path}"
        else:
            await fake.wait_for(lambda: fake.socket_connected)
    except BaseException:
        await stop_world(world)
        raise
    return world


@asynccontextmanager
async def running_world(
    template: Path,
    tmp: Path,
    mode: str = "http",
    *,
    commands: type[Commands] | None = None,
    **options: Any,
) -> AsyncIterator[SlackWorld]:
    """A started world, stopped on the way out; ``commands`` (a ``Commands`` kind) answers."""
    runner: Callable[[Policy, Answers, Control], CommandRunner] | None = None
    if commands is not None:
        kind = commands

        def runner(policy: Policy, answers: Answers, control: Control) -> CommandRunner:
            return kind(answers, policy, control)

    world = await start_world(template, tmp, mode, runner=runner, **options)
    try:
        yield world
    finally:
        await stop_world(world)


async def stop_world(world: SlackWorld) -> None:
    """Stop the adapter, the store and the fake."""
    await world.adapter.stop()
    await world.store.close()
    await world.fake.stop()
