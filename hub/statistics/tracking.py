"""The statistics follow every committed change of a case, wherever it was made.

Any ORM write of a case, its sectors, timeline, referrals or referral history marks the case;
just before the transaction commits, ``rollup.refresh`` brings that case's facts and counts up
to date, inside the same transaction. So a new workflow step, or a new service, cannot forget
the statistics: there is nothing to call. Bulk statements that bypass the ORM (``slrt-hub
seed``) call ``rollup.add`` themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hub.cases.models import Case, CaseEvent, CaseSector
from hub.referrals.models import Referral, ReferralHistory
from hub.statistics import rollup

_CASES = "slrt_statistics_cases"
_REFERRALS = "slrt_statistics_referrals"  # referrals whose history changed, whose case may be unknown
_KNOWN = "slrt_statistics_known_referrals"  # referrals whose case is already marked


@event.listens_for(Session, "after_flush")
def _mark(session: Session, _context: object) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            session.info.setdefault(_CASES, set()).add(obj.id)
        elif isinstance(obj, CaseSector | CaseEvent | Referral):
            session.info.setdefault(_CASES, set()).add(obj.case_id)
            if isinstance(obj, Referral):
                session.info.setdefault(_KNOWN, set()).add(obj.id)
        elif isinstance(obj, ReferralHistory):
            session.info.setdefault(_REFERRALS, set()).add(obj.referral_id)


@event.listens_for(Session, "before_commit")
def _refresh(session: Session) -> None:
    if not (session.info.get(_CASES) or session.info.get(_REFERRALS)):
        return
    session.flush()  # the commit would flush after this hook: what it writes must count too
    cases: set[str] = session.info.pop(_CASES, set())
    referrals: set[str] = session.info.pop(_REFERRALS, set()) - session.info.pop(_KNOWN, set())
    conn = session.connection()
    if referrals:
        cases |= set(conn.scalars(select(Referral.case_id).where(Referral.id.in_(sorted(referrals)))))
    rollup.refresh(conn, cases)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    for name in (_CASES, _REFERRALS, _KNOWN):
        session.info.pop(name, None)
