"""Case workflow service: every change of a case, with its event, in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from auth.principal import Actor
from auth.roles import Role
from hub.areas.directory import AreaDirectory
from hub.cases.commands import RecordCase, ReviewCase, UpdateCase
from hub.cases.errors import ErrorCode, Forbidden, Rejected, invalid
from hub.cases.intake import MAX_NOTE, check_record, check_text, check_update
from hub.cases.models import Case, CaseEvent, CaseSector, CaseSubject
from hub.cases.numbering import next_case_number
from hub.cases.status import CaseStatus
from hub.cases.visibility import visible_to
from hub.cases.workflow import TRANSITIONS, Action
from hub.db.base import utcnow
from hub.cases.timeline import announce_new_events, case_event
from hub.events.bus import EventBus
from hub.people.households import link_household
from hub.people.moves import confirm_move
from hub.people.models import Person
from hub.vocabulary import Channel

CaseResult = Case | Rejected | Forbidden


class _Abort(Exception):
    """Rolls back the surrounding transaction and carries the outcome out of it."""

    def __init__(self, outcome: Rejected) -> None:
        self.outcome = outcome


class CaseService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], areas: AreaDirectory, regency_code: str,
                 now: Callable[[], datetime] = utcnow, events: EventBus | None = None) -> None:
        self._sessions = sessions
        self._events = events
        self._areas = areas
        self._regency = regency_code
        self._now = now

    async def record(self, actor: Actor, cmd: RecordCase, idempotency_key: str | None = None) -> CaseResult:
        if actor.role not in TRANSITIONS[Action.RECORD].roles:
            return Forbidden("your role cannot record cases")
        if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
            return Rejected([invalid("idempotencyKey must be 1–200 characters", "idempotencyKey")])
        if idempotency_key and (existing := await self._by_idempotency_key(actor, idempotency_key)):
            return existing
        now = self._now()
        village, errors = check_record(cmd, self._areas, actor.area, now.date())
        if errors or village is None:
            return Rejected(errors)
        try:
            async with self._sessions() as session, session.begin():
                return await self._insert(session, actor, cmd, village, idempotency_key, now)
        except IntegrityError:
            # A retry racing its own first attempt: the unique key decides, hand back the winner.
            if idempotency_key and (existing := await self._by_idempotency_key(actor, idempotency_key)):
                return existing
            raise

    async def _insert(self, session: AsyncSession, actor: Actor, cmd: RecordCase, village: str,
                      idempotency_key: str | None, now: datetime) -> Case:
        household, persons = await link_household(session, cmd.household, village, actor.area)
        case = Case(
            number=await next_case_number(session, self._regency, now.year),
            regency_code=village[:4], district_code=village[:6], village_code=village,
            channel=cmd.channel, status=CaseStatus.DRAFT, priority=cmd.priority,
            complaint=cmd.complaint.strip(), household_id=household.id,
            recorded_by=actor.subject, recorder_role=actor.role.value,
            idempotency_key=idempotency_key, created_at=now, updated_at=now,
        )
        session.add(case)
        await session.flush()
        session.add_all(CaseSector(case_id=case.id, sector=s) for s in dict.fromkeys(cmd.sectors))
        session.add_all(CaseSubject(case_id=case.id, person_id=persons[nik].id, position=i)
                        for i, nik in enumerate(cmd.subject_niks))
        session.add(self._event(case, actor, Action.RECORD, None, CaseStatus.DRAFT, None, now))
        await announce_new_events(session, self._events)
        return case

    async def _by_idempotency_key(self, actor: Actor, key: str) -> Case | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(Case).where(Case.recorded_by == actor.subject, Case.idempotency_key == key, visible_to(actor))
            )

    async def update(self, actor: Actor, case_id: str, cmd: UpdateCase) -> CaseResult:
        async def apply(session: AsyncSession, case: Case) -> Rejected | None:
            members = set((await session.scalars(select(Person.nik).where(Person.household_id == case.household_id))).all())
            if errors := check_update(cmd, members):
                return Rejected(errors)
            if cmd.sectors is not None:
                await session.execute(delete(CaseSector).where(CaseSector.case_id == case.id))
                session.add_all(CaseSector(case_id=case.id, sector=s) for s in dict.fromkeys(cmd.sectors))
            if cmd.subject_niks is not None:
                ids = dict((await session.execute(select(Person.nik, Person.id).where(
                    Person.household_id == case.household_id, Person.nik.in_(cmd.subject_niks)))).all())
                await session.execute(delete(CaseSubject).where(CaseSubject.case_id == case.id))
                session.add_all(CaseSubject(case_id=case.id, person_id=ids[n], position=i)
                                for i, n in enumerate(cmd.subject_niks))
            # After the statements above, which autoflush: one UPDATE, one version step.
            if cmd.complaint is not None:
                case.complaint = cmd.complaint.strip()
            if cmd.priority is not None:
                case.priority = cmd.priority
            return None

        return await self._move(actor, case_id, Action.UPDATE, None, apply=apply)

    async def submit(self, actor: Actor, case_id: str) -> CaseResult:
        def target(case: Case) -> CaseStatus:
            # The secretariat's own front office has already checked what it records itself.
            if case.channel is Channel.SECRETARIAT and actor.role is Role.FRONT_OFFICE:
                return CaseStatus.APPROVED
            return CaseStatus.SUBMITTED

        return await self._move(actor, case_id, Action.SUBMIT, None, target=target)

    async def resolve_locally(self, actor: Actor, case_id: str, note: str) -> CaseResult:
        return await self._move(actor, case_id, Action.RESOLVE_LOCALLY, note, note_field="note")

    async def return_case(self, actor: Actor, case_id: str, reason: str) -> CaseResult:
        return await self._move(actor, case_id, Action.RETURN, reason, note_field="reason")

    async def approve(self, actor: Actor, case_id: str, note: str | None) -> CaseResult:
        return await self._move(actor, case_id, Action.APPROVE, note, note_field="note")

    async def review(self, actor: Actor, case_id: str, cmd: ReviewCase) -> CaseResult:
        async def apply(session: AsyncSession, case: Case) -> Rejected | None:
            if not cmd.sectors:
                return Rejected([invalid("Name at least one sector", "input", "sectors")])
            # The DELETE autoflushes pending changes: run it before touching the case, so the
            # review is one UPDATE and one version step, like every other transition.
            await session.execute(delete(CaseSector).where(CaseSector.case_id == case.id))
            session.add_all(CaseSector(case_id=case.id, sector=s) for s in dict.fromkeys(cmd.sectors))
            case.priority = cmd.priority
            case.analysis_note = cmd.note.strip()
            return None

        return await self._move(actor, case_id, Action.REVIEW, cmd.note, note_field="input.note", apply=apply)

    async def reject(self, actor: Actor, case_id: str, reason: str) -> CaseResult:
        return await self._move(actor, case_id, Action.REJECT, reason, note_field="reason")

    async def resolve(self, actor: Actor, case_id: str, note: str) -> CaseResult:
        return await self._move(actor, case_id, Action.RESOLVE, note, note_field="note")

    async def close(self, actor: Actor, case_id: str, note: str | None) -> CaseResult:
        return await self._move(actor, case_id, Action.CLOSE, note, note_field="note")

    async def confirm_household_move(self, actor: Actor, case_id: str, note: str | None) -> CaseResult:
        """The family of the case really lives in the case's village: what the intake declared
        replaces the registered household and persons of another area (hub/people/moves.py)."""
        async def apply(session: AsyncSession, case: Case) -> Rejected | None:
            household_id = await confirm_move(session, case.household_id)
            if household_id is None:
                return Rejected.one(ErrorCode.INVALID_TRANSITION, "This case's household has no move to confirm")
            case.household_id = household_id
            return None

        return await self._move(actor, case_id, Action.CONFIRM_HOUSEHOLD_MOVE, note, note_field="note", apply=apply)

    async def _move(self, actor: Actor, case_id: str, action: Action, note: str | None, *,
                    note_field: str = "note",
                    target: Callable[[Case], CaseStatus] | None = None,
                    apply: Callable[[AsyncSession, Case], Awaitable[Rejected | None]] | None = None) -> CaseResult:
        rule = TRANSITIONS[action]
        if actor.role not in rule.roles:
            return Forbidden(f"your role cannot {action.value.lower().replace('_', ' ')} a case")
        path = tuple(note_field.split("."))
        if errors := check_text(note, path[-1].capitalize(), MAX_NOTE, *path, required=rule.note_required):
            return Rejected(errors)
        now = self._now()
        try:
            async with self._sessions() as session, session.begin():
                case = await session.scalar(select(Case).where(Case.id == case_id, visible_to(actor)))
                if case is None:
                    return Rejected.one(ErrorCode.NOT_FOUND, "No case with this id in your area", "id")
                if rule.recorder_only and case.recorded_by != actor.subject:
                    return Forbidden("only the person who recorded the case can do this")
                if case.status not in rule.sources:
                    return Rejected.one(ErrorCode.INVALID_TRANSITION,
                                        f"Cannot {action.value.lower().replace('_', ' ')} a case that is {case.status.value}")
                if apply is not None and (outcome := await apply(session, case)) is not None:
                    raise _Abort(outcome)
                before = case.status
                after = target(case) if target else (rule.target or before)
                self._set_status(case, after, now)
                session.add(self._event(case, actor, action, before, after, note, now))
                await announce_new_events(session, self._events)
                return case
        except _Abort as abort:
            return abort.outcome
        except StaleDataError:
            return Rejected.one(ErrorCode.CONFLICT, "The case was changed by someone else at the same time; reload it and try again")

    @staticmethod
    def _set_status(case: Case, status: CaseStatus, now: datetime) -> None:
        case.status = status
        case.updated_at = now  # also bumps the version when nothing else changed
        if status is CaseStatus.SUBMITTED or (status is CaseStatus.APPROVED and case.submitted_at is None):
            case.submitted_at = now
        elif status is CaseStatus.REFERRED and case.referred_at is None:
            case.referred_at = now
        elif status is CaseStatus.RESOLVED:
            case.resolved_at = now

    @staticmethod
    def _event(case: Case, actor: Actor, action: Action, before: CaseStatus | None, after: CaseStatus | None,
               note: str | None, now: datetime) -> CaseEvent:
        return case_event(case, actor.subject, actor.role.value, action.value, before, after, note, now)
