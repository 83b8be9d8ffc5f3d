"""A partner system with only its client id and secret, using authlib's own OAuth2 client over
real HTTP against the app served by uvicorn on 127.0.0.1, gets a token and calls the API."""

from __future__ import annotations

import asyncio
import socket

import pytest
import uvicorn
from authlib.integrations.httpx_client import AsyncOAuth2Client

from auth.roles import Role
from hub.asgi import create_app
from tests.access.helpers import make_client


@pytest.fixture
async def served(hub, settings):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, hub), log_config=None, access_log=False,
                                           lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
    sock.close()


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_authlib_client_credentials_then_graphql(hub, served, monkeypatch, method):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback in the test only
    issued = await make_client(hub, Role.SUPERVISOR, area="327502")
    async with AsyncOAuth2Client(issued.client_id, issued.client_secret, token_endpoint_auth_method=method,
                                 scope="case:read") as oauth:
        token = await oauth.fetch_token(f"{served}/oauth/token", grant_type="client_credentials")
        metadata = (await oauth.get(f"{served}/.well-known/oauth-authorization-server")).json()
        assert token["token_type"] == "Bearer" and token["expires_in"] == 900 and token["scope"] == "case:read"
        assert metadata["token_endpoint"].endswith("/oauth/token")
        response = await oauth.post(f"{served}/graphql", json={"query": "{ cases(first: 5) { totalCount } }"})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"cases": {"totalCount": 0}}}


async def test_authlib_client_with_a_wrong_secret_gets_no_token(hub, served, monkeypatch):
    from authlib.integrations.base_client.errors import OAuthError

    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    issued = await make_client(hub, Role.SUPERVISOR, area="327502")
    async with AsyncOAuth2Client(issued.client_id, "not-the-secret") as oauth:
        with pytest.raises(OAuthError, match="invalid_client"):
            await oauth.fetch_token(f"{served}/oauth/token", grant_type="client_credentials")
