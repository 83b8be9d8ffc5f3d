"""What the statistics answer (SPEC section 9), whichever way they are computed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hub.cases.status import CaseStatus

RESOLVED = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


@dataclass(frozen=True, slots=True)
class Period:
    area_code: str | None = None
    start: date | None = None  # inclusive, local calendar day
    end: date | None = None  # inclusive


@dataclass(slots=True)
class Statistics:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_sector: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    median_days_submission_to_referral: float | None = None
    median_days_referral_to_completion: float | None = None
    referrals_by_partner: dict[tuple[str, str], int] = field(default_factory=dict)  # (partner name, status)
    sla_breaches_by_sector: dict[str, int] = field(default_factory=dict)
    sla_breached_cases: int = 0

    @property
    def share_resolved(self) -> float | None:
        """Resolved or closed cases over all cases recorded in the period."""
        return self.resolved / self.total if self.total else None


def key_of(value: object) -> str:
    return str(getattr(value, "value", value))


def rounded(value: object) -> float | None:
    return round(float(value), 3) if value is not None else None  # type: ignore[arg-type]
