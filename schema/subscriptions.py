"""Live updates over graphql-transport-ws, under the same token, area and partner rules as queries.

A message on the bus only says *that* something changed (ids and area codes); each
subscriber then loads what it may see through the ordinary, rule-applying readers.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.areas.codes import normalize_area_code
from hub.events.bus import CASE_EVENTS, REFERRAL_UPDATES
from schema.cases.types import CaseEvent
from schema.context import Context
from schema.errors import HubError
from schema.permissions import requires
from schema.referrals.types import Referral


class InvalidArgument(HubError):
    code = "INVALID_INPUT"


@strawberry.type
class Subscription:
    @strawberry.subscription(permission_classes=[requires(Scope.CASE_READ)],
                             description="case timeline entries in your area (narrowed to areaCode if given)")
    async def case_events(self, info: Info[Context, None], area_code: strawberry.ID | None = None
                          ) -> AsyncGenerator[CaseEvent, None]:
        ctx = info.context
        area = None
        if area_code is not None and (area := normalize_area_code(str(area_code))) is None:
            raise InvalidArgument("areaCode is not a Kemendagri area code", field=["areaCode"])
        async for message in ctx.hub.events.subscribe(CASE_EVENTS):
            village = str(message.get("village_code", ""))
            if not ctx.actor.covers_area(village) or (area and not village.startswith(area)):
                continue
            row = await ctx.hub.case_reader.event(ctx.actor, int(message["event_id"]))
            if row is not None:
                ctx.refresh_loaders()  # a long-lived connection must not serve stale cached rows
                yield CaseEvent.from_row(row)

    @strawberry.subscription(permission_classes=[requires(Scope.CASE_READ, Scope.REFERRAL_UPDATE)],
                             description="referrals as they change: a partner sees only its own")
    async def referral_updates(self, info: Info[Context, None]) -> AsyncGenerator[Referral, None]:
        ctx = info.context
        async for message in ctx.hub.events.subscribe(REFERRAL_UPDATES):
            partner = message.get("partner_id")
            if ctx.actor.partner_id is not None and partner != ctx.actor.partner_id:
                continue
            if ctx.actor.partner_id is None and not ctx.actor.covers_area(str(message.get("village_code", ""))):
                continue
            row = await ctx.hub.referral_reader.get(ctx.actor, str(message["referral_id"]))
            if row is not None:
                ctx.refresh_loaders()
                yield Referral.from_row(row)
