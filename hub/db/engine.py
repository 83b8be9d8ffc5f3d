"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        # A writer waits up to 30 s for the lock instead of failing at once; WAL lets readers
        # run beside the one writer. pysqlite's own transaction handling is kept on purpose:
        # it begins the transaction at the first write, so a read-check-write sequence sees
        # the latest commit at write time and the optimistic version check detects conflicts.
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # The local calendar day of a timestamp, which SQLite cannot compute itself.
            dbapi_connection.create_function("slrt_local_date", 2, sqlite_local_date, deterministic=True)

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def sqlite_local_date(stored: str | None, tz: str) -> str | None:
    """``slrt_local_date(ts, tz)`` on SQLite: the local day of a stored UTC timestamp, stored as
    SQLite stores dates (PostgreSQL: ``timezone(tz, ts)::date``; see hub/statistics/sql.py)."""
    if stored is None:
        return None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).date().isoformat()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for readers whose every read is one statement: no transaction around it.

    On PostgreSQL a session in a transaction costs BEGIN and ROLLBACK round trips, and the
    pool's pre-ping another three (BEGIN, ping, ROLLBACK); in autocommit the statement is
    its own snapshot and the ping is one round trip. Never for writes or multi-statement reads.
    """
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
