"""The built-in issuer: RFC 9068 access tokens (``typ: at+jwt``) signed RS256."""

from __future__ import annotations

import time
import uuid

from joserfc import jwt

from auth.keys import KeyStore
from auth.roles import DEFAULT_SCOPES, Role, Scope


class TokenIssuer:
    def __init__(self, keys: KeyStore, issuer: str, audience: str, lifetime: int = 900) -> None:
        self._keys = keys
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime

    def issue(self, *, subject: str, role: Role, area: str | None = None, scopes: frozenset[Scope] | None = None,
              partner_id: str | None = None, client_id: str | None = None, lifetime: int | None = None) -> str:
        now = int(time.time())
        granted = DEFAULT_SCOPES[role] if scopes is None else scopes
        claims: dict[str, object] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "client_id": client_id or subject,
            "iat": now,
            "nbf": now,
            "exp": now + (lifetime or self.lifetime),
            "jti": uuid.uuid4().hex,
            "scope": " ".join(sorted(s.value for s in granted)),
            "role": role.value,
        }
        if area:
            claims["area"] = area
        if partner_id:
            claims["partner_id"] = partner_id
        key = self._keys.signing_key()
        header = {"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}
        return jwt.encode(header, claims, key)
