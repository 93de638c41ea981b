"""Delivery guarantees: who holds a delivery, the key it was sent under, its message ids; pace.

A delivery records ``sending`` with its send key before it is posted and ``sent`` with the
platform's message ids after, so one left ``sending`` by a crash can be looked up on the
platform. ``post_pace`` holds, per scope (a Slack workspace or channel), the earliest time
the next post may go out, shared by every bot process on the database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("send_key", sa.Text(), nullable=True))
        batch.add_column(sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("message_ids", _JSON, nullable=True))
    op.create_index("ix_deliveries_send_key", "deliveries", ["send_key"])
    op.create_table(
        "post_pace",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_post_pace"),
    )


def downgrade() -> None:
    op.drop_table("post_pace")
    op.drop_index("ix_deliveries_send_key", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("message_ids")
        batch.drop_column("sending_at")
        batch.drop_column("send_key")
        batch.drop_column("claimed_by")
