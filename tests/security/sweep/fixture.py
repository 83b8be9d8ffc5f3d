"""The sweep's hub and world, built once per test module (seeding costs more than sweeping)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from graphql import GraphQLSchema

from hub.asgi import create_app
from hub.container import Hub
from hub.db.models import Base
from hub.settings import Settings
from schema import build_schema
from tests.conftest import KEEP_TABLES
from tests.security.sweep.world import World


def sweep_settings(settings: Settings) -> Settings:
    """The suite's settings with room for the sweep: its selections show every field (the query
    limits are not what it tests), and one caller sends hundreds of requests a minute."""
    return settings.model_copy(update={"rate_limit": "100000/minute", "query_max_depth": 50,
                                       "query_max_tokens": 100_000, "query_max_cost": 10**9,
                                       "query_max_aliases": 1000})


def served_schema() -> GraphQLSchema:
    """The schema the sweep's hub serves: no connectors (what a sector system says about a
    number someone typed is that system's answer, not a record of the victim's area)."""
    return build_schema(connectors=[])._schema


def full_schema() -> GraphQLSchema:
    """The schema with every installed connector, as schema.graphql holds it."""
    return build_schema()._schema


@contextlib.asynccontextmanager
async def sweep_world(settings: Settings) -> AsyncIterator[tuple[World, Any]]:
    """A fresh database with partners and the attackers' own cases; the caller plans and seeds
    the victim (it may want to look at the world without the victim first)."""
    own = sweep_settings(settings)
    hub = await Hub.start(own, connectors={})
    try:
        async with hub.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    await conn.execute(table.delete())
        app = create_app(own, hub)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            world = World(hub, client)
            await world.prepare_others()
            world.plan_victim()
            yield world, app
    finally:
        await hub.close()
