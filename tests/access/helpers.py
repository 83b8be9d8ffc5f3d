"""Helpers shared by the access tests: clients in the store, raw token requests."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from auth.roles import Role, Scope
from hub.access.clients import IssuedClient
from hub.container import Hub

WHO = "{ cases(first: 1) { edges { node { id } } } }"


async def make_client(hub: Hub, role: Role = Role.BACK_OFFICE, area: str | None = "3275",
                      scopes: frozenset[Scope] | None = None, partner_id: str | None = None) -> IssuedClient:
    async with hub.sessions.begin() as session:
        return await hub.clients.create(session, name=f"test {role.value}", role=role, area=area, scopes=scopes,
                                        partner_id=partner_id)


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = f"{client_id}:{secret}".encode()
    return {"authorization": "Basic " + base64.b64encode(raw).decode()}


async def token_request(client: httpx.AsyncClient, data: dict[str, str],
                        headers: dict[str, str] | None = None) -> httpx.Response:
    return await client.post("/oauth/token", data=data, headers=headers or {})


def claims_of(token: str) -> dict[str, Any]:
    import json

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def header_of(token: str) -> dict[str, Any]:
    import json

    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
