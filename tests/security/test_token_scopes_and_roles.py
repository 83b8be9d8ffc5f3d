"""Issue 11, also harden: a token's scopes stay within its role's, and a token has one role.

Decisions (README, Access): a token carrying a scope its role does not have is refused
(HTTP 401, at a WebSocket's connection_init 4403) — not silently narrowed, so a
misconfigured identity provider or client shows at once; a token naming several SLRT roles
is refused too, since no order of roles is safe to pick by. The client registry refuses
to register such clients, so the built-in issuer never mints such a token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from auth.roles import DEFAULT_SCOPES, Role, Scope
from auth.verifier import InvalidToken
from hub.access.clients import InvalidClient
from hub.asgi import create_app
from hub.container import Hub
from tests.access.helpers import make_client
from tests.access.idp import LocalIdp
from tests.cases.helpers import RECORD, VILLAGE_A, VILLAGE_B, record_input
from tests.security.conftest import code_of, post
from tests.security.websocket import served

COUNT = "{ cases { totalCount } }"


async def test_a_partner_token_carrying_case_read_is_refused(hub: Hub, client: httpx.AsyncClient,
                                                             as_role: Any) -> None:
    for village in (VILLAGE_A, VILLAGE_B):
        await as_role(Role.FACILITATOR, village)(RECORD, input=record_input(7, village))
    widened = hub.issuer.issue(subject="partner-wide", role=Role.PARTNER, partner_id="p-1",
                               scopes=frozenset({Scope.REFERRAL_UPDATE, Scope.CASE_READ}))
    refused = await post(client, widened, COUNT)
    assert refused.status_code == 401 and code_of(refused) == "UNAUTHENTICATED"
    assert refused.json().get("data") is None
    assert refused.json()["errors"][0]["extensions"]["reason"] == "scope_beyond_role"
    with pytest.raises(InvalidToken, match="scope case:read, which the PARTNER role does not have"):
        await hub.verifier.verify(widened)
    # Narrowing stays allowed: a FACILITATOR token with case:read only.
    narrowed = hub.issuer.issue(subject="f-read", role=Role.FACILITATOR, area=VILLAGE_A,
                                scopes=frozenset({Scope.CASE_READ}))
    assert (await post(client, narrowed, COUNT)).json()["data"]["cases"]["totalCount"] == 1


async def test_a_socket_with_a_widened_token_is_not_acknowledged(hub: Hub) -> None:
    import aiohttp

    widened = hub.issuer.issue(subject="sup-wide", role=Role.SUPERVISOR, area="327502",
                               scopes=DEFAULT_SCOPES[Role.SUPERVISOR] | {Scope.PII_READ})
    async with served(hub) as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"ws://{url}/graphql", protocols=["graphql-transport-ws"])
        await ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {widened}"}})
        reply = await ws.receive(timeout=15)
        assert reply.type != aiohttp.WSMsgType.TEXT and ws.close_code == 4403
        await ws.close()


async def test_clients_cannot_be_registered_with_scopes_beyond_their_role(hub: Hub) -> None:
    with pytest.raises(InvalidClient, match="scope case:read is not granted to the PARTNER role"):
        await make_client(hub, Role.PARTNER, area=None, partner_id="p-1",
                          scopes=frozenset({Scope.REFERRAL_UPDATE, Scope.CASE_READ}))
    issued = await make_client(hub, Role.AUDITOR, area=None, scopes=frozenset({Scope.AUDIT_READ}))
    assert (await hub.clients.get(issued.client_id)) is not None


@pytest.fixture
async def idp_api(settings: Any, migrated: str) -> AsyncIterator[tuple[LocalIdp, httpx.AsyncClient]]:
    idp = LocalIdp()
    await idp.start()
    idp_settings = settings.model_copy(update={
        "oauth_issuer": idp.issuer, "oauth_jwks_url": idp.jwks_url, "oauth_roles_claim": "realm_access.roles"})
    hub = await Hub.start(idp_settings)
    transport = httpx.ASGITransport(app=create_app(idp_settings, hub), client=("127.0.0.1", 50013))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield idp, c
    await hub.close()
    await idp.stop()


async def test_a_token_with_several_roles_is_refused(idp_api: tuple[LocalIdp, httpx.AsyncClient]) -> None:
    idp, api = idp_api
    several = idp.token(roles=["SUPERVISOR", "AUDITOR"], area="327502")
    refused = await post(api, several, COUNT)
    assert refused.status_code == 401 and code_of(refused) == "UNAUTHENTICATED"
    assert refused.json()["errors"][0]["extensions"]["reason"] == "several_roles"
    # The identity provider's own roles beside one SLRT role are fine (offline_access, …).
    one = idp.token(roles=["SUPERVISOR"], area="327502")
    assert (await post(api, one, COUNT)).status_code == 200
    # Widened through the IdP's scope claim: refused the same way.
    widened = idp.token(roles=["FACILITATOR"], area="3275021005", scope="openid case:read pii:read")
    assert (await post(api, widened, COUNT)).status_code == 401
