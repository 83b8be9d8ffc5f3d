"""The statistics served from the facts and counts ``rollup.py`` keeps: the figures of
``raw.py``, exactly, from a few hundred count rows per area and month instead of every case.

- counts by status, channel, village, sector and referral partner/status: the count rows
  of the period (``spans.py``) added up;
- medians: the duration histograms in the count rows, then the facts of the middle day
  (``medians.py``);
- SLA: a resolved case's breach is settled and counted; an open one is counted as open,
  and those of its open (case, sector)s that have *not* yet run past their target — only
  ones submitted within the target's days, read from the facts with the raw computation's
  own test at ``now`` — are taken off.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.cases.visibility import area_condition, visible_to
from hub.db.base import UTCDateTime
from hub.referrals.models import Partner
from hub.statistics.facts import Calendar, breach
from hub.statistics.figures import RESOLVED, Period, Statistics, key_of, rounded
from hub.statistics.medians import median_statement, middle
from hub.statistics.models import CaseFact, ReferralFact, Rollup, SectorFact
from hub.statistics.spans import covering

COUNTED = ("status", "channel", "sector", "referral", "sla_open", "sla_breached")


class ServedStatistics:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], calendar: Calendar) -> None:
        self._sessions = sessions
        self._calendar = calendar

    async def compute(self, actor: Actor, period: Period, now: datetime) -> Statistics:
        counts_where = self._where(actor, period, Rollup) + [covering(period.start, period.end)]
        by_village = case((Rollup.measure == "status", Rollup.village_code), else_="")
        counts = (select(Rollup.measure, Rollup.key, by_village, func.sum(Rollup.n))
                  .where(Rollup.measure.in_(COUNTED), *counts_where).group_by(Rollup.measure, Rollup.key, by_village))
        sectors = self._not_yet(SectorFact, SectorFact.sector, self._facts(actor, period, SectorFact), now)
        young_sectors = select(sectors.c.sector, func.count()).group_by(sectors.c.sector)
        cases = self._not_yet(CaseFact, CaseFact.case_id, self._facts(actor, period, CaseFact), now)
        young_cases = select(func.count()).select_from(cases)
        to_referral = self._median(counts_where, "to_referral", CaseFact.to_referral_day, CaseFact.to_referral_days,
                                   self._facts(actor, period, CaseFact))
        to_completion = self._median(counts_where, "to_completion", ReferralFact.to_completion_day,
                                     ReferralFact.to_completion_days, self._facts(actor, period, ReferralFact))
        # Independent reads, each on its own connection: PostgreSQL runs them side by side.
        rows, young_by_sector, young, partners, referral_days, completion_days = await asyncio.gather(
            self._rows(counts), self._rows(young_sectors), self._rows(young_cases),
            self._rows(select(Partner.id, Partner.name)), to_referral, to_completion)
        stats = _assemble(rows, dict(partners), {key_of(k): int(n) for k, n in young_by_sector},
                          int(young[0][0] or 0))
        stats.median_days_submission_to_referral = rounded(referral_days)
        stats.median_days_referral_to_completion = rounded(completion_days)
        return stats

    @staticmethod
    def _where(actor: Actor, period: Period, table: Any) -> list[ColumnElement[bool]]:
        """The raw computation's area conditions, on a table that copies the case's area codes."""
        where = [visible_to(actor, table)]
        if period.area_code:
            where.append(area_condition(period.area_code, table))
        return where

    def _facts(self, actor: Actor, period: Period, table: Any) -> list[ColumnElement[bool]]:
        where = self._where(actor, period, table)
        if period.start:
            where.append(table.day >= period.start)
        if period.end:
            where.append(table.day <= period.end)
        return where

    def _not_yet(self, table: Any, column: Any, where: list[ColumnElement[bool]], now: datetime) -> Any:
        """Open (case, sector)s (or cases) with a target that they have not run past at ``now``."""
        open_ = [table.resolved_at.is_(None), table.submitted_at.is_not(None), table.target_days.is_not(None), *where]
        # The raw test ends an open case's time at coalesce(resolved_at, now): ``now`` itself here,
        # the same value, and read from the index alone.
        within = ~breach(literal(now, UTCDateTime()), table.submitted_at, table.target_days)
        parts = []
        for t in sorted(set(self._calendar.sla_days.values())):
            # Submitted more than a day after the target's start: surely within it. Within a day
            # of it either way (a day covers SQLite's rounding of seconds): the raw test decides.
            # Earlier: surely past it. Each part is one range of the partial, covering index.
            sure, edge = now - timedelta(days=t - 1), now - timedelta(days=t + 1)
            parts += [select(column).where(*open_, table.target_days == t, table.submitted_at >= sure),
                      select(column).where(*open_, table.target_days == t, table.submitted_at >= edge,
                                           table.submitted_at < sure, within)]
        return union_all(*parts).subquery("not_yet") if parts else select(column).where(false()).subquery("not_yet")

    async def _median(self, counts_where: list[ColumnElement[bool]], measure: str, whole_day: Any, value: Any,
                      facts_where: list[ColumnElement[bool]]) -> Any:
        async with self._sessions() as session:
            if session.bind.dialect.name == "postgresql":
                # The histogram and the middle day's facts from one snapshot, even while cases change.
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            histogram = (await session.execute(select(Rollup.key, func.sum(Rollup.n)).where(
                Rollup.measure == measure, *counts_where).group_by(Rollup.key))).all()
            at = middle({int(k): int(n) for k, n in histogram})
            if at is None:
                return None
            return await session.scalar(median_statement(value, whole_day, facts_where, at))

    async def _rows(self, stmt: Select[Any]) -> list[Any]:
        async with self._sessions() as session:
            return list((await session.execute(stmt)).all())


def _assemble(rows: list[Any], partner_names: dict[str, str], young_by_sector: dict[str, int],
              young_cases: int) -> Statistics:
    stats = Statistics()
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    for measure, key, village, n in rows:
        n = int(n)
        if not n:
            continue
        if measure == "status":
            stats.by_village[village] = stats.by_village.get(village, 0) + n
        sums[measure][key] = sums[measure].get(key, 0) + n
    stats.by_status = sums["status"]
    stats.by_channel = sums["channel"]
    stats.by_sector = sums["sector"]
    stats.total = sum(stats.by_status.values())
    stats.resolved = sum(stats.by_status.get(s.value, 0) for s in RESOLVED)
    for key, n in sums["referral"].items():
        partner_id, status = key.split("/", 1)
        if (name := partner_names.get(partner_id)) is not None:
            stats.referrals_by_partner[(name, status)] = stats.referrals_by_partner.get((name, status), 0) + n
    settled, open_ = sums["sla_breached"], sums["sla_open"]
    for sector in stats.by_sector:
        breaches = settled.get(sector, 0) + open_.get(sector, 0) - young_by_sector.get(sector, 0)
        if breaches:
            stats.sla_breaches_by_sector[sector] = breaches
    stats.sla_breached_cases = settled.get("", 0) + open_.get("", 0) - young_cases
    return stats
