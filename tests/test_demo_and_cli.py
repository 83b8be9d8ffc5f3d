"""The README's promises: the demo loads Bekasi cases, and the CLI mints tokens the API accepts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from hub.asgi import create_app
from hub.container import Hub
from hub.demo.runner import prepare_demo
from hub.settings import Settings


async def test_demo_supervisor_of_bekasi_barat_sees_only_its_district(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", data_dir=tmp_path,
                        public_url="http://demo.test")
    tokens = dict(await prepare_demo(settings))
    hub = await Hub.start(settings)
    try:
        app = create_app(settings, hub)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo.test") as client:
            async def cases(label: str) -> list[dict[str, Any]]:
                response = await client.post("/graphql", headers={"authorization": f"Bearer {tokens[label]}"},
                                             json={"query": "{ cases(first: 100) { totalCount edges { node { status village { code } } } } }"})
                return [e["node"] for e in response.json()["data"]["cases"]["edges"]]

            district = await cases("SUPERVISOR (area 327502)")
            everything = await cases("FRONT_OFFICE (area 3275)")
    finally:
        await hub.close()
    assert district and all(c["village"]["code"].startswith("327502") for c in district)
    assert len(everything) > len(district)
    pilot_villages = {c["village"]["code"] for c in everything}
    assert len(pilot_villages) == 9
    statuses = {c["status"] for c in everything}
    assert {"DRAFT", "SUBMITTED", "RETURNED", "APPROVED", "REVIEWED", "RESOLVED", "CLOSED", "REJECTED"} <= statuses


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


async def test_cli_upgrades_the_database_and_its_token_is_accepted(tmp_path: Path) -> None:
    env = {"SLRT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "SLRT_DATA_DIR": str(tmp_path),
           "SLRT_PUBLIC_URL": "http://cli.test"}
    assert _cli("db", "upgrade", env=env).returncode == 0
    minted = _cli("token", "--role", "SUPERVISOR", "--area", "32.75.02", env=env)
    assert minted.returncode == 0, minted.stderr
    refused = _cli("token", "--role", "FACILITATOR", "--area", "3275", env=env)
    assert refused.returncode != 0 and "area" in refused.stderr
    settings = Settings(database_url=env["SLRT_DATABASE_URL"], data_dir=tmp_path, public_url="http://cli.test")
    hub = await Hub.start(settings)
    try:
        app = create_app(settings, hub)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cli.test") as client:
            response = await client.post("/graphql", headers={"authorization": f"Bearer {minted.stdout.strip()}"},
                                         json={"query": "{ cases { totalCount } }"})
            ready = await client.get("/readyz")
    finally:
        await hub.close()
    assert response.json() == {"data": {"cases": {"totalCount": 0}}}
    assert ready.status_code == 200


def test_schema_command_prints_the_sdl() -> None:
    result = _cli("schema", env={})
    assert result.returncode == 0
    assert "recordCase(input: RecordCaseInput!, idempotencyKey: String" in result.stdout
    assert "type Query {" in result.stdout and "cases(filter: CaseFilter" in result.stdout
