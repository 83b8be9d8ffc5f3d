"""Why an access token is refused: a stable code for programs, a sentence for people.

The code goes in the 401 answer's ``extensions.reason`` and in the ``error_description`` of its
``WWW-Authenticate: Bearer`` challenge (RFC 6750); the sentence is the error's ``message`` and
says what to do about it. One table, so every refusal reads the same way and the codes are
listed in one place (the README's error section lists them too). Sentences are printable ASCII:
they also go into log lines and may be shown in a terminal.
"""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    TOKEN_MISSING = "token_missing"
    TOKEN_TOO_LARGE = "token_too_large"
    TOKEN_MALFORMED = "token_malformed"
    ALGORITHM_NOT_ACCEPTED = "algorithm_not_accepted"
    EMBEDDED_KEY = "embedded_key"
    NOT_AN_ACCESS_TOKEN = "not_an_access_token"
    ISSUER_KEYS_UNAVAILABLE = "issuer_keys_unavailable"
    UNKNOWN_SIGNING_KEY = "unknown_signing_key"
    BAD_SIGNATURE = "bad_signature"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_NOT_YET_VALID = "token_not_yet_valid"
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    CLAIM_MISSING = "claim_missing"
    CLAIM_INVALID = "claim_invalid"
    ROLE_MISSING = "role_missing"
    SEVERAL_ROLES = "several_roles"
    SCOPE_BEYOND_ROLE = "scope_beyond_role"
    AREA_MISSING = "area_missing"
    PARTNER_MISSING = "partner_missing"
    CLIENT_REVOKED = "client_revoked"
    PARTNER_DISABLED = "partner_disabled"
    TOKEN_INVALID = "token_invalid"


# How a caller gets a token that works, by where this hub's tokens come from.
BUILTIN_ISSUER = ("mint a new one from this hub (`slrt-hub token --role ROLE --area CODE`, "
                  "or POST /oauth/token for a client)")
EXTERNAL_ISSUER = "get a new one from the identity provider this hub trusts"

_SENTENCES: dict[Refusal, str] = {
    Refusal.TOKEN_MISSING: "This API needs an access token: send the header 'Authorization: Bearer <token>'; "
                           "to get one, {new_token}.",
    Refusal.TOKEN_TOO_LARGE: "The token is larger than {limit} bytes: send the access token alone, "
                             "without extra claims.",
    Refusal.TOKEN_MALFORMED: "The bearer token is not a signed JWT (three base64url parts joined by dots): "
                             "send the access token exactly as it was issued.",
    Refusal.ALGORITHM_NOT_ACCEPTED: "The token is signed with an algorithm this hub does not accept "
                                    "(only RS256 and ES256): {new_token}.",
    Refusal.EMBEDDED_KEY: "The token brings its own key (a jwk, jku, x5u or x5c header), which this hub "
                          "never trusts: {new_token}.",
    Refusal.NOT_AN_ACCESS_TOKEN: "The token is not an access token (its typ header must be at+jwt, RFC 9068): "
                                 "send the access token, not an ID token; with Keycloak turn on "
                                 "access.token.header.type.rfc9068 for the client.",
    Refusal.ISSUER_KEYS_UNAVAILABLE: "The identity provider's signing keys are unavailable right now, so no "
                                     "token can be checked: try again shortly, and check SLRT_OAUTH_JWKS_URL "
                                     "if it lasts.",
    Refusal.UNKNOWN_SIGNING_KEY: "The token was signed by a key this hub does not know: {new_token}, or check "
                                 "that the hub and the command that minted it use the same SLRT_DATA_DIR "
                                 "(or SLRT_OAUTH_JWKS_URL).",
    Refusal.BAD_SIGNATURE: "The token's signature does not match its content (it was changed after "
                           "signing, or signed by another key under the same key id): {new_token}.",
    Refusal.TOKEN_EXPIRED: "The token has expired: {new_token}.",
    Refusal.TOKEN_NOT_YET_VALID: "The token is not valid yet (its nbf or iat lies in the future): check the "
                                 "clock of the machine that issued it.",
    Refusal.WRONG_ISSUER: "The token was not issued by this hub's issuer ({expected}): {new_token}, or set "
                          "SLRT_OAUTH_ISSUER (or SLRT_PUBLIC_URL) to the issuer that minted it.",
    Refusal.WRONG_AUDIENCE: "The token is not meant for this hub: its aud claim must include {expected} "
                            "(SLRT_OAUTH_AUDIENCE).",
    Refusal.CLAIM_MISSING: "The token lacks its {claim} claim, which every access token here needs: "
                           "{new_token}.",
    Refusal.CLAIM_INVALID: "The token's {claim} claim has a value this hub cannot read: {new_token}.",
    Refusal.ROLE_MISSING: "The token carries no SLRT role in its {claim} claim: ask for a token with a role "
                          "such as FACILITATOR or SUPERVISOR.",
    Refusal.SEVERAL_ROLES: "The token carries several SLRT roles ({roles}) in its {claim} claim, and an account "
                           "has exactly one: ask the identity provider's administrator to keep one role.",
    Refusal.SCOPE_BEYOND_ROLE: "The token carries scope {scopes}, which the {role} role does not have (a token "
                               "may narrow its role's scopes, never widen them): ask for a token with the "
                               "role's scopes only.",
    Refusal.AREA_MISSING: "A {role} token must carry its area code in its {claim} claim: mint it with "
                          "--area CODE (a Kemendagri code such as 3275 or 327502).",
    Refusal.PARTNER_MISSING: "A PARTNER token must carry its partner id in its {claim} claim: ask the hub's "
                             "ADMIN for the partner id registerPartner returned.",
    Refusal.CLIENT_REVOKED: "The client this token was issued to has been revoked, and its tokens are refused "
                            "from now on: ask the hub's ADMIN for a new client.",
    Refusal.PARTNER_DISABLED: "The partner this token acts for has been disabled by an administrator: ask the "
                              "hub's ADMIN to enable it again (enablePartner).",
    Refusal.TOKEN_INVALID: "The token could not be validated: {new_token}.",
}


def sentence(reason: Refusal, new_token: str = BUILTIN_ISSUER, **details: object) -> str:
    """The message for `reason`; `details` fill its blanks (claim names, expected values)."""
    return _SENTENCES[reason].format(new_token=new_token, **details)
