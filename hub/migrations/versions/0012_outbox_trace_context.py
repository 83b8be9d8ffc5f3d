"""outbox trace context: the W3C traceparent of the request that queued a message

Revision ID: 0012_outbox_trace_context
Revises: 0011_partner_access_revocation

With tracing on, ``createReferral`` (and every other change that queues a webhook) keeps its
request's ``traceparent`` beside the message, so each delivery attempt — hours later, in
another process — links its span to that request. Empty when tracing is off.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_outbox_trace_context"
down_revision = "0011_partner_access_revocation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trace_context", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.drop_column("trace_context")
