"""Issue 11 item 7: the rate limit counts per caller (subject and client), never per client alone.

With an external identity provider every user token carries the web app's ``azp``; a key
of ``client_id or azp`` let user A's requests exhaust user B's allowance.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from auth.roles import Role
from hub.asgi import create_app
from hub.container import Hub
from tests.access.helpers import WHO, basic, make_client, token_request
from tests.access.idp import LocalIdp
from tests.security.conftest import code_of, post


@pytest.fixture
async def idp() -> AsyncIterator[LocalIdp]:
    server = LocalIdp()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def idp_api(idp: LocalIdp, settings: Any, migrated: str) -> AsyncIterator[httpx.AsyncClient]:
    idp_settings = settings.model_copy(update={
        "oauth_issuer": idp.issuer, "oauth_jwks_url": idp.jwks_url, "oauth_roles_claim": "realm_access.roles",
        "rate_limit": "3/minute"})
    hub = await Hub.start(idp_settings)
    transport = httpx.ASGITransport(app=create_app(idp_settings, hub), client=("127.0.0.1", 50012))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c
    await hub.close()


async def test_one_user_of_a_web_app_does_not_rate_limit_another(idp: LocalIdp, idp_api: httpx.AsyncClient) -> None:
    # Both tokens carry the same azp (the field app), as Keycloak user tokens do.
    user_a = idp.token(roles=["FACILITATOR"], area="3275021005", sub="user-a")
    user_b = idp.token(roles=["FACILITATOR"], area="3275021005", sub="user-b")
    for _ in range(3):
        assert (await post(idp_api, user_a, WHO)).status_code == 200
    exhausted = await post(idp_api, user_a, WHO)
    assert exhausted.status_code == 429 and code_of(exhausted) == "RATE_LIMITED"
    answered = await post(idp_api, user_b, WHO)
    assert answered.status_code == 200, answered.text


async def test_service_accounts_are_counted_per_client(app_with: Any, hub: Any) -> None:
    client = app_with(rate_limit="2/minute")
    first = await make_client(hub, Role.AUDITOR, area=None)
    second = await make_client(hub, Role.AUDITOR, area=None)
    tokens = []
    for issued in (first, second):
        reply = await token_request(client, {"grant_type": "client_credentials"},
                                    basic(issued.client_id, issued.client_secret))
        tokens.append(reply.json()["access_token"])
    assert [(await post(client, tokens[0], WHO)).status_code for _ in range(3)] == [200, 200, 429]
    assert (await post(client, tokens[1], WHO)).status_code == 200
