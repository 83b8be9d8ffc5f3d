"""referral escalation: per-programme target overrides, and one escalation row per referral and target

Revision ID: 0007_referral_escalation
Revises: 0006_portal_only_partners
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_referral_escalation"
down_revision = "0006_portal_only_partners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledge_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("completion_days", sa.Integer(), nullable=True))
    op.create_table(
        "referral_escalations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="CASCADE",
                                name=op.f("fk_referral_escalations_referral_id_referrals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_escalations")),
    )
    op.create_index("uq_referral_escalations_target", "referral_escalations", ["referral_id", "target"], unique=True)
    # Open referrals are what the escalation scan and overdueReferrals read.
    op.create_index("ix_referrals_status_created", "referrals", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_referrals_status_created", table_name="referrals")
    op.drop_index("uq_referral_escalations_target", table_name="referral_escalations")
    op.drop_table("referral_escalations")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("completion_days")
        batch_op.drop_column("acknowledge_days")
