"""/healthz says the process answers; /readyz says the database answers and is migrated."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.script import ScriptDirectory

from hub.asgi import create_app
from hub.container import Hub
from hub.db.migrate import MIGRATIONS, alembic_config, upgrade_async
from hub.settings import Settings


async def get(app: Any, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as c:
        return await c.get(path)


async def test_healthz_and_readyz_answer_without_a_token(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    ready = await client.get("/readyz")
    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert (ready.status_code, ready.json()["status"]) == (200, "ready")


@pytest.fixture
async def own_database(tmp_path: Path, settings: Settings) -> AsyncIterator[tuple[Hub, Settings, Path]]:
    """A hub on a database of its own, which these tests may break."""
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite+aiosqlite:///{folder / 'own.db'}"
    await upgrade_async(url)
    own = settings.model_copy(update={"database_url": url})
    hub = await Hub.start(own)
    yield hub, own, folder
    await hub.close()


async def test_readyz_is_503_when_the_migrations_are_behind_the_code(
        own_database: tuple[Hub, Settings, Path]) -> None:
    hub, settings, _ = own_database
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision
    # Alembic's env runs its own event loop, so from async code it goes to a thread.
    await asyncio.to_thread(command.stamp, alembic_config(settings.database_url), str(previous), purge=True)
    response = await get(create_app(settings, hub), "/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert head in response.json()["detail"]


async def test_readyz_is_503_when_the_database_is_unreachable(own_database: tuple[Hub, Settings, Path]) -> None:
    hub, settings, folder = own_database
    app = create_app(settings, hub)
    assert (await get(app, "/readyz")).status_code == 200
    await hub.engine.dispose()  # close pooled connections, then take the database away
    shutil.rmtree(folder)
    response = await get(app, "/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.json()["detail"]
    assert (await get(app, "/healthz")).status_code == 200  # the process itself is fine
