"""Settings of an app whose HTTP side is on: the push endpoint, /healthz and /metrics."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, parse_config

TOKEN = "push-token-0123456789"


def http_settings(tmp_path: Path, feed_url: str | None = None) -> Settings:
    """Settings of an app with the console, the push endpoint and, if given, one feed."""
    feeds = f'[[sources.feeds]]\nurl = "{feed_url}"\ninterval = "1h"\n' if feed_url else ""
    text = f"""
admins = ["console:local:admin"]
[platforms.console]
enabled = true
[sources]
report_after = 1
{feeds}
[sources.push]
token = "${{PUSH}}"
max_bytes = 20000
[http]
enabled = true
port = 0
[notifications]
burst = 0
"""
    return parse_config(text, environ={"PUSH": TOKEN}, path=tmp_path / "bot.toml")
