"""briefbot on Slack: slash commands, Block Kit answers, buttons, digests and DMs, via slack-bolt.

Settings and the manifest import no Slack library; :class:`SlackAdapter` (slack-bolt)
is loaded when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.slack.settings import SlackSettings, SlackSettingsError

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter
    from adapters.slack.policy import SlackPolicy

__all__ = ["SlackAdapter", "SlackPolicy", "SlackSettings", "SlackSettingsError"]


def __getattr__(name: str) -> Any:
    if name == "SlackAdapter":
        from adapters.slack.adapter import SlackAdapter

        return SlackAdapter
    if name == "SlackPolicy":
        from adapters.slack.policy import SlackPolicy

        return SlackPolicy
    raise AttributeError(f"module 'adapters.slack' has no attribute {name!r}")
