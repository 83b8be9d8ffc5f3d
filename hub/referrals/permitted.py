"""Which statuses a caller may set on a referral now (the console shows a button for each)."""

from __future__ import annotations

from auth.principal import Actor
from auth.roles import Role, Scope
from hub.referrals.status import NEXT, ReferralStatus


def allowed_referral_statuses(actor: Actor, status: ReferralStatus, partner_id: str) -> list[ReferralStatus]:
    """The statuses ``actor`` may set on a referral now: its partner any next status of the
    table (``updateReferralStatus``), the back office CANCELLED (``cancelReferral``)."""
    nxt = NEXT[status]
    if actor.role is Role.PARTNER:
        if not actor.partner_id or actor.partner_id != partner_id or not actor.has(Scope.REFERRAL_UPDATE):
            return []
        return [s for s in ReferralStatus if s in nxt]
    if actor.has(Scope.REFERRAL_WRITE) and ReferralStatus.CANCELLED in nxt:
        return [ReferralStatus.CANCELLED]
    return []
