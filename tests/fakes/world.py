"""What the Slack and Discord end-to-end worlds share: one gazetteer, and a stand-in scheduler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from helpers.store_samples import NOW

from adapters.base import Adapter, Target
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.access import ChannelRef
from briefings.service.answers import Answers
from briefings.store import DigestSettings

_GAZETTEER: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded once per process."""
    if not _GAZETTEER:
        _GAZETTEER.append(Gazetteer.default())
    return _GAZETTEER[0]


@dataclass
class Control:
    """The scheduler's side of ``/digest``: records changes, posts ``digest now`` at once."""

    answers: Answers
    platform: str
    adapter: Adapter | None = None
    changed: list[DigestSettings] = field(default_factory=list)

    async def on_changed(self, setting: DigestSettings) -> None:
        self.changed.append(setting)

    async def post_now(self, channel: ChannelRef) -> None:
        assert self.adapter is not None
        setting = await self.answers.digest_settings(
            channel.platform, channel.workspace, channel.channel
        )
        assert setting is not None
        digest = await self.answers.channel_digest(setting, NOW - timedelta(days=1), NOW)
        target = Target(self.platform, channel.workspace, channel.channel)
        await self.adapter.publish(target, digest, key=f"now:{channel.channel}")
