"""External identity provider mode: keys from the IdP's JWKS, roles and area from its claims."""

from __future__ import annotations

import uuid

import httpx
import pytest
from joserfc.jwk import RSAKey

from auth.jwks import RemoteJwks
from auth.roles import Role
from auth.verifier import InvalidToken, TokenVerifier
from hub.asgi import create_app
from hub.container import Hub
from tests.access.helpers import WHO
from tests.access.idp import LocalIdp


@pytest.fixture
async def idp():
    server = LocalIdp()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def idp_api(idp, settings, migrated):
    idp_settings = settings.model_copy(update={
        "oauth_issuer": idp.issuer, "oauth_jwks_url": idp.jwks_url, "oauth_roles_claim": "realm_access.roles",
        "oauth_jwks_cooldown_seconds": 3600.0})
    hub = await Hub.start(idp_settings)
    transport = httpx.ASGITransport(app=create_app(idp_settings, hub), client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c
    await hub.close()


async def _call(client: httpx.AsyncClient, token: str, query: str = WHO) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"})


async def test_a_keycloak_shaped_token_is_accepted_with_its_role_and_area(idp, idp_api):
    token = idp.token(roles=["FACILITATOR"], area="32.75.02.1005")
    response = await _call(idp_api, token)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    # The role's default scopes apply (the IdP's `scope` holds only OIDC scopes): no pii:read.
    forbidden = await _call(idp_api, token, '{ person(nik: "3275014101850001") { name } }')
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_hub_issues_no_tokens_of_its_own_in_this_mode(idp_api, hub):
    assert (await idp_api.post("/oauth/token", data={"grant_type": "client_credentials"})).status_code == 404
    own = hub.issuer.issue(subject="x", role=Role.ADMIN)  # the built-in key is not trusted in this mode
    assert (await _call(idp_api, own)).status_code == 401


async def test_idp_tokens_without_role_area_or_with_wrong_audience_are_refused(idp, idp_api):
    assert (await _call(idp_api, idp.token(roles=[], area="3275021005"))).status_code == 401
    assert (await _call(idp_api, idp.token(roles=["FACILITATOR"]))).status_code == 401
    assert (await _call(idp_api, idp.token(roles=["FACILITATOR"], area="3275021005", aud="account"))).status_code == 401
    assert (await _call(idp_api, idp.token(roles=["FACILITATOR"], area="3275021005", typ="JWT"))).status_code == 401


async def test_random_kids_do_not_make_the_hub_hammer_the_idp(idp, idp_api):
    assert (await _call(idp_api, idp.token(roles=["AUDITOR"]))).status_code == 200
    assert idp.jwks_hits == 1
    stranger = RSAKey.generate_key(2048).as_dict(private=True)
    for _ in range(25):
        forged = idp.token(roles=["AUDITOR"], key=RSAKey.import_key(stranger, parameters={"kid": uuid.uuid4().hex}))
        assert (await _call(idp_api, forged)).status_code == 401
    assert idp.jwks_hits <= 2  # at most one refetch within the cooldown, however many unknown kids
    assert (await _call(idp_api, idp.token(roles=["AUDITOR"]))).status_code == 200  # cache still serves


async def test_an_unknown_kid_after_the_cooldown_refetches_so_idp_key_rotation_works(idp):
    jwks = RemoteJwks(idp.jwks_url, cooldown=0.0)
    try:
        first = await jwks(idp.keys[0].kid)
        assert first.get_by_kid(idp.keys[0].kid)
        idp.rotate()
        rotated = await jwks(idp.keys[-1].kid)
        assert rotated.get_by_kid(idp.keys[-1].kid)
        assert idp.jwks_hits == 2
        await jwks(idp.keys[-1].kid)  # known now: served from the cache
        assert idp.jwks_hits == 2
    finally:
        await jwks.close()


async def test_an_unreachable_idp_refuses_tokens_instead_of_failing(idp, settings, migrated):
    await idp.stop()
    jwks = RemoteJwks(idp.jwks_url, cooldown=0.0, timeout=2.0)
    verifier = TokenVerifier(jwks, idp.issuer, "slrt-hub")
    try:
        with pytest.raises(InvalidToken, match="unavailable"):
            await verifier.verify(idp.token(roles=["AUDITOR"]))
    finally:
        await jwks.close()
