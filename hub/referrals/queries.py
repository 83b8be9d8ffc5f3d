"""Reading referrals under the partner and area rules, and the batch loads behind data loaders.

A partner sees only referrals to its own programmes; staff see the referrals of the cases
they may see (the area rule); administrators see all of them (to redeliver).
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.roles import Role, Scope
from hub.db.grouping import grouped
from hub.cases.models import Case
from hub.cases.visibility import visible_to
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.referrals.models import Partner, Programme, Referral, ReferralHistory
from hub.referrals.status import ReferralStatus
from hub.referrals.summary import CaseSummary, case_summaries
from hub.vocabulary import Sector

MAX_PAGE = 100


def referral_visible_to(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PARTNER:
        return Referral.partner_id == actor.partner_id if actor.partner_id and actor.has(Scope.REFERRAL_UPDATE) \
            else false()
    if actor.has(Scope.ADMIN):
        return true()
    if not actor.has(Scope.CASE_READ):
        return false()
    return exists().where(Case.id == Referral.case_id, visible_to(actor))


def programme_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Staff see every programme (the back office chooses one to refer to); a partner sees its own."""
    if actor.role is Role.PARTNER:
        return Programme.partner_id == actor.partner_id if actor.partner_id and actor.has(Scope.REFERRAL_UPDATE) \
            else false()
    return true() if any(actor.has(s) for s in (Scope.CASE_READ, Scope.REFERRAL_WRITE, Scope.ADMIN)) else false()


def sees_partner_configuration(actor: Actor, partner_id: str) -> bool:
    """A partner's configuration (webhook URL, OAuth client, delivery failure state) is for
    administrators and for that partner itself; everyone else sees its name and sectors."""
    if actor.has(Scope.ADMIN):
        return True
    return actor.role is Role.PARTNER and actor.has(Scope.REFERRAL_UPDATE) and actor.partner_id == partner_id


@dataclass(frozen=True, slots=True)
class ReferralFilter:
    statuses: tuple[ReferralStatus, ...] = ()
    programme_codes: tuple[str, ...] = ()
    case_id: str | None = None
    delivery_states: tuple[DeliveryState, ...] = ()


@dataclass(frozen=True, slots=True)
class ReferralPage:
    referrals: list[Referral]
    has_next: bool


def encode_cursor(r: Referral) -> str:
    return base64.urlsafe_b64encode(f"{r.created_at.isoformat()}|{r.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    try:
        created, referral_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(created), referral_id
    except (ValueError, UnicodeDecodeError):
        return None


class ReferralReader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, actor: Actor, referral_id: str) -> Referral | None:
        async with self._sessions() as s:
            return await s.scalar(select(Referral).where(Referral.id == referral_id, referral_visible_to(actor)))

    async def page(self, actor: Actor, f: ReferralFilter, first: int,
                   after: tuple[datetime, str] | None) -> ReferralPage:
        stmt = select(Referral).where(referral_visible_to(actor))
        if f.statuses:
            stmt = stmt.where(Referral.status.in_(f.statuses))
        if f.programme_codes:
            stmt = stmt.where(Referral.programme_code.in_(f.programme_codes))
        if f.case_id:
            stmt = stmt.where(Referral.case_id == f.case_id)
        if f.delivery_states:
            stmt = stmt.where(exists().where(DeliveryMessage.referral_id == Referral.id,
                                             DeliveryMessage.state.in_(f.delivery_states)))
        if after is not None:
            created, rid = after
            stmt = stmt.where(or_(Referral.created_at < created,
                                  and_(Referral.created_at == created, Referral.id < rid)))
        stmt = stmt.order_by(Referral.created_at.desc(), Referral.id.desc()).limit(first + 1)
        async with self._sessions() as s:
            rows = list((await s.scalars(stmt)).all())
        return ReferralPage(rows[:first], len(rows) > first)

    async def programmes(self, actor: Actor, sector: Sector | None = None) -> list[Programme]:
        stmt = select(Programme).where(programme_visible_to(actor)).order_by(Programme.code)
        if sector is not None:
            stmt = stmt.where(Programme.sector == sector)
        async with self._sessions() as s:
            return list((await s.scalars(stmt)).all())

    async def partners(self) -> list[Partner]:
        async with self._sessions() as s:
            return list((await s.scalars(select(Partner).order_by(Partner.name))).all())

    # Batch loads: one statement each for any number of keys.

    async def cases(self, actor: Actor, case_ids: Sequence[str]) -> dict[str, Case]:
        """The cases among ``case_ids`` the caller may see (a partner sees none: its data is the webhook)."""
        async with self._sessions() as s:
            rows = await s.scalars(select(Case).where(Case.id.in_(case_ids), visible_to(actor)))
            return {c.id: c for c in rows.all()}

    async def by_case(self, case_ids: Sequence[str]) -> dict[str, list[Referral]]:
        stmt = select(Referral).where(Referral.case_id.in_(case_ids)).order_by(Referral.created_at, Referral.id)
        async with self._sessions() as s:
            rows = (await s.scalars(stmt)).all()
        return grouped(rows, lambda r: r.case_id)

    async def programmes_by_code(self, codes: Sequence[str]) -> dict[str, Programme]:
        async with self._sessions() as s:
            return {p.code: p for p in (await s.scalars(select(Programme).where(Programme.code.in_(codes)))).all()}

    async def partners_by_id(self, ids: Sequence[str]) -> dict[str, Partner]:
        async with self._sessions() as s:
            return {p.id: p for p in (await s.scalars(select(Partner).where(Partner.id.in_(ids)))).all()}

    async def programmes_by_partner(self, partner_ids: Sequence[str]) -> dict[str, list[Programme]]:
        stmt = select(Programme).where(Programme.partner_id.in_(partner_ids)).order_by(Programme.code)
        async with self._sessions() as s:
            rows = (await s.scalars(stmt)).all()
        return grouped(rows, lambda p: p.partner_id or "")

    async def summaries(self, case_ids: Sequence[str]) -> dict[str, CaseSummary]:
        """The partner's view of cases reached through referrals the caller may see."""
        return await case_summaries(self._sessions, case_ids)

    async def history(self, referral_ids: Sequence[str]) -> dict[str, list[ReferralHistory]]:
        stmt = select(ReferralHistory).where(ReferralHistory.referral_id.in_(referral_ids)).order_by(ReferralHistory.id)
        async with self._sessions() as s:
            rows = (await s.scalars(stmt)).all()
        return grouped(rows, lambda h: h.referral_id)

    async def messages(self, referral_ids: Sequence[str]) -> dict[str, list[DeliveryMessage]]:
        stmt = (select(DeliveryMessage).where(DeliveryMessage.referral_id.in_(referral_ids))
                .order_by(DeliveryMessage.created_at, DeliveryMessage.id))
        async with self._sessions() as s:
            rows = (await s.scalars(stmt)).all()
        return grouped(rows, lambda m: m.referral_id)

    async def attempts(self, referral_ids: Sequence[str]) -> dict[str, list[tuple[DeliveryMessage, DeliveryAttempt]]]:
        stmt = (select(DeliveryMessage, DeliveryAttempt)
                .join(DeliveryAttempt, DeliveryAttempt.message_id == DeliveryMessage.id)
                .where(DeliveryMessage.referral_id.in_(referral_ids))
                .order_by(DeliveryAttempt.at, DeliveryAttempt.id))
        async with self._sessions() as s:
            rows = (await s.execute(stmt)).all()
        out: dict[str, list[tuple[DeliveryMessage, DeliveryAttempt]]] = defaultdict(list)
        for message, attempt in rows:
            out[message.referral_id].append((message, attempt))
        return out
