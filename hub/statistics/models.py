"""What the statistics are served from: one fact row per case, case sector and referral, and
counts per area, recording day (and month) and measure, kept in the writing transaction.

Derived data, never edited by hand: ``hub/statistics/rollup.py`` writes all of it from the case
tables, under the calendar (time zone, SLA targets) recorded in ``statistics_calendar``. No
foreign keys: the rows follow the cases through ``rollup.refresh``, not through cascades.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.cases.status import CaseStatus
from hub.db.base import Base, IdColumnType, UTCDateTime, enum_column
from hub.referrals.status import ReferralStatus
from hub.vocabulary import Channel, Sector

OPEN_WITH_TARGET = text("resolved_at IS NULL AND submitted_at IS NOT NULL AND target_days IS NOT NULL")
AREA = ("regency_code", "district_code", "village_code")
# A duration in days exactly as the database computed it: NUMERIC on PostgreSQL (whose
# seconds are exact), the same double SQLite computed. Medians average these in SQL.
EXACT = Numeric(asdecimal=False)


class StatisticsCalendar(Base):
    """The one row saying under which calendar the facts and counts were derived.

    Its absence means nothing is maintained (statistics come from the case tables)."""

    __tablename__ = "statistics_calendar"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    timezone: Mapped[str] = mapped_column(String(64))
    sla_days: Mapped[dict[str, Any]] = mapped_column(JSON)


class _Area:
    """The area codes of the case, copied so the area rule reads as it does on cases."""

    regency_code: Mapped[str] = mapped_column(String(4))
    district_code: Mapped[str] = mapped_column(String(6))
    village_code: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)  # local calendar day the case was recorded


class CaseFact(_Area, Base):
    __tablename__ = "statistics_case_facts"

    case_id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The shortest SLA target among the case's sectors: the case is in breach when that one is.
    target_days: Mapped[int | None] = mapped_column(Integer)
    breached: Mapped[bool] = mapped_column(Boolean)  # resolved after its target (open cases: decided when asked)
    # Days from submission to the first referral: whole (the histogram's) and exact (the median's).
    to_referral_day: Mapped[int | None] = mapped_column(Integer)
    to_referral_days: Mapped[float | None] = mapped_column(EXACT)

    __table_args__ = (
        Index("ix_statistics_case_facts_to_referral", "to_referral_day", "to_referral_days", "day",
              postgresql_include=list(AREA), postgresql_where=text("to_referral_day IS NOT NULL"),
              sqlite_where=text("to_referral_day IS NOT NULL")),
        Index("ix_statistics_case_facts_open", "target_days", "submitted_at", postgresql_include=["day", *AREA],
              postgresql_where=OPEN_WITH_TARGET, sqlite_where=OPEN_WITH_TARGET),
    )


class SectorFact(_Area, Base):
    __tablename__ = "statistics_sector_facts"

    case_id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    sector: Mapped[Sector] = mapped_column(enum_column(Sector), primary_key=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    target_days: Mapped[int | None] = mapped_column(Integer)
    breached: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_statistics_sector_facts_open", "target_days", "submitted_at",
              postgresql_include=["sector", "day", *AREA], postgresql_where=OPEN_WITH_TARGET,
              sqlite_where=OPEN_WITH_TARGET),
    )


class ReferralFact(_Area, Base):
    __tablename__ = "statistics_referral_facts"

    referral_id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True)
    case_id: Mapped[str] = mapped_column(IdColumnType(), index=True)
    partner_id: Mapped[str] = mapped_column(IdColumnType())
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    # Days from the referral's creation to its completion, whole and exact.
    to_completion_day: Mapped[int | None] = mapped_column(Integer)
    to_completion_days: Mapped[float | None] = mapped_column(EXACT)

    __table_args__ = (
        Index("ix_statistics_referral_facts_to_completion", "to_completion_day", "to_completion_days", "day",
              postgresql_include=list(AREA), postgresql_where=text("to_completion_day IS NOT NULL"),
              sqlite_where=text("to_completion_day IS NOT NULL")),
    )


class Rollup(Base):
    """How many facts of one measure and key an area has for one recording day ('D') or month ('M').

    The measure leads the key: every read asks for some measures over a range of days."""

    __tablename__ = "statistics_rollup"

    measure: Mapped[str] = mapped_column(String(24), primary_key=True)
    span: Mapped[str] = mapped_column(String(1), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    regency_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
