"""Alembic, driven from code: the migrations ship inside the package (``hub/migrations``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply migrations (blocking; runs its own event loop inside Alembic's env)."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, database_url, revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


async def migrations_current(engine: AsyncEngine) -> tuple[bool, str]:
    """Whether the database answers and is at the head revision."""
    try:
        async with engine.connect() as conn:
            current = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return False, f"database unreachable: {type(exc).__name__}"
    head = head_revision()
    if current != head:
        return False, f"database at revision {current}, code expects {head}"
    return True, f"revision {current}"


UPGRADE_HINT = "run `slrt-hub db upgrade` (it applies the migrations to SLRT_DATABASE_URL)"


def revision_problem(current: str | None) -> str | None:
    """Why a database at revision ``current`` cannot be served by this code, or None."""
    head = head_revision()
    if current == head:
        return None
    if current is None:
        return f"the database is not migrated: {UPGRADE_HINT}"
    if current not in {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}:
        return (f"the database is at revision {current}, which this release does not know: "
                "run the release that migrated it")
    return f"the database is at revision {current}, behind this release's {head}: {UPGRADE_HINT}"


async def schema_problem(database_url: str) -> str | None:
    """One line on why the hub cannot start on this database and what fixes it, or None.

    An SQLite file that does not exist is reported without being created (connecting would).
    """
    from hub.db.engine import create_engine, is_sqlite

    if is_sqlite(database_url):
        path = make_url(database_url).database
        if path and path != ":memory:" and not Path(path).exists():
            return f"the database file {path} does not exist: {UPGRADE_HINT}"
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            current = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
    except Exception as exc:  # noqa: BLE001 - one line, no traceback; the URL may hold a password
        return f"the database (SLRT_DATABASE_URL) cannot be reached: {type(exc).__name__}"
    finally:
        await engine.dispose()
    return revision_problem(current)
