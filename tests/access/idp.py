"""A stand-in identity provider: a real aiohttp server on 127.0.0.1 serving a JWKS, and
tokens shaped like Keycloak's (``realm_access.roles``, an ``area`` user-attribute claim)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from aiohttp import web
from joserfc import jwt
from joserfc.jwk import RSAKey

REALM = "/realms/slrt"


class LocalIdp:
    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig", "alg": "RS256"})]
        self.jwks_hits = 0
        self._runner: web.AppRunner | None = None
        self.base = ""

    @property
    def issuer(self) -> str:
        return self.base + REALM

    @property
    def jwks_url(self) -> str:
        return self.issuer + "/protocol/openid-connect/certs"

    def rotate(self) -> None:
        self.keys.append(RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig",
                                                                "alg": "RS256"}))

    async def _certs(self, _: web.Request) -> web.Response:
        self.jwks_hits += 1
        return web.json_response({"keys": [k.as_dict(private=False) for k in self.keys]})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get(REALM + "/protocol/openid-connect/certs", self._certs)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def token(self, *, roles: list[str], area: str | None = None, sub: str = "f:1234:budi", aud: str = "slrt-hub",
              key: RSAKey | None = None, typ: str = "at+jwt", **extra: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "exp": now + 300, "iat": now, "nbf": now, "jti": uuid.uuid4().hex, "iss": self.issuer, "aud": aud,
            "sub": sub, "typ": "Bearer", "azp": "slrt-field-app", "scope": "openid profile email",
            "realm_access": {"roles": ["offline_access", "uma_authorization", *roles]},
            "preferred_username": "budi", **extra}
        if area is not None:
            claims["area"] = area
        signer = key or self.keys[-1]
        return jwt.encode({"alg": "RS256", "typ": typ, "kid": signer.kid}, claims, signer)
