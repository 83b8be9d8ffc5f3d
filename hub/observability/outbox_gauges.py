"""Outbox depth and the age of the oldest due message, read from the database.

Gauges, not counters: they describe the table as it is now, so they are refreshed by a
query - on each scrape of the API's ``/metrics``, and every few seconds in a worker
process (whose metrics port is served from a thread that cannot await).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.base import utcnow
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.observability.metrics import OUTBOX_DEPTH, OUTBOX_OLDEST_DUE

log = logging.getLogger("slrt.metrics")
M = DeliveryMessage
PENDING = (DeliveryState.QUEUED, DeliveryState.RETRYING, DeliveryState.SENDING)


async def refresh(sessions: async_sessionmaker[AsyncSession], now: datetime | None = None) -> None:
    now = now or utcnow()
    # Due: waiting and its time has come, or SENDING with a lease nobody holds any more.
    due_since = func.min(M.next_attempt_at).filter(or_(
        and_(M.state.in_((DeliveryState.QUEUED, DeliveryState.RETRYING)), M.next_attempt_at <= now),
        and_(M.state == DeliveryState.SENDING, M.lease_expires_at < now)))
    async with sessions() as session:
        counts = dict((await session.execute(
            select(M.state, func.count()).where(M.state.in_(PENDING)).group_by(M.state))).all())
        oldest = (await session.execute(select(due_since))).scalar_one_or_none()
    for state in PENDING:
        OUTBOX_DEPTH.labels(state.value).set(counts.get(state, 0))
    OUTBOX_OLDEST_DUE.set(max((now - _aware(oldest)).total_seconds(), 0.0) if oldest else 0.0)


def _aware(value: datetime) -> datetime:
    # UTCDateTime returns aware datetimes; an aggregate over it may come back naive on SQLite.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def refresh_forever(sessions: async_sessionmaker[AsyncSession], every: float) -> None:
    while True:
        try:
            await refresh(sessions)
        except Exception:  # the database may be briefly away; the next round retries
            log.warning("refreshing the outbox gauges failed", exc_info=True)
        await asyncio.sleep(every)
