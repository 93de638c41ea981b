"""Shared pytest fixtures; each group is marked with the part of briefbot it serves."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from fakes.feed_server import FeedServer
from helpers.cases import unread_tables
from helpers.postgres import drop_schema
from sqlalchemy.engine import make_url

# ---------------------------------------------------------------------------------------
# System: every test in tests/system/ starts briefbot as a process and carries the marker,
# so `-m "not system"` is the quick run. Process tests elsewhere are marked one by one.
# ---------------------------------------------------------------------------------------

SYSTEM_TESTS = Path(__file__).resolve().parent / "system"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(SYSTEM_TESTS):
            item.add_marker(pytest.mark.system)
    # A case table no test reads (a misspelt table name, say) would never run: refuse it.
    if unread := unread_tables():
        raise pytest.UsageError("case tables no test reads: " + ", ".join(unread))


# ---------------------------------------------------------------------------------------
# Store: every store test runs on SQLite and on PostgreSQL.
#
# PostgreSQL comes from BRIEFBOT_TEST_POSTGRES_URL (default: the local server, database
# "test"). When it does not answer, its tests skip with the reason -- except when CI=true,
# where they fail. Each test session works in a schema of its own (migrated once, emptied
# before every test), so parallel sessions on one server do not meet; each SQLite test
# gets a copy of a database migrated once per session.
# ---------------------------------------------------------------------------------------

PG_URL = os.environ.get(
    "BRIEFBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
STORE_TABLES = (
    "event_actors",
    "events",
    "mentions",
    "article_sources",
    "articles",
    "aliases",
    "actors",
    "actor_days",
    "digest_claims",
    "digest_settings",
    "subscriptions",
    "deliveries",
    "disabled_targets",
    "post_pace",
)

T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a private event loop (for session set-up outside the tests' loops)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


async def _pg_probe(url: str) -> None:
    from briefings.store.engine import create_engine

    engine = create_engine(url)
    try:
        async with asyncio.timeout(5):
            async with engine.connect():
                pass
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL URL, once it is known to answer (skip, or fail on CI, if not)."""
    try:
        run_async(_pg_probe(PG_URL))
    except Exception as exc:
        message = (
            f"PostgreSQL at {PG_URL} does not answer ({type(exc).__name__}: {exc}); "
            "start it or set BRIEFBOT_TEST_POSTGRES_URL"
        )
        if IN_CI:
            pytest.fail(message + " -- CI=true requires the PostgreSQL tests to run")
        pytest.skip(message)
    return PG_URL


def new_schema_name(prefix: str = "bbt") -> str:
    """A schema name no other test session uses."""
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def pg_session_schema(pg_url: str) -> Iterator[str]:
    """A migrated PostgreSQL schema for this test session, dropped at its end."""
    from briefings.store import upgrade

    schema = new_schema_name()
    run_async(upgrade(pg_url, schema=schema))
    yield schema
    run_async(drop_schema(pg_url, schema))


@pytest.fixture
def pg_fresh_schema(pg_url: str) -> Iterator[str]:
    """The name of an empty PostgreSQL schema (created by whoever migrates it), dropped after."""
    schema = new_schema_name("bbm")
    yield schema
    run_async(drop_schema(pg_url, schema))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session, for tests to copy."""
    from briefings.store import upgrade

    path = tmp_path_factory.mktemp("store-template") / "template.db"
    run_async(upgrade(str(path)))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str | None]:
    """(URL, schema) of an up-to-date database, once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}", None
    return request.getfixturevalue("pg_url"), request.getfixturevalue("pg_session_schema")


@pytest.fixture
async def store(store_target: tuple[str, str | None]) -> AsyncIterator[Any]:
    """An open, empty :class:`briefings.store.Store` on each backend."""
    from sqlalchemy import text

    from briefings.store import Store

    url, schema = store_target
    opened = await Store.open(url, schema=schema, migrate=False)
    if opened.dialect == "postgresql":
        # DELETE beats TRUNCATE on tables this small; children go first.
        async with opened.engine.begin() as conn:
            for table in STORE_TABLES:
                await conn.execute(text(f"DELETE FROM {table}"))
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def other_store(store: Any, store_target: tuple[str, str | None]) -> AsyncIterator[Any]:
    """A second :class:`briefings.store.Store` on ``store``'s database, as another process's."""
    from briefings.store import Store

    url, schema = store_target
    opened = await Store.open(url, schema=schema, migrate=False)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def pg_database(pg_url: str) -> AsyncIterator[str]:
    """A PostgreSQL database of its own (the bots use the default schema), dropped after."""
    name = f"bbf_{uuid.uuid4().hex[:12]}"
    url = make_url(pg_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    yield url.set(database=name).render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    """A loopback HTTP server for feeds and pages (routes added by the test)."""
    async with FeedServer() as srv:
        yield srv
