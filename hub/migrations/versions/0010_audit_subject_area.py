"""audit rows name the area of the record read, so an auditor bound to an area sees its own

Revision ID: 0010_audit_subject_area
Revises: 0009_delivery_endpoint_fairness

An AUDITOR token may carry an area (its district's inspectorate); its `auditLog` then lists
the reads of people and households of that area only (issue 11, the isolation sweep). Rows
written before this revision have no area: they stay visible to auditors without one. Adding
a nullable column updates no row, so the append-only trigger is not involved.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_audit_subject_area"
down_revision = "0009_delivery_endpoint_fairness"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: rebuilding the table on SQLite would drop its append-only trigger.
def upgrade() -> None:
    op.add_column("audit_log", sa.Column("subject_area", sa.String(length=10), nullable=True))
    op.create_index("ix_audit_log_area", "audit_log", ["subject_area", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_area", table_name="audit_log")
    op.drop_column("audit_log", "subject_area")
