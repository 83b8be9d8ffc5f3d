"""delivery fairness: per-endpoint indexes for claiming across partners with an in-flight cap

Revision ID: 0005_delivery_endpoint_fairness
Revises: 0004

Claiming used to take the oldest due messages of the whole outbox, so one slow partner
with a backlog held every slot of every worker (issue 11, item 9). A claim now takes, for
each active partner, at most its free in-flight room from the front of that partner's due
messages: ``(partner_id, next_attempt_at)`` over pending messages gives each partner's front,
and a partial index over SENDING messages counts a partner's attempts in flight.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_delivery_endpoint_fairness"
down_revision = "0004"
branch_labels = None
depends_on = None

PENDING = sa.text("state IN ('QUEUED', 'RETRYING', 'SENDING')")
SENDING = sa.text("state = 'SENDING'")


def upgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_messages_partner_due", ["partner_id", "next_attempt_at"],
                              sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.create_index("ix_delivery_messages_partner_sending", ["partner_id", "next_attempt_at"],
                              sqlite_where=SENDING, postgresql_where=SENDING)


def downgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_messages_partner_sending")
        batch_op.drop_index("ix_delivery_messages_partner_due")
