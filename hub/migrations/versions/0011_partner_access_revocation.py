"""partner access revocation: when an administrator disabled a partner

Revision ID: 0011_partner_access_revocation
Revises: 0010_audit_subject_area

``partners.access_revoked_at`` is set by ``disablePartner`` (ADMIN): from then on every
token carrying the partner's id is refused on every replica within
``SLRT_REVOCATION_CHECK_SECONDS``, and nothing is delivered to it. An endpoint the delivery
worker disabled (410, continuous failure) leaves it empty: the partner may still report
status through the API while its webhook receiver is being repaired.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_partner_access_revocation"
down_revision = "0010_audit_subject_area"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("access_revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_column("access_revoked_at")
