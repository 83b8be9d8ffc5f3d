"""The logs of a whole workflow — requests, SQL with parameters, refusals, errors — hold no
NIK or KK number in clear (SPEC section 10), as written by the hub's own log pipeline."""

from __future__ import annotations

import io
import logging

from auth.roles import Role
from hub.observability.logs import JsonFormatter
from tests.cases.flow import Flow
from tests.cases.helpers import RECORD, VILLAGE_A, record_input


async def test_a_full_workflow_logs_no_identity_number_in_clear(as_role, client):
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.setFormatter(JsonFormatter())
    root, sql = logging.getLogger(), logging.getLogger("sqlalchemy.engine")
    levels = root.level, sql.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.INFO)  # the worst case: every statement with its parameters
    try:
        flow = Flow(as_role)
        case_id = await flow.case_in("REVIEWED")
        value = record_input(77, VILLAGE_A)
        nik, kk = value["household"]["members"][0]["nik"], value["household"]["kkNumber"]
        await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
        front = as_role(Role.FRONT_OFFICE, "3275")
        await front(f'{{ person(nik: "{nik}") {{ nik name household {{ kkNumber }} }} }}')
        await front(f'{{ household(kkNumber: "{kk}") {{ members {{ nik }} }} }}')
        await front('query($id: ID!) { case(id: $id) { household { kkNumber members { nik } } } }', id=case_id)
        bad = record_input(78, VILLAGE_A)
        bad["household"]["members"][1]["birthDate"] = "1901-01-01"  # disagrees with its NIK
        await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=bad)
        await as_role(Role.AUDITOR)('query($n: String) { auditLog(nik: $n) { edges { node { subject } } } }', n=nik)
        await client.post("/graphql", json={"query": f'{{ person(nik: "{nik}") {{ name }} }}'},
                          headers={"authorization": f"Bearer {nik}"})  # a refused "token"
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        sql.setLevel(levels[1])
    logged = sink.getvalue()
    assert "INSERT INTO persons" in logged and "audit_log" in logged  # the capture saw the work
    numbers = {nik, kk} | {m["nik"] for m in value["household"]["members"] + bad["household"]["members"]}
    leaked = [n for n in numbers if n in logged]
    assert not leaked, leaked
