"""The authenticated caller, as every layer below the HTTP edge sees it."""

from __future__ import annotations

from dataclasses import dataclass

from auth.roles import Role, Scope


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is calling: subject, role, scopes, and the area (or partner) it is bound to.

    ``area`` is a Kemendagri code without dots; None means the caller is not bound to an
    area (AUDITOR, ADMIN, service clients). ``valid_until`` (epoch seconds) is when the
    hub stops accepting the token: its ``exp`` plus the verifier's leeway.
    """

    subject: str
    role: Role
    scopes: frozenset[Scope]
    area: str | None = None
    partner_id: str | None = None
    client_id: str | None = None
    valid_until: float | None = None

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    def covers_area(self, code: str) -> bool:
        """The area rule: a caller sees only codes under its own area."""
        return self.area is None or code.startswith(self.area)
