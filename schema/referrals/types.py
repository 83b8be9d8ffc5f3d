"""GraphQL types of the referral graph: partners, programmes, referrals, history, delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from hub.cases.errors import Forbidden as ForbiddenResult
from hub.cases.errors import Rejected
from hub.delivery.models import DeliveryState as _DeliveryState
from hub.referrals.models import Partner as PartnerRow
from hub.referrals.models import Programme as ProgrammeRow
from hub.referrals.models import Referral as ReferralRow
from hub.referrals.health import endpoint_state
from hub.referrals.partners import PartnerCredentials
from hub.referrals.permitted import allowed_referral_statuses
from hub.referrals.queries import sees_partner_configuration
from hub.referrals.targets import EscalationTarget
from hub.referrals.status import ReferralStatus as _ReferralStatus
from hub.vocabulary import ProgrammeLevel as _ProgrammeLevel
from hub.vocabulary import Sector as _Sector
from schema.cases.types import Case, PageInfo
from schema.context import Context
from schema.enums import Sector
from schema.errors import Forbidden, UserError
from schema.referrals.health import EndpointHealth, EndpointState, SeesEndpointHealth
from schema.referrals.summary import ReferralCaseSummary

ReferralStatus = strawberry.enum(_ReferralStatus, name="ReferralStatus")
DeliveryState = strawberry.enum(_DeliveryState, name="DeliveryState")
ProgrammeLevel = strawberry.enum(_ProgrammeLevel, name="ProgrammeLevel")


@strawberry.type(description="A sector programme (PKH, PBI_JK, …) and the partner that runs it")
class Programme:
    code: str
    name: str
    sector: Sector
    level: ProgrammeLevel
    partner_id: strawberry.Private[str | None]
    own_acknowledge_days: strawberry.Private[int | None]
    own_completion_days: strawberry.Private[int | None]

    @strawberry.field(description="days the partner has to accept or decline a referral (programme or sector target)")
    def acknowledge_days(self, info: Info[Context, None]) -> float:
        return info.context.hub.escalations.targets.days_for(self.sector.value, self.own_acknowledge_days,
                                                             EscalationTarget.ACKNOWLEDGEMENT)

    @strawberry.field(description="days the partner has to complete a referral (programme or sector target)")
    def completion_days(self, info: Info[Context, None]) -> float:
        return info.context.hub.escalations.targets.days_for(self.sector.value, self.own_completion_days,
                                                             EscalationTarget.COMPLETION)

    @strawberry.field
    async def partner(self, info: Info[Context, None]) -> Partner | None:
        if self.partner_id is None:
            return None
        row = await info.context.referral_loaders.partner.load(self.partner_id)
        return Partner.from_row(row) if row else None

    @classmethod
    def from_row(cls, p: ProgrammeRow) -> Programme:
        return cls(code=p.code, name=p.name, sector=p.sector, level=p.level, partner_id=p.partner_id,
                   own_acknowledge_days=p.acknowledge_days, own_completion_days=p.completion_days)


class SeesPartnerConfiguration(BasePermission):
    """Configuration fields of a partner: administrators and the partner itself (hub/referrals/queries.py)."""

    message = "a partner's configuration is visible to administrators and to that partner only"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return sees_partner_configuration(info.context.actor, str(source.id))


_CONFIGURATION = [SeesPartnerConfiguration]


@strawberry.type(description="An agency (Dinas) system that receives referrals; its secrets are never readable, "
                             "its configuration only by administrators and itself")
class Partner:
    id: strawberry.ID
    name: str
    sectors: list[Sector]
    webhook_url: str | None = strawberry.field(permission_classes=_CONFIGURATION,
                                               description="where referrals are POSTed; null for a portal-only partner")
    client_id: str | None = strawberry.field(permission_classes=_CONFIGURATION)
    active: bool = strawberry.field(permission_classes=_CONFIGURATION)
    disabled_reason: str | None = strawberry.field(permission_classes=_CONFIGURATION)
    failing_since: datetime | None = strawberry.field(permission_classes=_CONFIGURATION)
    created_at: datetime

    @strawberry.field(description="no webhook: referrals wait in the partner inbox of the console")
    def portal_only(self) -> bool:
        return self.webhook_url is None

    @strawberry.field(permission_classes=[SeesEndpointHealth],
                      description="whether the endpoint works: for administrators, the back office, supervisors "
                                  "and the partner itself (the configuration stays theirs)")
    def endpoint_health(self) -> EndpointHealth:
        state = endpoint_state(self.webhook_url, self.active, self.failing_since)
        return EndpointHealth(state=state, failing_since=self.failing_since if state is EndpointState.FAILING else None)

    @strawberry.field
    async def programmes(self, info: Info[Context, None]) -> list[Programme]:
        rows = await info.context.referral_loaders.partner_programmes.load(str(self.id))
        return [Programme.from_row(p) for p in rows]

    @classmethod
    def from_row(cls, p: PartnerRow) -> Partner:
        return cls(id=strawberry.ID(p.id), name=p.name, sectors=[_Sector(s) for s in p.sectors],
                   webhook_url=p.webhook_url, client_id=p.client_id, active=p.active,
                   disabled_reason=p.disabled_reason, failing_since=p.failing_since, created_at=p.created_at)


@strawberry.type(description="One status change of a referral")
class ReferralHistoryEntry:
    at: datetime
    actor: str
    actor_role: str
    from_status: ReferralStatus | None
    to_status: ReferralStatus
    reason: str | None
    partner_reference: str | None
    outcome: str | None

    @strawberry.field(description="who acted, for people: a partner agency's name where `actor` is its client id")
    async def actor_name(self, info: Info[Context, None]) -> str:
        return await info.context.actor_names.load(self.actor)


@strawberry.type(description="One HTTP POST of a referral's webhook")
class DeliveryAttempt:
    message_id: str = strawberry.field(description="the webhook-id header, the same on every attempt of a message")
    event_type: str
    number: int
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    response_body: str | None = strawberry.field(description="the first 1 KiB of the response")


@strawberry.type(description="A case referred to one programme (rujukan)")
class Referral:
    id: strawberry.ID
    status: ReferralStatus
    reason: str
    status_reason: str | None
    partner_reference: str | None
    outcome: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    case_id: strawberry.Private[str]
    programme_code: strawberry.Private[str]
    partner_id: strawberry.Private[str]

    @strawberry.field(description="the statuses you may set now: the partner the next ones of the table "
                                  "(updateReferralStatus), the back office CANCELLED (cancelReferral)")
    def allowed_statuses(self, info: Info[Context, None]) -> list[ReferralStatus]:
        return allowed_referral_statuses(info.context.actor, self.status, self.partner_id)

    @strawberry.field(description="the case; null for partners, who get the case data in the webhook")
    async def case(self, info: Info[Context, None]) -> Case | None:
        row = await info.context.referral_loaders.case.load(self.case_id)
        return Case.from_row(row) if row else None

    @strawberry.field(description="the case as the partner is given it (the webhook payload's facts); "
                                  "what a portal-only partner works from")
    async def case_summary(self, info: Info[Context, None]) -> ReferralCaseSummary | None:
        row = await info.context.referral_loaders.summary.load(self.case_id)
        return ReferralCaseSummary.from_summary(row) if row else None

    @strawberry.field
    async def programme(self, info: Info[Context, None]) -> Programme:
        row = await info.context.referral_loaders.programme.load(self.programme_code)
        assert row is not None  # foreign key
        return Programme.from_row(row)

    @strawberry.field(description="when the partner should have accepted or declined (the programme's target)")
    async def acknowledge_by(self, info: Info[Context, None]) -> datetime:
        return await self._due(info, EscalationTarget.ACKNOWLEDGEMENT)

    @strawberry.field(description="when the partner should have completed it (the programme's target)")
    async def complete_by(self, info: Info[Context, None]) -> datetime:
        return await self._due(info, EscalationTarget.COMPLETION)

    async def _due(self, info: Info[Context, None], target: EscalationTarget) -> datetime:
        row = await info.context.referral_loaders.programme.load(self.programme_code)
        assert row is not None  # foreign key
        return info.context.hub.escalations.targets.due(row, target, self.created_at)

    @strawberry.field
    async def history(self, info: Info[Context, None]) -> list[ReferralHistoryEntry]:
        rows = await info.context.referral_loaders.history.load(str(self.id))
        return [ReferralHistoryEntry(at=h.at, actor=h.actor, actor_role=h.actor_role, from_status=h.from_status,
                                     to_status=h.to_status, reason=h.reason, partner_reference=h.partner_reference,
                                     outcome=h.outcome) for h in rows]

    @strawberry.field(description="transport of the latest webhook, kept apart from the business status")
    async def delivery_state(self, info: Info[Context, None]) -> DeliveryState | None:
        messages = await info.context.referral_loaders.messages.load(str(self.id))
        return messages[-1].state if messages else None

    @strawberry.field
    async def delivery_attempts(self, info: Info[Context, None]) -> list[DeliveryAttempt]:
        rows = await info.context.referral_loaders.attempts.load(str(self.id))
        return [DeliveryAttempt(message_id=m.id, event_type=m.event_type, number=a.number, at=a.at,
                                status_code=a.status_code, duration_ms=a.duration_ms, error=a.error,
                                response_body=a.response_body) for m, a in rows]

    @classmethod
    def from_row(cls, r: ReferralRow) -> Referral:
        return cls(id=strawberry.ID(r.id), status=r.status, reason=r.reason, status_reason=r.status_reason,
                   partner_reference=r.partner_reference, outcome=r.outcome, created_by=r.created_by,
                   created_at=r.created_at, updated_at=r.updated_at, case_id=r.case_id,
                   programme_code=r.programme_code, partner_id=r.partner_id)


@strawberry.type
class ReferralPayload:
    referral: Referral | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def from_result(cls, result: ReferralRow | Rejected | ForbiddenResult) -> ReferralPayload:
        if isinstance(result, ForbiddenResult):
            raise Forbidden(result.message)
        if isinstance(result, Rejected):
            return cls(errors=[UserError.from_domain(e) for e in result.errors])
        return cls(referral=Referral.from_row(result))


@strawberry.type(description="secret, clientId and clientSecret are shown here once and never again")
class PartnerPayload:
    partner: Partner | None = None
    secret: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def from_result(cls, result: PartnerCredentials | PartnerRow | Rejected | ForbiddenResult) -> PartnerPayload:
        if isinstance(result, ForbiddenResult):
            raise Forbidden(result.message)
        if isinstance(result, Rejected):
            return cls(errors=[UserError.from_domain(e) for e in result.errors])
        if isinstance(result, PartnerRow):
            return cls(partner=Partner.from_row(result))
        return cls(partner=Partner.from_row(result.partner), secret=result.secret,
                   client_id=result.client.client_id if result.client else None,
                   client_secret=result.client.client_secret if result.client else None)


@strawberry.type
class ReferralEdge:
    cursor: str
    node: Referral


@strawberry.type
class ReferralConnection:
    edges: list[ReferralEdge]
    page_info: PageInfo
