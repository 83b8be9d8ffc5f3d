"""Bulk writes: COPY through asyncpg on PostgreSQL, multi-row INSERTs on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.db.base import Base


class BulkWriter:
    """Writes rows (tuples in column order) to tables, all in the connection's transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._postgres = conn.dialect.name == "postgresql"

    async def skip_foreign_key_triggers(self) -> bool:
        """On PostgreSQL as a superuser, skip the per-row foreign-key triggers for this transaction.

        The generator writes parents before children with ids it made itself (the SQLite
        path, which checks every key, proves it), and the per-row checks were ~40 % of the
        COPY time. Without superuser rights the checks simply stay on.
        """
        if not self._postgres:
            return False
        if (await self._conn.exec_driver_sql("SELECT current_setting('is_superuser')")).scalar() != "on":
            return False
        await self._conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        return True

    async def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._postgres:
            # COPY skips per-row parsing and planning: ~10× multi-row INSERT on this data.
            driver = (await self._conn.get_raw_connection()).driver_connection
            assert driver is not None
            await driver.copy_records_to_table(table, records=rows, columns=list(columns))
            return
        # SQLite has no COPY; executemany of one prepared INSERT is its fast path.
        await self._conn.execute(insert(Base.metadata.tables[table]), [dict(zip(columns, r)) for r in rows])
