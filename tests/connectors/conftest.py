"""A scripted upstream (real HTTP on 127.0.0.1) and a minimal connector for runtime tests."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Mapping, Sequence

import aiohttp
import pytest
import strawberry
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http


@strawberry.type
class ProbeRecord(ConnectorRecord):
    value: str


class ProbeSettings(ConnectorSettings):
    pass


class Probe(Connector[ProbeSettings]):
    name = "probe"
    settings_class = ProbeSettings
    extends = Entity.PERSON
    field = "probe"
    record_type = ProbeRecord

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, ProbeRecord]:
        body = await http.post_json("items/batch", {"keys": list(keys)})
        return {row["key"]: ProbeRecord(value=row["value"]) for row in body["items"]}


class ScriptedUpstream:
    """Answers /items/batch with the next scripted status (200 = echo the keys); issues tokens."""

    def __init__(self) -> None:
        self.script: list[int] = []
        self.calls = 0
        self.keys_asked: list[list[str]] = []  # the keys of each data call, in arrival order
        self.auth_headers: list[str | None] = []
        self.token_requests = 0
        self.token_lifetime = 3600
        self.required_token: str | None = None
        self._tokens = itertools.count(1)
        self.base_url = ""

    @property
    def keys_per_call(self) -> list[int]:
        return [len(keys) for keys in self.keys_asked]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/items/batch", self._items)
        app.router.add_post("/token", self._token)
        return app

    async def _items(self, request: web.Request) -> web.Response:
        self.calls += 1
        self.auth_headers.append(request.headers.get("Authorization") or request.headers.get("X-API-Key"))
        if self.required_token and request.headers.get("Authorization") != f"Bearer {self.required_token}":
            return web.json_response({"error": "invalid_token"}, status=401)
        status = self.script.pop(0) if self.script else 200
        if status != 200:
            return web.json_response({"error": "scripted"}, status=status)
        keys = (await request.json())["keys"]
        self.keys_asked.append(keys)
        return web.json_response(
            {"items": [{"key": k, "value": f"v-{k[-4:]}"} for k in keys if not k.endswith("9")]}
        )

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or request.headers.get("Authorization") is None:
            return web.json_response({"error": "invalid_request"}, status=400)
        self.required_token = f"token-{next(self._tokens)}"
        return web.json_response(
            {"access_token": self.required_token, "token_type": "Bearer", "expires_in": self.token_lifetime}
        )


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def upstream() -> AsyncIterator[ScriptedUpstream]:
    scripted = ScriptedUpstream()
    server = TestServer(scripted.app(), host="127.0.0.1")
    await server.start_server()
    scripted.base_url = str(server.make_url("")).rstrip("/")
    yield scripted
    await server.close()


@pytest.fixture
def probe() -> type[Probe]:
    return Probe
