"""The statistics follow every committed change of a case, wherever it was made.

Any ORM write of a case, its sectors, referrals or referral history marks the facts it feeds
(``facts.TABLES``: which case columns and tables each kind of fact reads); just before the
transaction commits, ``rollup.refresh`` renews those facts and their counts, inside the same
transaction. So a new workflow step, or a new service, cannot forget the statistics: there is
nothing to call. A change the facts do not read (a case's version, a referral's delivery)
costs nothing. Bulk statements that bypass the ORM (``slrt-hub seed``) call ``rollup.add``
themselves; an UPDATE statement on those columns would have to call ``rollup.refresh``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from hub.cases.models import Case
from hub.referrals.models import Referral, ReferralHistory
from hub.statistics import rollup
from hub.statistics.facts import TABLES, FactTable

_MARKED = "slrt_statistics_marked"  # {fact table: case ids}
_UNKNOWN = "slrt_statistics_referrals"  # referrals whose history grew but which are not in the session
CASE_INPUTS = frozenset().union(*(t.case_inputs for t in TABLES))
REFERRAL_FACTS = next(t for t in TABLES if ReferralHistory in t.inputs)


@event.listens_for(Session, "after_flush")
def _mark(session: Session, _context: object) -> None:
    marked: dict[FactTable, set[str]] = session.info.setdefault(_MARKED, {})
    created_or_gone = set(session.new) | set(session.deleted)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            changed = None if obj in created_or_gone else _changed_columns(obj)
            for table in TABLES:
                if changed is None or changed & table.case_inputs:
                    marked.setdefault(table, set()).add(obj.id)
        elif isinstance(obj, ReferralHistory):
            # Written with its referral's change, which is in the session (and marked) — or not.
            referral = session.identity_map.get(inspect(Referral).identity_key_from_primary_key((obj.referral_id,)))
            if referral is not None:
                marked.setdefault(REFERRAL_FACTS, set()).add(referral.case_id)
            else:
                session.info.setdefault(_UNKNOWN, set()).add(obj.referral_id)
        else:
            for table in TABLES:
                if isinstance(obj, table.inputs):
                    marked.setdefault(table, set()).add(obj.case_id)


def _changed_columns(case: Case) -> set[str]:
    attrs = inspect(case).attrs
    return {name for name in CASE_INPUTS if attrs[name].history.has_changes()}


@event.listens_for(Session, "before_commit")
def _refresh(session: Session) -> None:
    if not (session.info.get(_MARKED) or session.info.get(_UNKNOWN)):
        return
    session.flush()  # the commit would flush after this hook: what it writes must count too
    marked: dict[FactTable, set[str]] = session.info.pop(_MARKED, {})
    unknown: set[str] = session.info.pop(_UNKNOWN, set())
    conn = session.connection()
    if unknown:
        marked.setdefault(REFERRAL_FACTS, set()).update(
            conn.scalars(select(Referral.case_id).where(Referral.id.in_(sorted(unknown)))))
    if any(marked.values()):
        rollup.refresh(conn, {table: ids for table, ids in marked.items() if ids})


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_MARKED, None)
    session.info.pop(_UNKNOWN, None)
