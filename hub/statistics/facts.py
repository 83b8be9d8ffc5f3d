"""The fact rows of some cases, derived in SQL from the case tables.

Every duration and every SLA comparison here is the very expression the raw computation
(``hub/statistics/raw.py``) evaluates, on the same stored values, so a fact never disagrees
with the raw figures by a rounding: PostgreSQL computes seconds exactly, SQLite in floating
point, and each database agrees with itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, null, select

from hub.cases.models import Case, CaseSector
from hub.referrals.models import Referral, ReferralHistory
from hub.referrals.status import ReferralStatus
from hub.statistics.models import CaseFact, ReferralFact, SectorFact
from hub.statistics.sql import days, local_day, seconds_between, whole_days


@dataclass(frozen=True, slots=True)
class Calendar:
    """The time zone of the recording days and the SLA target (days) per sector."""

    timezone: str
    sla_days: dict[str, int]

    def target(self, sector: Any) -> ColumnElement[Any]:
        if not self.sla_days:
            return null()
        return case({s: d for s, d in self.sla_days.items()}, value=sector, else_=None)


def breach(ended: ColumnElement[Any], submitted: ColumnElement[Any], target: ColumnElement[Any]) -> ColumnElement[bool]:
    """Took (or has so far taken) longer than the target: the raw computation's test."""
    return and_(submitted.is_not(None), target.is_not(None), seconds_between(ended, submitted) > target * 86400)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return case((condition, True), else_=false())


def _area(cal: Calendar) -> list[ColumnElement[Any]]:
    return [Case.regency_code, Case.district_code, Case.village_code,
            local_day(Case.created_at, literal(cal.timezone)).label("day")]


def _duration(later: ColumnElement[Any], earlier: ColumnElement[Any],
              when: ColumnElement[bool]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The whole days (for the histogram) and the exact days (for the median) between two instants."""
    seconds = seconds_between(later, earlier)
    return case((when, whole_days(seconds)), else_=None), case((when, days(seconds)), else_=None)


def case_facts(cal: Calendar, cases: ColumnElement[bool]) -> Select[Any]:
    """The fact row of each case ``cases`` (a condition on the cases table) selects."""
    target = (select(func.min(cal.target(CaseSector.sector))).where(CaseSector.case_id == Case.id)
              .correlate(Case).scalar_subquery())
    to_referral = _duration(Case.referred_at, Case.submitted_at,
                            and_(Case.referred_at.is_not(None), Case.submitted_at.is_not(None)))
    return select(Case.id, *_area(cal), Case.status, Case.channel, Case.submitted_at, Case.resolved_at, target,
                  _flag(and_(Case.resolved_at.is_not(None), breach(Case.resolved_at, Case.submitted_at, target))),
                  *to_referral).where(cases)


CASE_FACT_COLUMNS = ("case_id", "regency_code", "district_code", "village_code", "day", "status", "channel",
                     "submitted_at", "resolved_at", "target_days", "breached", "to_referral_day", "to_referral_days")


def sector_facts(cal: Calendar, cases: ColumnElement[bool]) -> Select[Any]:
    target = cal.target(CaseSector.sector)
    # From the cases to their sectors (by key), whichever way ``cases`` selects them.
    return (select(CaseSector.case_id, CaseSector.sector, *_area(cal), Case.submitted_at, Case.resolved_at, target,
                   _flag(and_(Case.resolved_at.is_not(None), breach(Case.resolved_at, Case.submitted_at, target))))
            .select_from(Case).join(CaseSector, CaseSector.case_id == Case.id).where(cases))


SECTOR_FACT_COLUMNS = ("case_id", "sector", "regency_code", "district_code", "village_code", "day", "submitted_at",
                       "resolved_at", "target_days", "breached")


def referral_facts(cal: Calendar, cases: ColumnElement[bool]) -> Select[Any]:
    completed = (select(func.min(ReferralHistory.at)).where(ReferralHistory.referral_id == Referral.id,
                                                           ReferralHistory.to_status == ReferralStatus.COMPLETED)
                 .correlate(Referral).scalar_subquery())
    # Completed, and completed on record: the raw computation joins the COMPLETED history entry.
    to_completion = _duration(completed, Referral.created_at, Referral.status == ReferralStatus.COMPLETED)
    return (select(Referral.id, Referral.case_id, *_area(cal), Referral.partner_id, Referral.status, *to_completion)
            .select_from(Case).join(Referral, Referral.case_id == Case.id).where(cases))


REFERRAL_FACT_COLUMNS = ("referral_id", "case_id", "regency_code", "district_code", "village_code", "day",
                         "partner_id", "status", "to_completion_day", "to_completion_days")


@dataclass(frozen=True, slots=True)
class FactTable:
    model: Any
    derive: Callable[[Calendar, ColumnElement[bool]], Select[Any]]
    columns: tuple[str, ...]
    case_inputs: frozenset[str]  # the case columns ``derive`` reads: a change to one renews the facts
    inputs: tuple[type, ...]  # and the other tables it reads, any change to which does


_AREA = frozenset({"id", "regency_code", "district_code", "village_code", "created_at"})
TABLES = (
    FactTable(CaseFact, case_facts, CASE_FACT_COLUMNS,
              _AREA | {"status", "channel", "submitted_at", "referred_at", "resolved_at"}, (CaseSector,)),
    FactTable(SectorFact, sector_facts, SECTOR_FACT_COLUMNS, _AREA | {"submitted_at", "resolved_at"}, (CaseSector,)),
    FactTable(ReferralFact, referral_facts, REFERRAL_FACT_COLUMNS, _AREA, (Referral, ReferralHistory)),
)
