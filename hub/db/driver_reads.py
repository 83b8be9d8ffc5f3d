"""One SELECT straight on the PostgreSQL driver, for the hottest read paths (a case lookup).

Through SQLAlchemy, an ORM session or a Core connection, one small SELECT on asyncpg costs
1.0–1.3 ms of CPU (building the statement, its cache key, the execution context, greenlet
switches, the result); the statement itself, on the pooled connection's asyncpg driver,
costs ~0.2 ms (docs/perf/README.md). So a `CompiledSelect` is a Core statement compiled once
by SQLAlchemy's own PostgreSQL dialect — the same SQL, the same bind and result conversion
of every column type (enums, UTC timestamps, arrays) — and then run with asyncpg's
``fetch`` on a connection of the engine's pool (same pool, same ping-after-idle rule).

The statement is built from named `bindparam`s only, so that one compilation serves every
call; what varies the shape of the SQL (e.g. the length of the caller's area code, which
picks the column the area rule compares) is the ``shape`` the caller keys it by.

PostgreSQL only, and only while tracing is off (the SQL spans come from SQLAlchemy's
events): `DriverReads.available` says when; elsewhere the caller takes its general path.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.engine import to_completion
from hub.observability import tracing

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class CompiledSelect:
    sql: str
    binds: tuple[tuple[str, Processor], ...]  # ($1, $2, …): bind name, its conversion
    columns: tuple[Processor, ...]  # each result column's conversion

    @classmethod
    def of(cls, stmt: Select[Any], dialect: Dialect) -> CompiledSelect:
        compiled = stmt.compile(dialect=dialect)
        names = compiled.positiontup or ()
        binds = tuple((name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                      for name in names)
        columns = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                        for c in stmt.selected_columns)
        return cls(compiled.string, binds, columns)

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        return [convert(params[name]) if convert else params[name] for name, convert in self.binds]

    def row(self, record: Any) -> tuple[Any, ...]:
        return tuple(convert(value) if convert else value for convert, value in zip(self.columns, record, strict=True))


class DriverReads:
    """Compiled selects of one PostgreSQL engine, run on its pooled connections' asyncpg driver."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.sync_engine.dialect
        self._compiled: dict[Hashable, CompiledSelect] = {}
        self._postgres = self._dialect.name == "postgresql" and self._dialect.driver == "asyncpg"

    @property
    def available(self) -> bool:
        return self._postgres and not tracing.enabled()

    async def rows(self, shape: Hashable, build: Callable[[], Select[Any]],
                   params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of ``build()`` with ``params``; ``build`` is called once per ``shape``."""
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compiled[shape] = CompiledSelect.of(build(), self._dialect)
        # Run to its end even if the caller is cancelled (hub/db/engine.py `StatementSession`).
        return await to_completion(self._fetch(compiled, compiled.arguments(params)))

    async def _fetch(self, compiled: CompiledSelect, arguments: list[Any]) -> list[tuple[Any, ...]]:
        # A connection of the engine's pool, outside any transaction: the statement is its own
        # snapshot (what the readers' autocommit sessions do). Closing it gives it back.
        async with self._engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            try:
                records = await driver.fetch(compiled.sql, *arguments)  # asyncpg prepares it once per connection
            except asyncpg.PostgresError:
                raise  # the server refused the statement: the connection itself is fine
            except Exception as error:
                # Broken or timed out: SQLAlchemy did not see the statement, so it would give
                # the connection back to the pool as if nothing happened.
                await conn.invalidate(error)
                raise
        return [compiled.row(r) for r in records]
