"""portal-only partners: a partner may have no webhook URL (its staff use the partner inbox)

Revision ID: 0006_portal_only_partners
Revises: 0005_pending_household_moves
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_portal_only_partners"
down_revision = "0005_pending_household_moves"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.alter_column("webhook_url", existing_type=sa.String(length=2000), nullable=True)


def downgrade() -> None:
    # A portal-only partner has no URL to go back to: it keeps an unroutable one.
    op.execute("UPDATE partners SET webhook_url = 'https://portal-only.invalid/' WHERE webhook_url IS NULL")
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.alter_column("webhook_url", existing_type=sa.String(length=2000), nullable=False)
