"""The database engine a delivery worker writes through.

PostgreSQL: a small pool of the worker's own. Its sessions commit without waiting for the
WAL flush (``synchronous_commit = off``), which is safe for transport bookkeeping: if the
database crashes and forgets a claim or a recorded attempt, the message is simply due again
and goes out once more under the same webhook-id (the referral and its message are written
by the API with a durable commit). Its connections are not pinged before each use: a claim
or record that meets a dead connection fails, is logged and is tried again with a fresh one
(the lease protects the messages meanwhile), so the round trip a ping costs is saved on
every transaction. SQLite: the shared engine (a single writer; one worker by design).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.engine import create_engine


@asynccontextmanager
async def worker_engine(shared: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    if shared.dialect.name != "postgresql":
        yield shared
        return
    # claim, record and the endpoint lookup may overlap; release at shutdown
    engine = create_engine(shared.url.render_as_string(hide_password=False), pool_size=3, max_overflow=2,
                           pool_pre_ping=False, connect_args={"server_settings": {
                               "synchronous_commit": "off", "application_name": "slrt-delivery"}})
    try:
        yield engine
    finally:
        await engine.dispose()
