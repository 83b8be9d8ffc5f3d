"""What ``slrt-hub client …`` does, as plain async functions over the client store."""

from __future__ import annotations

from auth.roles import Role, Scope
from hub.access.clients import ClientRecord, ClientRegistry, IssuedClient
from hub.db.engine import create_engine, create_session_factory
from hub.events.bus import EventBus


async def add_client(database_url: str, *, name: str, role: Role, scopes: frozenset[Scope] | None,
                     area: str | None, partner_id: str | None) -> IssuedClient:
    engine = create_engine(database_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions.begin() as session:
            return await ClientRegistry(sessions).create(session, name=name, role=role, scopes=scopes, area=area,
                                                          partner_id=partner_id)
    finally:
        await engine.dispose()


async def list_clients(database_url: str) -> list[ClientRecord]:
    engine = create_engine(database_url)
    try:
        return await ClientRegistry(create_session_factory(engine)).list()
    finally:
        await engine.dispose()


async def revoke_client(database_url: str, client_id: str) -> bool:
    engine = create_engine(database_url)
    try:
        # The bus only publishes here: a NOTIFY that running replicas (PostgreSQL) act on at once.
        return await ClientRegistry(create_session_factory(engine), EventBus(database_url)).revoke(client_id)
    finally:
        await engine.dispose()
