"""The config file: TOML plus ${ENV} secrets, validated with errors naming file and key."""

from __future__ import annotations

import base64
from datetime import time
from pathlib import Path

import pytest
from helpers.paths import ROOT

from bot.config import ConfigError, database_url, load_config, parse_config
from bot.platforms import check_platforms
from bot.redaction import redact_url
from bot.sections import AdminTarget, parse_duration
from briefings.service.schedules import setting_days

EXAMPLE = ROOT / "config" / "briefbot.example.toml"


def test_the_example_config_is_valid_without_any_secret() -> None:
    settings = load_config(EXAMPLE, environ={})
    assert settings.platforms.console.enabled
    assert not settings.platforms.slack.enabled
    assert settings.sources.feeds == ()
    assert settings.storage.url is None
    assert settings.sources.push.token is None
    assert settings.digest.channels[0].timezone == "Europe/Berlin"
    assert settings.admin_targets() == (AdminTarget("console", "local", "admin", "user"),)
    assert settings.resolve(Path("inbox")) == EXAMPLE.parent / "inbox"


def test_every_section_of_the_example_is_documented() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section in (
        "[storage]",
        "[sources]",
        "[[sources.feeds]]",
        "[[sources.folders]]",
        "[sources.push]",
        "[platforms.console]",
        "[platforms.slack]",
        "[platforms.discord]",
        "[digest]",
        "[notifications]",
        "[delivery]",
        "[summary]",
        "[http]",
        "admins =",
    ):
        at = text.index(section)
        assert text[:at].rstrip().splitlines()[-1].startswith("#"), section


def test_secrets_come_from_the_environment_and_are_not_printed() -> None:
    text = """
    [sources.push]
    token = "${PUSH}"
    [platforms.slack]
    enabled = true
    bot_token = "${SLACK_BOT_TOKEN}"
    mode = "${MODE:-socket}"
    note = "costs $$5"
    """
    env = {"PUSH": "p" * 20, "SLACK_BOT_TOKEN": "xoxb-secret-123"}
    settings = parse_config(text, name="bot.toml", environ=env)
    assert settings.sources.push.token is not None
    assert settings.sources.push.token.get_secret_value() == "p" * 20
    assert "p" * 20 not in repr(settings)
    assert settings.platforms.slack.options() == {
        "bot_token": "xoxb-secret-123",
        "mode": "socket",
        "note": "costs $5",
    }


def test_an_unset_variable_names_the_file_key_and_variable() -> None:
    text = '[platforms.slack]\nenabled = true\nbot_token = "${SLACK_BOT_TOKEN}"\n'
    with pytest.raises(ConfigError) as err:
        parse_config(text, name="bot.toml", environ={})
    assert str(err.value) == (
        "bot.toml: platforms.slack.bot_token: environment variable SLACK_BOT_TOKEN is not set"
    )


def test_an_unset_variable_in_a_disabled_section_is_fine() -> None:
    text = '[platforms.discord]\nenabled = false\ntoken = "${DISCORD_TOKEN}"\n'
    assert not parse_config(text, environ={}).platforms.discord.enabled


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[sources.feeds]]\nurl = "https://x.org/f"\ninterval = "5 minutes"\n',
            "bot.toml: sources.feeds[0].interval: '5 minutes' is not a duration "
            "(use 30s, 15m, 2h or 1d)",
        ),
        (
            '[[sources.feeds]]\nurl = "ftp://x.org/f"\n',
            "bot.toml: sources.feeds[0].url: 'ftp://x.org/f' is not an http(s) URL",
        ),
        (
            '[digest]\ntimezone = "Europe/Berlni"\n',
            "bot.toml: digest.timezone: 'Europe/Berlni' is not an IANA time zone like "
            "Europe/Berlin",
        ),
        (
            '[digest]\ntime = "25:00"\n',
            "bot.toml: digest.time: '25:00' is not a time of day like 08:00",
        ),
        ("[http]\nprot = 80\n", "bot.toml: http.prot: unknown key; did you mean port?"),
        (
            'admins = ["slack-U123"]\n',
            "bot.toml: admins: 'slack-U123' is not platform:workspace:id (e.g. slack:T0123:U0456)",
        ),
        (
            '[sources.push]\ntoken = "short"\n',
            "bot.toml: sources.push.token: the push token must be at least 16 characters",
        ),
        (
            '[summary]\npreset = "long"\n',
            "bot.toml: summary.preset: Input should be 'short', 'standard' or 'full'",
        ),
    ],
)
def test_invalid_values_name_file_and_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text, name="bot.toml", environ={})
    assert str(err.value) == message


def test_broken_toml_and_missing_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^bot\.toml: not valid TOML: .*line 1"):
        parse_config("[http\n", name="bot.toml", environ={})
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "absent.toml", environ={})


def test_config_file_comes_from_the_environment_when_not_given(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text("[http]\nport = 9999\n", encoding="utf-8")
    assert load_config(None, environ={"BRIEFBOT_CONFIG": str(path)}).http.port == 9999
    assert load_config(None, environ={}).http.port == 8080


def test_durations_days_and_times() -> None:
    assert parse_duration("250ms") == 0.25
    assert parse_duration("2h") == 7200
    assert parse_duration(45) == 45
    with pytest.raises(ValueError):
        parse_duration(True)
    assert setting_days("Weekdays") == "weekdays"
    assert setting_days("fri, Monday") == "mon,fri"
    assert setting_days(["sat", "sun"]) == "sat,sun"
    with pytest.raises(ValueError):
        setting_days("someday")
    settings = parse_config('[digest]\ntime = "07:30:15"\n', environ={})
    assert settings.digest.time == time(7, 30, 15)
    assert parse_config("[digest]\ntime = 06:45:00\n", environ={}).digest.time == time(6, 45)


def test_database_url_precedence(tmp_path: Path) -> None:
    settings = parse_config('[storage]\nurl = "sqlite+aiosqlite:///from-config.db"\n', environ={})
    env = {"BRIEFBOT_DB": "postgresql+asyncpg://u:pw@h/db"}
    assert database_url("sqlite+aiosqlite:///cli.db", settings, environ=env).endswith("cli.db")
    assert database_url(None, settings, environ=env) == "postgresql+asyncpg://u:pw@h/db"
    assert database_url(None, settings, environ={}).endswith("/from-config.db")
    bare = database_url(str(tmp_path / "x.db"), None, environ={})
    assert bare == f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    assert redact_url("postgresql+asyncpg://u:pw@h/db") == "postgresql+asyncpg://u:***@h/db"


def test_a_relative_sqlite_path_in_the_file_is_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "bot.toml"
    path.parent.mkdir()
    path.write_text('[storage]\nurl = "sqlite:///data/bot.db"\n', encoding="utf-8")
    settings = load_config(path, environ={})
    expected = f"sqlite+aiosqlite:///{tmp_path / 'conf' / 'data' / 'bot.db'}"
    assert database_url(None, settings, environ={}) == expected
    assert database_url("sqlite:///:memory:", settings, environ={}) == "sqlite:///:memory:"
    absolute = database_url("sqlite+aiosqlite:////srv/bot.db", settings, environ={})
    assert absolute == "sqlite+aiosqlite:////srv/bot.db"


def test_the_default_database_is_the_stores_default() -> None:
    from briefings.store import default_database_url

    assert database_url(None, None, environ={}) == default_database_url()


def test_the_commented_feed_example_is_valid_when_uncommented() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    block = text.split("# [[sources.feeds]]", 1)[1].split("\n\n", 1)[0]
    table = "[[sources.feeds]]" + "\n".join(line.removeprefix("# ") for line in block.split("\n"))
    feed = parse_config(table, environ={}).sources.feeds[0]
    assert (feed.url, feed.interval, feed.full_text) == (
        "https://example.org/sahel/feed.xml",
        900.0,
        "auto",
    )


def test_an_unknown_key_gets_a_did_you_mean() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config('[storage]\nurll = "sqlite:///x.db"\n[platforms.consle]\n', name="b.toml")
    text = str(caught.value)
    assert "b.toml: storage.urll: unknown key; did you mean url?" in text
    assert "b.toml: platforms.consle: unknown key; did you mean console?" in text


_ID = "123456789012345678"
_DISCORD_TOKEN = base64.urlsafe_b64encode(_ID.encode()).decode().rstrip("=") + ".GxYzAb." + "x" * 38


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            '[platforms.discord]\nenabled = true\ntoken = "abc"\n',
            [
                "platforms.discord.token does not look like a Discord bot token",
                "platforms.discord.application_id is missing",
            ],
        ),
        (
            f'[platforms.discord]\nenabled = true\ntoken = "{_DISCORD_TOKEN}"\n',
            [
                f"application_id is missing: copy the Application ID from the Developer Portal's "
                f"General Information page (this token belongs to {_ID})"
            ],
        ),
        (
            '[platforms.slack]\nenabled = true\nmode = "http"\nbot_token = "xoxb-abc"\n'
            'signing_secret = "s"\n',
            [
                "platforms.slack.bot_token does not look like a bot token",
                "platforms.slack.signing_secret does not look like a signing secret",
            ],
        ),
    ],
)
def test_check_config_checks_token_shapes_and_required_ids(table: str, expected: list[str]) -> None:
    settings = parse_config(table, name="c.toml")
    with pytest.raises(ConfigError) as caught:
        check_platforms(settings)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(expected)
    for line, part in zip(lines, expected, strict=True):
        assert part in line


def test_well_shaped_credentials_pass_the_check() -> None:
    table = (
        f'[platforms.discord]\nenabled = true\ntoken = "{_DISCORD_TOKEN}"\n'
        f'application_id = "{_ID}"\n'
        '[platforms.slack]\nenabled = true\nmode = "http"\n'
        'bot_token = "xoxb-1234-5678-AbCdEf012"\n'
        f'signing_secret = "{"0a" * 16}"\n'
    )
    assert check_platforms(parse_config(table)) == ["slack", "discord"]
