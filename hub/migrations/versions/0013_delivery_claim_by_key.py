"""delivery claim: take the picked rows by primary key, whatever the statistics say

Revision ID: 0013_delivery_claim_by_key
Revises: 0012_outbox_trace_context

The claim (``slrt_claim_deliveries``, migration 0009) picks each partner's front from the
partial index of pending messages, then locks and takes the picked rows. The outbox is
nearly all DELIVERED whenever the table is analysed, so the statistics give that partial
index no rows at all; the planner then found the picked rows by scanning it, testing every
due row against the picked ids: O(due × batch) per claim. With 3,000 messages due (a burst
of referrals, a partner back from an outage) a claim of 160 took 32 ms instead of 2 ms and
the database spent ~2 ms of CPU per delivered message; throughput fell to a fifth from one
autoanalyze to the next (bench/delivery.py, docs/perf/README.md). The re-check of the state
is now written so that it cannot be matched to the partial indexes (``state || ''``), which
leaves the primary key: each picked row is found by its id, in O(batch).
"""
from __future__ import annotations

from alembic import op

revision = "0013_delivery_claim_by_key"
down_revision = "0012_outbox_trace_context"
branch_labels = None
depends_on = None

CLAIM_LOCK = 0x736C7274_646C7672  # pg_advisory_xact_lock key of every delivery worker ("slrt" "dlvr")


def _claim_function(state_recheck: str) -> str:
    # A frozen copy (as in 0009, which holds the rules): only the state re-check differs.
    return f"""
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
           AND {state_recheck} AND l.next_attempt_at <= p_now
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


# "|| ''" keeps the test exact while no partial index's predicate can be proved from it.
BY_PRIMARY_KEY = "l.state::text || '' IN ('QUEUED', 'RETRYING', 'SENDING')"
AS_IN_0009 = "l.state IN ('QUEUED', 'RETRYING', 'SENDING')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_claim_function(BY_PRIMARY_KEY))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_claim_function(AS_IN_0009))
