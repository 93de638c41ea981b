"""The store's tables and the statements that fill them in bulk, shared by writer and store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Row, Table, not_, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.store.schema import Base

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

TABLES = Base.metadata.tables
ARTICLES: Table = TABLES["articles"]
SOURCES: Table = TABLES["article_sources"]
ACTORS: Table = TABLES["actors"]
ALIASES: Table = TABLES["aliases"]
MENTIONS: Table = TABLES["mentions"]
EVENTS: Table = TABLES["events"]
EVENT_ACTORS: Table = TABLES["event_actors"]
ACTOR_DAYS: Table = TABLES["actor_days"]

CHUNK = 500
"""Most values in one ``IN (...)`` list."""

_ACTOR_FACTS = ("name", "type", "country", "parent", "description", "discovered")


R = TypeVar("R", bound="DataclassInstance")


def record_of(record: type[R], row: Row[Any], **converted: Any) -> R:
    """A frozen record from a row whose columns are named as the record's fields.

    Args:
        record: the record's dataclass.
        row: the row; it must have a column for every field not in ``converted``.
        converted: the fields whose column needs converting, already converted.
    """
    columns = row._mapping
    taken = {f.name: columns[f.name] for f in fields(record) if f.name not in converted}
    return record(**taken, **converted)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Split ``values`` into slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def dialect_insert(dialect: str, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that knows ``ON CONFLICT`` on this backend."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert_actors(dialect: str) -> sqlite.Insert | postgresql.Insert:
    """INSERT into ``actors`` that updates an existing row unless a discovered actor would
    overwrite one from the gazetteer."""
    stmt = dialect_insert(dialect, ACTORS)
    return stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={name: stmt.excluded[name] for name in (*_ACTOR_FACTS, "updated_at")},
        where=or_(ACTORS.c.discovered, not_(stmt.excluded.discovered)),
    )


async def insert_tuples(
    conn: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    conflict: str = "",
) -> None:
    """Insert rows given as tuples in ``columns`` order straight through the driver.

    SQLite gets one ``executemany``; PostgreSQL one ``INSERT ... SELECT FROM unnest(...)``
    with a typed array per column, much faster there than a statement per row.
    ``conflict`` is an ``ON CONFLICT`` clause appended as it is (the same SQL on both).
    """
    if not rows:
        return
    names = ", ".join(columns)
    style = conn.dialect.paramstyle
    if style == "qmark":
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}) {conflict}"
        await conn.exec_driver_sql(sql, rows)
    elif style == "numeric_dollar":
        arrays = ", ".join(
            f"${i}::{table.c[name].type.compile(dialect=conn.dialect)}[]"
            for i, name in enumerate(columns, start=1)
        )
        sql = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays}) {conflict}"
        await conn.exec_driver_sql(sql, tuple(list(values) for values in zip(*rows, strict=True)))
    else:
        raise NotImplementedError(f"parameter style {style!r} is not supported")
