"""Adapters built from the config: each platform's own settings, errors naming file and key."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.clock import FakeClock

from adapters.console.adapter import ConsoleAdapter
from bot.config import ConfigError, Settings, parse_config
from bot.platforms import (
    ConsolePolicy,
    build_adapters,
    check_platforms,
    console_runner,
    describe_running,
)
from bot.scheduler import DigestScheduler
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.commands import Commands
from briefings.service.answers import Answers
from briefings.service.replies import Help, Notice
from briefings.store import Store

SLACK = """
[platforms.slack]
enabled = true
mode = "socket"
bot_token = "${SLACK_BOT_TOKEN}"
app_token = "${SLACK_APP_TOKEN}"
"""
NOW = FakeClock(datetime(2026, 11, 23, 6, tzinfo=UTC))
ENV = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
    "SLACK_APP_TOKEN": "xapp-1-A012-345-abc",  # check-config checks the shape
    "DISCORD": "d.t.x",
}


def _settings(text: str) -> Settings:
    return parse_config(text, name="bot.toml", environ=ENV, path=Path("/etc/briefbot/bot.toml"))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


def test_enabled_platforms_are_validated_without_connecting() -> None:
    settings = _settings("[platforms.console]\nenabled = true\n" + SLACK)
    assert check_platforms(settings) == ["console", "slack"]


def test_a_bad_slack_key_names_the_file_and_the_key() -> None:
    settings = _settings(SLACK + 'colour = "blue"\n')
    with pytest.raises(ConfigError) as err:
        check_platforms(settings)
    assert str(err.value).startswith(
        "/etc/briefbot/bot.toml: platforms.slack.colour is not a Slack setting"
    )


def test_a_missing_discord_token_names_the_file_and_the_key() -> None:
    settings = _settings("[platforms.discord]\nenabled = true\nguild_ids = [1]\n")
    with pytest.raises(ConfigError) as err:
        check_platforms(settings)
    assert str(err.value) == "/etc/briefbot/bot.toml: platforms.discord.token is missing"


async def test_the_console_adapter_answers_through_the_command_layer(store: Store) -> None:
    settings = _settings('[platforms.console]\nenabled = true\nchannel = "ops"\n')
    answers = Answers(store, Gazetteer.default(), NOW)
    control = DigestScheduler(store, answers, clock=NOW)
    out = io.StringIO()
    (console,) = build_adapters(settings, answers, control, console_stream=out)
    assert isinstance(console, ConsoleAdapter)
    assert console.target().id == "ops"
    reply = await console.answer("/help")
    assert isinstance(reply, Help)
    reply = await console.answer("/digest 07:15 Europe/Berlin")
    assert isinstance(reply, Notice) and reply.kind == "ok", reply
    assert control.next_fire("console", "local", "ops") is not None
    assert "This channel's digest runs daily at 07:15 Europe/Berlin" in out.getvalue()


async def test_console_runner_splits_name_and_arguments(store: Store) -> None:
    answers = Answers(store, Gazetteer.default(), NOW)
    commands = Commands(answers, ConsolePolicy(), None)
    run = console_runner(commands, workspace="local", channel="c")
    reply = await run("/ACTOR   xyzzy")
    assert isinstance(reply, Notice) and reply.kind == "not_found"


def test_the_running_line_names_platforms_and_sources_or_says_there_are_none() -> None:
    none = describe_running(_settings(""), [])
    assert none.startswith("briefbot is running; no platform is enabled, so nothing is posted")
    assert "no source is enabled, so articles arrive only by `briefbot ingest`" in none
    full = _settings(
        """
[[sources.feeds]]
url = "http://127.0.0.1:9/a.xml"
[[sources.feeds]]
url = "http://127.0.0.1:9/b.xml"
[[sources.folders]]
path = "inbox"
[sources.push]
token = "a-long-enough-push-token-0123456789"
[http]
enabled = true
"""
    )
    line = describe_running(full, [ConsoleAdapter(stream=io.StringIO())])
    assert line == "briefbot is running; platforms: console; sources: 2 feeds, 1 folder, push"
    no_http = _settings('[sources.push]\ntoken = "a-long-enough-push-token-0123456789"\n')
    assert "no source is enabled" in describe_running(no_http, [])
