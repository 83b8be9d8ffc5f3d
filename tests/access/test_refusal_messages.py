"""Every 401 speaks one way: a sentence saying what to do as the message, a stable code as
``extensions.reason`` and as the ``WWW-Authenticate`` challenge's ``error_description``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from auth.refusals import Refusal
from tests.access.helpers import WHO
from tests.access.tokens import good_claims, sign, tamper, unsigned

Make = Callable[[RSAKey, Callable[..., dict[str, Any]]], str]

REFUSALS: list[tuple[Refusal, Make, str]] = [
    # the refusal, a token that earns it, and a word the sentence must use to say what to do
    (Refusal.TOKEN_TOO_LARGE, lambda k, c: sign(k, c(note="x" * 9000)), "alone"),
    (Refusal.TOKEN_MALFORMED, lambda k, c: "not-a-jwt", "exactly as it was issued"),
    (Refusal.ALGORITHM_NOT_ACCEPTED, lambda k, c: unsigned(c(), k.kid), "RS256"),
    (Refusal.EMBEDDED_KEY, lambda k, c: sign(k, c(), jku="https://attacker.example/jwks.json"), "never trusts"),
    (Refusal.NOT_AN_ACCESS_TOKEN, lambda k, c: sign(k, c(), typ="JWT"), "at+jwt"),
    (Refusal.UNKNOWN_SIGNING_KEY, lambda k, c: sign(RSAKey.generate_key(2048, parameters={"kid": "not-ours"}), c()),
     "SLRT_DATA_DIR"),
    (Refusal.BAD_SIGNATURE, lambda k, c: tamper(sign(k, c()), area="3275"), "slrt-hub token"),
    (Refusal.TOKEN_EXPIRED, lambda k, c: sign(k, c(exp=int(time.time()) - 120)), "slrt-hub token"),
    (Refusal.TOKEN_NOT_YET_VALID, lambda k, c: sign(k, c(nbf=int(time.time()) + 600)), "clock"),
    (Refusal.WRONG_ISSUER, lambda k, c: sign(k, c(iss="https://elsewhere.example")), "http://hub.test"),
    (Refusal.WRONG_AUDIENCE, lambda k, c: sign(k, c(aud="another-api")), "slrt-hub"),
    (Refusal.CLAIM_MISSING, lambda k, c: sign(k, c(sub=None)), "sub"),
    (Refusal.ROLE_MISSING, lambda k, c: sign(k, c(role="MAYOR")), "role"),
    (Refusal.AREA_MISSING, lambda k, c: sign(k, c(area=None)), "--area"),
    (Refusal.PARTNER_MISSING, lambda k, c: sign(k, c(role="PARTNER", area=None)), "partner id"),
    (Refusal.SEVERAL_ROLES, lambda k, c: sign(k, c(role=["SUPERVISOR", "AUDITOR"], area="327502")), "one role"),
    (Refusal.SCOPE_BEYOND_ROLE, lambda k, c: sign(k, c(scope="case:read case:write pii:read")), "scopes only"),
]
RAW_CODES = re.compile(r"\b(bad_signature|invalid_key_id|expired_token|invalid_claim|missing_claim|decode_error)\b")


def _is_a_sentence(message: str) -> bool:
    return message[:1].isupper() and message.endswith(".") and " " in message and message.isascii()


@pytest.mark.parametrize(("reason", "make", "advice"), REFUSALS, ids=[r.value for r, _, _ in REFUSALS])
async def test_each_refusal_has_its_code_and_a_sentence_saying_what_to_do(client, hub, settings, reason, make,
                                                                          advice) -> None:  # type: ignore[no-untyped-def]
    key = hub.keys.signing_key()
    token = make(key, lambda **over: good_claims(settings.issuer, settings.oauth_audience, **over))
    response = await client.post("/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason.value}
    assert _is_a_sentence(error["message"]) and advice in error["message"], error["message"]
    assert not RAW_CODES.search(error["message"]) and reason.value not in error["message"]
    assert response.headers["www-authenticate"] == (
        f'Bearer realm="slrt-hub", error="invalid_token", error_description="{reason.value}"')


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Basic dXNlcjpwdw=="])
async def test_no_token_gets_a_bare_challenge_and_says_how_to_send_one(client, authorization) -> None:  # type: ignore[no-untyped-def]
    headers = {"authorization": authorization} if authorization else {}
    response = await client.post("/graphql", json={"query": WHO}, headers=headers)
    assert response.status_code == 401
    # RFC 6750 3.1: a request without credentials gets no error code in the challenge
    assert response.headers["www-authenticate"] == 'Bearer realm="slrt-hub"'
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "token_missing"}
    assert _is_a_sentence(error["message"]) and "Authorization: Bearer" in error["message"]


def test_every_refusal_is_tested_or_reached_only_through_an_identity_provider() -> None:
    elsewhere = {Refusal.TOKEN_MISSING,  # above
                 Refusal.ISSUER_KEYS_UNAVAILABLE,  # test_external_idp
                 Refusal.CLAIM_INVALID, Refusal.TOKEN_INVALID,  # joserfc's rarer errors, mapped in one place
                 Refusal.CLIENT_REVOKED, Refusal.PARTNER_DISABLED}  # tests/observability/test_revocation.py
    assert {r for r, _, _ in REFUSALS} | elsewhere == set(Refusal)


def test_the_sentences_are_printable_ascii_without_quotes() -> None:
    # they are logged, and must never need escaping (the challenge carries only the code)
    from auth.refusals import sentence
    for reason in Refusal:
        text = sentence(reason, limit=8192, expected="x", claim="c", role="FACILITATOR", roles="AUDITOR, SUPERVISOR",
                        scopes="pii:read")
        assert text.isascii() and text.isprintable() and '"' not in text, reason
