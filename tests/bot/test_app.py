"""The app's wiring: digests seeded from the config, a disabled channel, start and stop."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.polling import eventually

from adapters.base import Adapter
from bot.app import App
from bot.config import ConfigError, parse_config
from bot.scheduler import job_id
from briefings.chat.access import ChannelRef

CONFIG = """
admins = ["console:local:admin"]
[platforms.console]
enabled = true
[digest]
timezone = "Europe/Berlin"
time = "07:30"
[[digest.channels]]
platform = "console"
channel = "sahel"
actors = ["wagner", "JNIM"]
[[digest.channels]]
platform = "console"
channel = "world"
days = "weekends"
time = "10:00"
timezone = "UTC"
post_when_empty = true
"""


def _app(
    tmp_path: Path,
    text: str = CONFIG,
    out: io.StringIO | None = None,
    extra: list[Adapter] | None = None,
) -> App:
    settings = parse_config(text, environ={}, path=tmp_path / "bot.toml")
    return App(
        settings,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        clock=FakeClock(datetime(2026, 11, 23, 5, tzinfo=UTC)),
        console_stream=out or io.StringIO(),
        extra_adapters=extra or [],
    )


async def test_digests_set_in_the_file_are_stored_with_defaults_and_scheduled(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    await app.start()
    try:
        sahel = await app.store.digests.get("console", "local", "sahel")
        assert sahel is not None
        assert (sahel.time_of_day, sahel.days, sahel.timezone) == ("07:30", "*", "Europe/Berlin")
        assert sahel.actors == ("africa-corps", "jnim")
        assert not sahel.post_when_empty
        world = await app.store.digests.get("console", "local", "world")
        assert world is not None
        assert (world.time_of_day, world.days, world.timezone) == ("10:00", "sat,sun", "UTC")
        assert world.post_when_empty
        assert app.scheduler.get_job(job_id("console", "local", "sahel")) is not None
    finally:
        await app.stop()
    # A second start keeps what /digest may have changed since.
    again = _app(tmp_path, CONFIG.replace('time = "07:30"', 'time = "06:00"'))
    await again.start()
    try:
        sahel = await again.store.digests.get("console", "local", "sahel")
        assert sahel is not None and sahel.time_of_day == "07:30"
    finally:
        await again.stop()


async def test_an_unknown_actor_in_a_configured_digest_is_a_config_error(tmp_path: Path) -> None:
    app = _app(tmp_path, CONFIG.replace('"wagner", "JNIM"', '"xyzzy"'))
    with pytest.raises(ConfigError, match=r"bot\.toml: digest\.channels\[0\]\.actors: "):
        await app.start()
    await app.stop()


async def test_a_channel_failing_for_good_loses_its_digest_and_the_admins_hear(
    tmp_path: Path,
) -> None:
    chat = RecordingPlatform(gone={"C9"})
    out = io.StringIO()
    text = CONFIG + '[[digest.channels]]\nplatform = "chat"\nworkspace = "W1"\nchannel = "C9"\n'
    app = _app(tmp_path, text, out, extra=[chat])
    await app.start()
    try:
        assert app.scheduler.get_job(job_id("chat", "W1", "C9")) is not None
        await app.digests.post_now(ChannelRef("chat", "W1", "C9"))
        assert await eventually(lambda: "── @admin" in out.getvalue(), 30)
        assert "briefbot stopped posting to chat channel C9 (workspace W1)" in out.getvalue()
        setting = await app.store.digests.get("chat", "W1", "C9")
        assert setting is not None and not setting.enabled
        assert app.scheduler.get_job(job_id("chat", "W1", "C9")) is None
        assert chat.posted == []
    finally:
        await app.stop()
