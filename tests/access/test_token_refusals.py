"""Every token the hub must refuse gets HTTP 401 with ``WWW-Authenticate: Bearer`` (SPEC 6).

Each case differs from a token the hub accepts (``test_the_reference_token_is_accepted``)
in exactly the property named, so removing that one check makes its test fail.
"""

from __future__ import annotations

import json
import time

import pytest
from joserfc.jwk import RSAKey

from tests.access.helpers import WHO
from tests.access.tokens import (
    b64,
    good_claims,
    hs256_with_public_key,
    sign,
    tamper,
    unsigned,
)


async def _status(client, token: str) -> tuple[int, str]:
    response = await client.post("/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"})
    return response.status_code, response.headers.get("www-authenticate", "")


@pytest.fixture
def key(hub):
    return hub.keys.signing_key()


@pytest.fixture
def claims(settings):
    return lambda **over: good_claims(settings.issuer, settings.oauth_audience, **over)


async def test_the_reference_token_is_accepted(client, key, claims):
    assert (await _status(client, sign(key, claims())))[0] == 200


async def test_alg_none_is_refused(client, key, claims):
    status, challenge = await _status(client, unsigned(claims(), key.kid))
    assert status == 401 and challenge.startswith("Bearer")


async def test_hs256_signed_with_the_public_key_is_refused(client, key, claims):
    pem = RSAKey.import_key(key.as_dict(private=False)).as_pem(private=False)
    assert (await _status(client, hs256_with_public_key(pem, claims(), key.kid)))[0] == 401


async def test_a_key_not_in_the_jwks_is_refused(client, key, claims):
    stranger = RSAKey.generate_key(2048, parameters={"kid": key.kid})  # even under a known kid
    assert (await _status(client, sign(stranger, claims())))[0] == 401
    other = RSAKey.generate_key(2048, parameters={"kid": "not-ours"})
    assert (await _status(client, sign(other, claims())))[0] == 401


@pytest.mark.parametrize("header", ["jwk", "jku", "x5u", "x5c"])
async def test_embedded_key_headers_are_refused(client, key, claims, header):
    value = {"jwk": key.as_dict(private=False), "jku": "https://attacker.example/jwks.json",
             "x5u": "https://attacker.example/cert.pem", "x5c": ["MIIB"]}[header]
    # Signed with the hub's own key, so only the header itself can be the reason.
    assert (await _status(client, sign(key, claims(), **{header: value})))[0] == 401


async def test_a_tampered_payload_is_refused(client, key, claims):
    token = sign(key, claims())
    assert (await _status(client, tamper(token, area="3275")))[0] == 401
    assert (await _status(client, tamper(token, scope="case:read pii:read")))[0] == 401


async def test_a_wrong_issuer_is_refused(client, key, claims):
    assert (await _status(client, sign(key, claims(iss="https://evil.example"))))[0] == 401


async def test_a_wrong_audience_is_refused(client, key, claims):
    assert (await _status(client, sign(key, claims(aud="some-other-api"))))[0] == 401


async def test_a_missing_or_past_expiry_is_refused(client, key, claims):
    assert (await _status(client, sign(key, claims(exp=None))))[0] == 401
    assert (await _status(client, sign(key, claims(exp=int(time.time()) - 120))))[0] == 401


async def test_a_future_not_before_beyond_the_leeway_is_refused(client, key, claims):
    now = int(time.time())
    assert (await _status(client, sign(key, claims(nbf=now + 30))))[0] == 200  # within 60 s clock skew
    assert (await _status(client, sign(key, claims(nbf=now + 300))))[0] == 401


@pytest.mark.parametrize("typ", ["JWT", None, "id_token"])
async def test_an_id_token_or_untyped_token_is_refused(client, key, claims, typ):
    assert (await _status(client, sign(key, claims(), typ=typ)))[0] == 401


async def test_an_oversized_header_is_refused(client, key, claims):
    token = sign(key, claims(), cty="x" * 3000)
    assert len(token) < 8192  # refused for its header, not for the token's total size
    assert (await _status(client, sign(key, claims(), cty="x" * 100)))[0] == 200
    assert (await _status(client, token))[0] == 401


async def test_an_oversized_token_is_refused(client, key, claims):
    assert (await _status(client, sign(key, claims(note="x" * 9000))))[0] == 401


async def test_garbage_and_missing_tokens_are_unauthenticated(client, key):
    for value in ("Bearer", "Bearer abc", "Basic dXNlcjpwdw==", "Bearer a.b.c",
                  "Bearer " + b64(json.dumps({"alg": "RS256", "kid": key.kid}).encode()) + ".e30.x"):
        response = await client.post("/graphql", json={"query": WHO}, headers={"authorization": value})
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    response = await client.post("/graphql", json={"query": WHO})
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
