"""The statistics computed from the case tables alone: the reference every faster way of
serving them must match figure for figure (``slrt-hub report --raw``, tests/statistics).

Everything is an SQL aggregate; nothing loops over case rows in Python, so the cost grows
with the number of groups, not the number of cases — but it does read every case of the
area and period, which is why ``served.py`` exists.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.cases.models import Case, CaseSector
from hub.cases.visibility import area_condition, visible_to
from hub.db.base import UTCDateTime
from hub.referrals.models import Partner, Referral, ReferralHistory
from hub.referrals.status import ReferralStatus
from hub.statistics.facts import Calendar, breach
from hub.statistics.figures import RESOLVED, Period, Statistics, key_of, rounded
from hub.statistics.sql import days, median_of, seconds_between


class RawStatistics:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], calendar: Calendar) -> None:
        self._sessions = sessions
        self._calendar = calendar
        self._tz = ZoneInfo(calendar.timezone)

    def _conditions(self, actor: Actor, period: Period) -> list[ColumnElement[bool]]:
        conditions = [visible_to(actor)]
        if period.area_code:
            conditions.append(area_condition(period.area_code))
        # Periods are calendar days where the cases happen (WIB), not UTC days.
        if period.start:
            conditions.append(Case.created_at >= datetime.combine(period.start, time(), self._tz))
        if period.end:
            conditions.append(Case.created_at < datetime.combine(period.end + timedelta(days=1), time(), self._tz))
        return conditions

    async def compute(self, actor: Actor, period: Period, now: datetime) -> Statistics:
        where = and_(*self._conditions(actor, period))
        stats = Statistics()
        breaching = self._breach_condition(now)
        # One scan for the three breakdowns (at most statuses × channels × villages groups),
        # summed below: three GROUP BYs read the cases three times.
        breakdown = (select(Case.status, Case.channel, Case.village_code, func.count())
                     .where(where).group_by(Case.status, Case.channel, Case.village_code))
        # Sector counts and sector SLA breaches from one join.
        sectors = (select(CaseSector.sector, func.count(), func.sum(case((breaching, 1), else_=0)))
                   .join(Case, Case.id == CaseSector.case_id).where(where).group_by(CaseSector.sector))
        to_referral = select(days(seconds_between(Case.referred_at, Case.submitted_at))).where(
            where, Case.referred_at.is_not(None), Case.submitted_at.is_not(None))
        # Completion times grouped once and joined: a correlated subquery per referral took
        # 2.5 of the 6 s this needed over 100,000 cases (docs/scaling.md).
        completed = (select(ReferralHistory.referral_id, func.min(ReferralHistory.at).label("at"))
                     .where(ReferralHistory.to_status == ReferralStatus.COMPLETED)
                     .group_by(ReferralHistory.referral_id).subquery("completed"))
        to_completion = (select(days(seconds_between(completed.c.at, Referral.created_at)))
                         .join(completed, completed.c.referral_id == Referral.id)
                         .join(Case, Case.id == Referral.case_id)
                         .where(where, Referral.status == ReferralStatus.COMPLETED))
        by_partner = (select(Partner.name, Referral.status, func.count())
                      .join(Partner, Partner.id == Referral.partner_id)
                      .join(Case, Case.id == Referral.case_id).where(where)
                      .group_by(Partner.name, Referral.status))
        # A semi-join, not COUNT(DISTINCT) over the case × sector join: no sort of every id.
        breached_cases = select(func.count()).select_from(Case).where(
            where, exists().where(CaseSector.case_id == Case.id, breaching))

        async def rows(stmt: Select[Any]) -> list[Any]:
            async with self._sessions() as s:
                return list((await s.execute(stmt)).all())

        async def scalar(stmt: Select[Any]) -> Any:
            async with self._sessions() as s:
                return await s.scalar(stmt)

        # The aggregates are independent: each on its own connection, PostgreSQL runs them at
        # once (a backend each), so the answer takes about the longest of them, not the sum.
        groups, per_sector, referral_days, completion_days, partners, breached = await asyncio.gather(
            rows(breakdown), rows(sectors), scalar(median_of(to_referral)), scalar(median_of(to_completion)),
            rows(by_partner), scalar(breached_cases))
        for status, channel, village, n in groups:
            for target, k in ((stats.by_status, status), (stats.by_channel, channel), (stats.by_village, village)):
                target[key_of(k)] = target.get(key_of(k), 0) + int(n)
        stats.total = sum(stats.by_status.values())
        stats.resolved = sum(stats.by_status.get(s.value, 0) for s in RESOLVED)
        for k, n, in_breach in per_sector:
            stats.by_sector[key_of(k)] = int(n)
            if in_breach:
                stats.sla_breaches_by_sector[key_of(k)] = int(in_breach)
        stats.median_days_submission_to_referral = rounded(referral_days)
        stats.median_days_referral_to_completion = rounded(completion_days)
        stats.referrals_by_partner = {(name, key_of(st)): int(n) for name, st, n in partners}
        stats.sla_breached_cases = int(breached or 0)
        return stats

    def _breach_condition(self, now: datetime) -> ColumnElement[bool]:
        """A (case, sector) is in breach when it took, or has so far taken, longer than the sector's target."""
        ended = func.coalesce(Case.resolved_at, literal(now, UTCDateTime()))
        return breach(ended, Case.submitted_at, self._calendar.target(CaseSector.sector))

