"""What a referral does to its case: REFERRED on creation, a timeline entry per status change,
and the automatic REFERRED → RESOLVED once every referral has ended and one was completed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.principal import Actor
from hub.cases.models import Case
from hub.cases.status import CaseStatus
from hub.cases.timeline import case_event as event
from hub.cases.workflow import TRANSITIONS, Action
from hub.referrals.models import Referral
from hub.referrals.status import TERMINAL, ReferralStatus

SYSTEM = "system"


def refer(session: AsyncSession, case: Case, actor: Actor, note: str, now: datetime) -> None:
    """Move the case to REFERRED (or keep it there) with its REFER event."""
    before = case.status
    case.status = CaseStatus.REFERRED
    case.updated_at = now
    if case.referred_at is None:
        case.referred_at = now
    session.add(event(case, actor.subject, actor.role.value, Action.REFER.value, before, case.status, note, now))


async def record_change(session: AsyncSession, case: Case, actor: Actor, referral: Referral,
                        note: str | None, now: datetime) -> None:
    """A case event for one referral status change, then the automatic resolution if due."""
    # Touching the case bumps its version: of two concurrent changes to referrals of one case,
    # only one sees the others as they are, so the automatic resolution is never missed.
    case.updated_at = now
    text = f"{referral.programme_code}: {note}" if note else referral.programme_code
    session.add(event(case, actor.subject, actor.role.value, f"REFERRAL_{referral.status.value}",
                      case.status, case.status, text, now))
    await _auto_resolve(session, case, now)


async def _auto_resolve(session: AsyncSession, case: Case, now: datetime) -> None:
    if case.status not in TRANSITIONS[Action.AUTO_RESOLVE].sources:
        return
    await session.flush()
    statuses = set((await session.scalars(select(Referral.status).where(Referral.case_id == case.id))).all())
    if statuses and statuses <= TERMINAL and ReferralStatus.COMPLETED in statuses:
        before = case.status
        case.status = CaseStatus.RESOLVED
        case.resolved_at = now
        session.add(event(case, SYSTEM, SYSTEM, Action.AUTO_RESOLVE.value, before, case.status,
                          "every referral has ended and at least one was completed", now))
