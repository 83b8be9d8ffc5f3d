"""delivery claim: the final UPDATE finds the taken rows by primary key, whatever the statistics say

Revision ID: 0014_delivery_update_by_key
Revises: 0013_delivery_claim_by_key

Migration 0013 made the claim's take step find its picked rows by primary key. Its last step,
``UPDATE … FROM taken WHERE t.id = taken.id``, was still a join the planner could order either
way: with statistics taken while the outbox was (nearly) empty it estimated one row on each side
and walked the whole primary-key index of the outbox for every taken row (a test counted 6,060
index entries read for a claim of 50). bench/delivery.py saw it as whole runs at 0.12-0.24 x the
plain loop, with 1.1 ms of database CPU per message instead of 0.15, until the next autoanalyze.
The UPDATE now matches ``t.id = ANY (ARRAY(SELECT id FROM taken))``: an index condition on the
primary key, as the take step has.
"""
from __future__ import annotations

from alembic import op

revision = "0014_delivery_update_by_key"
down_revision = "0013_delivery_claim_by_key"
branch_labels = None
depends_on = None

CLAIM_LOCK = 0x736C7274_646C7672  # pg_advisory_xact_lock key of every delivery worker ("slrt" "dlvr")


def _claim_function(update_by: str) -> str:
    # A frozen copy of 0013's (0009 holds the rules): only the final UPDATE's match differs.
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
           AND l.state::text || '' IN ('QUEUED', 'RETRYING', 'SENDING') AND l.next_attempt_at <= p_now
           FOR UPDATE OF l SKIP LOCKED
    )
    UPDATE delivery_messages AS t
       SET state = 'SENDING', lease_token = p_token, lease_expires_at = p_lease_end,
           next_attempt_at = p_lease_end, updated_at = p_now
     WHERE {update_by}
    RETURNING t.id::text, t.partner_id::text, t.event_type::text, t.body, t.attempts, t.round_start;
END
$claim$
"""


BY_PRIMARY_KEY = "t.id = ANY (ARRAY(SELECT taken.id FROM taken))"
AS_IN_0013 = "t.id IN (SELECT taken.id FROM taken)"  # the same rows as 0013's "FROM taken WHERE t.id = taken.id"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_claim_function(BY_PRIMARY_KEY))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_claim_function(AS_IN_0013))
