"""Channel kinds shared by bot processes: a process that does not hold a guild's gateway
connection learns from this table that a channel is a text or announcement channel, and
posts to it without fetching it first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"


def upgrade() -> None:
    op.create_table(
        "channel_kinds",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "channel", name="pk_channel_kinds"),
    )


def downgrade() -> None:
    op.drop_table("channel_kinds")
