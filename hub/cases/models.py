from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.cases.status import CaseStatus
from hub.db.base import enum_column, Base, IdColumnType, UTCDateTime, new_id, utcnow
from hub.vocabulary import Channel, Priority, Sector


class Case(Base):
    """A complaint (*keluhan*) and where it is in the SLRT flow."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # The area codes are kept at every level so that the area rule is an equality filter
    # that an index serves, not a LIKE over every case.
    regency_code: Mapped[str] = mapped_column(String(4))
    district_code: Mapped[str] = mapped_column(String(6))
    village_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    complaint: Mapped[str] = mapped_column(Text)
    analysis_note: Mapped[str | None] = mapped_column(Text)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorder_role: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Optimistic concurrency: every UPDATE carries "WHERE version = <read version>", so of
    # two concurrent transitions of one case only the first to commit succeeds.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("recorded_by", "idempotency_key", name="uq_cases_recorder_idempotency_key"),
        Index("ix_cases_created", "created_at", "id"),
        Index("ix_cases_status_created", "status", "created_at", "id"),
        Index("ix_cases_village_created", "village_code", "created_at", "id"),
        Index("ix_cases_district_created", "district_code", "created_at", "id"),
        Index("ix_cases_regency_created", "regency_code", "created_at", "id"),
        # A page of one status in a district or village is one index range (migration 0004).
        Index("ix_cases_district_status_created", "district_code", "status", "created_at", "id"),
        Index("ix_cases_village_status_created", "village_code", "status", "created_at", "id"),
    )


class CaseSector(Base):
    __tablename__ = "case_sectors"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[Sector] = mapped_column(enum_column(Sector), primary_key=True)

    __table_args__ = (Index("ix_case_sectors_sector", "sector", "case_id"),)


class CaseSubject(Base):
    """A household member the complaint is about."""

    __tablename__ = "case_subjects"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_case_subjects_person", "person_id"),)


class CaseEvent(Base):
    """One entry of a case's append-only timeline, written with the change it records."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[CaseStatus | None] = mapped_column(enum_column(CaseStatus))
    to_status: Mapped[CaseStatus | None] = mapped_column(enum_column(CaseStatus))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_case_events_case", "case_id", "id"),)


class CaseNumberSequence(Base):
    """The last case number used per regency and year; bumped in the case's transaction."""

    __tablename__ = "case_number_sequences"

    regency_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
