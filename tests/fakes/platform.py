"""A recording platform for bot tests: an Adapter that keeps what it was asked to post.

It is a platform, not a stand-in for a library: it implements the Adapter contract the
way a chat platform behaves (posts succeed, a removed channel fails permanently, a busy
platform answers "retry later"), so the outbox, notifier and scheduler run unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from adapters.base import DeliveryError, Found, Reachability, Sent, Target
from briefings.service.replies import Reply


@dataclass
class Posted:
    target: Target
    reply: Reply
    key: str


@dataclass
class RecordingPlatform:
    name: str = "chat"
    posted: list[Posted] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    busy: int = 0
    retry_after: float | None = None
    started: bool = False

    @property
    def platform(self) -> str:
        return self.name

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        if target.id in self.gone:
            raise DeliveryError(f"channel {target.id} not found", permanent=True)
        if self.busy > 0:
            self.busy -= 1
            raise DeliveryError("rate limited", permanent=False, retry_after=self.retry_after)
        self.posted.append(Posted(target, reply, key))
        return Sent((f"m{len(self.posted)}",))

    async def find(self, target: Target, reply: Reply, *, key: str, since: datetime) -> Found:
        """The message posted under ``key`` to ``target``, if any (one part per message)."""
        for n, posted in enumerate(self.posted, 1):
            if posted.key == key and posted.target == target:
                return Found((f"m{n}",))
        return Found((None,))

    async def complete(self, target: Target, reply: Reply, *, key: str, found: Found) -> Sent:
        if found.complete:
            return Sent(tuple(p for p in found.parts if p is not None))
        return await self.publish(target, reply, key=key)

    async def reachable(self, target: Target) -> Reachability:
        if target.id in self.gone:
            return Reachability(False, "channel not found")
        return Reachability(True)

    def to(self, target_id: str) -> list[Posted]:
        return [p for p in self.posted if p.target.id == target_id]
