"""delivery fairness: per-endpoint indexes for claiming across partners with an in-flight cap

Revision ID: 0009_delivery_endpoint_fairness
Revises: 0008_statistics_rollups

Claiming used to take the oldest due messages of the whole outbox, so one slow partner
with a backlog held every slot of every worker (issue 11, item 9). A claim now takes, for
each active partner, at most its free in-flight room from the front of that partner's due
messages: ``(partner_id, next_attempt_at)`` over pending messages gives each partner's front
(it replaces the global ``ix_delivery_messages_due``), and a partial index over SENDING
messages counts a partner's attempts in flight, newest leases first and no further than the cap.

On PostgreSQL the claim is the function ``slrt_claim_deliveries``: it takes the claim lock
(serialising claims, so the cap holds across workers) and then runs the claim in a statement
of its own, whose snapshot sees every earlier claim's leases — one round trip per claim
instead of three (BEGIN and lock, claim, COMMIT). The rules are in hub/delivery/claims.py.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_delivery_endpoint_fairness"
down_revision = "0008_statistics_rollups"
branch_labels = None
depends_on = None

PENDING = sa.text("state IN ('QUEUED', 'RETRYING', 'SENDING')")
SENDING = sa.text("state = 'SENDING'")

CLAIM_LOCK = 0x736C7274_646C7672  # pg_advisory_xact_lock key of every delivery worker ("slrt" "dlvr")

# A frozen copy: a later change of the claim is a new revision that replaces the function.
CLAIM_FUNCTION = f"""
CREATE OR REPLACE FUNCTION slrt_claim_deliveries(p_token text, p_lease_end timestamptz, p_now timestamptz,
                                                 p_cap integer, p_limit integer)
RETURNS TABLE (id text, partner_id text, event_type text, body text, attempts integer, round_start integer)
LANGUAGE plpgsql VOLATILE AS $claim$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock({CLAIM_LOCK});
  -- The pick runs once and first (MATERIALIZED), whatever the table statistics say; only
  -- then are its rows locked and taken, each found by its primary key.
  RETURN QUERY
    WITH pick AS MATERIALIZED (
        SELECT ranked.id FROM (
            SELECT front.id, front.next_attempt_at,
                   row_number() OVER (PARTITION BY p.id ORDER BY front.next_attempt_at) AS turn
              FROM partners AS p
             CROSS JOIN LATERAL (  -- in flight: newest leases first, no further than the cap
                   SELECT count(*) AS n FROM (
                       SELECT 1 FROM delivery_messages AS s
                        WHERE s.partner_id = p.id AND s.state = 'SENDING' AND s.next_attempt_at > p_now
                        ORDER BY s.next_attempt_at DESC
                        LIMIT p_cap) AS leased) AS busy
             CROSS JOIN LATERAL (
                   SELECT m.id, m.next_attempt_at
                     FROM delivery_messages AS m
                    WHERE m.partner_id = p.id AND m.state IN ('QUEUED', 'RETRYING', 'SENDING')
                      AND m.next_attempt_at <= p_now
                    ORDER BY m.next_attempt_at
                    LIMIT least(greatest(p_cap - busy.n, 0), p_limit)) AS front
             WHERE p.active) AS ranked
         ORDER BY ranked.turn, ranked.next_attempt_at
         LIMIT p_limit
    ), taken AS (
        SELECT l.id FROM delivery_messages AS l
         WHERE l.id = ANY (ARRAY(SELECT pick.id FROM pick))
           AND l.state IN ('QUEUED', 'RETRYING', 'SENDING') AND l.next_attempt_at <= p_now
           FOR UPDATE OF l SKIP LOCKED
    )
    UPDATE delivery_messages AS t
       SET state = 'SENDING', lease_token = p_token, lease_expires_at = p_lease_end,
           next_attempt_at = p_lease_end, updated_at = p_now
      FROM taken
     WHERE t.id = taken.id
    RETURNING t.id::text, t.partner_id::text, t.event_type::text, t.body, t.attempts, t.round_start;
END
$claim$
"""


def upgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        # Claims read each partner's front from the per-partner index; the global one only cost
        # an index insertion on every claim and retry.
        batch_op.drop_index("ix_delivery_messages_due")
        batch_op.create_index("ix_delivery_messages_partner_due", ["partner_id", "next_attempt_at"],
                              sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.create_index("ix_delivery_messages_partner_sending", ["partner_id", "next_attempt_at"],
                              sqlite_where=SENDING, postgresql_where=SENDING)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CLAIM_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS slrt_claim_deliveries(text, timestamptz, timestamptz, integer, integer)")
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_messages_partner_sending")
        batch_op.drop_index("ix_delivery_messages_partner_due")
        batch_op.create_index("ix_delivery_messages_due", ["next_attempt_at"], sqlite_where=PENDING,
                              postgresql_where=PENDING)
