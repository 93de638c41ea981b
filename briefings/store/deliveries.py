"""Delivery rows: one read back as a record, new ones enqueued (outbox and digest claims)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.store.records import Delivery, NewDelivery
from briefings.store.schema import Base
from briefings.store.tables import dialect_insert, record_of

DELIVERIES: Table = Base.metadata.tables["deliveries"]
DISABLED: Table = Base.metadata.tables["disabled_targets"]


def delivery(row: Row[Any]) -> Delivery:
    """An outbox row as a record."""
    return record_of(Delivery, row, message_ids=tuple(row.message_ids or ()))


async def enqueue_rows(
    conn: AsyncConnection, deliveries: Sequence[NewDelivery], now: datetime
) -> list[str]:
    """Insert deliveries whose key is new and whose target is not disabled; their keys."""
    if not deliveries:
        return []
    targets = {(d.platform, d.workspace, d.target) for d in deliveries}
    disabled = set()
    for platform, workspace, target in targets:
        hit = await conn.execute(
            select(DISABLED.c.target).where(
                DISABLED.c.platform == platform,
                DISABLED.c.workspace == workspace,
                DISABLED.c.target == target,
            )
        )
        if hit.first() is not None:
            disabled.add((platform, workspace, target))
    rows = [
        {
            "key": d.key,
            "platform": d.platform,
            "workspace": d.workspace,
            "target": d.target,
            "target_kind": d.target_kind,
            "payload": d.payload,
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": d.not_before or now,
            "last_error": None,
            "created_at": now,
            "sent_at": None,
        }
        for d in sorted(deliveries, key=lambda d: d.key)
        if (d.platform, d.workspace, d.target) not in disabled
    ]
    if not rows:
        return []
    stmt = (
        dialect_insert(conn.dialect.name, DELIVERIES)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(DELIVERIES.c.key)
    )
    inserted = set((await conn.execute(stmt, rows)).scalars())
    return [d.key for d in deliveries if d.key in inserted]
