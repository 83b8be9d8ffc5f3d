"""A case's append-only timeline: building entries, and announcing them to live subscribers.

Both the case workflow and the referral loop write timeline entries; both go through here
so that every entry is announced, in the transaction that wrote it. The statistics follow
every committed change of a case the same way, by session events (hub/statistics/tracking.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from hub.cases.models import Case, CaseEvent
from hub.cases.status import CaseStatus
from hub.events.bus import CASE_EVENTS, EventBus
from hub.statistics import tracking  # noqa: F401 - registers the statistics' session events


def case_event(case: Case, actor: str, actor_role: str, action: str, before: CaseStatus | None,
               after: CaseStatus | None, note: str | None, now: datetime) -> CaseEvent:
    return CaseEvent(case_id=case.id, at=now, actor=actor, actor_role=actor_role, action=action,
                     from_status=before, to_status=after, note=note.strip() if note else None)


_WRITTEN = "slrt_written_case_events"


@event.listens_for(Session, "after_flush")
def _remember_written(session: Session, _context: object) -> None:
    # Services flush at different points; every entry written by any flush is remembered.
    written = [o for o in session.new if isinstance(o, CaseEvent)]
    if written:
        session.info.setdefault(_WRITTEN, []).extend(written)


async def announce_new_events(session: AsyncSession, bus: EventBus | None) -> None:
    """Flush, then publish every timeline entry this transaction wrote (ids and area codes only)."""
    await session.flush()
    written: list[CaseEvent] = session.info.pop(_WRITTEN, [])
    if bus is None:
        return
    for entry in sorted(written, key=lambda e: e.id):
        case = await session.get(Case, entry.case_id)  # already in the session: no query
        await bus.publish(session, CASE_EVENTS, {"event_id": entry.id, "case_id": entry.case_id,
                                                 "village_code": case.village_code if case else ""})
