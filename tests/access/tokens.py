"""Hand-made tokens for the refusal tests: every header and claim under the test's control."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def good_claims(issuer: str, audience: str, **over: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {"iss": issuer, "aud": audience, "sub": "fasilitator-1", "iat": now, "nbf": now,
                              "exp": now + 300, "scope": "case:read case:write", "role": "FACILITATOR",
                              "area": "3275021005", "client_id": "field-app"}
    claims.update(over)
    return {k: v for k, v in claims.items() if v is not None}


def sign(key: RSAKey | ECKey, claims: dict[str, Any], **header: Any) -> str:
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    full = {"alg": alg, "kid": key.kid, "typ": "at+jwt", **header}
    return jwt.encode({k: v for k, v in full.items() if v is not None}, claims, key)


def unsigned(claims: dict[str, Any], kid: str | None) -> str:
    header = {"alg": "none", "typ": "at+jwt", "kid": kid}
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."


def hs256_with_public_key(public_pem: bytes, claims: dict[str, Any], kid: str | None) -> str:
    """The classic confusion attack: the RSA public key used as an HMAC secret."""
    # Made by hand: JOSE libraries (rightly) refuse to use a public key as an HMAC secret.
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'at+jwt', 'kid': kid}).encode())}." \
                    f"{b64(json.dumps(claims).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def tamper(token: str, **changes: Any) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{head}.{b64(json.dumps(claims).encode())}.{signature}"
