"""Discord settings from the config table, the invite link and ``briefbot discord-invite``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from adapters.discord.invite import SCOPES, explain, invite_url, permissions
from adapters.discord.settings import DiscordSettings, DiscordSettingsError
from bot.cli import main


def test_settings_from_the_config_table_coerce_ids_and_lists() -> None:
    settings = DiscordSettings.from_options(
        {
            "token": "abc",
            "application_id": "123456789012345678",
            "guild_ids": [111, "222"],
            "shard_count": 4,
            "shard_ids": [0, 1],
            "manager_roles": ["Digest editors", 333],
            "admin_ids": ["444"],
            "defer_after": 1,
            "ephemeral": False,
        }
    )
    assert settings.application_id == 123456789012345678
    assert settings.guild_ids == (111, 222)
    assert settings.shard_ids == (0, 1) and settings.sharded
    assert settings.manager_roles == ("Digest editors", "333")
    assert settings.admin_ids == (444,)
    assert settings.defer_after == 1.0 and not settings.ephemeral
    assert settings.api_base_url == "https://discord.com/api/v10"
    assert settings.gateway_url == "wss://gateway.discord.gg/"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "platforms.discord.token is missing"),
        ({"token": " "}, "platforms.discord.token is empty"),
        ({"token": "t", "tokn": "x"}, "platforms.discord.tokn is not a Discord setting"),
        ({"token": "t", "guild_ids": "123"}, "platforms.discord.guild_ids must be a list"),
        ({"token": "t", "guild_ids": ["abc"]}, "platforms.discord.guild_ids must be a number"),
        ({"token": "t", "ephemeral": "yes"}, "platforms.discord.ephemeral must be true or false"),
        ({"token": "t", "defer_after": 5}, "defer_after must be between 0 and 3"),
        ({"token": "t", "shard_ids": [0]}, "shard_ids needs platforms.discord.shard_count"),
        ({"token": "t", "shard_count": 2, "shard_ids": [2]}, "numbers in 0..1"),
        ({"token": "t", "api_base_url": "discord.com"}, "api_base_url must be an http(s) URL"),
        ({"token": "t", "gateway_url": "http://x"}, "gateway_url must be a ws(s) URL"),
        ({"token": "t", "max_ratelimit_timeout": 5}, "at least 30"),
        ({"token": "t", "rate_margin": -0.1}, "rate_margin must be at least 0 and less than"),
        ({"token": "t", "rate_window": 0.2, "rate_margin": 0.2}, "less than rate_window"),
    ],
)
def test_bad_settings_name_the_key(options: dict[str, object], message: str) -> None:
    with pytest.raises(DiscordSettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DiscordSettings.from_options(options)


def test_the_invite_asks_for_exactly_the_scopes_and_permissions_used() -> None:
    url = urlparse(invite_url(123456789012345678))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and url.path == "/oauth2/authorize"
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == [" ".join(SCOPES)] == ["bot applications.commands"]
    view, send, embed, threads = 1 << 10, 1 << 11, 1 << 14, 1 << 38
    assert query["permissions"] == [str(view | send | embed | threads)]
    assert permissions().value == view | send | embed | threads
    assert "guild_id=42" in invite_url(1, guild_id=42)
    assert any("Embed Links" in line for line in explain())


def test_the_cli_prints_the_invite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite", "--application-id", "987", "--explain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == invite_url(987)
    assert lines[1].startswith("# scope bot")


def test_the_cli_reads_the_application_id_from_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_text(
        '[platforms.discord]\nenabled = true\ntoken = "${DISCORD_TOKEN}"\napplication_id = "555"\n',
        encoding="utf-8",
    )
    assert main(["discord-invite", "--config", str(config)]) == 0
    assert capsys.readouterr().out.strip() == invite_url(555)


def test_the_cli_explains_a_missing_application_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite"]) == 2
    assert "--application-id" in capsys.readouterr().err
