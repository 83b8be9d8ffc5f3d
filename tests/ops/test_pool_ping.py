"""PostgreSQL connections are pinged when taken from the pool after being idle (hub/db/engine.py).

A backend killed while its pooled connection sat idle is found by the ping and replaced, so
the next read succeeds; a connection used within the idle window is trusted without a ping,
so a backend killed inside the window fails the one read that takes it, and the pool is
replaced for the reads after it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hub.db.engine import create_engine
from tests.conftest import PG_URL, requires_postgres

pytestmark = requires_postgres


async def _kill_pooled_backend(engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        pid = await conn.scalar(text("SELECT pg_backend_pid()"))
    killer = create_engine(PG_URL, pool_size=1, max_overflow=0)
    async with killer.connect() as conn:
        assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}) is True
    await killer.dispose()


async def _read(engine) -> int:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT 1")))


async def test_an_idle_connection_is_pinged_and_a_dead_one_replaced() -> None:
    engine = create_engine(PG_URL, ping_after_idle=0.0, pool_size=1, max_overflow=0)
    try:
        await _kill_pooled_backend(engine)
        assert await _read(engine) == 1
    finally:
        await engine.dispose()


async def test_a_connection_used_within_the_window_is_not_pinged() -> None:
    engine = create_engine(PG_URL, ping_after_idle=3600.0, pool_size=1, max_overflow=0)
    try:
        await _kill_pooled_backend(engine)
        with pytest.raises(DBAPIError):
            await _read(engine)
        assert await _read(engine) == 1  # the disconnect replaced the pool
    finally:
        await engine.dispose()
