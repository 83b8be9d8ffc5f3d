"""Referral workflow: create, cancel, partner status updates, redelivery (SPEC section 5).

Every change writes the referral, its history entry, the case event and (when the partner
must hear of it) the outbox message in one transaction: a crash never leaves a referral
without its message, nor a message without its referral.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from auth.principal import Actor
from auth.roles import Role, Scope
from hub.cases.timeline import announce_new_events
from hub.events.bus import REFERRAL_UPDATES, EventBus
from hub.areas.directory import AreaDirectory
from hub.cases.errors import ErrorCode, Forbidden, Rejected, invalid
from hub.cases.intake import MAX_NOTE, check_text
from hub.cases.models import Case
from hub.cases.visibility import visible_to
from hub.cases.workflow import TRANSITIONS, Action
from hub.db.base import utcnow
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.delivery.outbox import enqueue
from hub.referrals import case_side, payload
from hub.referrals.commands import CreateReferral, UpdateReferralStatus
from hub.referrals.models import Partner, Programme, Referral, ReferralHistory
from hub.referrals.queries import referral_visible_to
from hub.referrals.status import OPEN, REASON_REQUIRED, TERMINAL, ReferralStatus, can_move

ReferralResult = Referral | Rejected | Forbidden
MAX_REFERENCE = 200
RETRIES_ON_RACE = 8


class _Abort(Exception):
    def __init__(self, outcome: Rejected) -> None:
        self.outcome = outcome


def _fail(code: ErrorCode, message: str, *path: str) -> _Abort:
    return _Abort(Rejected.one(code, message, *path))


class ReferralService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], areas: AreaDirectory, public_url: str,
                 now: Callable[[], datetime] = utcnow, events: EventBus | None = None,
                 status_changes_per_hour: int = 20) -> None:
        self._sessions = sessions
        self._changes_per_hour = status_changes_per_hour
        self._events = events
        self._areas = areas
        self._public_url = public_url
        self._now = now

    async def create(self, actor: Actor, cmd: CreateReferral) -> ReferralResult:
        if actor.role not in TRANSITIONS[Action.REFER].roles:
            return Forbidden("your role cannot refer cases")
        if errors := check_text(cmd.reason, "Reason", MAX_NOTE, "input", "reason"):
            return Rejected(errors)
        code = cmd.programme_code.strip().upper()

        async def work(session: AsyncSession, now: datetime) -> Referral:
            case = await self._case(session, actor, cmd.case_id, "input", "caseId")
            if case.status not in TRANSITIONS[Action.REFER].sources:
                raise _fail(ErrorCode.INVALID_TRANSITION,
                            f"Cannot refer a case that is {case.status.value}; it must be REVIEWED or REFERRED",
                            "input", "caseId")
            programme = await session.get(Programme, code)
            if programme is None or programme.partner_id is None:
                raise _fail(ErrorCode.INVALID_INPUT, f"No programme '{code}' with a partner to refer to",
                            "input", "programmeCode")
            if await session.scalar(select(Referral.id).where(
                    Referral.case_id == case.id, Referral.programme_code == code, Referral.status.in_(OPEN))):
                raise _fail(ErrorCode.CONFLICT, f"The case already has an open referral to {code}",
                            "input", "programmeCode")
            referral = Referral(case_id=case.id, programme_code=code, partner_id=programme.partner_id,
                                reason=cmd.reason.strip(), status=ReferralStatus.REQUESTED,
                                created_by=actor.subject, created_at=now, updated_at=now)
            session.add(referral)
            await session.flush()
            session.add(self._history(referral, actor, None, None, now))
            case_side.refer(session, case, actor, f"{code}: {referral.reason}", now)
            await self._tell_partner(session, payload.REQUESTED, referral, case, now)
            return referral

        return await self._run(work)

    async def cancel(self, actor: Actor, referral_id: str, reason: str) -> ReferralResult:
        if not actor.has(Scope.REFERRAL_WRITE):
            return Forbidden("only the back office can cancel a referral")
        if errors := check_text(reason, "Reason", MAX_NOTE, "reason"):
            return Rejected(errors)

        async def work(session: AsyncSession, now: datetime) -> Referral:
            referral = await self._referral(session, actor, referral_id)
            case = await self._case(session, actor, referral.case_id, "id")
            self._move(session, referral, actor, ReferralStatus.CANCELLED, reason.strip(), None, None, now)
            await case_side.record_change(session, case, actor, referral, reason.strip(), now)
            await self._tell_partner(session, payload.CANCELLED, referral, case, now)
            return referral

        return await self._run(work)

    async def update_status(self, actor: Actor, cmd: UpdateReferralStatus) -> ReferralResult:
        if actor.role is not Role.PARTNER or not actor.partner_id or not actor.has(Scope.REFERRAL_UPDATE):
            return Forbidden("only the partner a referral was sent to can update its status")
        reason = cmd.reason.strip() if cmd.reason and cmd.reason.strip() else None
        errors = check_text(reason, "Reason", MAX_NOTE, "input", "reason",
                            required=cmd.status in REASON_REQUIRED)
        errors += check_text(cmd.partner_reference, "Partner reference", MAX_REFERENCE, "input",
                             "partnerReference", required=False)
        errors += check_text(cmd.outcome, "Outcome", MAX_NOTE, "input", "outcome", required=False)
        if errors:
            return Rejected(errors)

        async def work(session: AsyncSession, now: datetime) -> Referral:
            referral = await self._referral(session, actor, cmd.referral_id, "input", "id")
            # The partner cannot read the case, so it is locked by id: the referral proved access.
            case = await session.scalar(select(Case).where(Case.id == referral.case_id).with_for_update())
            assert case is not None
            if cmd.status not in TERMINAL:
                await self._within_hourly_bound(session, referral, now)
            self._move(session, referral, actor, cmd.status, reason, cmd.partner_reference, cmd.outcome, now)
            await case_side.record_change(session, case, actor, referral, reason, now)
            return referral

        return await self._run(work)

    async def redeliver(self, actor: Actor, referral_id: str) -> ReferralResult:
        if not (actor.has(Scope.REFERRAL_WRITE) or actor.has(Scope.ADMIN)):
            return Forbidden("only the back office or an administrator can redeliver a referral")

        async def work(session: AsyncSession, now: datetime) -> Referral:
            referral = await self._referral(session, actor, referral_id)
            dead = (await session.scalars(select(DeliveryMessage.id).where(
                DeliveryMessage.referral_id == referral.id, DeliveryMessage.state == DeliveryState.DEAD))).all()
            if not dead:
                raise _fail(ErrorCode.INVALID_TRANSITION, "Only a referral whose delivery is DEAD can be redelivered",
                            "id")
            await session.execute(
                update(DeliveryMessage).where(DeliveryMessage.id.in_(dead))
                .values(state=DeliveryState.QUEUED, next_attempt_at=now, round_start=DeliveryMessage.attempts,
                        lease_token=None, lease_expires_at=None, updated_at=now))
            return referral

        return await self._run(work)

    async def _within_hourly_bound(self, session: AsyncSession, referral: Referral, now: datetime) -> None:
        """A partner moves one referral at most ``status_changes_per_hour`` times an hour, so it
        cannot flood the case's timeline. A terminal move is never refused: it happens once."""
        since = now - timedelta(hours=1)
        recent = list((await session.scalars(
            select(ReferralHistory.at).where(ReferralHistory.referral_id == referral.id,
                                             ReferralHistory.actor_role == Role.PARTNER.value,
                                             ReferralHistory.at > since)
            .order_by(ReferralHistory.at.desc()).limit(self._changes_per_hour))).all())
        if len(recent) >= self._changes_per_hour:
            again = recent[-1] + timedelta(hours=1)
            raise _fail(ErrorCode.RATE_LIMITED,
                        f"This referral's status changed {len(recent)} times in the last hour, the most allowed; "
                        f"the next change is accepted from {again.strftime('%Y-%m-%dT%H:%M:%SZ')} "
                        "(a move to a final status is always accepted)", "input", "status")

    async def _run(self, work: Callable[[AsyncSession, datetime], Awaitable[Referral]]) -> ReferralResult:
        # Partners update different referrals of one case at the same time; each change touches
        # the case (its version), so the loser of such a race simply runs again on fresh data.
        for _ in range(RETRIES_ON_RACE):
            now = self._now()
            try:
                async with self._sessions() as session, session.begin():
                    referral = await work(session, now)
                    await announce_new_events(session, self._events)
                    if self._events is not None:
                        await self._announce(session, referral)
                    return referral
            except _Abort as abort:
                return abort.outcome
            except StaleDataError:
                await asyncio.sleep(random.uniform(0, 0.02))  # de-synchronise the racers
                continue
            except IntegrityError:
                break
        return Rejected.one(ErrorCode.CONFLICT,
                            "The referral or its case was changed at the same time; reload and try again")

    async def _announce(self, session: AsyncSession, referral: Referral) -> None:
        case = await session.get(Case, referral.case_id)
        await self._events.publish(session, REFERRAL_UPDATES, {  # type: ignore[union-attr]
            "referral_id": referral.id, "partner_id": referral.partner_id,
            "village_code": case.village_code if case else ""})

    async def _tell_partner(self, session: AsyncSession, event_type: str, referral: Referral, case: Case,
                            now: datetime) -> None:
        """Queue the webhook in this transaction; a portal-only partner (no URL) reads its inbox instead."""
        partner = await session.get(Partner, referral.partner_id)
        if partner is None or partner.webhook_url is None:
            return
        body = await payload.referral_body(session, event_type, referral, case, self._areas, self._public_url, now)
        enqueue(session, referral, event_type, body, now)

    async def _case(self, session: AsyncSession, actor: Actor, case_id: str, *path: str) -> Case:
        case = await session.scalar(select(Case).where(Case.id == case_id, visible_to(actor)).with_for_update())
        if case is None:
            raise _fail(ErrorCode.NOT_FOUND, "No case with this id in your area", *path)
        return case

    async def _referral(self, session: AsyncSession, actor: Actor, referral_id: str, *path: str) -> Referral:
        referral = await session.scalar(
            select(Referral).where(Referral.id == referral_id, referral_visible_to(actor)).with_for_update())
        if referral is None:
            raise _fail(ErrorCode.NOT_FOUND, "No referral with this id for you", *(path or ("id",)))
        return referral

    def _move(self, session: AsyncSession, referral: Referral, actor: Actor, to: ReferralStatus,
              reason: str | None, reference: str | None, outcome: str | None, now: datetime) -> None:
        if not can_move(referral.status, to):
            raise _fail(ErrorCode.INVALID_TRANSITION,
                        f"A referral that is {referral.status.value} cannot become {to.value}", "input", "status")
        before = referral.status
        referral.status = to
        referral.updated_at = now
        if reason is not None:
            referral.status_reason = reason
        if reference is not None:
            referral.partner_reference = reference.strip()
        if outcome is not None:
            referral.outcome = outcome.strip()
        session.add(self._history(referral, actor, before, reason, now))

    @staticmethod
    def _history(referral: Referral, actor: Actor, before: ReferralStatus | None, reason: str | None,
                 now: datetime) -> ReferralHistory:
        return ReferralHistory(referral_id=referral.id, at=now, actor=actor.subject, actor_role=actor.role.value,
                               from_status=before, to_status=referral.status, reason=reason,
                               partner_reference=referral.partner_reference, outcome=referral.outcome)


__all__ = ["ReferralResult", "ReferralService", "invalid"]
