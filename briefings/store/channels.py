"""Channel kinds shared by every bot process on one database.

A Discord process learns its guilds' channels from the gateway; the others (sharded, not
holding that guild) would fetch each channel before posting to it, a request each against
the global rate limit. The process that knows a channel writes its kind here, and the
others read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.store.engine import writer
from briefings.store.schema import Base
from briefings.store.tables import dialect_insert

KINDS: Table = Base.metadata.tables["channel_kinds"]
_CHUNK = 500
"""Rows per statement: a guild's channels are written in a few statements, not one each."""


class ChannelKinds:
    """The ``channel_kinds`` table.

    Args:
        engine: the store's engine.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def remember(self, platform: str, kinds: Mapping[str, str], *, now: datetime) -> None:
        """Record (or update) the kind of each channel in ``kinds`` (channel id → kind).

        Args:
            platform: ``discord``, ``slack``, …
            kinds: the kinds by channel id.
            now: when they were seen (UTC).
        """
        rows = [
            {"platform": platform, "channel": channel, "kind": kind, "seen_at": now}
            for channel, kind in sorted(kinds.items())
        ]
        if not rows:
            return
        async with self._writer.begin() as conn:
            for at in range(0, len(rows), _CHUNK):
                stmt = dialect_insert(conn.dialect.name, KINDS)
                await conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["platform", "channel"],
                        set_={"kind": stmt.excluded.kind, "seen_at": stmt.excluded.seen_at},
                    ),
                    rows[at : at + _CHUNK],
                )

    async def recall(self, platform: str, channels: Sequence[str]) -> dict[str, str]:
        """The kinds known of ``channels`` (channel id → kind; unknown ones are left out)."""
        if not channels:
            return {}
        query = select(KINDS.c.channel, KINDS.c.kind).where(
            KINDS.c.platform == platform, KINDS.c.channel.in_(list(channels))
        )
        async with self._engine.connect() as conn:
            return {row.channel: row.kind for row in await conn.execute(query)}

    async def forget(self, platform: str, channel: str) -> None:
        """Drop what is known of a channel (it was deleted)."""
        async with self._writer.begin() as conn:
            await conn.execute(
                KINDS.delete().where(KINDS.c.platform == platform, KINDS.c.channel == channel)
            )
