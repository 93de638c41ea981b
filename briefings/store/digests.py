"""Channel digest settings, and the per-period claims that make a digest post once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.store.deliveries import enqueue_rows
from briefings.store.records import DigestSettings, NewDelivery
from briefings.store.schema import Base
from briefings.store.tables import dialect_insert, record_of

SETTINGS: Table = Base.metadata.tables["digest_settings"]
CLAIMS: Table = Base.metadata.tables["digest_claims"]

_FIELDS = (
    "time_of_day",
    "days",
    "timezone",
    "actors",
    "exclude_actors",
    "event_types",
    "keywords",
    "enabled",
    "post_when_empty",
)
_LISTS = ("actors", "exclude_actors", "event_types", "keywords")


def _settings(row: Row[Any]) -> DigestSettings:
    return record_of(DigestSettings, row, **{name: tuple(row._mapping[name]) for name in _LISTS})


class Digests:
    """Digest settings, one row per (platform, workspace, channel), and digest claims.

    Args:
        engine: the store's engine for reads.
        writer: the store's engine for writes.
    """

    def __init__(self, engine: AsyncEngine, writer: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer

    async def put(self, settings: DigestSettings, *, now: datetime) -> DigestSettings:
        """Create or replace a channel's settings (its ``last_period`` is kept).

        Args:
            settings: the settings; their timestamps and ``last_period`` are ignored.
            now: the current time.

        Returns:
            The settings as stored.
        """
        values: dict[str, Any] = {
            name: list(getattr(settings, name)) if name in _LISTS else getattr(settings, name)
            for name in _FIELDS
        }
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn.dialect.name, SETTINGS)
            stmt = stmt.on_conflict_do_update(
                index_elements=["platform", "workspace", "channel"],
                set_={name: stmt.excluded[name] for name in (*_FIELDS, "updated_at")},
            )
            await conn.execute(
                stmt,
                {
                    "platform": settings.platform,
                    "workspace": settings.workspace,
                    "channel": settings.channel,
                    **values,
                    "last_period": None,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            row = (
                await conn.execute(
                    select(SETTINGS).where(
                        *self._key(settings.platform, settings.workspace, settings.channel)
                    )
                )
            ).one()
        return _settings(row)

    async def get(self, platform: str, workspace: str, channel: str) -> DigestSettings | None:
        """A channel's settings, or None when it has none."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(SETTINGS).where(*self._key(platform, workspace, channel)))
            ).first()
        return _settings(row) if row is not None else None

    async def list(
        self, *, platform: str | None = None, enabled_only: bool = False
    ) -> list[DigestSettings]:
        """Every channel's settings (for the scheduler), by platform, workspace, channel."""
        query = select(SETTINGS).order_by(
            SETTINGS.c.platform, SETTINGS.c.workspace, SETTINGS.c.channel
        )
        if platform is not None:
            query = query.where(SETTINGS.c.platform == platform)
        if enabled_only:
            query = query.where(SETTINGS.c.enabled.is_(True))
        async with self._engine.connect() as conn:
            return [_settings(r) for r in await conn.execute(query)]

    async def set_enabled(
        self, platform: str, workspace: str, channel: str, enabled: bool, *, now: datetime
    ) -> bool:
        """Turn a channel's digest on or off; whether the channel has settings."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(SETTINGS)
                .where(*self._key(platform, workspace, channel))
                .values(enabled=enabled, updated_at=now)
            )
            return bool(result.rowcount)

    async def delete(self, platform: str, workspace: str, channel: str) -> bool:
        """Forget a channel's settings; whether it had any."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(SETTINGS).where(*self._key(platform, workspace, channel))
            )
            return bool(result.rowcount)

    async def claim(
        self,
        platform: str,
        workspace: str,
        channel: str,
        period: str,
        *,
        owner: str,
        now: datetime,
        deliveries: Sequence[NewDelivery] = (),
    ) -> bool:
        """Claim a channel's digest for a period; only the first claim wins.

        The winner's deliveries are queued in the same transaction as the claim, and the
        channel's ``last_period`` becomes ``period``, so a digest is posted once even
        when several bot processes run the same schedule.

        Args:
            platform: the channel's platform.
            workspace: the channel's workspace or guild.
            channel: the channel id.
            period: the period's label, e.g. ``2026-04-27`` or ``2026-04-27T08:00``.
            owner: who claims (a process name), for the record.
            now: the current time.
            deliveries: the messages that post the digest.

        Returns:
            Whether this call won the claim.
        """
        async with self._writer.begin() as conn:
            stmt = (
                dialect_insert(conn.dialect.name, CLAIMS)
                .on_conflict_do_nothing(
                    index_elements=["platform", "workspace", "channel", "period"]
                )
                .returning(CLAIMS.c.id)
            )
            won = (
                await conn.execute(
                    stmt,
                    {
                        "platform": platform,
                        "workspace": workspace,
                        "channel": channel,
                        "period": period,
                        "owner": owner,
                        "claimed_at": now,
                    },
                )
            ).first()
            if won is None:
                return False
            await conn.execute(
                update(SETTINGS)
                .where(*self._key(platform, workspace, channel))
                .values(last_period=period)
            )
            await enqueue_rows(conn, deliveries, now)
            return True

    @staticmethod
    def _key(platform: str, workspace: str, channel: str) -> tuple[Any, ...]:
        return (
            SETTINGS.c.platform == platform,
            SETTINGS.c.workspace == workspace,
            SETTINGS.c.channel == channel,
        )
