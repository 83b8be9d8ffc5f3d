"""The PII rule: identity numbers masked without pii:read, every clear read audited."""

from __future__ import annotations

import dataclasses
import re

import httpx

from auth.roles import Role
from hub.access.audit import AuditLog
from hub.asgi import create_app
from hub.db.engine import create_engine, create_session_factory
from tests.cases.helpers import RECORD, VILLAGE_A, record_input

SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")
GRAPH = """{ cases(first: 10) { edges { node { complaint household { kkNumber members { nik } }
             subjects { nik household { kkNumber } } } } } }"""
AUDIT = """query($nik: String, $after: String) { auditLog(first: 2, nik: $nik, after: $after) {
  edges { cursor node { at actor actorRole clientId subjectKind subject operation clientIp requestId } }
  pageInfo { hasNextPage endCursor } } }"""


async def _record(as_role, seed: int = 1, **overrides) -> dict:
    value = record_input(seed, VILLAGE_A, **overrides)
    result = await as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")(RECORD, input=value)
    assert result["data"]["recordCase"]["errors"] == [], result
    return value


async def test_without_pii_read_numbers_are_masked_everywhere(as_role):
    value = await _record(as_role)
    nik = value["household"]["members"][0]["nik"]
    facilitator = as_role(Role.FACILITATOR, VILLAGE_A)
    result = await facilitator(GRAPH)
    node = result["data"]["cases"]["edges"][0]["node"]
    assert node["subjects"][0]["nik"] == nik[:4] + "*" * 12
    assert not SIXTEEN.search(str(result)), result
    # Lists in a recordCase payload are masked for the recorder too.
    again = await facilitator(RECORD, input=record_input(2, VILLAGE_A))
    assert not SIXTEEN.search(str(again))


async def test_a_nik_in_free_text_is_masked_too(as_role):
    value = await _record(as_role, complaint="Tetangga dengan NIK 3275014101850001 juga butuh bantuan")
    assert value  # recorded
    result = await as_role(Role.SUPERVISOR, "3275")(GRAPH)
    assert "3275************" in result["data"]["cases"]["edges"][0]["node"]["complaint"]
    assert not SIXTEEN.search(str(result))


async def test_lookups_by_number_need_pii_read(as_role):
    value = await _record(as_role)
    nik, kk = value["household"]["members"][0]["nik"], value["household"]["kkNumber"]
    for role, area in ((Role.FACILITATOR, VILLAGE_A), (Role.SUPERVISOR, "3275"), (Role.AUDITOR, None)):
        api = as_role(role, area)
        for query in (f'{{ person(nik: "{nik}") {{ name }} }}', f'{{ household(kkNumber: "{kk}") {{ address }} }}'):
            result = await api(query)
            assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, result)
            assert not any((result["data"] or {}).values())


async def test_every_clear_read_is_audited_and_auditors_page_through_it(as_role, hub):
    value = await _record(as_role)
    nik, kk = value["household"]["members"][0]["nik"], value["household"]["kkNumber"]
    front = as_role(Role.FRONT_OFFICE, "3275", sub="fo-siti")
    result = await front(f'{{ person(nik: "{nik}") {{ nik name household {{ kkNumber }} }} }}')
    assert result["data"]["person"]["nik"] == nik
    await front(GRAPH)
    auditor = as_role(Role.AUDITOR, None, sub="inspektorat-1")
    page = (await auditor(AUDIT, nik=nik))["data"]["auditLog"]
    entries = [e["node"] for e in page["edges"]]
    assert [e["operation"] for e in entries] == ["query cases", "query person"]  # newest first
    first = entries[-1]
    assert (first["actor"], first["actorRole"], first["subjectKind"], first["clientIp"]) == (
        "fo-siti", "FRONT_OFFICE", "NIK", "127.0.0.1")
    assert first["at"] and first["requestId"]
    assert first["subject"] == nik[:4] + "*" * 12  # the auditor holds no pii:read
    kk_reads = (await auditor(AUDIT, nik=kk))["data"]["auditLog"]["edges"]
    assert {e["node"]["subjectKind"] for e in kk_reads} == {"KK"}
    # Paging: 4 members' NIKs + KK numbers were read by `cases`; pages of 2 cover them all, no repeats.
    seen, after = [], None
    while True:
        page = (await auditor(AUDIT, after=after))["data"]["auditLog"]
        seen += [e["cursor"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == len((await hub.audit.page(200)).entries)


async def test_masked_reads_are_not_audited(as_role, hub):
    await _record(as_role)
    await as_role(Role.SUPERVISOR, "3275")(GRAPH)
    assert (await hub.audit.page(10)).entries == []


async def test_the_audit_log_is_for_audit_read_only_and_has_no_write_path(as_role, hub):
    result = await as_role(Role.FRONT_OFFICE, "3275")(AUDIT)
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    mutations = hub_schema_mutations()
    assert not [m for m in mutations if "audit" in m.lower()], mutations
    bad = await as_role(Role.AUDITOR)(AUDIT, nik="12345")
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def hub_schema_mutations() -> list[str]:
    from schema import build_schema

    return list(build_schema(debug=True)._schema.mutation_type.fields)


async def test_without_its_audit_record_no_number_is_shown(as_role, hub, settings, tmp_path):
    value = await _record(as_role)
    nik = value["household"]["members"][0]["nik"]
    # A real audit log over a database that lacks the table: every write fails.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    broken = dataclasses.replace(hub, audit=AuditLog(create_session_factory(engine)))
    transport = httpx.ASGITransport(app=create_app(settings, broken), client=("127.0.0.1", 50002))
    token = hub.issuer.issue(subject="fo-1", role=Role.FRONT_OFFICE, area="3275")
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        response = await client.post("/graphql", json={"query": f'{{ person(nik: "{nik}") {{ nik }} }}'},
                                     headers={"authorization": f"Bearer {token}"})
    await engine.dispose()
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert nik not in response.text
