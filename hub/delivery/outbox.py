"""The transactional outbox: enqueue with the change, claim with a lease, record by the holder.

``enqueue`` adds a message to the transaction that creates the referral. Workers lease due
messages fairly across partner endpoints (``claims.py``); a claimed message is SENDING until
its lease expires, after which any worker may claim it again, and only the current lease
token can record a result (``results.py``). ``store.py`` runs both on the database at hand.
On PostgreSQL any number of workers claim disjoint messages; SQLite runs one worker. The
functions below open a store for one operation (tools and tests); the worker keeps one open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.delivery.claims import Claimed
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome
from hub.delivery.results import Decision, Result
from hub.delivery.store import Endpoint, open_store
from hub.observability import tracing
from hub.referrals.models import Referral

__all__ = ["Claimed", "Decision", "Endpoint", "Result", "claim", "enqueue", "record"]


def enqueue(session: AsyncSession, referral: Referral, event_type: str, body: str, now: datetime) -> DeliveryMessage:
    """Add the message to the caller's transaction: it commits or rolls back with the change."""
    message = DeliveryMessage(referral_id=referral.id, partner_id=referral.partner_id, event_type=event_type,
                              body=body, state=DeliveryState.QUEUED, attempts=0, round_start=0,
                              next_attempt_at=now, created_at=now, updated_at=now,
                              trace_context=tracing.current_traceparent())  # None unless tracing is on
    session.add(message)
    return message


async def claim(engine: AsyncEngine, limit: int, lease: timedelta, now: datetime, max_in_flight: int) -> list[Claimed]:
    """Lease up to ``limit`` due messages, at most ``max_in_flight`` SENDING per endpoint."""
    async with open_store(engine) as store:
        return await store.claim(limit, lease, now, max_in_flight)


async def record(engine: AsyncEngine, message: Claimed, outcome: AttemptOutcome, decision: Decision,
                 at: datetime, worker: str, disable_after: timedelta) -> bool:
    """Store one attempt; False if the lease was lost (nothing stored)."""
    async with open_store(engine) as store:
        return message.id in await store.record([Result(message, outcome, decision, at)], worker, disable_after)
