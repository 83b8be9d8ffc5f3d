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

PostgreSQL (``CLAIM_POSTGRES``, the function ``slrt_claim_deliveries`` of migration 0009, replaced by 0013):
each partner's front comes from the ``(partner_id, next_attempt_at)`` index through a
``LATERAL`` subquery, so a claim reads at most ``partners × batch`` index entries however
long any backlog is; the rows taken are locked ``FOR UPDATE SKIP LOCKED``. Claims are
serialised by a transaction-level advisory lock taken before the claim's statement starts:
its snapshot then sees the previous claim's leases, so the cap holds across workers, not
only per worker. A claim is one round trip and one short statement; the lock costs no
parallelism worth having. SQLite (one worker by design): the same selection with a window
function over the due messages (``claim_sqlite``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, Update, bindparam, exists, func, literal_column, select, update

from hub.delivery.models import DeliveryMessage
from hub.referrals.models import Partner


@dataclass(frozen=True, slots=True)
class Claimed:
    id: str
    partner_id: str
    event_type: str
    body: str
    attempts: int
    round_start: int
    lease_token: str


# PostgreSQL: the function made by migration 0009_delivery_endpoint_fairness, its rows taken by
# primary key since 0013_delivery_claim_by_key and updated by primary key since
# 0014_delivery_update_by_key (the statement in full is there). It takes the claim lock, then picks in a statement of its own: every
# partner's front, at most min(room, batch) each, in turns; it locks only the rows finally
# taken (SKIP LOCKED: a row another transaction holds is left for a later claim) and repeats
# the due test on them, so a row changed since the pick is never taken. The states are
# literals there, not parameters: the planner matches partial indexes against constants only.
# Parameters: lease token, lease end, now, in-flight cap per endpoint, batch size.
CLAIM_POSTGRES = "SELECT id, partner_id, event_type, body, attempts, round_start " \
                 "FROM slrt_claim_deliveries($1, $2, $3, $4, $5)"


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
