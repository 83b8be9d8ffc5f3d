"""Access-token validation: signature, header, registered claims, then the caller's identity.

Refuses what RFC 8725 warns about: ``alg: none`` and symmetric algorithms (only RS256 and
ES256 are accepted), keys the token brings itself (``jwk``, ``jku``, ``x5u``, ``x5c``),
unknown ``kid``s, tokens that are not access tokens (``typ`` other than ``at+jwt``), and
oversized tokens, which are refused before any parsing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from auth.jwks import JwksUnavailable
from auth.principal import Actor
from auth.roles import AREA_LENGTHS, DEFAULT_SCOPES, Role, parse_scopes

MAX_TOKEN_BYTES = 8192
ALGORITHMS = ["RS256", "ES256"]
ACCESS_TOKEN_TYPES = {"at+jwt", "application/at+jwt"}
FORBIDDEN_HEADERS = {"jwk", "jku", "x5u", "x5c"}
LEEWAY_SECONDS = 60

KeySource = Callable[[str | None], Awaitable[KeySet]]


class InvalidToken(Exception):
    """The token is not acceptable; the message is safe to show (no token content)."""


@dataclass(frozen=True, slots=True)
class ClaimNames:
    roles: str = "role"
    area: str = "area"
    partner: str = "partner_id"


def _claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by dotted path, e.g. ``realm_access.roles`` in Keycloak tokens."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class TokenVerifier:
    def __init__(self, keys: KeySource, issuer: str, audience: str, names: ClaimNames = ClaimNames()) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._names = names

    async def verify(self, token: str) -> Actor:
        if len(token) > MAX_TOKEN_BYTES:
            raise InvalidToken("token too large")
        try:
            header = jws.extract_compact(token.encode()).headers()
        except (JoseError, ValueError, UnicodeError) as exc:
            raise InvalidToken("malformed token") from exc
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken("signing algorithm not accepted")
        if FORBIDDEN_HEADERS & header.keys():
            raise InvalidToken("embedded keys are not accepted")
        if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
            raise InvalidToken("not an access token (typ must be at+jwt)")
        try:
            keyset = await self._keys(header.get("kid"))
        except JwksUnavailable as exc:
            raise InvalidToken("the token issuer's keys are unavailable") from exc
        try:
            decoded = jwt.decode(token, keyset, algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self._issuer},
                aud={"essential": True, "value": self._audience},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise InvalidToken(getattr(exc, "error", None) or "invalid token") from exc
        return self._actor(decoded.claims)

    def _actor(self, claims: dict[str, Any]) -> Actor:
        role = self._role(_claim(claims, self._names.roles))
        scopes = parse_scopes(claims.get("scope"))
        if not scopes:
            # Identity providers put OIDC scopes ("openid profile") in `scope`; the role decides.
            scopes = DEFAULT_SCOPES[role]
        area = _claim(claims, self._names.area)
        if isinstance(area, list):  # Keycloak user attributes may arrive as lists
            area = area[0] if area else None
        area = str(area).replace(".", "") if area else None
        lengths = AREA_LENGTHS[role]
        if lengths is not None and (area is None or len(area) not in lengths or not area.isdigit()):
            raise InvalidToken(f"a {role.value} token must carry its area")
        partner = _claim(claims, self._names.partner)
        if role is Role.PARTNER and not partner:
            raise InvalidToken("a partner token must carry its partner id")
        return Actor(subject=str(claims["sub"]), role=role, scopes=scopes, area=area,
                     partner_id=str(partner) if partner else None,
                     client_id=str(claims.get("client_id") or claims.get("azp") or "") or None)

    @staticmethod
    def _role(value: Any) -> Role:
        candidates = value if isinstance(value, list) else [value]
        for item in candidates:
            try:
                return Role(str(item).upper())
            except ValueError:
                continue
        raise InvalidToken("token carries no SLRT role")
