"""What a production deployment refuses to start with, each named by its variable.

Development defaults make the demo one command; the same defaults in production would
expose a debugger, sign tokens with a key nobody provisioned, send referrals (with NIKs)
over plain http, or keep the case register in a file. Two of them have an explicit
escape hatch for deployments that choose them knowingly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.settings import Settings


def production_problems(s: Settings) -> list[str]:
    if s.environment != "production":
        return []
    problems = []
    if s.debug:
        problems.append("SLRT_DEBUG is on (GraphiQL, introspection, field suggestions); set SLRT_DEBUG=false")
    if not s.oauth_jwks_url and not s.allow_builtin_signing_key:
        problems.append("SLRT_OAUTH_JWKS_URL is empty, so the built-in issuer would sign tokens with its "
                        "development key; point SLRT_OAUTH_ISSUER/SLRT_OAUTH_JWKS_URL at your identity provider "
                        "or set SLRT_ALLOW_BUILTIN_SIGNING_KEY=true")
    if s.allow_private_webhooks:
        problems.append("SLRT_ALLOW_PRIVATE_WEBHOOKS is on (plain-http and private-address partner URLs); "
                        "set SLRT_ALLOW_PRIVATE_WEBHOOKS=false")
    if s.database_url.startswith("sqlite") and not s.allow_sqlite_in_production:
        problems.append("SLRT_DATABASE_URL is SQLite; use postgresql+asyncpg://… "
                        "or set SLRT_ALLOW_SQLITE_IN_PRODUCTION=true")
    return problems
