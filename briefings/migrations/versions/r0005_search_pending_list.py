"""Search on PostgreSQL: a small GIN pending list, so a search never scans megabytes of it.

A GIN index with ``fastupdate`` keeps new entries in an unsorted pending list that every
search reads in full, up to ``gin_pending_list_limit`` (4 MB by default) until a vacuum
or an insert past the limit moves them into the index. At 256 kB an insert moves them
in small bulk steps, and a search reads at most that much. The upgrade also moves what
is pending now. SQLite's FTS5 indexes have no such list: nothing changes there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"

_INDEXES = ("ix_events_search", "ix_articles_search")
PENDING_LIST_KB = 256


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
