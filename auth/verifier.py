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
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    DecodeError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from auth.jwks import JwksUnavailable
from auth.principal import Actor
from auth.refusals import BUILTIN_ISSUER, Refusal, sentence
from auth.roles import AREA_LENGTHS, DEFAULT_SCOPES, Role, parse_scopes, scopes_beyond

MAX_TOKEN_BYTES = 8192
ALGORITHMS = ["RS256", "ES256"]
ACCESS_TOKEN_TYPES = {"at+jwt", "application/at+jwt"}
FORBIDDEN_HEADERS = {"jwk", "jku", "x5u", "x5c"}
LEEWAY_SECONDS = 60

KeySource = Callable[[str | None], Awaitable[KeySet]]
# Whether a token that passed every check was revoked since it was issued (hub/access/revocations.py).
RevocationCheck = Callable[[Actor], Awaitable[Refusal | None]]


class InvalidToken(Exception):
    """The token is not acceptable: `reason` is a stable code, the message a sentence saying
    what to do. Both are safe to show (no token content)."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


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
    def __init__(self, keys: KeySource, issuer: str, audience: str, names: ClaimNames = ClaimNames(),
                 new_token: str = BUILTIN_ISSUER, revocations: RevocationCheck | None = None) -> None:
        self._keys = keys
        self._revocations = revocations
        self._issuer = issuer
        self._audience = audience
        self._names = names
        self._new_token = new_token  # how a refused caller gets a good token, for the messages

    def refuse(self, reason: Refusal, **details: object) -> InvalidToken:
        return InvalidToken(reason, sentence(reason, self._new_token, **details))

    async def verify(self, token: str) -> Actor:
        if len(token) > MAX_TOKEN_BYTES:
            raise self.refuse(Refusal.TOKEN_TOO_LARGE, limit=MAX_TOKEN_BYTES)
        try:
            header = jws.extract_compact(token.encode()).headers()
        except (JoseError, ValueError, UnicodeError) as exc:
            raise self.refuse(Refusal.TOKEN_MALFORMED) from exc
        if header.get("alg") not in ALGORITHMS:
            raise self.refuse(Refusal.ALGORITHM_NOT_ACCEPTED)
        if FORBIDDEN_HEADERS & header.keys():
            raise self.refuse(Refusal.EMBEDDED_KEY)
        if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
            raise self.refuse(Refusal.NOT_AN_ACCESS_TOKEN)
        try:
            keyset = await self._keys(header.get("kid"))
        except JwksUnavailable as exc:
            raise self.refuse(Refusal.ISSUER_KEYS_UNAVAILABLE) from exc
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
            raise self._refusal_for(exc) from exc
        actor = self._actor(decoded.claims)
        if self._revocations is not None and (revoked := await self._revocations(actor)) is not None:
            raise self.refuse(revoked)
        return actor

    def _refusal_for(self, exc: Exception) -> InvalidToken:
        """joserfc's error, as a refusal a developer can act on."""
        if isinstance(exc, InvalidKeyIdError):
            return self.refuse(Refusal.UNKNOWN_SIGNING_KEY)
        if isinstance(exc, BadSignatureError):
            return self.refuse(Refusal.BAD_SIGNATURE)
        if isinstance(exc, ExpiredTokenError):
            return self.refuse(Refusal.TOKEN_EXPIRED)
        if isinstance(exc, MissingClaimError):
            return self.refuse(Refusal.CLAIM_MISSING, claim=exc.claim)
        if isinstance(exc, InvalidClaimError) and exc.claim in ("nbf", "iat") and "must be" not in str(exc):
            return self.refuse(Refusal.TOKEN_NOT_YET_VALID)
        if isinstance(exc, InvalidClaimError) and exc.claim == "iss":
            return self.refuse(Refusal.WRONG_ISSUER, expected=self._issuer)
        if isinstance(exc, InvalidClaimError) and exc.claim == "aud":
            return self.refuse(Refusal.WRONG_AUDIENCE, expected=self._audience)
        if isinstance(exc, ClaimError):
            return self.refuse(Refusal.CLAIM_INVALID, claim=exc.claim)
        if isinstance(exc, DecodeError | ValueError):
            return self.refuse(Refusal.TOKEN_MALFORMED)
        return self.refuse(Refusal.TOKEN_INVALID)

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
            raise self.refuse(Refusal.AREA_MISSING, role=role.value, claim=self._names.area)
        partner = _claim(claims, self._names.partner)
        if role is Role.PARTNER and not partner:
            raise self.refuse(Refusal.PARTNER_MISSING, claim=self._names.partner)
        if beyond := scopes_beyond(role, scopes):
            raise self.refuse(Refusal.SCOPE_BEYOND_ROLE, scopes=" ".join(sorted(s.value for s in beyond)),
                              role=role.value)
        return Actor(subject=str(claims["sub"]), role=role, scopes=scopes, area=area,
                     partner_id=str(partner) if partner else None,
                     client_id=str(claims.get("client_id") or claims.get("azp") or "") or None,
                     valid_until=float(claims["exp"]) + LEEWAY_SECONDS)

    def _role(self, value: Any) -> Role:
        candidates = value if isinstance(value, list) else [value]
        known = {r.value: r for r in Role}
        # Other roles an identity provider adds (offline_access, uma_authorization) are ignored.
        roles = sorted({known[str(item).upper()] for item in candidates if str(item).upper() in known},
                       key=lambda r: r.value)
        if not roles:
            raise self.refuse(Refusal.ROLE_MISSING, claim=self._names.roles)
        if len(roles) > 1:
            # No order of roles is safe to pick by (SUPERVISOR and PARTNER: which area rule?).
            raise self.refuse(Refusal.SEVERAL_ROLES, roles=", ".join(r.value for r in roles),
                              claim=self._names.roles)
        return roles[0]
