"""The Alembic environment: runs revisions on the connection :mod:`briefings.store` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from briefings.store.schema import Base


def _include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    """Leave the full-text machinery (FTS5 tables, tsvector columns) out of comparisons."""
    if name is None:
        return True
    return "_fts" not in name and name != "search_vector" and not name.endswith("_search")


def run() -> None:
    """Run the pending revisions; only online, on a connection given by the caller."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run briefbot migrations with briefings.store.upgrade(url)")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=_include,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
