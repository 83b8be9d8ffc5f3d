from __future__ import annotations

import strawberry

from hub.statistics.service import Statistics


@strawberry.type(description="how many cases (or referrals) fall under one key")
class Count:
    key: str
    count: int


@strawberry.type
class PartnerReferralCount:
    partner: str
    status: str
    count: int


@strawberry.type(description="Monitoring and evaluation of an area and period (cases recorded in the period)")
class CaseStatistics:
    area_code: strawberry.ID | None
    total: int
    by_status: list[Count]
    by_channel: list[Count]
    by_sector: list[Count]
    by_village: list[Count]
    resolved: int = strawberry.field(description="cases RESOLVED or CLOSED")
    share_resolved: float | None = strawberry.field(description="resolved / total")
    median_days_submission_to_referral: float | None
    median_days_referral_to_completion: float | None
    referrals_by_partner: list[PartnerReferralCount]
    sla_breaches: list[Count] = strawberry.field(
        description="per sector: cases that took, or have so far taken, longer than the sector's target")
    sla_breached_cases: int

    @classmethod
    def from_domain(cls, area: str | None, s: Statistics) -> CaseStatistics:
        def counts(d: dict[str, int]) -> list[Count]:
            return [Count(key=k, count=v) for k, v in sorted(d.items())]

        return cls(area_code=strawberry.ID(area) if area else None, total=s.total, by_status=counts(s.by_status),
                   by_channel=counts(s.by_channel), by_sector=counts(s.by_sector), by_village=counts(s.by_village),
                   resolved=s.resolved, share_resolved=s.share_resolved,
                   median_days_submission_to_referral=s.median_days_submission_to_referral,
                   median_days_referral_to_completion=s.median_days_referral_to_completion,
                   referrals_by_partner=[PartnerReferralCount(partner=p, status=st, count=n)
                                         for (p, st), n in sorted(s.referrals_by_partner.items())],
                   sla_breaches=counts(s.sla_breaches_by_sector), sla_breached_cases=s.sla_breached_cases)
