"""Holding a database write lock from outside the hub, to line concurrent requests up."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy.engine import make_url


@contextlib.asynccontextmanager
async def write_lock(database_url: str, case_id: str) -> AsyncIterator[None]:
    """While this is held, transactions can read the case but block on writing it."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("COMMIT")
            conn.close()
        return
    conn = await asyncpg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                                 database=url.database)
    tx = conn.transaction()
    await tx.start()
    await conn.execute("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE", case_id)
    try:
        yield
    finally:
        await tx.commit()
        await conn.close()
