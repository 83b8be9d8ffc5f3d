"""A Dinas endpoint's delivery health, as the people who follow referrals need it.

The partner's configuration (URL, OAuth client, failure details) stays with administrators
and the partner itself (``sees_partner_configuration``); the back office and supervisors,
who chase stuck referrals, see only whether the endpoint works: healthy, failing since when,
disabled, or portal-only (no endpoint: its referrals wait in the console's inbox).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from auth.principal import Actor
from auth.roles import Role, Scope

FOLLOWERS = frozenset({Role.BACK_OFFICE, Role.SUPERVISOR})


class EndpointState(str, Enum):
    HEALTHY = "HEALTHY"
    FAILING = "FAILING"
    DISABLED = "DISABLED"
    PORTAL_ONLY = "PORTAL_ONLY"


def endpoint_state(webhook_url: str | None, active: bool, failing_since: datetime | None) -> EndpointState:
    if webhook_url is None:
        return EndpointState.PORTAL_ONLY
    if not active:
        return EndpointState.DISABLED
    return EndpointState.FAILING if failing_since is not None else EndpointState.HEALTHY


def sees_endpoint_health(actor: Actor, partner_id: str) -> bool:
    if actor.has(Scope.ADMIN) or actor.role in FOLLOWERS:
        return True
    return actor.role is Role.PARTNER and actor.has(Scope.REFERRAL_UPDATE) and actor.partner_id == partner_id
