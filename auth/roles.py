"""Roles and the scopes they hold by default (SPEC section 6)."""

from __future__ import annotations

from enum import Enum


class Scope(str, Enum):
    CASE_READ = "case:read"
    CASE_WRITE = "case:write"
    CASE_APPROVE = "case:approve"
    CASE_REVIEW = "case:review"
    REFERRAL_WRITE = "referral:write"
    REFERRAL_UPDATE = "referral:update"
    PII_READ = "pii:read"
    STATS_READ = "stats:read"
    AUDIT_READ = "audit:read"
    ADMIN = "admin"


class Role(str, Enum):
    FACILITATOR = "FACILITATOR"
    PUSKESOS_OPERATOR = "PUSKESOS_OPERATOR"
    SUPERVISOR = "SUPERVISOR"
    FRONT_OFFICE = "FRONT_OFFICE"
    BACK_OFFICE = "BACK_OFFICE"
    PARTNER = "PARTNER"
    AUDITOR = "AUDITOR"
    ADMIN = "ADMIN"


S = Scope
DEFAULT_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.FACILITATOR: frozenset({S.CASE_READ, S.CASE_WRITE}),
    Role.PUSKESOS_OPERATOR: frozenset({S.CASE_READ, S.CASE_WRITE}),
    Role.SUPERVISOR: frozenset({S.CASE_READ, S.CASE_APPROVE, S.STATS_READ}),
    Role.FRONT_OFFICE: frozenset({S.CASE_READ, S.CASE_WRITE, S.CASE_REVIEW, S.PII_READ, S.STATS_READ}),
    Role.BACK_OFFICE: frozenset({S.CASE_READ, S.REFERRAL_WRITE, S.PII_READ, S.STATS_READ}),
    Role.PARTNER: frozenset({S.REFERRAL_UPDATE}),
    Role.AUDITOR: frozenset({S.CASE_READ, S.AUDIT_READ, S.STATS_READ}),
    Role.ADMIN: frozenset({S.ADMIN, S.STATS_READ}),
}



def scopes_beyond(role: Role, scopes: frozenset[Scope]) -> frozenset[Scope]:
    """Scopes a token or client of ``role`` may not carry: a role's default scopes are also
    its most. A token or client may narrow them, never widen them (a PARTNER, bound to no
    area, holding case:read would read every area)."""
    return scopes - DEFAULT_SCOPES[role]


# The area a role's token must name: villages for field staff, a district or the regency
# for supervisors, the regency for the secretariat; None means any area (or none).
AREA_LENGTHS: dict[Role, frozenset[int] | None] = {
    Role.FACILITATOR: frozenset({10}),
    Role.PUSKESOS_OPERATOR: frozenset({10}),
    Role.SUPERVISOR: frozenset({6, 4}),
    Role.FRONT_OFFICE: frozenset({4}),
    Role.BACK_OFFICE: frozenset({4}),
    Role.PARTNER: None,
    Role.AUDITOR: None,
    Role.ADMIN: None,
}


def parse_scopes(value: str | list[str] | None) -> frozenset[Scope]:
    """Known scopes of a space-separated ``scope`` claim; unknown ones are ignored."""
    if value is None:
        return frozenset()
    items = value.split() if isinstance(value, str) else value
    known = {s.value: s for s in Scope}
    return frozenset(known[i] for i in items if i in known)
