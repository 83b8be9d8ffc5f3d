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

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome, Verdict
from hub.referrals.models import Partner, Referral

M = DeliveryMessage
WAITING = (DeliveryState.QUEUED, DeliveryState.RETRYING)
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
    token = uuid.uuid4().hex
    due = or_(and_(M.state.in_(WAITING), M.next_attempt_at <= now),
              and_(M.state == DeliveryState.SENDING, M.lease_expires_at < now))
    active = exists().where(Partner.id == M.partner_id, Partner.active.is_(True))
    pick = (select(M.id).where(due, active).order_by(M.next_attempt_at).limit(limit)
            .with_for_update(skip_locked=True, of=M))
    stmt = (update(M).where(M.id.in_(pick.scalar_subquery()))
            .values(state=DeliveryState.SENDING, lease_token=token, lease_expires_at=now + lease, updated_at=now)
            .returning(M.id, M.partner_id, M.event_type, M.body, M.attempts, M.round_start)
            .execution_options(synchronize_session=False))
    async with sessions() as session, session.begin():
        rows = (await session.execute(stmt)).all()
    return [Claimed(r.id, r.partner_id, r.event_type, r.body, r.attempts, r.round_start, token) for r in rows]


async def endpoints(sessions: async_sessionmaker[AsyncSession], partner_ids: set[str],
                    now: datetime) -> dict[str, Endpoint]:
    async with sessions() as session:
        rows = (await session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))).all()
    out = {}
    for p in rows:
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


async def record(sessions: async_sessionmaker[AsyncSession], message: Claimed, outcome: AttemptOutcome,
                 decision: Decision, at: datetime, worker: str, disable_after: timedelta) -> bool:
    """Store the attempt and the message's new state; False if the lease was lost (nothing stored)."""
    v = decision.verdict
    state = {Verdict.DELIVERED: DeliveryState.DELIVERED, Verdict.GONE: DeliveryState.DEAD}.get(
        v, DeliveryState.RETRYING if decision.next_attempt_at else DeliveryState.DEAD)
    error = outcome.error or (f"HTTP {outcome.status_code}" if v is not Verdict.DELIVERED else None)
    values: dict[str, object] = {
        "state": state, "attempts": M.attempts + 1, "lease_token": None, "lease_expires_at": None,
        "updated_at": at, "last_error": error[:500] if error else None,
    }
    if decision.next_attempt_at is not None:
        values["next_attempt_at"] = decision.next_attempt_at
    if v is Verdict.DELIVERED:
        values["delivered_at"] = at
    async with sessions() as session, session.begin():
        result = await session.execute(
            update(M).where(M.id == message.id, M.lease_token == message.lease_token).values(**values)
            .returning(M.attempts).execution_options(synchronize_session=False))
        number = result.scalar_one_or_none()
        if number is None:
            return False
        session.add(DeliveryAttempt(message_id=message.id, number=number, at=at, status_code=outcome.status_code,
                                    duration_ms=outcome.duration_ms, error=outcome.error[:500] if outcome.error else None,
                                    response_body=outcome.body[:MAX_BODY_KEPT] if outcome.body else None,
                                    worker=worker[:100]))
        await _track_endpoint(session, message.partner_id, v, at, disable_after)
    return True


async def _track_endpoint(session: AsyncSession, partner_id: str, v: Verdict, at: datetime,
                          disable_after: timedelta) -> None:
    P = Partner
    if v is Verdict.DELIVERED:
        await session.execute(update(P).where(P.id == partner_id, P.failing_since.is_not(None))
                              .values(failing_since=None).execution_options(synchronize_session=False))
        return
    if v is Verdict.GONE:
        await session.execute(update(P).where(P.id == partner_id).values(
            active=False, disabled_reason="the endpoint answered 410 Gone", updated_at=at)
            .execution_options(synchronize_session=False))
        return
    await session.execute(update(P).where(P.id == partner_id, P.failing_since.is_(None))
                          .values(failing_since=at).execution_options(synchronize_session=False))
    await session.execute(update(P).where(P.id == partner_id, P.active.is_(True), P.failing_since <= at - disable_after)
                          .values(active=False, updated_at=at,
                                  disabled_reason="the endpoint failed continuously for too long")
                          .execution_options(synchronize_session=False))


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
