"""Escalation in the API: ``overdueReferrals`` for the back office and supervisors of the area."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.cases.errors import Forbidden as ForbiddenResult
from hub.referrals.escalation import MAX_PAGE, Missed, Overdue
from hub.referrals.queries import decode_cursor, encode_cursor
from hub.referrals.targets import EscalationTarget as _EscalationTarget
from schema.cases.queries import InvalidArgument
from schema.cases.types import PageInfo
from schema.context import Context
from schema.errors import Forbidden
from schema.permissions import requires
from schema.referrals.types import Referral

EscalationTarget = strawberry.enum(_EscalationTarget, name="EscalationTarget",
                                   description="ACKNOWLEDGEMENT: accepted or declined in time; "
                                               "COMPLETION: ended in time")


@strawberry.type(description="A target a referral is past")
class MissedTarget:
    target: EscalationTarget
    due_at: datetime
    escalated_at: datetime | None = strawberry.field(
        description="when the ESCALATED case event was written; null until the scan has run")

    @classmethod
    def from_missed(cls, m: Missed) -> MissedTarget:
        return cls(target=m.target, due_at=m.due_at, escalated_at=m.escalated_at)


@strawberry.type(description="An open referral past its acknowledgement or completion target")
class OverdueReferral:
    referral: Referral
    missed: list[MissedTarget]

    @classmethod
    def from_overdue(cls, o: Overdue) -> OverdueReferral:
        return cls(referral=Referral.from_row(o.referral), missed=[MissedTarget.from_missed(m) for m in o.missed])


@strawberry.type
class OverdueReferralEdge:
    cursor: str
    node: OverdueReferral


@strawberry.type
class OverdueReferralConnection:
    edges: list[OverdueReferralEdge]
    page_info: PageInfo

    @strawberry.field(description="overdue referrals in your area; counted only when asked for")
    async def total_count(self, info: Info[Context, None]) -> int:
        return await info.context.hub.escalations.count_overdue(info.context.actor)


@strawberry.type
class EscalationQueries:
    @strawberry.field(permission_classes=[requires(Scope.REFERRAL_WRITE, Scope.CASE_APPROVE)],
                      description="open referrals of your area past their acknowledgement or completion target, "
                                  "oldest first (BACK_OFFICE, SUPERVISOR)")
    async def overdue_referrals(self, info: Info[Context, None], first: int = 50,
                                after: str | None = None) -> OverdueReferralConnection:
        if not 0 <= first <= MAX_PAGE:
            raise InvalidArgument(f"first must be between 0 and {MAX_PAGE}", field=["first"])
        cursor = None
        if after is not None and (cursor := decode_cursor(after)) is None:
            raise InvalidArgument("after is not a cursor from this list", field=["after"])
        page = await info.context.hub.escalations.overdue(info.context.actor, first, cursor)
        if isinstance(page, ForbiddenResult):
            raise Forbidden(page.message)
        edges = [OverdueReferralEdge(cursor=encode_cursor(o.referral), node=OverdueReferral.from_overdue(o))
                 for o in page.items]
        return OverdueReferralConnection(edges=edges, page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None))
