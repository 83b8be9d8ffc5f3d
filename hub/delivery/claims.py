"""Claiming due messages fairly across partner endpoints (SPEC section 5; issue 11, item 9).

A claim takes, for every active partner, at most its free *room*: the in-flight cap
(``SLRT_DELIVERY_ENDPOINT_MAX_IN_FLIGHT``) minus the partner's messages already SENDING
under a live lease, counted over all workers. The candidates are taken in turns — every
partner's oldest due message, then every partner's second, … — up to the batch size. So a
slow or failing endpoint holds at most its cap of attempts, everywhere, and every other
endpoint's messages are claimed beside it instead of queueing behind its backlog.

A due message is QUEUED or RETRYING with its time come, or SENDING with its lease run out
(a SENDING message's ``next_attempt_at`` is its lease's end). The claimed messages become
SENDING under a new lease token; only that token can record their result.

PostgreSQL (``CLAIM_POSTGRES``): each partner's front comes from the ``(partner_id,
next_attempt_at)`` index through a ``LATERAL`` subquery, so a claim reads at most
``partners × batch`` index entries however long any backlog is; the rows taken are locked
``FOR UPDATE SKIP LOCKED``. Claims are serialised by the transaction-level advisory lock
``CLAIM_LOCK``, taken in a statement of its own: the claim's snapshot then sees the previous
claim's leases, so the cap holds across workers, not only per worker. A claim is one short
statement; the lock costs no parallelism worth having. SQLite (one worker by design): the same selection with a window function over
the due messages (``claim_sqlite``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, Update, bindparam, exists, func, literal_column, select, update

from hub.delivery.models import DeliveryMessage
from hub.referrals.models import Partner

# pg_advisory_xact_lock key shared by every worker of a deployment ("slrt" "dlvr").
CLAIM_LOCK = 0x736C7274_646C7672


@dataclass(frozen=True, slots=True)
class Claimed:
    id: str
    partner_id: str
    event_type: str
    body: str
    attempts: int
    round_start: int
    lease_token: str


# $1 lease token, $2 lease end, $3 now, $4 in-flight cap per endpoint, $5 batch size.
# The states are literals, not parameters: the planner matches partial indexes against
# constants only, also in the generic plan of a prepared statement. Only the rows finally
# taken are locked (SKIP LOCKED: a row another transaction holds is left for a later claim),
# and the due test is repeated on them, so a row changed since the pick is never taken.
CLAIM_POSTGRES = """
UPDATE delivery_messages AS t
   SET state = 'SENDING', lease_token = $1, lease_expires_at = $2, next_attempt_at = $2, updated_at = $3
 WHERE t.id IN (
    SELECT l.id FROM delivery_messages AS l
     WHERE l.state IN ('QUEUED', 'RETRYING', 'SENDING') AND l.next_attempt_at <= $3
       AND l.id IN (
        SELECT ranked.id FROM (
            SELECT front.id, front.next_attempt_at,
                   row_number() OVER (PARTITION BY p.id ORDER BY front.next_attempt_at) AS turn
              FROM partners AS p
              LEFT JOIN (SELECT s.partner_id, count(*) AS n
                           FROM delivery_messages AS s
                          WHERE s.state = 'SENDING' AND s.next_attempt_at > $3
                          GROUP BY s.partner_id) AS busy ON busy.partner_id = p.id
             CROSS JOIN LATERAL (
                   SELECT m.id, m.next_attempt_at
                     FROM delivery_messages AS m
                    WHERE m.partner_id = p.id AND m.state IN ('QUEUED', 'RETRYING', 'SENDING')
                      AND m.next_attempt_at <= $3
                    ORDER BY m.next_attempt_at
                    LIMIT least(greatest($4::integer - coalesce(busy.n, 0), 0), $5::integer)) AS front
             WHERE p.active) AS ranked
         ORDER BY ranked.turn, ranked.next_attempt_at
         LIMIT $5)
       FOR UPDATE SKIP LOCKED)
RETURNING t.id, t.partner_id, t.event_type, t.body, t.attempts, t.round_start
"""


@cache
def claim_sqlite() -> Update:
    """The claim for SQLite, built once; parameters ``token lease_end now cap limit``."""
    m, s, p = DeliveryMessage.__table__.alias("m"), DeliveryMessage.__table__.alias("s"), Partner.__table__
    sending = literal_column("'SENDING'")
    busy = (select(s.c.partner_id, func.count().label("n"))
            .where(s.c.state == sending, s.c.next_attempt_at > bindparam("now"))
            .group_by(s.c.partner_id).subquery("busy"))
    active = exists().where(p.c.id == m.c.partner_id, p.c.active.is_(True))
    turn = func.row_number().over(partition_by=m.c.partner_id, order_by=m.c.next_attempt_at)
    ranked = (select(m.c.id, m.c.partner_id, m.c.next_attempt_at, turn.label("turn"))
              .where(m.c.state.in_([literal_column("'QUEUED'"), literal_column("'RETRYING'"), sending]),
                     m.c.next_attempt_at <= bindparam("now"), active)
              .subquery("ranked"))
    room = bindparam("cap", type_=Integer) - func.coalesce(busy.c.n, 0)
    pick = (select(ranked.c.id).select_from(ranked.outerjoin(busy, busy.c.partner_id == ranked.c.partner_id))
            .where(ranked.c.turn <= room)
            .order_by(ranked.c.turn, ranked.c.next_attempt_at).limit(bindparam("limit")))
    t = DeliveryMessage.__table__
    return (update(t).where(t.c.id.in_(pick.scalar_subquery()))
            .values(state="SENDING", lease_token=bindparam("token"), lease_expires_at=bindparam("lease_end"),
                    next_attempt_at=bindparam("lease_end"), updated_at=bindparam("now"))
            .returning(t.c.id, t.c.partner_id, t.c.event_type, t.c.body, t.c.attempts, t.c.round_start))
