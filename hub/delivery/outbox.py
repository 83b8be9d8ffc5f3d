"""The transactional outbox: enqueue with the change, claim with a lease, record by the holder.

Claiming is one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``: on
PostgreSQL any number of workers claim disjoint messages; SQLite ignores the lock clause and
its single writer makes the same statement safe for one worker. A claimed message is SENDING
until its lease expires; after that any worker may claim it again, and only the current
lease token can record a result.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, and_, cast, column, exists, func, insert, select, text, update, values
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from hub.delivery.models import PENDING_STATES, DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome, Verdict
from hub.referrals.models import Partner, Referral

M = DeliveryMessage
MAX_BODY_KEPT = 1024


def enqueue(session: AsyncSession, referral: Referral, event_type: str, body: str, now: datetime) -> DeliveryMessage:
    """Add the message to the caller's transaction: it commits or rolls back with the change."""
    message = DeliveryMessage(referral_id=referral.id, partner_id=referral.partner_id, event_type=event_type,
                              body=body, state=DeliveryState.QUEUED, attempts=0, round_start=0,
                              next_attempt_at=now, created_at=now, updated_at=now)
    session.add(message)
    return message


@dataclass(frozen=True, slots=True)
class Claimed:
    id: str
    partner_id: str
    event_type: str
    body: str
    attempts: int
    round_start: int
    lease_token: str


@dataclass(frozen=True, slots=True)
class Endpoint:
    partner_id: str
    url: str
    secrets: tuple[str, ...]


async def claim(sessions: async_sessionmaker[AsyncSession], limit: int, lease: timedelta,
                now: datetime) -> list[Claimed]:
    t, token = M.__table__, uuid.uuid4().hex
    # A SENDING message is due again when its lease has run out (its next_attempt_at is the lease's end).
    due = and_(t.c.state.in_(PENDING_STATES), t.c.next_attempt_at <= now)
    active = exists().where(Partner.id == t.c.partner_id, Partner.active.is_(True))
    pick = (select(t.c.id).where(due, active).order_by(t.c.next_attempt_at).limit(limit)
            .with_for_update(skip_locked=True, of=t))
    stmt = (update(t).where(t.c.id.in_(pick.scalar_subquery()))
            .values(state=DeliveryState.SENDING, lease_token=token, lease_expires_at=now + lease,
                    next_attempt_at=now + lease, updated_at=now)
            .returning(t.c.id, t.c.partner_id, t.c.event_type, t.c.body, t.c.attempts, t.c.round_start))
    async with sessions() as session, session.begin():
        conn = await session.connection()
        await _no_fsync_wait(conn)
        rows = (await conn.execute(stmt)).all()
    return [Claimed(r.id, r.partner_id, r.event_type, r.body, r.attempts, r.round_start, token) for r in rows]


async def endpoints(sessions: async_sessionmaker[AsyncSession], partner_ids: set[str],
                    now: datetime) -> dict[str, Endpoint]:
    async with sessions() as session:
        rows = (await session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))).all()
    out = {}
    for p in rows:
        if p.webhook_url is None:  # portal-only: never queued for, so never claimed
            continue
        secrets = [p.secret]
        # After a rotation the old secret signs too, until the grace period ends.
        if p.previous_secret and p.previous_secret_until and p.previous_secret_until > now:
            secrets.append(p.previous_secret)
        out[p.id] = Endpoint(p.id, p.webhook_url, tuple(secrets))
    return out


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    next_attempt_at: datetime | None  # None: no further attempt


@dataclass(frozen=True, slots=True)
class Result:
    """One finished attempt, waiting to be recorded."""

    message: Claimed
    outcome: AttemptOutcome
    decision: Decision
    at: datetime


def _state(decision: Decision) -> DeliveryState:
    if decision.verdict is Verdict.DELIVERED:
        return DeliveryState.DELIVERED
    if decision.verdict is Verdict.RETRY and decision.next_attempt_at is not None:
        return DeliveryState.RETRYING
    return DeliveryState.DEAD


async def record(sessions: async_sessionmaker[AsyncSession], message: Claimed, outcome: AttemptOutcome,
                 decision: Decision, at: datetime, worker: str, disable_after: timedelta) -> bool:
    """Store one attempt; False if the lease was lost (nothing stored)."""
    return message.id in await record_many(sessions, [Result(message, outcome, decision, at)], worker, disable_after)


async def record_many(sessions: async_sessionmaker[AsyncSession], results: list[Result], worker: str,
                      disable_after: timedelta) -> set[str]:
    """Store attempts and new message states in one transaction; returns the ids whose lease held.

    A result whose lease token no longer matches (the lease expired and another worker took
    the message) is dropped: only the current holder writes.
    """
    async with sessions() as session, session.begin():
        conn = await session.connection()
        await _no_fsync_wait(conn)
        changes = [_change(r) for r in results]
        if conn.dialect.name == "postgresql":
            numbers = await _update_at_once(conn, changes)
        else:
            numbers = await _update_one_by_one(conn, changes)
        rows = [{"message_id": r.message.id, "number": numbers[r.message.id], "at": r.at,
                 "status_code": r.outcome.status_code, "duration_ms": r.outcome.duration_ms,
                 "error": r.outcome.error[:500] if r.outcome.error else None,
                 "response_body": r.outcome.body[:MAX_BODY_KEPT] if r.outcome.body else None, "worker": worker[:100]}
                for r in results if r.message.id in numbers]
        if rows:
            await conn.execute(insert(DeliveryAttempt.__table__), rows)
        for partner_id in {r.message.partner_id for r in results if r.message.id in numbers}:
            mine = sorted((r for r in results if r.message.partner_id == partner_id and r.message.id in numbers),
                          key=lambda r: r.at)
            await _track_endpoint(conn, partner_id, mine, disable_after)
    return set(numbers)


async def _no_fsync_wait(conn: AsyncConnection) -> None:
    """Commit transport bookkeeping without waiting for the WAL flush (PostgreSQL).

    Safe for at-least-once delivery: if the database crashes and forgets a claim or a
    recorded attempt, the message is simply due again and goes out once more under the same
    webhook-id. The referral and its message themselves are written with a durable commit.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL synchronous_commit = off"))


def _change(r: Result) -> dict[str, object]:
    v = r.decision.verdict
    error = r.outcome.error or (f"HTTP {r.outcome.status_code}" if v is not Verdict.DELIVERED else None)
    return {"id": r.message.id, "token": r.message.lease_token, "state": _state(r.decision).value, "at": r.at,
            "last_error": error[:500] if error else None, "next_at": r.decision.next_attempt_at,
            "delivered_at": r.at if v is Verdict.DELIVERED else None}


async def _update_at_once(conn: AsyncConnection, changes: list[dict[str, object]]) -> dict[str, int]:
    """PostgreSQL: one ``UPDATE … FROM (VALUES …)`` for the whole batch."""
    t, stamp = M.__table__, DateTime(timezone=True)
    v = values(column("id", String), column("token", String), column("state", String), column("at", stamp),
               column("last_error", String), column("next_at", stamp), column("delivered_at", stamp), name="v"
               ).data([tuple(c.values()) for c in changes])
    stmt = (update(t).where(t.c.id == v.c.id, t.c.lease_token == v.c.token)
            .values(state=v.c.state, attempts=t.c.attempts + 1, lease_token=None, lease_expires_at=None,
                    updated_at=cast(v.c.at, stamp), last_error=v.c.last_error,
                    next_attempt_at=func.coalesce(cast(v.c.next_at, stamp), t.c.next_attempt_at),
                    delivered_at=func.coalesce(cast(v.c.delivered_at, stamp), t.c.delivered_at))
            .returning(t.c.id, t.c.attempts))
    return {row.id: row.attempts for row in await conn.execute(stmt)}


async def _update_one_by_one(conn: AsyncConnection, changes: list[dict[str, object]]) -> dict[str, int]:
    t = M.__table__
    out = {}
    for c in changes:
        values_: dict[str, object] = {"state": c["state"], "attempts": t.c.attempts + 1, "lease_token": None,
                                      "lease_expires_at": None, "updated_at": c["at"], "last_error": c["last_error"]}
        if c["next_at"] is not None:
            values_["next_attempt_at"] = c["next_at"]
        if c["delivered_at"] is not None:
            values_["delivered_at"] = c["delivered_at"]
        number = (await conn.execute(update(t).where(t.c.id == c["id"], t.c.lease_token == c["token"])
                                     .values(**values_).returning(t.c.attempts))).scalar_one_or_none()
        if number is not None:
            out[str(c["id"])] = number
    return out


async def _track_endpoint(conn: AsyncConnection, partner_id: str, results: list[Result],
                          disable_after: timedelta) -> None:
    """Keep the failure streak of an endpoint: cleared by a success, disabling it when too long."""
    P = Partner.__table__
    at = results[-1].at
    if any(r.decision.verdict is Verdict.GONE for r in results):
        await conn.execute(update(P).where(P.c.id == partner_id).values(
            active=False, disabled_reason="the endpoint answered 410 Gone", updated_at=at))
        return
    last_ok = max((i for i, r in enumerate(results) if r.decision.verdict is Verdict.DELIVERED), default=None)
    failures = results[last_ok + 1:] if last_ok is not None else results
    if last_ok is not None:
        # Only touch the row when there is a streak to end: the common case writes nothing.
        await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_not(None))
                           .values(failing_since=None))
    if not failures:
        return
    await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_(None))
                       .values(failing_since=failures[0].at))
    await conn.execute(update(P).where(P.c.id == partner_id, P.c.active.is_(True), P.c.failing_since <= at - disable_after)
                       .values(active=False, updated_at=at, disabled_reason="the endpoint failed continuously for too long"))


async def release(sessions: async_sessionmaker[AsyncSession], messages: list[Claimed], now: datetime) -> None:
    """Hand unfinished messages back at shutdown so another worker sends them without waiting for the lease."""
    if not messages:
        return
    async with sessions() as session, session.begin():
        for m in messages:
            await session.execute(
                update(M).where(M.id == m.id, M.lease_token == m.lease_token)
                .values(state=DeliveryState.RETRYING if m.attempts else DeliveryState.QUEUED,
                        lease_token=None, lease_expires_at=None, next_attempt_at=now, updated_at=now)
                .execution_options(synchronize_session=False))
