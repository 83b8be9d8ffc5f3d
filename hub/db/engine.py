"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# A pooled connection used this recently is taken as alive (HikariCP's aliveBypassWindow is
# 500 ms). SQLAlchemy's pool_pre_ping costs every checkout a ping, on asyncpg three round
# trips (BEGIN, ping, ROLLBACK): for the 50-case graph (four sessions) 3 % of the hub's CPU
# (docs/perf/README.md). A connection idle longer — after a quiet spell, or a failover while
# the hub was quiet — is pinged and, if dead, the whole pool is replaced before any request
# uses it. What this gives up: a failover in the middle of steady traffic fails the requests
# already holding or about to take a connection used in the last second; the first such
# error invalidates the pool (SQLAlchemy's disconnect handling), so the next ones reconnect.
PING_AFTER_IDLE_SECONDS = 1.0

# Every statement planned for its own parameters. asyncpg prepares each statement, and after five
# runs PostgreSQL may switch a prepared statement to a generic plan. For the batch loads and the
# audit's subject areas (`column IN ($1, ..., $191)`) the generic plan rebuilt the whole list for
# every row scanned: the audit's lookup of 191 NIKs went from 3 ms to 70-100 ms of PostgreSQL CPU
# at the sixth query of each connection, the largest cost of the case graph (docs/scaling.md,
# "Generic plans"). Planning each time costs well under a millisecond for these statements.
CUSTOM_PLANS = {"plan_cache_mode": "force_custom_plan"}
_LAST_USED = "slrt_last_used"


def create_engine(url: str, ping_after_idle: float = PING_AFTER_IDLE_SECONDS, **kwargs: Any) -> AsyncEngine:
    """An engine for `url`; on PostgreSQL a pooled connection idle over `ping_after_idle`
    seconds is pinged when taken (``pool_pre_ping=True`` pings every time instead)."""
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
    if make_url(url).get_driver_name() == "asyncpg":
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args["server_settings"] = {**CUSTOM_PLANS, **connect_args.get("server_settings", {})}
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine, ping_after_idle)
    return engine


def _ping_when_idle(engine: AsyncEngine, after: float) -> None:
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "connect")
    @event.listens_for(engine.sync_engine, "checkin")
    def _used(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_LAST_USED, float("-inf")) < after:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool reconnects
            raise exc.InvalidatePoolError(f"ping of a connection idle over {after} s failed") from error


def sqlite_local_date(stored: str | None, tz: str) -> str | None:
    """``slrt_local_date(ts, tz)`` on SQLite: the local day of a stored UTC timestamp, stored as
    SQLite stores dates (PostgreSQL: ``timezone(tz, ts)::date``; see hub/statistics/sql.py)."""
    if stored is None:
        return None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).date().isoformat()


T = TypeVar("T")


async def to_completion(work: Awaitable[T]) -> T:
    """``work``, run to its end even if the caller is cancelled meanwhile; the cancellation is
    raised once it has ended."""
    task = asyncio.ensure_future(work)
    cancelled: asyncio.CancelledError | None = None
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError as error:
            if task.done():
                raise
            cancelled = error
    if cancelled is not None:
        raise cancelled
    return result


class StatementSession(AsyncSession):
    """A session whose statements, once sent, run to their end.

    A field's resolver is cancelled when a sibling field fails (graphql-core cancels the
    rest of the object), and a request's leftover fetches are cancelled when it has answered
    (schema/batch_loader.py). Cancelled in the middle of a statement, SQLAlchemy drops the
    connection (it cannot know what state the driver is in) and, on aiosqlite, lost some
    without giving them back to the pool ("The garbage collector is trying to clean up
    non-checked-in connection"): under a stream of refused fields, connections leaking. So
    the statement finishes, the session closes as usual, and then the cancellation goes on.
    """

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await to_completion(super().execute(*args, **kwargs))

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await to_completion(super().scalar(*args, **kwargs))


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, class_=StatementSession)


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for readers whose every read is one statement: no transaction around it.

    On PostgreSQL a session in a transaction costs a BEGIN and a ROLLBACK round trip around
    its statement; in autocommit the statement is its own snapshot. Never for writes or for
    reads of several statements that must agree with each other.
    """
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False,
                              class_=StatementSession)
