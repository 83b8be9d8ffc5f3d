"""Referral statuses and their transitions (SPEC section 5, after the FHIR SDOH referral Task)."""

from __future__ import annotations

from enum import Enum


class ReferralStatus(str, Enum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    REJECTED = "REJECTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


R = ReferralStatus

NEXT: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    R.REQUESTED: frozenset({R.ACCEPTED, R.REJECTED, R.CANCELLED}),
    R.ACCEPTED: frozenset({R.IN_PROGRESS, R.ON_HOLD, R.COMPLETED, R.FAILED, R.CANCELLED}),
    R.IN_PROGRESS: frozenset({R.ON_HOLD, R.COMPLETED, R.FAILED, R.CANCELLED}),
    R.ON_HOLD: frozenset({R.IN_PROGRESS, R.COMPLETED, R.FAILED, R.CANCELLED}),
    R.REJECTED: frozenset(),
    R.COMPLETED: frozenset(),
    R.FAILED: frozenset(),
    R.CANCELLED: frozenset(),
}

TERMINAL = frozenset(s for s, nxt in NEXT.items() if not nxt)
OPEN = frozenset(ReferralStatus) - TERMINAL
REASON_REQUIRED = frozenset({R.REJECTED, R.ON_HOLD, R.FAILED, R.CANCELLED})


def can_move(current: ReferralStatus, to: ReferralStatus) -> bool:
    return to in NEXT[current]
