"""The unified case graph against real simulators: a hub whose connectors call them over
HTTP on 127.0.0.1, with the demo data set loaded through the real case service."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import httpx
import pytest

from auth.roles import Role
from connectors.sdk import ConnectorSettings, discover
from connectors.simulators import SIMULATORS, start
from hub.asgi import create_app
from hub.container import Hub
from hub.db.models import Base
from hub.settings import Settings
from tests.conftest import KEEP_TABLES

# A connector's timeout counts from the start of the request: long enough for the whole
# 20-case query on a loaded CI box, short enough to keep the hang tests quick.
TIMEOUT = 3.0


class Simulators:
    def __init__(self, base: str, session: aiohttp.ClientSession) -> None:
        self.base = base
        self._session = session

    async def calls(self) -> dict[str, int]:
        """Upstream data calls each simulator has served, counted at the simulator."""
        counts = {}
        for name in SIMULATORS:
            async with self._session.get(f"{self.base}/{name}/_stats") as r:
                counts[name] = (await r.json())["calls"]
        return counts

    async def control(self, name: str, **knobs: Any) -> None:
        async with self._session.post(f"{self.base}/{name}/_control", json=knobs) as r:
            assert r.status == 200, await r.text()


@pytest.fixture
async def simulators() -> AsyncIterator[Simulators]:
    runner, port = await start("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        sims = Simulators(f"http://127.0.0.1:{port}", session)
        try:
            yield sims
        finally:
            for name in SIMULATORS:  # release hanging requests before shutting down
                await sims.control(name, hang=False)
            await runner.cleanup()


ConnectorOverrides = Callable[..., dict[str, ConnectorSettings]]


@pytest.fixture
def connector_settings(simulators: Simulators) -> ConnectorOverrides:
    def make(**per_connector: dict[str, Any]) -> dict[str, ConnectorSettings]:
        # no cache: every query in these tests reaches the simulators, whatever ran before
        return {name: cls.settings_class.for_connector(
                    name, base_url=f"{simulators.base}/{name}", timeout=TIMEOUT,
                    **{"cache_ttl": 0, **per_connector.get(name, {})})
                for name, cls in discover().items()}
    return make


@contextlib.asynccontextmanager
async def serving(hub: Hub, settings: Settings) -> AsyncIterator[Callable[..., Awaitable[dict[str, Any]]]]:
    """A hub started with its own connector settings, behind the real app; yields a caller."""
    transport = httpx.ASGITransport(app=create_app(settings, hub), client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        async def call(role: Role, area: str | None, query: str, **variables: Any) -> dict[str, Any]:
            token = hub.issuer.issue(subject=f"{role.value.lower()}-test", role=role, area=area,
                                     partner_id="partner-test" if role is Role.PARTNER else None)
            response = await client.post("/graphql", json={"query": query, "variables": variables},
                                         headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text
            return response.json()

        yield call


@pytest.fixture
async def hub(settings: Settings, migrated: str, connector_settings: ConnectorOverrides) -> AsyncIterator[Hub]:
    """Overrides the suite's hub: a fresh one per test (fresh cache and breakers), its
    connectors pointed at this test's simulators."""
    started = await Hub.start(settings, connector_settings=connector_settings())
    yield started
    await started.close()


@pytest.fixture(autouse=True)
async def clean_database(hub: Hub) -> AsyncIterator[None]:
    """The suite's cleaning, taking this folder's hub as a parameter: the suite's version
    looks the hub up from inside a running loop, which only works for its session hub."""
    async with hub.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                await conn.execute(table.delete())
    yield
