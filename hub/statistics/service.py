"""Monitoring and evaluation (SPEC section 9): is SLRT effective, per area and period?

Everything is an SQL aggregate; nothing loops over case rows in Python, so the cost grows
with the number of groups, not the number of cases.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.cases.models import Case, CaseSector
from hub.cases.status import CaseStatus
from hub.cases.visibility import area_condition, visible_to
from hub.db.base import UTCDateTime
from hub.referrals.models import Partner, Referral, ReferralHistory
from hub.referrals.status import ReferralStatus
from hub.statistics.sql import days, median_of, seconds_between

RESOLVED = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


@dataclass(frozen=True, slots=True)
class Period:
    area_code: str | None = None
    start: date | None = None  # inclusive, local calendar day
    end: date | None = None  # inclusive


@dataclass(slots=True)
class Statistics:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_sector: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    median_days_submission_to_referral: float | None = None
    median_days_referral_to_completion: float | None = None
    referrals_by_partner: dict[tuple[str, str], int] = field(default_factory=dict)  # (partner name, status)
    sla_breaches_by_sector: dict[str, int] = field(default_factory=dict)
    sla_breached_cases: int = 0

    @property
    def share_resolved(self) -> float | None:
        """Resolved or closed cases over all cases recorded in the period."""
        return self.resolved / self.total if self.total else None


class StatisticsService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], sla_days: dict[str, int], tz: str = "Asia/Jakarta") -> None:
        self._sessions = sessions
        self._sla = sla_days
        self._tz = ZoneInfo(tz)

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
        breach = self._breach_condition(now)
        # One scan for the three breakdowns (at most statuses × channels × villages groups),
        # summed below: three GROUP BYs read the cases three times.
        breakdown = (select(Case.status, Case.channel, Case.village_code, func.count())
                     .where(where).group_by(Case.status, Case.channel, Case.village_code))
        # Sector counts and sector SLA breaches from one join.
        sectors = (select(CaseSector.sector, func.count(), func.sum(case((breach, 1), else_=0)))
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
            where, exists().where(CaseSector.case_id == Case.id, breach))

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
                target[_key(k)] = target.get(_key(k), 0) + int(n)
        stats.total = sum(stats.by_status.values())
        stats.resolved = sum(stats.by_status.get(s.value, 0) for s in RESOLVED)
        for k, n, in_breach in per_sector:
            stats.by_sector[_key(k)] = int(n)
            if in_breach:
                stats.sla_breaches_by_sector[_key(k)] = int(in_breach)
        stats.median_days_submission_to_referral = _float(referral_days)
        stats.median_days_referral_to_completion = _float(completion_days)
        stats.referrals_by_partner = {(name, _key(st)): int(n) for name, st, n in partners}
        stats.sla_breached_cases = int(breached or 0)
        return stats

    def _breach_condition(self, now: datetime) -> ColumnElement[bool]:
        """A (case, sector) is in breach when it took, or has so far taken, longer than the sector's target."""
        target_days = case({sector: days_ for sector, days_ in self._sla.items()}, value=CaseSector.sector,
                           else_=None)
        ended = func.coalesce(Case.resolved_at, literal(now, UTCDateTime()))
        return and_(Case.submitted_at.is_not(None), target_days.is_not(None),
                    seconds_between(ended, Case.submitted_at) > target_days * 86400)


def _key(value: object) -> str:
    return str(getattr(value, "value", value))


def _float(value: object) -> float | None:
    return round(float(value), 3) if value is not None else None  # type: ignore[arg-type]
