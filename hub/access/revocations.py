"""Revoked clients and disabled partners, refused on every replica within SLRT_REVOCATION_CHECK_SECONDS.

Access tokens are verified without a database round trip. What a signature cannot say —
that the client was revoked (``slrt-hub client revoke``) or the partner disabled by an
administrator (``disablePartner``) after the token was issued — comes from a small list
each process keeps in memory:

- loaded at start; a request that finds it older than the check interval waits for one
  reload (shared by every request waiting), so no token is judged by a list older than the
  interval; a background loop reloads it every half interval, so requests rarely wait;
- on PostgreSQL each revocation also sends a NOTIFY with its transaction (``hub.events``),
  so LISTENing replicas reload at once: the interval is the bound, the NOTIFY makes it
  usually a few milliseconds;
- open WebSockets wait on ``changed()`` and close the sockets whose caller is refused.

A reload that fails (the database away) keeps the last list and is retried within a second;
requests then fail on the database anyway. The list is small: revoked clients and disabled
partners, ids only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.refusals import Refusal
from hub.access.models import OAuthClient
from hub.events.bus import REVOCATIONS, EventBus
from hub.observability import metrics
from hub.referrals.models import Partner

log = logging.getLogger("slrt.auth")
RETRY_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Revoked:
    clients: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()


async def read_revoked(session: AsyncSession) -> Revoked:
    clients = await session.scalars(select(OAuthClient.client_id).where(OAuthClient.active.is_(False)))
    partners = await session.scalars(select(Partner.id).where(Partner.access_revoked_at.is_not(None)))
    return Revoked(frozenset(clients.all()), frozenset(partners.all()))


async def announce(events: EventBus | None, session: AsyncSession) -> None:
    """Tell every replica that the list changed, when ``session`` commits (PostgreSQL: NOTIFY;
    SQLite: this process). Replicas that miss it still reload within the interval."""
    if events is not None:
        await events.publish(session, REVOCATIONS, {})


class RevocationList:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], check_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
        self.check_seconds = check_seconds
        self._clock = clock
        self._revoked = Revoked()
        self._loaded_at = float("-inf")  # when the last successful reload *started*
        self._retry_at = float("-inf")
        self._reload: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # -- what callers ask ------------------------------------------------------------------
    def refusal(self, actor: Actor) -> Refusal | None:
        """Why ``actor``'s token is refused by the list as this process knows it now, if it is."""
        revoked = self._revoked
        if actor.client_id in revoked.clients or actor.subject in revoked.clients:
            return Refusal.CLIENT_REVOKED
        if actor.partner_id is not None and actor.partner_id in revoked.partners:
            return Refusal.PARTNER_DISABLED
        return None

    async def check(self, actor: Actor) -> Refusal | None:
        """``refusal`` by a list no older than the check interval (the token verifier's hook)."""
        if self._clock() - self._loaded_at > self.check_seconds and self._clock() >= self._retry_at:
            await self.reload()
        return self.refusal(actor)

    async def changed(self) -> None:
        """Wait until a reload changes the list."""
        await self._changed.wait()

    # -- keeping it fresh ------------------------------------------------------------------
    async def reload(self) -> None:
        """Read the list again; concurrent callers share one read."""
        if self._reload is None or self._reload.done():
            self._reload = asyncio.ensure_future(self._read())
        await asyncio.shield(self._reload)

    async def _read(self) -> None:
        started = self._clock()
        try:
            async with self._sessions() as session:
                revoked = await read_revoked(session)
        except Exception:  # noqa: BLE001 - keep the last list; the next request or round retries
            self._retry_at = self._clock() + RETRY_SECONDS
            metrics.observe_revocation_reload("error")
            log.warning("reloading the revocation list failed; the last one stays in force", exc_info=True)
            return
        self._loaded_at = started
        metrics.observe_revocation_reload("ok")
        if revoked != self._revoked:
            log.info("revocation list: %d revoked clients, %d disabled partners",
                     len(revoked.clients), len(revoked.partners))
            self._revoked = revoked
            self._changed.set()
            self._changed = asyncio.Event()

    def start(self, events: EventBus) -> None:
        """Reload every half interval, and at once on a NOTIFY from any replica."""
        self._tasks = [asyncio.create_task(self._every_half_interval(), name="revocations-poll"),
                       asyncio.create_task(self._on_notice(events), name="revocations-listen")]

    async def _every_half_interval(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds / 2)
            await self.reload()

    async def _on_notice(self, events: EventBus) -> None:
        async for _ in events.subscribe(REVOCATIONS):
            await self.reload()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
