"""Subscription changes: a versioned log that keeps every process's subscription index current.

Every change to ``subscriptions`` appends its key (``platform``, ``workspace``,
``subscriber``, ``actor_id``; all NULL for a bulk change) under the next ``version`` in
the same transaction; each process reads the changes after the last version it has seen
(see :mod:`briefings.store.subscription_index`). Only the latest changes are kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    op.create_table(
        "subscription_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("platform", sa.Text(), nullable=True),
        sa.Column("workspace", sa.Text(), nullable=True),
        sa.Column("subscriber", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("version", name="pk_subscription_changes"),
    )


def downgrade() -> None:
    op.drop_table("subscription_changes")
