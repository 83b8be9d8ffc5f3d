from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.referrals.queries import MAX_PAGE, decode_cursor, encode_cursor
from hub.referrals.queries import ReferralFilter as ReferralFilterData
from schema.cases.queries import InvalidArgument
from schema.cases.types import PageInfo
from schema.context import Context
from schema.enums import Sector
from schema.errors import NotFound
from schema.permissions import requires
from schema.referrals.inputs import ReferralFilter
from schema.referrals.types import Partner, Programme, Referral, ReferralConnection, ReferralEdge

S = Scope
READS_REFERRALS = requires(S.CASE_READ, S.REFERRAL_UPDATE, S.ADMIN)


def to_filter(f: ReferralFilter | None) -> ReferralFilterData:
    if f is None:
        return ReferralFilterData()
    return ReferralFilterData(statuses=tuple(f.status or ()),
                              programme_codes=tuple(c.strip().upper() for c in f.programme_code or ()),
                              case_id=str(f.case_id) if f.case_id else None,
                              delivery_states=tuple(f.delivery_state or ()))


@strawberry.type
class ReferralQueries:
    @strawberry.field(permission_classes=[requires(S.CASE_READ, S.REFERRAL_WRITE, S.REFERRAL_UPDATE, S.ADMIN)],
                      description="programmes cases can be referred to, optionally of one sector (a partner: its own)")
    async def programmes(self, info: Info[Context, None], sector: Sector | None = None) -> list[Programme]:
        rows = await info.context.hub.referral_reader.programmes(info.context.actor, sector)
        return [Programme.from_row(p) for p in rows]

    @strawberry.field(permission_classes=[requires(S.CASE_READ, S.REFERRAL_WRITE, S.ADMIN)])
    async def partners(self, info: Info[Context, None]) -> list[Partner]:
        return [Partner.from_row(p) for p in await info.context.hub.referral_reader.partners()]

    @strawberry.field(permission_classes=[READS_REFERRALS])
    async def referral(self, info: Info[Context, None], id: strawberry.ID) -> Referral | None:
        row = await info.context.hub.referral_reader.get(info.context.actor, str(id))
        if row is None:
            raise NotFound("no referral with this id for you")
        return Referral.from_row(row)

    @strawberry.field(permission_classes=[READS_REFERRALS],
                      description="referrals you may see (a partner: its own), newest first")
    async def referrals(self, info: Info[Context, None], filter: ReferralFilter | None = None, first: int = 20,
                        after: str | None = None) -> ReferralConnection:
        if not 0 <= first <= MAX_PAGE:
            raise InvalidArgument(f"first must be between 0 and {MAX_PAGE}", field=["first"])
        cursor = None
        if after is not None and (cursor := decode_cursor(after)) is None:
            raise InvalidArgument("after is not a cursor from this list", field=["after"])
        page = await info.context.hub.referral_reader.page(info.context.actor, to_filter(filter), first, cursor)
        edges = [ReferralEdge(cursor=encode_cursor(r), node=Referral.from_row(r)) for r in page.referrals]
        return ReferralConnection(edges=edges, page_info=PageInfo(has_next_page=page.has_next,
                                                                  end_cursor=edges[-1].cursor if edges else None))
