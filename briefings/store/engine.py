"""Database URLs, engines (SQLite in WAL mode, PostgreSQL via asyncpg) and migrations."""

from __future__ import annotations

import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from briefings.store.errors import DatabaseUnavailableError, DatabaseURLError, SchemaTooNewError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
"""Where the Alembic environment and revisions live (shipped as package data)."""

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another process's write lock before failing."""

_LOCK_KEY = zlib.crc32(b"briefbot:migrations")
"""The PostgreSQL advisory lock that serialises migrations across processes."""

POSTGRES_SETTINGS = {"jit": "off"}
"""Session settings of every PostgreSQL connection. briefbot's statements are short and
answered in milliseconds; the JIT compiler, which the planner turns on for statements it
guesses to be costly, spent more compiling them than it saved (search p99 about 20% lower
without it on the store benchmark)."""

SQLITE_CACHE_KIB = -32_000
"""The page cache of each SQLite connection (negative: KiB), larger than the default 2 MB."""

WRITE = "briefbot_write"
"""Execution option marking a write transaction (SQLite: ``BEGIN IMMEDIATE``)."""


def default_database_url() -> str:
    """The default database: a SQLite file in the platform's user data directory."""
    path = platformdirs.user_data_path("briefbot") / "briefbot.db"
    return f"sqlite+aiosqlite:///{path}"


def normalise_url(url: str) -> URL:
    """Turn what a user typed into an async SQLAlchemy URL.

    Accepts ``sqlite:///file.db``, ``sqlite+aiosqlite:///file.db``, ``postgresql://…``,
    ``postgres://…``, ``postgresql+asyncpg://…`` and a bare file path (a SQLite file).

    Args:
        url: the database URL or a path to a SQLite file.

    Raises:
        DatabaseURLError: when the URL names another backend or cannot be parsed.
    """
    raw = url.strip()
    if not raw:
        raise DatabaseURLError("the database URL is empty")
    if "://" not in raw:
        return make_url(f"sqlite+aiosqlite:///{Path(raw).expanduser().resolve()}")
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseURLError(f"cannot parse the database URL {raw!r}: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            parsed = parsed.set(database=str(path.resolve()))
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise DatabaseURLError(
        f"unsupported database {parsed.drivername!r} in {display_url(parsed)}: "
        "use a SQLite file (sqlite:///path.db) or PostgreSQL (postgresql://user@host/db)"
    )


def display_url(url: URL | str) -> str:
    """A URL safe to show: the password masked."""
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.render_as_string(hide_password=True)


def create_engine(url: str, *, schema: str | None = None) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout.

    Args:
        url: the database URL (see :func:`normalise_url`).
        schema: PostgreSQL only: the schema to work in (``search_path``); created by
            :func:`upgrade` when missing.

    Raises:
        DatabaseURLError: when the URL is unusable, or ``schema`` is given for SQLite.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        if schema is not None:
            raise DatabaseURLError("a schema can only be chosen on PostgreSQL")
        return _sqlite_engine(parsed)
    settings = dict(POSTGRES_SETTINGS)
    if schema is not None:
        settings["search_path"] = schema
    return create_async_engine(
        parsed, connect_args={"server_settings": settings}, pool_pre_ping=True
    )


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL mode (once per file; it stays so). The switch needs the file
    to itself, and SQLite answers "locked" at once, without waiting out the busy timeout,
    when another connection is reading it meanwhile (processes opening a new file together):
    try again until the busy timeout has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)  # in the driver's thread, not the event loop


def _sqlite_engine(url: URL) -> AsyncEngine:
    memory = url.database in (None, "", ":memory:")
    if memory:
        engine = create_async_engine(url, poolclass=StaticPool)
    else:
        assert url.database is not None
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver, so writes can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not memory:
            _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size={SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine whose transactions take the write lock up front on SQLite."""
    return engine.execution_options(**{WRITE: True})


async def upgrade(url: str, *, schema: str | None = None) -> None:
    """Bring the database at ``url`` to the latest schema (``briefbot db upgrade``).

    Safe to run from several processes at once: PostgreSQL serialises them with an
    advisory lock, SQLite with its write lock. Running it on an up-to-date database
    changes nothing.

    Args:
        url: the database URL.
        schema: PostgreSQL only: the schema to migrate (created when missing).

    Raises:
        DatabaseURLError: when the URL is unusable.
        DatabaseUnavailableError: when the database cannot be reached.
    """
    engine = create_engine(url, schema=schema)
    try:
        await upgrade_engine(engine, schema=schema)
    finally:
        await engine.dispose()


async def upgrade_engine(engine: AsyncEngine, *, schema: str | None = None) -> None:
    """Run the migrations on an open engine (see :func:`upgrade`)."""
    try:
        async with writer(engine).begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                if schema is not None:
                    await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{_ident(schema)}"'))
            unknown = await conn.run_sync(unknown_revisions)
            if unknown:
                raise schema_too_new(engine, unknown)
            await conn.run_sync(_run_alembic, "head")
    except (TimeoutError, OSError, DBAPIError) as exc:
        raise unavailable(engine, exc) from exc


async def current_revision(conn: AsyncConnection) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    def _read(sync: Connection) -> str | None:
        return MigrationContext.configure(sync).get_current_revision()

    return await conn.run_sync(_read)


def head_revision() -> str:
    """The latest revision this version of briefbot ships."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_too_new(engine: AsyncEngine, revisions: list[str]) -> SchemaTooNewError:
    """The user-facing error for a database that a newer briefbot has migrated."""
    return SchemaTooNewError(
        f"the database {display_url(engine.url)} is at schema revision "
        f"{', '.join(revisions)}, which this briefbot (schema {head_revision()}) does not "
        "know: a newer briefbot has migrated it. Run that newer briefbot (upgrade this one), "
        "or use another database (--db)"
    )


def unknown_revisions(sync_conn: Connection) -> list[str]:
    """The database's revisions that this briefbot's migrations do not contain."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    current = MigrationContext.configure(sync_conn).get_current_heads()
    return sorted(r for r in current if r not in known)


def unavailable(engine: AsyncEngine, exc: BaseException) -> DatabaseUnavailableError:
    """The user-facing error for a database that cannot be reached or opened."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    detail = reason[0] if reason else type(exc).__name__
    return DatabaseUnavailableError(f"cannot open the database {display_url(engine.url)}: {detail}")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run_alembic(sync_conn: Connection, revision: str) -> None:
    config = _alembic_config()
    config.attributes["connection"] = sync_conn
    command.upgrade(config, revision)


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise DatabaseURLError(f"invalid schema name {name!r}: use letters, digits and _")
    return name
