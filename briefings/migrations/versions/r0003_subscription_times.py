"""Subscription delivery times: a daily subscription's time of day and time zone; HH:MM:SS.

``subscriptions.daily_time`` (``HH:MM`` or ``HH:MM:SS``) and ``subscriptions.timezone``
(an IANA name) say when a ``daily`` subscription's bundle goes out; both stay NULL for the
configured default. ``digest_settings.time_of_day`` widens to hold seconds.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("daily_time", sa.String(8), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
    with op.batch_alter_table("digest_settings") as batch:
        batch.alter_column(
            "time_of_day", existing_type=sa.String(5), type_=sa.String(8), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("digest_settings") as batch:
        batch.alter_column(
            "time_of_day", existing_type=sa.String(8), type_=sa.String(5), existing_nullable=False
        )
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("timezone")
        batch.drop_column("daily_time")
