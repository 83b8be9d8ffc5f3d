"""Alembic environment: async engines for SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from hub.db.engine import create_engine
from hub.db.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild a table (copy, DROP, rename); with foreign keys enforced the
        # DROP of a referenced table fails once rows exist. SQLite ignores this pragma inside a
        # transaction, so it is set here, before alembic's first write opens one, for every
        # migration of the run; the integrity check below stands in for the enforcement.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left {len(broken)} rows whose foreign key points nowhere "
                                   f"(first: table {broken[0][0]}, row {broken[0][1]}); rolled back")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


async def _run_async(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_async(url))
        return
    raise RuntimeError("call hub.db.migrate.upgrade_async from async code (it runs in a thread)")


run_migrations_online()
