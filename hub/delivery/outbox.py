"""The transactional outbox: enqueue with the change, claim with a lease, record by the holder.

``enqueue`` adds a message to the transaction that creates the referral. Workers lease due
messages with ``claim`` (fair across partner endpoints: ``hub/delivery/claims.py``); a
claimed message is SENDING until its lease expires, after which any worker may claim it
again, and only the current lease token can record a result (``hub/delivery/results.py``).
On PostgreSQL any number of workers claim disjoint messages; SQLite runs one worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from standardwebhooks import Webhook

from hub.delivery.claims import Claimed, claim
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome
from hub.delivery.results import Decision, Result, record_many
from hub.referrals.models import Partner, Referral

__all__ = ["Claimed", "Decision", "Endpoint", "Result", "claim", "endpoints", "enqueue", "record", "record_many",
           "release"]
M = DeliveryMessage.__table__


def enqueue(session: AsyncSession, referral: Referral, event_type: str, body: str, now: datetime) -> DeliveryMessage:
    """Add the message to the caller's transaction: it commits or rolls back with the change."""
    message = DeliveryMessage(referral_id=referral.id, partner_id=referral.partner_id, event_type=event_type,
                              body=body, state=DeliveryState.QUEUED, attempts=0, round_start=0,
                              next_attempt_at=now, created_at=now, updated_at=now)
    session.add(message)
    return message


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and how a partner's messages go: its URL and one signer per live secret."""

    partner_id: str
    url: str
    signers: tuple[Webhook, ...]


async def endpoints(engine: AsyncEngine, partner_ids: set[str], now: datetime) -> dict[str, Endpoint]:
    P = Partner.__table__
    async with engine.connect() as conn:
        rows = (await conn.execute(select(P.c.id, P.c.webhook_url, P.c.secret, P.c.previous_secret,
                                          P.c.previous_secret_until).where(P.c.id.in_(partner_ids)))).all()
    out = {}
    for p in rows:
        if p.webhook_url is None:  # portal-only: never queued for, so never claimed
            continue
        secrets = [p.secret]
        # After a rotation the old secret signs too, until the grace period ends.
        if p.previous_secret and p.previous_secret_until and p.previous_secret_until > now:
            secrets.append(p.previous_secret)
        out[p.id] = Endpoint(p.id, p.webhook_url, tuple(Webhook(s) for s in secrets))
    return out


async def record(engine: AsyncEngine, message: Claimed, outcome: AttemptOutcome, decision: Decision,
                 at: datetime, worker: str, disable_after: timedelta) -> bool:
    """Store one attempt; False if the lease was lost (nothing stored)."""
    return message.id in await record_many(engine, [Result(message, outcome, decision, at)], worker, disable_after)


async def release(engine: AsyncEngine, messages: list[Claimed], now: datetime) -> None:
    """Hand unfinished messages back at shutdown so another worker sends them without waiting for the lease."""
    if not messages:
        return
    async with engine.begin() as conn:
        for m in messages:
            await conn.execute(
                update(M).where(M.c.id == m.id, M.c.lease_token == m.lease_token)
                .values(state=DeliveryState.RETRYING if m.attempts else DeliveryState.QUEUED,
                        lease_token=None, lease_expires_at=None, next_attempt_at=now, updated_at=now))
