"""DM channels: the channel opened with each user, kept across restarts and shared by processes.

``dm_channels`` maps (platform, workspace, user) to the DM channel the bot opened with
that user, so no process opens a user's DM again (Slack's ``conversations.open`` is slow
to call in bulk, Discord counts every open against the global budget).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "dm_channels",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "user_id", name="pk_dm_channels"),
    )


def downgrade() -> None:
    op.drop_table("dm_channels")
