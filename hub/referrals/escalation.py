"""Escalation, so that no keluhan is forgotten: referrals past a target are noticed, recorded
once per target on the case timeline (``ESCALATED``), announced to live subscribers, and
listed for the back office and supervisors of the area (``overdueReferrals``).

Everything reads the time from the injected clock (``now``), so tests move time instead
of sleeping. Targets: ``hub/referrals/targets.py``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.roles import Role
from hub.cases.errors import Forbidden
from hub.cases.models import Case
from hub.cases.timeline import announce_new_events, case_event
from hub.db.base import utcnow
from hub.db.grouping import grouped
from hub.events.bus import REFERRAL_UPDATES, EventBus
from hub.referrals.models import Programme, Referral, ReferralEscalation
from hub.referrals.queries import referral_visible_to
from hub.referrals.targets import UNMET_IN, EscalationTarget, Targets

log = logging.getLogger("slrt.escalation")

ESCALATED = "ESCALATED"
SYSTEM = "system"
WHO_SEES_OVERDUE = frozenset({Role.BACK_OFFICE, Role.SUPERVISOR})
MAX_PAGE = 100
SCAN_BATCH = 200
T = EscalationTarget


@dataclass(frozen=True, slots=True)
class Missed:
    """One target a referral is past: when it was due, and when it was escalated (None until
    the scan has recorded it)."""

    target: EscalationTarget
    due_at: datetime
    escalated_at: datetime | None


@dataclass(frozen=True, slots=True)
class Overdue:
    referral: Referral
    missed: tuple[Missed, ...]


@dataclass(frozen=True, slots=True)
class OverduePage:
    items: list[Overdue]
    has_next: bool


class EscalationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], targets: Targets, events: EventBus | None = None,
                 now: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self.targets = targets
        self._events = events
        self._now = now

    # -- the scan ---------------------------------------------------------------------------

    async def scan(self) -> int:
        """Escalate every referral now past an unmet target and not yet escalated for it;
        returns how many escalations were recorded."""
        now = self._now()
        done = 0
        for target in EscalationTarget:
            while True:
                batch = await self._due_unescalated(target, now)
                for referral_id in batch:
                    done += await self._escalate(referral_id, target, now)
                if len(batch) < SCAN_BATCH:
                    break
        return done

    async def _due_unescalated(self, target: EscalationTarget, now: datetime) -> list[str]:
        async with self._sessions() as s:
            past = self._past(await self._programmes(s), target, now)
            already = exists().where(ReferralEscalation.referral_id == Referral.id,
                                     ReferralEscalation.target == target.value)
            stmt = (select(Referral.id).where(Referral.status.in_(UNMET_IN[target]), past, ~already)
                    .order_by(Referral.created_at, Referral.id).limit(SCAN_BATCH))
            return list((await s.scalars(stmt)).all())

    async def _escalate(self, referral_id: str, target: EscalationTarget, now: datetime) -> int:
        try:
            async with self._sessions() as session, session.begin():
                # Locked: a partner's update of this referral waits, or has already committed.
                referral = await session.get(Referral, referral_id, with_for_update=True)
                if referral is None or referral.status not in UNMET_IN[target]:
                    return 0
                programme = await session.get(Programme, referral.programme_code)
                case = await session.get(Case, referral.case_id)
                assert programme is not None and case is not None  # foreign keys
                due = self.targets.due(programme, target, referral.created_at)
                session.add(ReferralEscalation(referral_id=referral.id, target=target.value, due_at=due,
                                               escalated_at=now))
                session.add(case_event(case, SYSTEM, SYSTEM, ESCALATED, case.status, case.status,
                                       _note(programme.code, target, self.targets.days(programme, target), due), now))
                await announce_new_events(session, self._events)
                if self._events is not None:
                    await self._events.publish(session, REFERRAL_UPDATES, {
                        "referral_id": referral.id, "partner_id": referral.partner_id,
                        "village_code": case.village_code})
                return 1
        except IntegrityError:
            return 0  # another process escalated it first: once per target

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        """Scan every ``interval`` seconds until ``stop`` is set (beside the API in ``serve``)."""
        while not stop.is_set():
            try:
                if done := await self.scan():
                    log.info("escalated %d overdue referral target(s)", done)
            except Exception:  # noqa: BLE001 - a failed scan is retried at the next interval
                log.exception("escalation scan failed")
            try:
                await asyncio.wait_for(stop.wait(), interval)
            except TimeoutError:
                pass

    # -- reading ------------------------------------------------------------------------------

    async def overdue(self, actor: Actor, first: int, after: tuple[datetime, str] | None) -> OverduePage | Forbidden:
        """Open referrals of the caller's area past a target, the oldest first (BACK_OFFICE, SUPERVISOR)."""
        if actor.role not in WHO_SEES_OVERDUE:
            return Forbidden("only the back office and supervisors follow overdue referrals")
        now = self._now()
        async with self._sessions() as s:
            programmes = await self._programmes(s)
            stmt = select(Referral).where(referral_visible_to(actor), self._overdue(programmes, now))
            if after is not None:
                created, rid = after
                stmt = stmt.where(or_(Referral.created_at > created,
                                      and_(Referral.created_at == created, Referral.id > rid)))
            rows = list((await s.scalars(stmt.order_by(Referral.created_at, Referral.id).limit(first + 1))).all())
            page = rows[:first]
            recorded = grouped((await s.scalars(select(ReferralEscalation).where(
                ReferralEscalation.referral_id.in_([r.id for r in page])))).all(), lambda e: e.referral_id)
        by_code = {p.code: p for p in programmes}
        items = [Overdue(r, self._missed(r, by_code[r.programme_code], recorded.get(r.id, []), now)) for r in page]
        return OverduePage(items, len(rows) > first)

    async def count_overdue(self, actor: Actor) -> int:
        if actor.role not in WHO_SEES_OVERDUE:
            return 0
        now = self._now()
        async with self._sessions() as s:
            programmes = await self._programmes(s)
            stmt = select(func.count()).select_from(Referral).where(referral_visible_to(actor),
                                                                    self._overdue(programmes, now))
            return int(await s.scalar(stmt) or 0)

    def _missed(self, referral: Referral, programme: Programme, recorded: Sequence[ReferralEscalation],
                now: datetime) -> tuple[Missed, ...]:
        at = {e.target: e.escalated_at for e in recorded}
        out = []
        for target in EscalationTarget:
            due = self.targets.due(programme, target, referral.created_at)
            if referral.status in UNMET_IN[target] and due <= now:
                out.append(Missed(target, due, at.get(target.value)))
        return tuple(out)

    def _overdue(self, programmes: Sequence[Programme], now: datetime) -> ColumnElement[bool]:
        return or_(*(and_(Referral.status.in_(UNMET_IN[t]), self._past(programmes, t, now)) for t in EscalationTarget))

    def _past(self, programmes: Sequence[Programme], target: EscalationTarget, now: datetime) -> ColumnElement[bool]:
        # One threshold per programme (there are tens of them): plain comparisons that read the
        # same on SQLite and PostgreSQL, with no date arithmetic in SQL.
        if not programmes:
            return false()
        return or_(*(and_(Referral.programme_code == p.code,
                          Referral.created_at <= now - timedelta(days=self.targets.days(p, target)))
                     for p in programmes))

    @staticmethod
    async def _programmes(session: AsyncSession) -> list[Programme]:
        return list((await session.scalars(select(Programme))).all())


def _note(code: str, target: EscalationTarget, days: float, due: datetime) -> str:
    what = "not acknowledged" if target is T.ACKNOWLEDGEMENT else "not completed"
    return f"{code}: {what} within {days:g} days (due {due:%Y-%m-%d %H:%M} UTC)"


class EscalationScanner:
    """The scan running beside the API in ``slrt-hub serve`` (``SLRT_ESCALATION_INTERVAL_SECONDS``).

    Every API process may scan: the unique (referral, target) key keeps each escalation single."""

    def __init__(self, service: EscalationService, interval: float) -> None:
        self._service = service
        self._interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> EscalationScanner:
        self._task = asyncio.create_task(self._service.run(self._stop, self._interval), name="escalation-scan")
        return self

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
