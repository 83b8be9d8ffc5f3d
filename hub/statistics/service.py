"""Monitoring and evaluation (SPEC section 9): is SLRT effective, per area and period?

Served from the facts and counts kept with every write (``served.py``) when they were kept
under this deployment's calendar — its SLRT_TIMEZONE and SLRT_SLA_DAYS; otherwise, and when
asked (``raw=True``, ``slrt-hub report --raw``), computed from the case tables (``raw.py``).
Both give the same figures; the case tables are the reference.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.statistics import rollup
from hub.statistics.facts import Calendar
from hub.statistics.figures import Period, Statistics
from hub.statistics.raw import RawStatistics
from hub.statistics.served import ServedStatistics

__all__ = ["Period", "Statistics", "StatisticsService"]

log = logging.getLogger("slrt.statistics")


class StatisticsService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], sla_days: dict[str, int],
                 tz: str = "Asia/Jakarta", *, raw: bool = False) -> None:
        self._sessions = sessions
        self._calendar = Calendar(tz, {k: int(v) for k, v in sla_days.items()})
        self._raw = RawStatistics(sessions, self._calendar)
        self._served = None if raw else ServedStatistics(sessions, self._calendar)
        self._warned = False

    async def compute(self, actor: Actor, period: Period, now: datetime) -> Statistics:
        if self._served is not None and await self._served_here():
            return await self._served.compute(actor, period, now)
        return await self._raw.compute(actor, period, now)

    async def _served_here(self) -> bool:
        async with self._sessions() as session:
            kept = await session.run_sync(lambda s: rollup.calendar(s.connection()))
        if kept == self._calendar:
            return True
        if not self._warned:
            self._warned = True
            log.warning("statistics computed from the case tables (slower): the counts were kept for %s, this hub "
                        "runs with %s; run `slrt-hub statistics rebuild` with the hub stopped",
                        kept or "nothing (no statistics_calendar row)", self._calendar)
        return False
