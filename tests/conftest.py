"""Shared fixtures: a real database (SQLite, or PostgreSQL when SLRT_TEST_DATABASE_URL is set),
the real ASGI app driven over HTTP through httpx, and tokens from the built-in issuer."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from auth.roles import Role, Scope
from hub.asgi import create_app
from hub.container import Hub
from hub.db.engine import create_engine, is_sqlite
from hub.db.migrate import upgrade_async
from hub.db.models import Base
from hub.settings import Settings

PG_URL = os.environ.get("SLRT_TEST_DATABASE_URL")
KEEP_TABLES = {"areas", "alembic_version", "statistics_calendar"}  # the calendar outlives the cases

requires_postgres = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set SLRT_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        return PG_URL
    return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path_factory.mktemp("data"), debug=False,
                    # partner receivers in tests listen on loopback
                    public_url="http://hub.test", allow_private_webhooks=True)


@pytest.fixture(scope="session")
async def migrated(settings: Settings) -> str:
    if not is_sqlite(settings.database_url):
        engine = create_engine(settings.database_url)
        async with engine.begin() as conn:  # a clean slate for every run
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await upgrade_async(settings.database_url)
    return settings.database_url


@pytest.fixture(scope="session")
async def hub(settings: Settings, migrated: str) -> AsyncIterator[Hub]:
    started = await Hub.start(settings)
    yield started
    await started.close()


@pytest.fixture(autouse=True)
async def clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test that touches the database starts from the migrated state (areas only)."""
    if "hub" not in request.fixturenames:
        yield
        return
    the_hub: Hub = request.getfixturevalue("hub")
    async with the_hub.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                await conn.execute(table.delete())
    yield


@pytest.fixture
def app(hub: Hub, settings: Settings) -> Any:
    return create_app(settings, hub)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c


class Api:
    """A GraphQL caller holding one token."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables},
                                          headers={"authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def as_role(hub: Hub, client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """``as_role(Role.SUPERVISOR, "327502")`` → an Api for that role and area."""

    def make(role: Role, area: str | None = None, sub: str | None = None,
             scopes: frozenset[Scope] | None = None, partner_id: str | None = None) -> Api:
        if role is Role.PARTNER and partner_id is None:
            partner_id = "partner-test"
        token = hub.issuer.issue(subject=sub or f"{role.value.lower()}-{area or 'all'}", role=role, area=area,
                                 scopes=scopes, partner_id=partner_id)
        return Api(client, token)

    return make


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL (SLRT_TEST_DATABASE_URL)' if PG_URL else 'SQLite'}"


__all__ = ["Api", "requires_postgres", "Path"]
