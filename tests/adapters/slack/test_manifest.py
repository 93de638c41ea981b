"""The Slack manifest and settings: exactly the scopes and commands used, errors naming keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers.paths import ROOT

from adapters.slack.manifest import BASE_SCOPES, HISTORY_SCOPES, build_manifest, manifest_yaml
from adapters.slack.settings import COMMANDS, SlackSettings, SlackSettingsError
from bot.cli import main

ADAPTER = ROOT / "adapters" / "slack"

# The Web API methods the adapter calls, and the bot scopes each one needs.
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "conversations_open": {"im:write"},
    "conversations_info": {"channels:read", "groups:read"},
    "users_info": {"users:read"},
    "conversations_history": set(HISTORY_SCOPES),
}


def test_the_scopes_are_exactly_those_of_the_methods_called() -> None:
    source = "\n".join(p.read_text() for p in ADAPTER.glob("*.py"))
    # The poster sends through its own retry-free client, ``posting``.
    called = set(re.findall(r"(?:client|posting)\.(\w+)\(", source))
    assert called == set(METHOD_SCOPES)
    needed = {"commands"}.union(*METHOD_SCOPES.values())
    manifest = build_manifest()
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    without = build_manifest(reconcile=False)
    assert without["oauth_config"]["scopes"]["bot"] == list(BASE_SCOPES)


def test_socket_mode_manifest_has_no_urls() -> None:
    manifest = build_manifest(prefix="bb-")
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"] == {"is_enabled": True}
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/bb-{c}" for c in COMMANDS]
    assert all("url" not in c and c["should_escape"] is False for c in commands)


def test_http_manifest_points_commands_and_interactivity_at_the_url() -> None:
    url = "https://brief.example.org/slack/events"
    manifest = build_manifest(mode="http", request_url=url)
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}
    with pytest.raises(SlackSettingsError, match="public_url"):
        build_manifest(mode="http")


def test_the_example_in_config_is_what_the_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["slack-manifest"]) == 0
    printed = capsys.readouterr().out
    assert printed == (ROOT / "config" / "slack-manifest.example.yaml").read_text()
    assert yaml.safe_load(printed) == build_manifest()
    assert manifest_yaml(build_manifest()) == printed


def test_the_command_reads_the_config_without_needing_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_text(
        '[platforms.slack]\nenabled = true\nmode = "http"\n'
        'bot_token = "${SLACK_TOKEN_THAT_IS_NOT_SET}"\n'
        'signing_secret = "${SLACK_SECRET_THAT_IS_NOT_SET}"\n'
        'public_url = "https://b.example.org/"\npath = "/hooks/slack"\n'
        'command_prefix = "bb-"\n'
    )
    assert main(["slack-manifest", "--config", str(config)]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    assert (
        manifest["settings"]["interactivity"]["request_url"] == "https://b.example.org/hooks/slack"
    )
    assert manifest["features"]["slash_commands"][0]["command"] == "/bb-brief"
    assert main(["slack-manifest", "--config", str(config), "--mode", "socket"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["settings"]["socket_mode_enabled"] is True


def test_a_bad_prefix_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack-manifest", "--prefix", "Bad Prefix"]) == 2
    assert "command_prefix" in capsys.readouterr().err


def test_settings_from_options() -> None:
    settings = SlackSettings.from_options(
        {
            "bot_token": "xoxb-1",
            "mode": "http",
            "signing_secret": "s",
            "admins": ["U0ADMIN"],
            "ack_budget": 1,
            "api_base_url": "http://127.0.0.1:9/api",
        }
    )
    assert settings.admins == ("U0ADMIN",)
    assert settings.ack_budget == 1.0
    assert settings.api_base_url == "http://127.0.0.1:9/api/"
    assert settings.command("brief") == "/brief"


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"bot_token": "xoxp-user"}, "bot_token"),
        ({"bot_token": "xoxb-1", "mode": "socket"}, "app_token"),
        ({"bot_token": "xoxb-1", "mode": "http"}, "signing_secret"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "colour": "red"}, "colour"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "port": "80"}, "port"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "ephemeral": 1}, "ephemeral"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "admins": ["alice"]}, "admins"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "command_prefix": "B "}, "command_prefix"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "ack_budget": 5}, "ack_budget"),
        ({"app_token": "xapp-1"}, "bot_token"),
    ],
)
def test_settings_errors_name_the_key(options: dict[str, object], key: str) -> None:
    with pytest.raises(SlackSettingsError, match=rf"platforms\.slack\.{key}\b"):
        SlackSettings.from_options(options)
