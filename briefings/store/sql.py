"""Plain SQL for the hot read paths: one statement per question, rows decoded by hand.

The store's frequent questions (timelines, searches, statistics, digest windows) are
written as SQL that both backends run, with ``?`` placeholders rewritten to ``$n`` for
PostgreSQL. Going straight through the driver avoids most of SQLAlchemy's per-statement
and per-row work, which matters when an answer must come back within milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

_MARK = re.compile(r"\?")


@lru_cache(maxsize=512)
def _dollar(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _MARK.sub(lambda _: f"${next(counter)}", sql)


def marks(count: int) -> str:
    """``?, ?, ?`` for an ``IN`` list of ``count`` values (at least one)."""
    return ", ".join("?" * max(count, 1))


async def fetch(conn: AsyncConnection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Run ``sql`` (``?`` placeholders) on either backend; the rows as tuples."""
    if conn.dialect.paramstyle == "numeric_dollar":
        sql = _dollar(sql)
    result = await conn.exec_driver_sql(sql, tuple(params))
    return list(result.all())


def param_day(conn: AsyncConnection, value: date) -> date | str:
    """A date as the backend compares it (ISO text on SQLite)."""
    return value.isoformat() if conn.dialect.name == "sqlite" else value


def param_time(conn: AsyncConnection, value: datetime) -> datetime | str:
    """A timestamp as the backend compares it (naive UTC text on SQLite)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value.isoformat()} given to the store; pass UTC")
    if conn.dialect.name == "sqlite":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def as_day(value: date | str) -> date:
    """A stored date, from either backend."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_day_or_none(value: date | str | None) -> date | None:
    return None if value is None else as_day(value)


def as_time(value: datetime | str) -> datetime:
    """A stored timestamp, from either backend, timezone-aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def as_json(value: Any) -> Any:
    """A stored JSON value, from either backend (text on SQLite)."""
    return json.loads(value) if isinstance(value, str) else value
