"""Issue 11, item 8: facts from personal-data connectors follow the PII rule of their fields.

Without pii:read, needs screening neither calls a personal-data connector (BPJS,
Dukcapil) nor shows what it would say: the rules that read one are listed in
`screeningNotEvaluated` with reason FORBIDDEN. With pii:read, the people whose personal
records fed the screening are in the audit log, as if their fields had been read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from auth.roles import Role
from connectors.sdk import discover
from hub.container import Hub
from hub.demo.seed import seed_demo
from hub.people.models import Person
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.graph.conftest import Simulators, clean_database, connector_settings, hub, simulators  # noqa: F401

PERSONAL = sorted(name for name, c in discover().items() if c.personal_data)  # bpjs, dukcapil
SCREENING = """query($first: Int!) { cases(first: $first) { edges { node { id
  suggestedReferrals { programme subjectKind rule reason facts { name value } }
  screeningNotEvaluated { rule programme unavailable } } } } }"""
GAPS = """query($first: Int!) { cases(first: $first) { edges { node {
  screeningNotEvaluated { rule programme reason forbidden unavailable } } } } }"""


def _nodes(result: dict[str, Any]) -> list[dict[str, Any]]:
    assert "errors" not in result, result["errors"]
    return [e["node"] for e in result["data"]["cases"]["edges"]]


def _personal_facts(nodes: list[dict[str, Any]]) -> list[str]:
    return [f["name"] for n in nodes for s in n["suggestedReferrals"] for f in s["facts"]
            if f["name"].split(".")[1] in PERSONAL]


async def test_without_pii_read_personal_connectors_are_neither_called_nor_shown(
        hub: Hub, as_role: Any, simulators: Simulators) -> None:
    await seed_demo(hub.cases, hub.areas)
    supervisor = as_role(Role.SUPERVISOR, "3275")

    nodes = _nodes(await supervisor(SCREENING, first=30))

    assert _personal_facts(nodes) == []
    calls = await simulators.calls()
    assert {n: calls[n] for n in PERSONAL} == {n: 0 for n in PERSONAL}  # not fetched upstream either
    # what does not read personal data is still screened and shown, with its facts
    assert {s["programme"] for n in nodes for s in n["suggestedReferrals"]} >= {"PIP", "BSPS_RTLH", "DTSEN_USULAN"}
    gaps = [g for n in _nodes(await supervisor(GAPS, first=30)) for g in n["screeningNotEvaluated"]]
    assert {(g["programme"], g["reason"], tuple(g["forbidden"])) for g in gaps} == {
        ("PBI_JK", "FORBIDDEN", ("bpjs",)), ("ADMINDUK", "FORBIDDEN", ("dukcapil",))}
    assert all(g["unavailable"] == [] for g in gaps)


async def test_an_intake_is_no_oracle_for_personal_connectors(hub: Hub, as_role: Any, simulators: Simulators) -> None:
    query = RECORD.replace("errors { code message field }", "errors { code }").replace(
        "id number", "id number suggestedReferrals { programme facts { name value } } screeningNotEvaluated { rule }")
    facilitator = as_role(Role.FACILITATOR, VILLAGE_A)

    result = await facilitator(query, input=record_input(7, VILLAGE_A))

    case = result["data"]["recordCase"]["case"]
    assert _personal_facts([case]) == []
    calls = await simulators.calls()
    assert {n: calls[n] for n in PERSONAL} == {n: 0 for n in PERSONAL}


async def test_with_pii_read_the_screened_people_are_audited(hub: Hub, as_role: Any, simulators: Simulators) -> None:
    await seed_demo(hub.cases, hub.areas)
    front = as_role(Role.FRONT_OFFICE, "3275", sub="fo-screening")

    nodes = _nodes(await front(SCREENING, first=5))  # no NIK, no connector field asked for

    assert _personal_facts(nodes)  # shown with pii:read ...
    async with hub.sessions() as session:
        from hub.cases.models import Case as CaseRow

        households = select(CaseRow.household_id).where(CaseRow.id.in_([n["id"] for n in nodes]))
        screened = set((await session.scalars(select(Person.nik).where(Person.household_id.in_(households)))).all())
    rows = (await hub.audit.page(200)).entries
    assert {r.subject_number for r in rows} == screened  # ... and each screened person is audited
    assert {(r.actor, r.subject_kind.value, r.operation) for r in rows} == {("fo-screening", "NIK", "query cases")}
