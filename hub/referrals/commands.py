"""What callers ask of the referral and partner services, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

from hub.referrals.status import ReferralStatus
from hub.vocabulary import ProgrammeLevel, Sector


@dataclass(frozen=True, slots=True)
class CreateReferral:
    case_id: str
    programme_code: str
    reason: str


@dataclass(frozen=True, slots=True)
class UpdateReferralStatus:
    referral_id: str
    status: ReferralStatus
    reason: str | None = None
    partner_reference: str | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeData:
    code: str
    name: str
    sector: Sector
    level: ProgrammeLevel
    acknowledge_days: int | None = None  # None: the sector's target (hub/referrals/targets.py)
    completion_days: int | None = None


@dataclass(frozen=True, slots=True)
class RegisterPartner:
    name: str
    sectors: tuple[Sector, ...]
    webhook_url: str | None  # None: portal-only, referrals wait in the partner inbox
    programmes: tuple[ProgrammeData, ...]
