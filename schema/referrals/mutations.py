"""Referral and partner mutations: each reads its arguments, calls one service method, maps the result."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from schema.context import Context
from schema.permissions import requires
from schema.referrals.inputs import CreateReferralInput, RegisterPartnerInput, UpdateReferralStatusInput
from schema.referrals.types import PartnerPayload, ReferralPayload

S = Scope


@strawberry.type
class ReferralMutations:
    @strawberry.mutation(permission_classes=[requires(S.REFERRAL_WRITE)])
    async def create_referral(self, info: Info[Context, None], input: CreateReferralInput) -> ReferralPayload:
        ctx = info.context
        return ReferralPayload.from_result(await ctx.hub.referrals.create(ctx.actor, input.to_command()))

    @strawberry.mutation(permission_classes=[requires(S.REFERRAL_WRITE)])
    async def cancel_referral(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> ReferralPayload:
        ctx = info.context
        return ReferralPayload.from_result(await ctx.hub.referrals.cancel(ctx.actor, str(id), reason))

    @strawberry.mutation(permission_classes=[requires(S.REFERRAL_UPDATE)])
    async def update_referral_status(self, info: Info[Context, None],
                                     input: UpdateReferralStatusInput) -> ReferralPayload:
        ctx = info.context
        return ReferralPayload.from_result(await ctx.hub.referrals.update_status(ctx.actor, input.to_command()))

    @strawberry.mutation(permission_classes=[requires(S.REFERRAL_WRITE, S.ADMIN)],
                         description="send a referral whose delivery is DEAD again, with a fresh schedule")
    async def redeliver_referral(self, info: Info[Context, None], id: strawberry.ID) -> ReferralPayload:
        ctx = info.context
        return ReferralPayload.from_result(await ctx.hub.referrals.redeliver(ctx.actor, str(id)))

    @strawberry.mutation(permission_classes=[requires(S.ADMIN)])
    async def register_partner(self, info: Info[Context, None], input: RegisterPartnerInput) -> PartnerPayload:
        ctx = info.context
        return PartnerPayload.from_result(await ctx.hub.partners.register(ctx.actor, input.to_command()))

    @strawberry.mutation(permission_classes=[requires(S.ADMIN)],
                         description="new signing and client secrets; the old signing secret still signs for a grace period")
    async def rotate_partner_secret(self, info: Info[Context, None], id: strawberry.ID) -> PartnerPayload:
        ctx = info.context
        return PartnerPayload.from_result(await ctx.hub.partners.rotate_secret(ctx.actor, str(id)))

    @strawberry.mutation(permission_classes=[requires(S.ADMIN)],
                         description="re-enable a partner endpoint disabled after failures or a 410, or a partner "
                                     "disabled by disablePartner")
    async def enable_partner(self, info: Info[Context, None], id: strawberry.ID) -> PartnerPayload:
        ctx = info.context
        return PartnerPayload.from_result(await ctx.hub.partners.enable(ctx.actor, str(id)))

    @strawberry.mutation(permission_classes=[requires(S.ADMIN)],
                         description="switch a partner off: no more webhooks, and its tokens are refused on every "
                                     "replica within SLRT_REVOCATION_CHECK_SECONDS; enablePartner switches it on")
    async def disable_partner(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> PartnerPayload:
        ctx = info.context
        return PartnerPayload.from_result(await ctx.hub.partners.disable(ctx.actor, str(id), reason))
