"""Concurrent changes: optimistic versions, gap-free numbers, idempotent intake."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import Case
from tests.cases.flow import Flow, document
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.cases.locks import write_lock


async def test_two_concurrent_approvals_one_wins_one_conflicts(as_role: Any, hub: Any, database_url: str) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in("SUBMITTED")
    supervisor_1 = as_role(Role.SUPERVISOR, "327502", sub="supervisor-1")
    supervisor_2 = as_role(Role.SUPERVISOR, "3275", sub="supervisor-2")
    approve = document("approveCase", {})
    async with write_lock(database_url, case_id):
        first = asyncio.create_task(supervisor_1(approve, id=case_id))
        second = asyncio.create_task(supervisor_2(approve, id=case_id))
        # Both read version 1 and queue behind the lock; neither can finish while it is held.
        await asyncio.sleep(0.5)
        assert not first.done() and not second.done()
    results = [(await first)["data"]["approveCase"], (await second)["data"]["approveCase"]]
    outcomes = sorted("ok" if r["errors"] == [] else r["errors"][0]["code"] for r in results)
    assert outcomes == ["CONFLICT", "ok"]
    winner = next(r for r in results if r["errors"] == [])
    assert winner["case"]["version"] == 3  # recorded (1), submitted (2), approved (3)
    check = await supervisor_1("query($id: ID!) { case(id: $id) { status events { action } } }", id=case_id)
    assert [e["action"] for e in check["data"]["case"]["events"]] == ["RECORD", "SUBMIT", "APPROVE"]


async def test_concurrent_intakes_get_gap_free_unique_numbers(as_role: Any, hub: Any) -> None:
    facilitator = as_role(Role.FACILITATOR, VILLAGE_A)
    bad = record_input(999)
    bad["complaint"] = ""
    calls = [facilitator(RECORD, input=record_input(200 + i)) for i in range(20)]
    calls.insert(7, facilitator(RECORD, input=bad))  # a refused intake must not use up a number
    results = await asyncio.gather(*calls)
    numbers = sorted(r["data"]["recordCase"]["case"]["number"] for r in results if r["data"]["recordCase"]["case"])
    year = numbers[0].split("-")[2]
    assert numbers == [f"SLRT-3275-{year}-{i:06d}" for i in range(1, 21)]


async def test_retried_intake_with_the_same_key_returns_the_same_case(as_role: Any, hub: Any) -> None:
    facilitator = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-hp")
    value = record_input(300)
    results = await asyncio.gather(*[facilitator(RECORD, input=value, key="hp-7f3a-0001") for _ in range(5)])
    ids = {r["data"]["recordCase"]["case"]["id"] for r in results}
    assert len(ids) == 1
    again = await facilitator(RECORD, input=value, key="hp-7f3a-0001")
    assert again["data"]["recordCase"]["case"]["id"] in ids
    async with hub.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Case)) == 1


async def test_idempotency_key_belongs_to_its_recorder(as_role: Any, hub: Any) -> None:
    one = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-a")
    two = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-b")
    first = await one(RECORD, input=record_input(301), key="same-key")
    second = await two(RECORD, input=record_input(302), key="same-key")
    assert first["data"]["recordCase"]["case"]["id"] != second["data"]["recordCase"]["case"]["id"]
