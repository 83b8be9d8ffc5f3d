"""POST /oauth/token: client_credentials with client_secret_basic and client_secret_post."""

from __future__ import annotations

import time

from auth.roles import Role, Scope
from tests.access.helpers import (
    WHO,
    basic,
    claims_of,
    header_of,
    make_client,
    token_request,
)


async def test_basic_auth_gets_a_short_lived_rfc9068_token_that_calls_the_api(hub, client):
    issued = await make_client(hub)
    response = await token_request(client, {"grant_type": "client_credentials"},
                                   basic(issued.client_id, issued.client_secret))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900  # never authlib's 10-day default
    assert header_of(body["access_token"])["typ"] == "at+jwt"
    claims = claims_of(body["access_token"])
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 120
    assert (claims["client_id"], claims["role"], claims["area"]) == (issued.client_id, "BACK_OFFICE", "3275")
    api = await client.post("/graphql", json={"query": WHO},
                            headers={"authorization": f"Bearer {body['access_token']}"})
    assert api.status_code == 200 and "errors" not in api.json(), api.text


async def test_post_body_credentials_work_too(hub, client):
    issued = await make_client(hub, Role.PARTNER, area=None, partner_id="dinkes")
    response = await token_request(client, {"grant_type": "client_credentials", "client_id": issued.client_id,
                                            "client_secret": issued.client_secret})
    assert response.status_code == 200, response.text
    claims = claims_of(response.json()["access_token"])
    assert (claims["partner_id"], claims["scope"]) == ("dinkes", "referral:update")


async def test_a_wrong_secret_an_unknown_client_and_no_credentials_are_invalid_client(hub, client):
    issued = await make_client(hub)
    for headers in (basic(issued.client_id, "wrong"), basic("slrt_nobody", issued.client_secret), {}):
        response = await token_request(client, {"grant_type": "client_credentials"}, headers)
        assert response.status_code in (400, 401), response.text
        assert response.json()["error"] == "invalid_client"
        assert "access_token" not in response.json()


async def test_a_revoked_client_gets_no_token(hub, client):
    issued = await make_client(hub)
    await hub.clients.revoke(issued.client_id)
    response = await token_request(client, {"grant_type": "client_credentials"},
                                   basic(issued.client_id, issued.client_secret))
    assert response.json()["error"] == "invalid_client"


async def test_a_client_gets_at_most_its_registered_scopes(hub, client):
    issued = await make_client(hub)  # BACK_OFFICE: case:read referral:write pii:read stats:read
    narrowed = await token_request(client, {"grant_type": "client_credentials", "scope": "case:read"},
                                   basic(issued.client_id, issued.client_secret))
    assert claims_of(narrowed.json()["access_token"])["scope"] == "case:read"
    widened = await token_request(client, {"grant_type": "client_credentials", "scope": "case:read admin"},
                                  basic(issued.client_id, issued.client_secret))
    assert widened.status_code == 400 and widened.json()["error"] == "invalid_scope"


async def test_other_grants_are_refused(hub, client):
    issued = await make_client(hub)
    response = await token_request(client, {"grant_type": "password", "username": "x", "password": "y"},
                                   basic(issued.client_id, issued.client_secret))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_the_metadata_document_names_the_token_endpoint_and_jwks(client, settings):
    body = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert body["issuer"] == settings.issuer
    assert body["token_endpoint"] == "http://hub.test/oauth/token"
    assert body["jwks_uri"] == "http://hub.test/oauth/jwks.json"
    assert body["grant_types_supported"] == ["client_credentials"]
    assert set(body["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}
    assert Scope.PII_READ.value in body["scopes_supported"]
