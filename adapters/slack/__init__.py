"""briefbot on Slack: slash commands, Block Kit answers, buttons, digests and DMs, via slack-bolt.

Settings and the manifest import no Slack library; :class:`SlackAdapter` (slack-bolt)
is loaded when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.slack.settings import SlackSettings, SlackSettingsError

if TYPE_CHECKING:
    from adapters.slack.app import SlackAdapter, SlackPolicy

__all__ = ["SlackAdapter", "SlackPolicy", "SlackSettings", "SlackSettingsError"]


def __getattr__(name: str) -> Any:
    if name in ("SlackAdapter", "SlackPolicy"):
        from adapters.slack import app

        return getattr(app, name)
    raise AttributeError(f"module 'adapters.slack' has no attribute {name!r}")
