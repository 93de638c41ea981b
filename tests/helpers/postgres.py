"""PostgreSQL schemas for tests and benchmarks: each run works in a schema it drops after."""

from __future__ import annotations


async def drop_schema(url: str, schema: str) -> None:
    """Drop ``schema`` and everything in it from the database at ``url``, if it is there."""
    from sqlalchemy import text

    from briefings.store.engine import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()
