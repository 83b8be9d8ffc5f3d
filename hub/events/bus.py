"""Change notifications for live subscribers, published with the transaction that made them.

On PostgreSQL a message is a ``pg_notify`` inside the writing transaction: PostgreSQL
delivers it only if the transaction commits, to every replica that LISTENs. On SQLite
(one process) the message is handed to local subscribers after the commit.
Messages carry ids and area codes only, never personal data: subscribers load what they
may see themselves, under the same rules as any query.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("slrt.events")

CASE_EVENTS = "slrt_case_events"
REFERRAL_UPDATES = "slrt_referral_updates"
REVOCATIONS = "slrt_revocations"  # a client revoked or a partner disabled: reload the list (hub/access)
CHANNELS = (CASE_EVENTS, REFERRAL_UPDATES, REVOCATIONS)
QUEUE_LIMIT = 1000  # a subscriber this far behind is dropped rather than slowing everyone


class EventBus:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self._postgres = url.get_backend_name() == "postgresql"
        self._url = url
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any] | None]]] = defaultdict(set)
        self._listener: asyncpg.Connection | None = None

    async def start(self) -> None:
        if not self._postgres:
            return
        u = self._url
        self._listener = await asyncpg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                                               database=u.database)
        for channel in CHANNELS:
            await self._listener.add_listener(channel, self._on_notify)

    async def close(self) -> None:
        for queues in self._subscribers.values():
            for q in queues:
                q.put_nowait(None)
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None

    def _on_notify(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        self._dispatch(channel, json.loads(payload))

    def _dispatch(self, channel: str, message: dict[str, Any]) -> None:
        for q in list(self._subscribers[channel]):
            try:
                q.put_nowait(message)
            except asyncio.QueueFull:
                log.warning("dropping a subscriber that fell %d messages behind", QUEUE_LIMIT)
                self._subscribers[channel].discard(q)

    async def publish(self, session: AsyncSession, channel: str, message: dict[str, Any]) -> None:
        """Send ``message`` to every subscriber once, and only if ``session`` commits."""
        if self._postgres:
            await session.execute(select(func.pg_notify(channel, json.dumps(message))))
            return
        pending: list[tuple[str, dict[str, Any]]] = session.info.setdefault("slrt_pending_events", [])
        if not pending:
            sync = session.sync_session

            def after_commit(_s: Any) -> None:
                for ch, msg in session.info.pop("slrt_pending_events", []):
                    self._dispatch(ch, msg)

            def after_rollback(_s: Any) -> None:
                session.info.pop("slrt_pending_events", None)

            from sqlalchemy import event

            event.listen(sync, "after_commit", after_commit, once=True)
            event.listen(sync, "after_soft_rollback", after_rollback, once=True)
        pending.append((channel, message))

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers[channel].add(queue)
        try:
            while (message := await queue.get()) is not None:
                yield message
        finally:
            self._subscribers[channel].discard(queue)
