"""The hub's SDL composes with Apollo's real tools, and a gateway query crosses both subgraphs."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from auth.roles import Role
from hub.asgi import create_app
from schema import build_schema
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.federation.training_subgraph import app as training_app
from tests.federation.training_subgraph import schema as training_schema

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def _node_ready() -> str | None:
    """Why the Node tools cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "Node.js is not installed: the Apollo composition check needs it (CI always runs it)"
    if not (HERE / "node_modules" / "@apollo" / "composition").is_dir():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True,
                              timeout=600)
        if done.returncode != 0:
            return f"npm ci failed in tests/federation: {done.stderr[-500:]}"
    return None


def test_checked_in_sdl_is_current() -> None:
    checked_in = (ROOT / "schema.graphql").read_text()
    assert build_schema(debug=True).as_str() + "\n" == checked_in, (
        "schema.graphql is out of date: run `slrt-hub schema > schema.graphql` and commit it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _serve(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    return server, task


async def test_gateway_query_crosses_the_hub_and_another_subgraph(hub: Any, settings: Any, as_role: Any,
                                                                    tmp_path: Path) -> None:
    if reason := _node_ready():
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI always runs the composition check
        pytest.skip(reason)
    (tmp_path / "hub.graphql").write_text(build_schema(debug=False).as_str())
    (tmp_path / "training.graphql").write_text(training_schema.as_str())
    composed = subprocess.run(["node", str(HERE / "compose.mjs"), f"hub={tmp_path / 'hub.graphql'}",
                               f"training={tmp_path / 'training.graphql'}"], capture_output=True, text=True, timeout=120)
    assert composed.returncode == 0, composed.stderr
    (tmp_path / "supergraph.graphql").write_text(composed.stdout)

    front_office = as_role(Role.FRONT_OFFICE, "3275")
    value = record_input(41, VILLAGE_A)
    recorded = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    case_id = recorded["data"]["recordCase"]["case"]["id"]

    hub_port, training_port, gateway_port = _free_port(), _free_port(), _free_port()
    hub_server, hub_task = await _serve(create_app(settings, hub), hub_port)
    training_server, training_task = await _serve(training_app, training_port)
    gateway = await asyncio.create_subprocess_exec(
        "node", str(HERE / "gateway.mjs"), str(tmp_path / "supergraph.graphql"), str(gateway_port),
        f"hub=http://127.0.0.1:{hub_port}/graphql", f"training=http://127.0.0.1:{training_port}/graphql",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        line = await asyncio.wait_for(gateway.stdout.readline(), timeout=60)  # type: ignore[union-attr]
        assert b"gateway ready" in line, line
        query = """query($id: ID!) { case(id: $id) { number household { members { name nik trainings { programme } } } } }"""
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"http://127.0.0.1:{gateway_port}/",
                                         json={"query": query, "variables": {"id": case_id}},
                                         headers={"authorization": f"Bearer {front_office.token}"})
        body = response.json()
        assert "errors" not in body, body
        members = body["data"]["case"]["household"]["members"]
        expected = {m["nik"]: (["PELATIHAN_KERJA"] if int(m["nik"][-1]) % 2 else [])
                    for m in value["household"]["members"]}
        assert {m["nik"]: [t["programme"] for t in m["trainings"]] for m in members} == expected
        # The same rules hold behind the gateway: no token, no data.
        async with httpx.AsyncClient(timeout=30) as client:
            anonymous = await client.post(f"http://127.0.0.1:{gateway_port}/",
                                          json={"query": query, "variables": {"id": case_id}})
        assert anonymous.json().get("data", {}) in (None, {"case": None})
    finally:
        gateway.terminate()
        await gateway.wait()
        for server, task in ((hub_server, hub_task), (training_server, training_task)):
            server.should_exit = True
            await task


async def test_entities_resolve_in_one_batch_under_the_area_rule(as_role: Any, hub: Any) -> None:
    values = [record_input(50 + i, VILLAGE_A) for i in range(3)]
    ids = []
    for v in values:
        ids.append((await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=v))["data"]["recordCase"]["case"]["id"])
    other = record_input(60, "3275011002")
    other_id = (await as_role(Role.FACILITATOR, "3275011002")(RECORD, input=other))["data"]["recordCase"]["case"]["id"]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Case { number } ... on Person { name } } }"""
    reps = [{"__typename": "Case", "id": i} for i in [*ids, other_id]]
    reps += [{"__typename": "Person", "nik": v["household"]["members"][0]["nik"]} for v in values]
    statements: list[str] = []
    from sqlalchemy import event

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(hub.engine.sync_engine, "before_cursor_execute", count)
    try:
        # A role holding pii:read (a token may not add it to a SUPERVISOR's scopes): the regency's.
        result = await as_role(Role.FRONT_OFFICE, "3275")(query, r=reps)
    finally:
        event.remove(hub.engine.sync_engine, "before_cursor_execute", count)
    entities = result["data"]["_entities"]
    assert [e is not None for e in entities] == [True] * 7
    assert len(statements) == 2  # one for the cases, one for the people — not one per representation
    district = await as_role(Role.SUPERVISOR, "327502")(query, r=reps[:4])  # the area rule
    assert [e is not None for e in district["data"]["_entities"]] == [True, True, True, False]
    no_pii = await as_role(Role.SUPERVISOR, "327502")(query, r=reps[-1:])
    assert no_pii["errors"][0]["extensions"]["code"] == "FORBIDDEN"
