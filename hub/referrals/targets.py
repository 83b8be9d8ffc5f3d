"""How long a partner has to acknowledge and to complete a referral (SLRT must not forget one).

Each sector has an acknowledgement and a completion target in days
(``SLRT_REFERRAL_ACKNOWLEDGE_DAYS``, ``SLRT_REFERRAL_COMPLETION_DAYS``); a programme may
override either (``ProgrammeInput.acknowledgeDays`` / ``completionDays``). Targets are
counted from the referral's creation and read when checked, so a changed setting applies
to open referrals too.

- acknowledgement is met when the referral leaves REQUESTED (accepted, rejected or cancelled);
- completion is met when the referral ends (any terminal status).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from hub.referrals.models import Programme
from hub.referrals.status import OPEN, ReferralStatus


class EscalationTarget(str, Enum):
    ACKNOWLEDGEMENT = "ACKNOWLEDGEMENT"
    COMPLETION = "COMPLETION"


# The statuses in which a target is still unmet.
UNMET_IN: dict[EscalationTarget, frozenset[ReferralStatus]] = {
    EscalationTarget.ACKNOWLEDGEMENT: frozenset({ReferralStatus.REQUESTED}),
    EscalationTarget.COMPLETION: OPEN,
}

FALLBACK_SECTOR = "OTHER"


@dataclass(frozen=True, slots=True)
class Targets:
    """Days per sector for each target; a programme's own value wins over its sector's."""

    acknowledge_days: Mapping[str, float]
    completion_days: Mapping[str, float]

    def days(self, programme: Programme, target: EscalationTarget) -> float:
        own = programme.acknowledge_days if target is EscalationTarget.ACKNOWLEDGEMENT else programme.completion_days
        return self.days_for(programme.sector.value, own, target)

    def days_for(self, sector: str, own: int | None, target: EscalationTarget) -> float:
        if own is not None:
            return float(own)
        table = self.acknowledge_days if target is EscalationTarget.ACKNOWLEDGEMENT else self.completion_days
        return float(table.get(sector, table.get(FALLBACK_SECTOR, 30)))

    def due(self, programme: Programme, target: EscalationTarget, created_at: datetime) -> datetime:
        return created_at + timedelta(days=self.days(programme, target))
