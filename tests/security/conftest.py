"""Fixtures of the security regression tests: the real app with changed settings."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from hub.asgi import create_app
from hub.container import Hub


@pytest.fixture
async def app_with(hub: Hub) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """``app_with(rate_limit="3/minute")`` → an HTTP client over the real app with those settings."""
    clients: list[httpx.AsyncClient] = []

    def make(**changes: Any) -> httpx.AsyncClient:
        the_hub = dataclasses.replace(hub, settings=hub.settings.model_copy(update=changes))
        transport = httpx.ASGITransport(app=create_app(the_hub.settings, the_hub), client=("127.0.0.1", 50011))
        client = httpx.AsyncClient(transport=transport, base_url="http://hub.test")
        clients.append(client)
        return client

    yield make
    for c in clients:
        await c.aclose()


async def post(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables},
                             headers={"authorization": f"Bearer {token}"})


def code_of(response: httpx.Response) -> str | None:
    errors = response.json().get("errors") or [{}]
    return errors[0].get("extensions", {}).get("code")
