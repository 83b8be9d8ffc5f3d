"""Where a delivery worker reads and writes the outbox: ``open_store(engine)``.

SQLite: ``OutboxStore``, SQLAlchemy Core over the shared engine (a single writer; one worker
by design). PostgreSQL: ``PostgresOutboxStore``, which claims and records — the two
statements every message costs — straight on asyncpg over two connections it keeps (one
claims, one records), with the SQL of ``claims.py`` and ``results.py``; SQLAlchemy's
per-statement machinery cost several times the statement itself (docs/perf/README.md). Its
small pool of its own commits without waiting for the WAL flush (``synchronous_commit =
off``), which is safe for transport bookkeeping: if the database crashes and forgets a claim
or a recorded attempt, the message is simply due again and goes out once more under the same
webhook-id (the referral and its message are written by the API with a durable commit).
Connections are not pinged before use: a claim or record that meets a dead connection fails,
is logged, and the next one opens a fresh connection (the lease protects the messages).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from standardwebhooks import Webhook

from hub.db.engine import create_engine
from hub.delivery.claims import CLAIM_POSTGRES, Claimed, claim_sqlite
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.delivery.results import RECORD_POSTGRES, Result, record_postgres_args, record_sqlite, still_failing, \
    track_endpoint
from hub.referrals.models import Partner


class Endpoint:
    """Where and how a partner's messages go: its URL and one signer per live secret."""

    __slots__ = ("partner_id", "signers", "url")

    def __init__(self, partner_id: str, url: str, secrets: tuple[str, ...]) -> None:
        self.partner_id = partner_id
        self.url = url
        self.signers = tuple(Webhook(s) for s in secrets)


class OutboxStore:
    """The outbox through SQLAlchemy Core: every operation, on any database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def close(self) -> None:
        return None

    async def claim(self, limit: int, lease: timedelta, now: datetime, max_in_flight: int) -> list[Claimed]:
        """Lease up to ``limit`` due messages, at most ``max_in_flight`` SENDING per endpoint."""
        token = uuid.uuid4().hex
        params = {"token": token, "lease_end": now + lease, "now": now, "cap": max_in_flight, "limit": limit}
        async with self.engine.begin() as conn:
            rows = (await conn.execute(claim_sqlite(), params)).all()
        return [Claimed(r.id, r.partner_id, r.event_type, r.body, r.attempts, r.round_start, token) for r in rows]

    async def record(self, results: list[Result], worker: str, disable_after: timedelta) -> set[str]:
        """Store attempts and new message states; returns the ids whose lease held."""
        if not results:
            return set()
        async with self.engine.begin() as conn:
            kept = await record_sqlite(conn, results, worker[:100])
            await self._track(conn, results, kept, disable_after)
        return kept

    @staticmethod
    async def _track(conn: AsyncConnection, results: list[Result], kept: set[str], disable_after: timedelta) -> None:
        for partner_id, mine in still_failing(results, kept).items():
            await track_endpoint(conn, partner_id, mine, disable_after)

    async def endpoints(self, partner_ids: set[str], now: datetime) -> dict[str, Endpoint]:
        P = Partner.__table__
        async with self.engine.connect() as conn:
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
            out[p.id] = Endpoint(p.id, p.webhook_url, tuple(secrets))
        return out

    async def trace_contexts(self, ids: list[str]) -> dict[str, str]:
        """The stored traceparent of each message that has one (asked only with tracing on, so
        the claim stays the one statement it is)."""
        M = DeliveryMessage.__table__
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(M.c.id, M.c.trace_context).where(
                M.c.id.in_(ids), M.c.trace_context.is_not(None)))).all()
        return {row.id: row.trace_context for row in rows}

    async def release(self, messages: list[Claimed], now: datetime) -> None:
        """Hand unfinished messages back so another worker sends them without waiting for the lease."""
        if not messages:
            return
        M = DeliveryMessage.__table__
        async with self.engine.begin() as conn:
            for m in messages:
                await conn.execute(
                    update(M).where(M.c.id == m.id, M.c.lease_token == m.lease_token)
                    .values(state=DeliveryState.RETRYING if m.attempts else DeliveryState.QUEUED,
                            lease_token=None, lease_expires_at=None, next_attempt_at=now, updated_at=now))


class PostgresOutboxStore(OutboxStore):
    """Claims and records on asyncpg directly; the rest through SQLAlchemy (see the module doc)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        # "claim" / "record" -> a checked-out connection and its asyncpg connection
        self._held: dict[str, tuple[AsyncConnection, Any]] = {}

    async def close(self) -> None:
        for role in list(self._held):
            await self._held.pop(role)[0].close()

    @asynccontextmanager
    async def _driver(self, role: str) -> AsyncIterator[Any]:
        """The asyncpg connection kept for ``role``; dropped if anything goes wrong while in use."""
        if role not in self._held:
            conn = await self.engine.connect()
            self._held[role] = (conn, (await conn.get_raw_connection()).driver_connection)
        conn, driver = self._held[role]
        try:
            yield driver
        except BaseException:
            # Perhaps mid-transaction or broken: never reuse it. The server rolls back on close.
            del self._held[role]
            await conn.invalidate()
            await conn.close()
            raise

    async def claim(self, limit: int, lease: timedelta, now: datetime, max_in_flight: int) -> list[Claimed]:
        token = uuid.uuid4().hex
        async with self._driver("claim") as db:  # autocommit: the function is the transaction
            rows = await db.fetch(CLAIM_POSTGRES, token, now + lease, now, max_in_flight, limit)
        return [Claimed(r[0], r[1], r[2], r[3], r[4], r[5], token) for r in rows]

    async def record(self, results: list[Result], worker: str, disable_after: timedelta) -> set[str]:
        if not results:
            return set()
        async with self._driver("record") as db:
            kept = {row[0] for row in await db.fetch(RECORD_POSTGRES, *record_postgres_args(results, worker))}
        if still_failing(results, kept):
            async with self.engine.begin() as conn:
                await self._track(conn, results, kept, disable_after)
        return kept


@asynccontextmanager
async def open_store(shared: AsyncEngine) -> AsyncIterator[OutboxStore]:
    """The store for the shared engine's database; PostgreSQL gets a small pool of its own."""
    if shared.dialect.name != "postgresql":
        yield OutboxStore(shared)
        return
    engine = create_engine(shared.url.render_as_string(hide_password=False), pool_size=2, max_overflow=3,
                           pool_pre_ping=False, connect_args={"server_settings": {
                               "synchronous_commit": "off", "application_name": "slrt-delivery"}})
    store = PostgresOutboxStore(engine)
    try:
        yield store
    finally:
        await store.close()
        await engine.dispose()
