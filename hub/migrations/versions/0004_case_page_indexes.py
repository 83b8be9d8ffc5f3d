"""case page indexes: (district|village, status, created_at, id) for filtered case lists

Revision ID: 0004
Revises: 0003

The commonest list of a supervisor or desk is "my district's (or village's) cases in one
status, newest first". With only (district_code, created_at, id) PostgreSQL walks the
district's cases newest first and throws away the other statuses, so the cost of a page
grows with the share of cases not in that status; with the status in the index the page
is the first 51 entries of one index range at any table size (docs/scaling.md).
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_district_status_created", ["district_code", "status", "created_at", "id"])
        batch_op.create_index("ix_cases_village_status_created", ["village_code", "status", "created_at", "id"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_village_status_created")
        batch_op.drop_index("ix_cases_district_status_created")
