"""Exact subscriptions: follow a body without the members of its family.

``subscriptions.exact`` is true when a subscriber chose the body itself (``subscribe Mali
only``): an article that names only a member (Mali's army) does not notify them. False,
the default, follows the family rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(
            sa.Column("exact", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("exact")
