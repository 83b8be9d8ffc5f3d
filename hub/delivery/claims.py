"""Claiming due messages fairly across partner endpoints (SPEC section 5; issue 11, item 9).

A claim takes, for every active partner, at most its free *room*: the in-flight cap
(``SLRT_DELIVERY_ENDPOINT_MAX_IN_FLIGHT``) minus the partner's messages already SENDING
under a live lease, counted over all workers. The candidates are taken in turns — every
partner's oldest due message, then every partner's second, … — up to the batch size. So a
slow or failing endpoint holds at most its cap of attempts, everywhere, and every other
endpoint's messages are claimed beside it instead of queueing behind its backlog.

PostgreSQL: each partner's front comes from the ``(partner_id, next_attempt_at)`` index
through a ``LATERAL`` subquery (``FOR UPDATE SKIP LOCKED``), so a claim reads about
``partners × cap`` index entries however long any backlog is. Claims are serialised by a
transaction-level advisory lock taken in a statement of its own: the next claim's snapshot
then sees the previous claim's leases, so the cap holds across workers, not only per worker.
A claim is one short statement, so the lock costs workers no parallelism worth having.

SQLite (one worker by design): the same selection with a window function over due messages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    Integer,
    Select,
    Update,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.delivery.models import DeliveryMessage
from hub.referrals.models import Partner

M = DeliveryMessage.__table__
P = Partner.__table__
# Literal states (not bound parameters): the planner can only match the partial indexes
# against constants, also in a generic plan of the prepared statement.
SENDING = literal_column("'SENDING'")
PENDING = [literal_column("'QUEUED'"), literal_column("'RETRYING'"), SENDING]
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


async def claim(engine: AsyncEngine, limit: int, lease: timedelta, now: datetime,
                max_in_flight: int) -> list[Claimed]:
    """Lease up to ``limit`` due messages, at most ``max_in_flight`` SENDING per endpoint."""
    token = uuid.uuid4().hex
    params = {"now": now, "limit": limit, "cap": max_in_flight, "token": token, "lease_end": now + lease}
    async with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
        rows = (await conn.execute(_statement(postgres), params)).all()
    return [Claimed(r.id, r.partner_id, r.event_type, r.body, r.attempts, r.round_start, token) for r in rows]


@cache
def _statement(postgres: bool) -> Update:
    """Built once per dialect; every value is a bound parameter, so it compiles once too."""
    pick = _pick_postgres() if postgres else _pick_sqlite()
    return (update(M).where(M.c.id.in_(pick.scalar_subquery()))
            .values(state="SENDING", lease_token=bindparam("token"), lease_expires_at=bindparam("lease_end"),
                    next_attempt_at=bindparam("lease_end"), updated_at=bindparam("now"))
            .returning(M.c.id, M.c.partner_id, M.c.event_type, M.c.body, M.c.attempts, M.c.round_start))


def _in_flight() -> Select:
    """SENDING under a live lease, per partner (a SENDING message's next_attempt_at is its lease's end)."""
    s = M.alias("s")
    return (select(s.c.partner_id, func.count().label("n"))
            .where(s.c.state == SENDING, s.c.next_attempt_at > bindparam("now"))
            .group_by(s.c.partner_id))


def _pick_postgres() -> Select:
    m, busy = M.alias("m"), _in_flight().subquery("busy")
    room = func.greatest(bindparam("cap", type_=Integer) - func.coalesce(busy.c.n, 0), 0)
    front = (select(m.c.id, m.c.next_attempt_at)
             .where(m.c.partner_id == P.c.id, m.c.state.in_(PENDING), m.c.next_attempt_at <= bindparam("now"))
             .order_by(m.c.next_attempt_at).limit(room)
             .with_for_update(skip_locked=True, of=m).lateral("front"))
    turn = func.row_number().over(partition_by=P.c.id, order_by=front.c.next_attempt_at)
    ranked = (select(front.c.id, front.c.next_attempt_at, turn.label("turn"))
              .select_from(P.outerjoin(busy, busy.c.partner_id == P.c.id).join(front, true()))
              .where(P.c.active.is_(True)).subquery("ranked"))
    return select(ranked.c.id).order_by(ranked.c.turn, ranked.c.next_attempt_at).limit(bindparam("limit"))


def _pick_sqlite() -> Select:
    m, busy = M.alias("m"), _in_flight().subquery("busy")
    active = exists().where(P.c.id == m.c.partner_id, P.c.active.is_(True))
    turn = func.row_number().over(partition_by=m.c.partner_id, order_by=m.c.next_attempt_at)
    ranked = (select(m.c.id, m.c.partner_id, m.c.next_attempt_at, turn.label("turn"))
              .where(m.c.state.in_(PENDING), m.c.next_attempt_at <= bindparam("now"), active).subquery("ranked"))
    room = bindparam("cap", type_=Integer) - func.coalesce(busy.c.n, 0)
    return (select(ranked.c.id).select_from(ranked.outerjoin(busy, busy.c.partner_id == ranked.c.partner_id))
            .where(and_(ranked.c.turn <= room))
            .order_by(ranked.c.turn, ranked.c.next_attempt_at).limit(bindparam("limit")))
