"""Case mutations: each reads its arguments, calls one service method, maps the result."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from schema.cases.inputs import RecordCaseInput, ReviewCaseInput, UpdateCaseInput
from schema.cases.types import CasePayload
from schema.permissions import requires

from schema.context import Context

S = Scope


@strawberry.type
class CaseMutations:
    @strawberry.mutation(permission_classes=[requires(S.CASE_WRITE)])
    async def record_case(self, info: Info[Context, None], input: RecordCaseInput,
                          idempotency_key: str | None = None) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.record(ctx.actor, input.to_command(), idempotency_key))

    @strawberry.mutation(permission_classes=[requires(S.CASE_WRITE)])
    async def update_case(self, info: Info[Context, None], id: strawberry.ID, input: UpdateCaseInput) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.update(ctx.actor, str(id), input.to_command()))

    @strawberry.mutation(permission_classes=[requires(S.CASE_WRITE)])
    async def submit_case(self, info: Info[Context, None], id: strawberry.ID) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.submit(ctx.actor, str(id)))

    @strawberry.mutation(permission_classes=[requires(S.CASE_WRITE, S.CASE_APPROVE)])
    async def resolve_locally(self, info: Info[Context, None], id: strawberry.ID, note: str) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.resolve_locally(ctx.actor, str(id), note))

    @strawberry.mutation(permission_classes=[requires(S.CASE_APPROVE)])
    async def return_case(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.return_case(ctx.actor, str(id), reason))

    @strawberry.mutation(permission_classes=[requires(S.CASE_APPROVE)])
    async def approve_case(self, info: Info[Context, None], id: strawberry.ID, note: str | None = None) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.approve(ctx.actor, str(id), note))

    @strawberry.mutation(permission_classes=[requires(S.CASE_REVIEW)])
    async def review_case(self, info: Info[Context, None], id: strawberry.ID, input: ReviewCaseInput) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.review(ctx.actor, str(id), input.to_command()))

    @strawberry.mutation(permission_classes=[requires(S.CASE_APPROVE, S.CASE_REVIEW)])
    async def reject_case(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.reject(ctx.actor, str(id), reason))

    @strawberry.mutation(permission_classes=[requires(S.REFERRAL_WRITE)])
    async def resolve_case(self, info: Info[Context, None], id: strawberry.ID, note: str) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.resolve(ctx.actor, str(id), note))

    @strawberry.mutation(permission_classes=[requires(S.CASE_APPROVE, S.CASE_REVIEW)])
    async def close_case(self, info: Info[Context, None], id: strawberry.ID, note: str | None = None) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.close(ctx.actor, str(id), note))

    @strawberry.mutation(permission_classes=[requires(S.CASE_APPROVE, S.CASE_REVIEW)],
                         description="the family really moved into the case's village: the family card and people "
                                     "the intake declared replace those registered in another area")
    async def confirm_household_move(self, info: Info[Context, None], id: strawberry.ID,
                                     note: str | None = None) -> CasePayload:
        ctx = info.context
        return CasePayload.from_result(await ctx.hub.cases.confirm_household_move(ctx.actor, str(id), note))
