"""Partners (agency systems), their programmes, referrals and each referral's status history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import enum_column, Base, IdColumnType, UTCDateTime, new_id, utcnow
from hub.referrals.status import OPEN, ReferralStatus
from hub.vocabulary import ProgrammeLevel, Sector


class Partner(Base):
    """An agency (*Dinas*) system that receives referrals by webhook and reports back by API.

    Without a ``webhook_url`` the partner is *portal-only*: nothing is queued for delivery and
    its staff work its referrals in the console's partner inbox (many Dinas have no system).
    """

    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sectors: Mapped[list[Any]] = mapped_column(JSON)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    # The signing secret must be kept in clear: HMAC needs it to sign every delivery.
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    client_id: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    # Set when an administrator disabled the partner: its tokens are refused (hub/access/revocations.py).
    # An endpoint disabled by delivery failures leaves it empty, so the partner can still report.
    access_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Programme(Base):
    """A sector programme (PKH, PBI_JK, …) and the partner that runs it."""

    __tablename__ = "programmes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    level: Mapped[ProgrammeLevel] = mapped_column(enum_column(ProgrammeLevel))
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), index=True)
    # Escalation targets of this programme; None: its sector's (hub/referrals/targets.py).
    acknowledge_days: Mapped[int | None] = mapped_column(Integer)
    completion_days: Mapped[int | None] = mapped_column(Integer)


class Referral(Base):
    """A case referred to one programme (*rujukan*); its transport lives in the delivery tables."""

    __tablename__ = "referrals"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    programme_code: Mapped[str] = mapped_column(ForeignKey("programmes.code"))
    # Copied from the programme so the partner rule is one equality filter.
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    status_reason: Mapped[str | None] = mapped_column(Text)
    partner_reference: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One open referral per programme per case: the database has the last word on races.
        Index("uq_referrals_open_programme", "case_id", "programme_code", unique=True,
              sqlite_where=status.in_(sorted(s.value for s in OPEN)),
              postgresql_where=status.in_(sorted(s.value for s in OPEN))),
        Index("ix_referrals_partner_created", "partner_id", "created_at", "id"),
        Index("ix_referrals_created", "created_at", "id"),
        Index("ix_referrals_status_created", "status", "created_at", "id"),  # escalation scan, overdueReferrals
    )


class ReferralHistory(Base):
    """One status change of a referral, written with the change itself."""

    __tablename__ = "referral_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[ReferralStatus | None] = mapped_column(enum_column(ReferralStatus))
    to_status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    reason: Mapped[str | None] = mapped_column(Text)
    partner_reference: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_referral_history_referral", "referral_id", "id"),)


class ReferralEscalation(Base):
    """A referral found past one of its targets; the unique key makes it once per target,
    whichever process or replica noticed first."""

    __tablename__ = "referral_escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("uq_referral_escalations_target", "referral_id", "target", unique=True),)
