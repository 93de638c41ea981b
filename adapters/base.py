"""The adapter contract: what the bot asks of every platform (Slack, Discord, console).

Adapters never import the bot; the bot holds a list of objects that satisfy
:class:`Adapter` and talks to them only through it. A delivery carries an idempotency
``key`` (the outbox row's unique key) that an adapter passes to its platform where the
platform can use it (a Discord message nonce, Slack message metadata), so a resend after
a crash can be reconciled instead of duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from briefings.service.replies import Reply

TargetKind = Literal["channel", "user"]


@dataclass(frozen=True, slots=True)
class Target:
    """Where a message goes: a channel, or a user (a DM), in one workspace or guild."""

    platform: str
    workspace: str
    id: str
    kind: TargetKind = "channel"


@dataclass(frozen=True, slots=True)
class Sent:
    """A delivered message: the platform's ids of every message it took (a long reply is split)."""

    message_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reachability:
    """Whether the bot can post to a target, and if not, why (in words a user can act on)."""

    ok: bool
    reason: str | None = None


class DeliveryError(Exception):
    """A delivery failed.

    ``permanent`` failures (channel gone, bot removed, no permission) must not be retried:
    the bot disables the target and tells the admins. Transient ones are retried, after
    ``retry_after`` seconds when the platform said so.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        retry_after: float | None = None,
        unsent: bool = False,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.unsent = unsent
        """True when provably nothing reached the platform (then no look-up is needed)."""


@runtime_checkable
class Adapter(Protocol):
    """One chat platform, as the bot sees it."""

    @property
    def platform(self) -> str:
        """The platform's name: ``slack``, ``discord`` or ``console``."""
        ...

    async def start(self) -> None:
        """Connect and begin answering commands."""
        ...

    async def stop(self) -> None:
        """Finish in-flight work and disconnect."""
        ...

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        """Post a reply (usually a digest) to a channel, or send it to a user as a DM.

        Raises:
            DeliveryError: the post failed; see its ``permanent`` flag.
        """
        ...

    async def reachable(self, target: Target) -> Reachability:
        """Whether the bot can post to ``target`` now."""
        ...


@dataclass(frozen=True, slots=True)
class Found:
    """What a platform holds of one delivery: per message part, its id, or None if absent.

    ``idempotent`` means the adapter did not look, because posting the whole delivery
    again under the same key cannot duplicate any part (Discord's nonce window).
    """

    parts: tuple[str | None, ...]
    idempotent: bool = False

    @property
    def complete(self) -> bool:
        """Every part is on the platform."""
        return bool(self.parts) and all(p is not None for p in self.parts)

    @property
    def empty(self) -> bool:
        """No part is on the platform (and the adapter looked)."""
        return not self.idempotent and all(p is None for p in self.parts)


@runtime_checkable
class Reconciling(Protocol):
    """An adapter that can find a delivery's messages on its platform after a crash.

    The bot asks it about a delivery whose post began but was not recorded as done (the
    process died, or the platform's answer was lost), before anything is sent again.
    """

    async def find(self, target: Target, reply: Reply, *, key: str, since: datetime) -> Found:
        """Which parts of the message posted under ``key`` the platform has.

        Args:
            target: where it was posted.
            reply: what was posted (rendered the same way again).
            key: the idempotency key it was posted under.
            since: when its post began (the platform's history is searched from a little
                before then).

        Raises:
            DeliveryError: the platform could not be asked.
        """
        ...

    async def complete(self, target: Target, reply: Reply, *, key: str, found: Found) -> Sent:
        """Post the parts ``found`` lacks, under the same key; the ids of every part.

        Raises:
            DeliveryError: the post failed; see its ``permanent`` flag.
        """
        ...
