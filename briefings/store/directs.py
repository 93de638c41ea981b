"""The DM channels the bot has opened, per platform, workspace and user, shared by processes.

Opening a user's DM costs a platform request (Slack's ``conversations.open`` is a Tier 3
method, about 50 a minute; on Discord it spends the global request budget). Every bot
process on one database reads the channel ids here before opening one, and stores what it
opened, so a restart or another process opens no DM twice. The first id stored for a
user wins (insert if absent): two processes opening the same DM at once both go on with
it. A channel the platform says is gone is forgotten, and the next delivery opens it
anew. Lookups are answered from a dictionary in front of the table: the first lookup in a
workspace reads all of its rows at once, later misses read one row.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from briefings.store.engine import writer
from briefings.store.schema import Base
from briefings.store.writer import dialect_insert


class DirectChannelRow(Base):
    """The DM channel opened with one user of a workspace (a Slack IM, a Discord DM)."""

    __tablename__ = "dm_channels"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[str] = mapped_column(Text, primary_key=True)
    channel: Mapped[str] = mapped_column(Text)


DM_CHANNELS: Table = DirectChannelRow.__table__  # type: ignore[assignment]

Key = tuple[str, str, str]
"""(platform, workspace, user)."""


class DirectChannels:
    """The ``dm_channels`` table with a dictionary in front of it.

    Args:
        engine: the store's engine.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._known: dict[Key, str] = {}
        self._loaded: set[tuple[str, str]] = set()
        self._loading: dict[tuple[str, str], asyncio.Lock] = {}

    async def get(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored DM channel with ``user``, or None when none is stored."""
        key = (platform, workspace, user)
        channel = self._known.get(key)
        if channel is not None:
            return channel
        scope = (platform, workspace)
        if scope not in self._loaded:
            async with self._loading.setdefault(scope, asyncio.Lock()):
                if scope not in self._loaded:
                    await self._load(platform, workspace)
                    return self._known.get(key)
            channel = self._known.get(key)
            if channel is not None:
                return channel
        # Loaded before: another process may have stored it since.
        query = select(DM_CHANNELS.c.channel).where(
            DM_CHANNELS.c.platform == platform,
            DM_CHANNELS.c.workspace == workspace,
            DM_CHANNELS.c.user_id == user,
        )
        async with self._engine.connect() as conn:
            channel = (await conn.execute(query)).scalar_one_or_none()
        if channel is not None:
            self._known[key] = channel
        return channel

    async def _load(self, platform: str, workspace: str) -> None:
        query = select(DM_CHANNELS.c.user_id, DM_CHANNELS.c.channel).where(
            DM_CHANNELS.c.platform == platform, DM_CHANNELS.c.workspace == workspace
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        for user, channel in rows:
            self._known.setdefault((platform, workspace, user), channel)
        self._loaded.add((platform, workspace))

    async def add(self, platform: str, workspace: str, user: str, channel: str) -> str:
        """Store the DM channel just opened with ``user``, unless one is stored already;
        the stored one (``channel``, or what another process stored first)."""
        key = (platform, workspace, user)
        where = (
            DM_CHANNELS.c.platform == platform,
            DM_CHANNELS.c.workspace == workspace,
            DM_CHANNELS.c.user_id == user,
        )
        async with self._writer.begin() as conn:
            insert = dialect_insert(conn.dialect.name, DM_CHANNELS).on_conflict_do_nothing(
                index_elements=["platform", "workspace", "user_id"]
            )
            await conn.execute(
                insert,
                {"platform": platform, "workspace": workspace, "user_id": user, "channel": channel},
            )
            stored: str = (
                await conn.execute(select(DM_CHANNELS.c.channel).where(*where))
            ).scalar_one()
        self._known[key] = stored
        return stored

    async def forget(self, platform: str, workspace: str, user: str, channel: str) -> None:
        """Forget ``channel`` as the DM with ``user`` (the platform says it is gone); a
        different channel stored meanwhile by another process is kept."""
        key = (platform, workspace, user)
        if self._known.get(key) == channel:
            del self._known[key]
        async with self._writer.begin() as conn:
            await conn.execute(
                DM_CHANNELS.delete().where(
                    DM_CHANNELS.c.platform == platform,
                    DM_CHANNELS.c.workspace == workspace,
                    DM_CHANNELS.c.user_id == user,
                    DM_CHANNELS.c.channel == channel,
                )
            )
