"""Alembic, driven from code: the migrations ship inside the package (``hub/migrations``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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
