"""The demo's "masuk sebagai" (sign in as): ready tokens for the demo staff, for the console.

This exists only in ``slrt-hub demo``: ``create_app(..., console_demo=True)`` is called by the
demo command alone, and refuses unless debug is on, the environment is development and the
hub's own issuer signs the tokens (no external identity provider). ``slrt-hub serve`` never
mounts these routes, whatever its settings. See docs/security/console.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from auth.issuer import TokenIssuer
from auth.roles import DEFAULT_SCOPES, Role, Scope
from hub.areas.directory import AreaDirectory
from hub.demo.portal import PORTAL_AGENCY
from hub.referrals.queries import ReferralReader
from hub.settings import Settings

DEMO_SIGN_IN_LIFETIME = 3600


class DemoSignInRefused(RuntimeError):
    """The demo sign-in was asked for where it must not exist."""


@dataclass(frozen=True, slots=True)
class DemoAccount:
    id: str
    role: Role
    area: str | None
    subject: str
    scopes: frozenset[Scope] | None = None  # None: the role's defaults
    partner_name: str | None = None  # a PARTNER user acts for this demo agency


# The subjects are those the demo data was recorded under, so the demo's own drafts are "yours".
ACCOUNTS = (
    DemoAccount("fasilitator-jakasampurna", Role.FACILITATOR, "3275021005", "fasilitator-3275021005"),
    DemoAccount("puskesos-jakasampurna", Role.PUSKESOS_OPERATOR, "3275021005", "puskesos-3275021005"),
    DemoAccount("fasilitator-margahayu", Role.FACILITATOR, "3275011002", "fasilitator-3275011002"),
    DemoAccount("supervisor-bekasi-barat", Role.SUPERVISOR, "327502", "supervisor-327502"),
    DemoAccount("front-office", Role.FRONT_OFFICE, "3275", "front-office-3275"),
    DemoAccount("back-office", Role.BACK_OFFICE, "3275", "back-office-3275"),
    # A PARTNER token holds its role's scopes at most (referral:update): no pii:read, so the
    # officer sees the subjects' numbers masked (auth/roles.py, scopes_beyond).
    DemoAccount("dinas-koperasi", Role.PARTNER, None, "petugas-dinkop", None, PORTAL_AGENCY.name),
    DemoAccount("auditor", Role.AUDITOR, None, "auditor"),
    DemoAccount("admin", Role.ADMIN, None, "admin"),
)


def check_allowed(settings: Settings) -> None:
    """Refuse the demo sign-in anywhere but a debug, development hub that issues its own tokens."""
    if not settings.debug or settings.environment != "development" or settings.oauth_jwks_url:
        raise DemoSignInRefused("the console's demo sign-in needs SLRT_DEBUG=true, SLRT_ENVIRONMENT=development "
                                "and the built-in issuer (it exists only in `slrt-hub demo`)")


def demo_routes(settings: Settings, hub: Callable[[], tuple[TokenIssuer, AreaDirectory, ReferralReader]]
                ) -> list[BaseRoute]:
    check_allowed(settings)
    by_id = {a.id: a for a in ACCOUNTS}

    async def accounts(_: Request) -> Response:
        _, areas, reader = hub()
        partners = {p.name: p for p in await reader.partners()}
        out = []
        for a in ACCOUNTS:
            area = areas.get(a.area) if a.area else None
            scopes = a.scopes if a.scopes is not None else DEFAULT_SCOPES[a.role]
            out.append({"id": a.id, "role": a.role.value, "areaCode": a.area, "areaName": area.name if area else None,
                        "partner": a.partner_name if a.partner_name in partners else None,
                        "scopes": sorted(s.value for s in scopes)})
        return JSONResponse(out, headers={"cache-control": "no-store"})

    async def token(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"error": "send JSON"}, status_code=415)
        try:
            account = by_id[str((await request.json())["account"])]
        except (KeyError, ValueError, TypeError):
            return JSONResponse({"error": "unknown demo account"}, status_code=400)
        issuer, _, reader = hub()
        partner_id = None
        if account.partner_name is not None:
            partner_id = next((p.id for p in await reader.partners() if p.name == account.partner_name), None)
            if partner_id is None:
                return JSONResponse({"error": "the demo agency is not registered"}, status_code=409)
        issued = issuer.issue(subject=account.subject, role=account.role, area=account.area, scopes=account.scopes,
                              partner_id=partner_id, client_id="slrt-console-demo", lifetime=DEMO_SIGN_IN_LIFETIME)
        return JSONResponse({"accessToken": issued, "expiresIn": DEMO_SIGN_IN_LIFETIME},
                            headers={"cache-control": "no-store"})

    return [Route("/console/demo/accounts", accounts), Route("/console/demo/token", token, methods=["POST"])]
