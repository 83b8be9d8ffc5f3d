"""Starting on the wrong foot ends in one line that says what to do, never a banner and a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from hub.db.migrate import MIGRATIONS, upgrade
from tests.demo.process import clean_env, cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_demo_on_a_taken_port_stops_before_printing_anything(taken_port: int, tmp_path: Path) -> None:
    result = cli("demo", "--port", str(taken_port), cwd=tmp_path, env=clean_env())
    assert result.returncode != 0
    assert result.stdout == ""  # no banner, no tokens
    line = _one_line_error(result)
    assert f"port {taken_port}" in line and "--port" in line
    assert not (tmp_path / ".slrt").exists()  # nothing prepared either


def test_make_demo_passes_PORT_to_the_demo(taken_port: int, tmp_path: Path) -> None:
    stamp = tmp_path / "installed"  # the venv running this test is installed: make must not reinstall
    stamp.touch()
    result = subprocess.run(["make", "--no-print-directory", "-s", "demo", f"PORT={taken_port}",
                             f"VENV={sys.prefix}", f"STAMP={stamp}"], cwd=ROOT, env=clean_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"error: port {taken_port} on 127.0.0.1 is already in use" in result.stderr
    assert "Bearer" not in result.stdout


def test_serve_on_a_taken_port_names_the_port(taken_port: int, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    result = cli("serve", "--port", str(taken_port), cwd=tmp_path, env=clean_env(SLRT_DATABASE_URL=url))
    assert result.returncode == 2
    assert f"port {taken_port}" in _one_line_error(result)


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_an_empty_database_is_one_line_naming_db_upgrade(command: str, tmp_path: Path) -> None:
    database = tmp_path / "empty.db"
    database.touch()  # exists, never migrated: what `serve` met in the issue
    result = cli(command, cwd=tmp_path, env=clean_env(SLRT_DATABASE_URL=f"sqlite+aiosqlite:///{database}"))
    assert result.returncode == 2
    line = _one_line_error(result)
    assert "not migrated" in line and "slrt-hub db upgrade" in line


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_database_behind_the_code_is_one_line_naming_db_upgrade(command: str, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    revisions = [r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]
    upgrade(url, revisions[1])  # one migration behind the head
    result = cli(command, cwd=tmp_path, env=clean_env(SLRT_DATABASE_URL=url))
    assert result.returncode == 2
    line = _one_line_error(result)
    assert f"revision {revisions[1]}" in line and revisions[0] in line and "slrt-hub db upgrade" in line


def test_serve_does_not_create_a_missing_database_file(tmp_path: Path) -> None:
    database = tmp_path / "typo.db"
    result = cli("serve", cwd=tmp_path, env=clean_env(SLRT_DATABASE_URL=f"sqlite+aiosqlite:///{database}"))
    assert result.returncode == 2
    assert "does not exist" in _one_line_error(result) and not database.exists()


@pytest.mark.skipif(not os.environ.get("SLRT_TEST_DATABASE_URL"), reason="needs PostgreSQL: set SLRT_TEST_DATABASE_URL")
def test_serve_on_an_unmigrated_postgresql_database(tmp_path: Path) -> None:
    import asyncio

    from sqlalchemy import text

    from hub.db.engine import create_engine

    base = os.environ["SLRT_TEST_DATABASE_URL"]
    name = f"{base.rsplit('/', 1)[1]}_unmigrated"

    async def recreate() -> None:
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()

    asyncio.run(recreate())
    result = cli("serve", cwd=tmp_path, env=clean_env(SLRT_DATABASE_URL=f"{base.rsplit('/', 1)[0]}/{name}"))
    assert result.returncode == 2
    assert "not migrated" in _one_line_error(result)




def test_token_for_a_demo_that_never_ran_says_how_to_start_one(tmp_path: Path) -> None:
    result = cli("token", "--demo", "--role", "ADMIN", cwd=tmp_path, env=clean_env())
    assert result.returncode != 0 and result.stdout == ""
    assert "make demo" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / ".slrt").exists()
