"""The directory of DM channels a poster consults before opening one, shared by processes."""

from __future__ import annotations

from typing import Protocol


class Directory(Protocol):
    """DM channel ids by (platform, workspace, user), kept by the store
    (:class:`briefings.store.directs.DirectChannels`) for every bot process."""

    async def get(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored DM channel with ``user``, or None."""
        ...

    async def add(self, platform: str, workspace: str, user: str, channel: str) -> str:
        """Store a DM channel just opened unless one is stored; the stored one."""
        ...

    async def forget(self, platform: str, workspace: str, user: str, channel: str) -> None:
        """Forget ``channel`` as the DM with ``user`` (the platform says it is gone)."""
        ...
