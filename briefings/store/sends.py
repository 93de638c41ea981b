"""The outbox's records of sends (``sending`` before a post, ``sent`` after), written together.

:func:`record_sends` writes a sender's group commit: on SQLite two ``executemany`` updates
and a read of the rows still held, in one transaction; on PostgreSQL one statement (one
round trip, no transaction of its own) that does both updates and returns the rows now
``sending``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Text, bindparam, column, or_, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.store.deliveries import DELIVERIES
from briefings.store.records import Delivery

BeginSend = tuple[Sequence[Delivery], str, datetime]
"""A message about to be posted: its rows as claimed, its send key, when."""

SentRows = tuple[Sequence[int], datetime, Sequence[str]]
"""A message posted: its rows' ids, when, the platform's ids of its message(s)."""

_BEGIN_SEND = (
    update(DELIVERIES)
    .where(
        DELIVERIES.c.id == bindparam("rid"),
        DELIVERIES.c.attempts == bindparam("tries"),
        or_(DELIVERIES.c.state == "claimed", DELIVERIES.c.state == "sending"),
    )
    .values(
        state="sending",
        send_key=bindparam("skey"),
        sending_at=bindparam("at", type_=DELIVERIES.c.sending_at.type),
    )
)

_MARK_SENT = (
    update(DELIVERIES)
    .where(DELIVERIES.c.id == bindparam("rid"))
    .values(
        state="sent",
        sent_at=bindparam("at", type_=DELIVERIES.c.sent_at.type),
        last_error=None,
        message_ids=bindparam("mids", type_=DELIVERIES.c.message_ids.type),
    )
)

_RECORD_ONE = text(
    "WITH began AS ("
    " UPDATE deliveries AS d SET state = 'sending', send_key = v.skey, sending_at = v.at"
    " FROM unnest(CAST(:rids AS bigint[]), CAST(:tries AS integer[]), CAST(:skeys AS text[]),"
    " CAST(:ats AS timestamptz[])) AS v(rid, tries, skey, at)"
    " WHERE d.id = v.rid AND d.attempts = v.tries AND d.state IN ('claimed', 'sending')"
    " RETURNING d.id, d.send_key"
    "), posted AS ("
    " UPDATE deliveries AS d SET state = 'sent', sent_at = v.at, last_error = NULL,"
    " message_ids = CAST(v.mids AS jsonb)"
    " FROM unnest(CAST(:sids AS bigint[]), CAST(:sats AS timestamptz[]),"
    " CAST(:smids AS text[])) AS v(rid, at, mids)"
    " WHERE d.id = v.rid"
    ") SELECT id, send_key FROM began"
).columns(column("id", BigInteger()), column("send_key", Text()))
"""PostgreSQL: the group commit as one statement (one round trip)."""


async def record_sends(
    conn: AsyncConnection, begin: Sequence[BeginSend], sent: Sequence[SentRows]
) -> list[bool]:
    """Record messages about to be posted (``begin``) and posted (``sent``) together.

    Args:
        conn: a write connection; on PostgreSQL in autocommit mode (the statement is
            its own transaction), on SQLite outside a transaction (one is begun here).
        begin: messages about to be posted: their rows as claimed, send key and time.
        sent: messages posted: their rows' ids, the time and the platform's ids.

    Returns:
        For each of ``begin``, whether all its rows were still held and are now
        ``sending``.
    """
    if conn.dialect.name == "postgresql":
        return await _record_one(conn, begin, sent)
    held: list[bool] = []
    async with conn.begin():
        starts = [
            {"rid": r.id, "tries": r.attempts, "skey": key, "at": now}
            for rows, key, now in begin
            for r in rows
        ]
        if starts:
            await conn.execute(_BEGIN_SEND, starts)
            ids = [p["rid"] for p in starts]
            now_held = {
                (row.id, row.send_key)
                for row in await conn.execute(
                    select(DELIVERIES.c.id, DELIVERIES.c.send_key).where(
                        DELIVERIES.c.id.in_(ids),
                        tuple_(DELIVERIES.c.id, DELIVERIES.c.attempts).in_(
                            [(p["rid"], p["tries"]) for p in starts]
                        ),
                        DELIVERIES.c.state == "sending",
                    )
                )
            }
            held = [all((r.id, key) in now_held for r in rows) for rows, key, _ in begin]
        params = [
            {"rid": rid, "at": now, "mids": list(message_ids)}
            for ids, now, message_ids in sent
            for rid in ids
        ]
        if params:
            await conn.execute(_MARK_SENT, params)
    return held


async def _record_one(
    conn: AsyncConnection, begin: Sequence[BeginSend], sent: Sequence[SentRows]
) -> list[bool]:
    """:func:`record_sends` on PostgreSQL: both updates in one statement, which returns
    the rows now ``sending`` (those still held)."""
    starts = [(r.id, r.attempts, key, _utc(now)) for rows, key, now in begin for r in rows]
    done = [
        (rid, _utc(now), json.dumps(list(message_ids)))
        for ids, now, message_ids in sent
        for rid in ids
    ]
    result = await conn.execute(
        _RECORD_ONE,
        {
            "rids": [s[0] for s in starts],
            "tries": [s[1] for s in starts],
            "skeys": [s[2] for s in starts],
            "ats": [s[3] for s in starts],
            "sids": [d[0] for d in done],
            "sats": [d[1] for d in done],
            "smids": [d[2] for d in done],
        },
    )
    now_held = {(row.id, row.send_key) for row in result}
    return [all((r.id, key) in now_held for r in rows) for rows, key, _ in begin]


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC, as the store's timestamp columns take it (never a naive one)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} given to the store; pass UTC")
    return moment.astimezone(UTC)
