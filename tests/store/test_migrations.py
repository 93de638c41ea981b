"""Migrations, URLs and opening the store: upgrade from empty, twice, concurrently; errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from briefings.errors import BriefingError
from briefings.store import (
    DatabaseUnavailableError,
    DatabaseURLError,
    SchemaTooNewError,
    Store,
    StoreError,
    default_database_url,
    normalise_url,
    upgrade,
)
from briefings.store.engine import create_engine, head_revision
from briefings.store.schema import Base

TABLES = {
    "articles",
    "article_sources",
    "actors",
    "aliases",
    "mentions",
    "events",
    "event_actors",
    "actor_days",
    "digest_settings",
    "digest_claims",
    "subscriptions",
    "deliveries",
    "disabled_targets",
    "channel_kinds",
    "alembic_version",
}


def _include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    return name is None or (
        "_fts" not in name and name != "search_vector" and "_search" not in name
    )


def _state(conn: Connection) -> tuple[set[str], str | None, list[object]]:
    tables = set(inspect(conn).get_table_names())
    revision = MigrationContext.configure(conn).get_current_revision()
    ctx = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": True})
    return tables, revision, compare_metadata(ctx, Base.metadata)


async def inspect_db(
    url: str, schema: str | None = None
) -> tuple[set[str], str | None, list[object]]:
    engine = create_engine(url, schema=schema)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_state)
    finally:
        await engine.dispose()


async def test_upgrade_an_empty_sqlite_file_twice(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "bot.db"
    await upgrade(str(path))
    tables, revision, diff = await inspect_db(str(path))
    assert TABLES <= tables
    assert {"events_fts", "articles_fts"} <= tables
    assert revision == head_revision()
    assert diff == []  # the migration builds exactly what the models declare
    await upgrade(f"sqlite:///{path}")
    assert (await inspect_db(str(path)))[:2] == (tables, revision)


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = await Store.open(str(tmp_path / "bot.db"))
    try:
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 10_000
    finally:
        await store.close()


async def test_upgrade_postgres_from_empty_twice_and_concurrently(
    pg_url: str, pg_fresh_schema: str
) -> None:
    # Four processes starting at once: the advisory lock lets one migrate, the rest wait.
    await asyncio.gather(*(upgrade(pg_url, schema=pg_fresh_schema) for _ in range(4)))
    tables, revision, diff = await inspect_db(pg_url, pg_fresh_schema)
    assert TABLES <= tables
    assert revision == head_revision()
    assert diff == []
    await upgrade(pg_url, schema=pg_fresh_schema)
    assert (await inspect_db(pg_url, pg_fresh_schema))[:2] == (tables, revision)
    engine = create_engine(pg_url, schema=pg_fresh_schema)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT count(*) FROM alembic_version"))
            assert rows.scalar() == 1
    finally:
        await engine.dispose()


async def test_concurrent_store_opens_on_an_empty_sqlite_file(tmp_path: Path) -> None:
    url = str(tmp_path / "race.db")
    stores = await asyncio.gather(*(Store.open(url) for _ in range(3)))
    try:
        assert (await inspect_db(url))[1] == head_revision()
    finally:
        for store in stores:
            await store.close()


async def test_opening_without_migrating_needs_a_current_schema(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="briefbot db upgrade"):
        await Store.open(str(tmp_path / "new.db"), migrate=False)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_schema_newer_than_the_program_is_refused_and_left_as_it_is(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, schema = str(tmp_path / "newer.db"), None
    if backend == "postgresql":
        url, schema = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_fresh_schema")
    await upgrade(url, schema=schema)
    engine = create_engine(url, schema=schema)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'r0099_future'"))
        for migrate in (True, False):
            with pytest.raises(SchemaTooNewError) as caught:
                await Store.open(url, schema=schema, migrate=migrate)
            message = str(caught.value)
            assert "r0099_future" in message and head_revision() in message
            assert "newer briefbot" in message and "Traceback" not in message
        async with engine.connect() as conn:
            found = await conn.execute(text("SELECT version_num FROM alembic_version"))
            assert found.scalars().all() == ["r0099_future"]
    finally:
        await engine.dispose()


async def test_an_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(
        DatabaseUnavailableError,
        match=r"cannot open the database postgresql\+asyncpg://bot:\*\*\*@127\.0\.0\.1:9/",
    ):
        await Store.open("postgresql://bot:secret@127.0.0.1:9/briefbot")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///{tmp}/a.db", "sqlite+aiosqlite:///{tmp}/a.db"),
        ("sqlite+aiosqlite:///{tmp}/a.db", "sqlite+aiosqlite:///{tmp}/a.db"),
        ("{tmp}/b.db", "sqlite+aiosqlite:///{tmp}/b.db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u:pw@h:5433/db", "postgresql+asyncpg://u:pw@h:5433/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_urls_are_normalised(given: str, expected: str, tmp_path: Path) -> None:
    tmp = str(tmp_path.resolve())
    url = normalise_url(given.format(tmp=tmp))
    assert url.render_as_string(hide_password=False) == expected.format(tmp=tmp)


@pytest.mark.parametrize("bad", ["", "   ", "mysql://u@h/db", "oracle://x"])
def test_unsupported_urls_are_refused(bad: str) -> None:
    with pytest.raises(DatabaseURLError) as info:
        normalise_url(bad)
    assert isinstance(info.value, BriefingError)


def test_the_default_database_lives_in_the_user_data_dir() -> None:
    url = default_database_url()
    assert url.startswith("sqlite+aiosqlite:///")
    assert url.endswith("/briefbot.db")
    assert "briefbot" in Path(url.removeprefix("sqlite+aiosqlite:///")).parent.name


def test_a_schema_is_for_postgres_only() -> None:
    with pytest.raises(DatabaseURLError, match="PostgreSQL"):
        create_engine("sqlite:///x.db", schema="other")


async def test_sqlite_writes_take_the_write_lock_up_front(tmp_path: Path) -> None:
    from sqlalchemy import event

    store = await Store.open(str(tmp_path / "bot.db"))
    begins: list[str] = []

    def spy(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", spy)
    try:
        await store.actors.known()
        await store.subscriptions.count()
        assert begins == ["BEGIN", "BEGIN"]
        begins.clear()
        await store.subscriptions.unsubscribe(
            platform="slack", workspace="T", subscriber="U", actor_id="x"
        )
        assert begins == ["BEGIN IMMEDIATE"]
    finally:
        await store.close()


async def test_postgresql_sessions_run_without_the_jit_compiler(
    pg_url: str, pg_session_schema: str
) -> None:
    engine = create_engine(pg_url, schema=pg_session_schema)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SHOW jit"))).scalar_one() == "off"
            assert (await conn.execute(text("SHOW search_path"))).scalar_one() == pg_session_schema
    finally:
        await engine.dispose()
