from __future__ import annotations

import strawberry

from hub.referrals import commands
from schema.enums import Sector
from schema.referrals.types import DeliveryState, ProgrammeLevel, ReferralStatus


@strawberry.input
class CreateReferralInput:
    case_id: strawberry.ID
    programme_code: str
    reason: str

    def to_command(self) -> commands.CreateReferral:
        return commands.CreateReferral(str(self.case_id), self.programme_code, self.reason)


@strawberry.input
class UpdateReferralStatusInput:
    id: strawberry.ID
    status: ReferralStatus
    reason: str | None = None
    partner_reference: str | None = None
    outcome: str | None = None

    def to_command(self) -> commands.UpdateReferralStatus:
        return commands.UpdateReferralStatus(str(self.id), self.status, self.reason, self.partner_reference,
                                             self.outcome)


@strawberry.input
class ProgrammeInput:
    code: str
    name: str
    sector: Sector
    level: ProgrammeLevel
    acknowledge_days: int | None = strawberry.field(
        default=None, description="days the partner has to accept or decline; default: the sector's target")
    completion_days: int | None = strawberry.field(
        default=None, description="days the partner has to complete; default: the sector's target")

    def to_command(self) -> commands.ProgrammeData:
        return commands.ProgrammeData(self.code, self.name, self.sector, self.level, self.acknowledge_days,
                                      self.completion_days)


@strawberry.input
class RegisterPartnerInput:
    name: str
    sectors: list[Sector]
    programmes: list[ProgrammeInput]
    webhook_url: str | None = strawberry.field(
        default=None, description="https URL the hub POSTs referrals to; leave out for a portal-only partner, "
                                  "whose staff work its referrals in the console's partner inbox")

    def to_command(self) -> commands.RegisterPartner:
        return commands.RegisterPartner(self.name, tuple(self.sectors), self.webhook_url,
                                        tuple(p.to_command() for p in self.programmes))


@strawberry.input
class ReferralFilter:
    status: list[ReferralStatus] | None = None
    programme_code: list[str] | None = None
    case_id: strawberry.ID | None = None
    delivery_state: list[DeliveryState] | None = None
