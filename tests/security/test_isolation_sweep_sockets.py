"""Issue 11, the sweep over a real WebSocket: every subscription of the schema, opened by the
callers of other areas and another partner (with arguments pointing at the victim's area),
receives nothing while the victim's area works; the victim area's own staff receive it.

Then the control of the mutation sweep (tests/security/test_isolation_sweep.py): the same
mutations, made by the victim area's own staff and partner, do tell the victim from nobody,
so the comparisons there would see a write that went through. It runs here because it
changes the world.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from auth.roles import Role
from hub.settings import Settings
from tests.cases.flow import document
from tests.live.server import serving
from tests.referrals.scenario import CREATE, UPDATE
from tests.security.sockets import Socket
from tests.security.sweep.compare import leaked, normalised
from tests.security.sweep.fixture import served_schema, sweep_world
from tests.security.sweep.operations import Operation, operations, readable_by, render, variants
from tests.security.sweep.runner import secret_kinds
from tests.security.sweep.world import (ATTACKERS, VICTIM_DISTRICT, VICTIM_PROGRAMME, VICTIM_RECORDER,
                                        VICTIM_VILLAGE, Caller, World)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@dataclass
class Served:
    world: World
    app: Any
    ops: list[Operation]


@pytest.fixture(scope="module")
async def served(settings: Settings, migrated: str) -> AsyncIterator[Served]:
    async with sweep_world(settings) as (world, app):
        await world.seed_victim()
        yield Served(world, app, operations(served_schema()))


async def _subscribe(socket: Socket, caller: Caller, ops: list[Operation], world: dict[str, list[Any]]) -> None:
    readable = readable_by(await caller.actor())
    for op in ops:
        for i in range(variants(op, world)):
            await socket.start(f"{op.label} [{i}]", op.document(readable), **render(op.arguments, world, i, {}))


async def _work_in_the_victim_area(world: World) -> None:
    """What the victim's area does in a morning: a submission, an approval, a referral, the
    partner's progress."""
    cases = world.victim["case_id"]
    recorder = world.caller(Role.FACILITATOR, VICTIM_VILLAGE, sub=VICTIM_RECORDER)
    await recorder.ok(document("submitCase", {}), id=cases[0])
    await world.caller(Role.SUPERVISOR, VICTIM_DISTRICT).ok(document("approveCase", {}), id=cases[1])
    await world.caller(Role.BACK_OFFICE, "3275").ok(CREATE, input={
        "caseId": cases[3], "programmeCode": VICTIM_PROGRAMME, "reason": "perlu JKN"})
    partner_a = world.caller(Role.PARTNER, sub=world.client_ids["A"], partner="A")
    await partner_a.ok(UPDATE, input={"id": world.victim["referral_id"][0], "status": "IN_PROGRESS"})


async def test_subscriptions_of_other_areas_receive_nothing(served: Served) -> None:
    world = served.world
    subscriptions = [op for op in served.ops if op.kind == "subscription"]
    assert {op.name for op in subscriptions} >= {"caseEvents", "referralUpdates"}
    insiders = {"SUPERVISOR of the district": world.caller(Role.SUPERVISOR, VICTIM_DISTRICT),
                "PARTNER the referral went to": world.caller(Role.PARTNER, sub=world.client_ids["A"], partner="A")}
    callers = {**{name: world.attacker(name) for name in ATTACKERS}, **insiders}
    async with serving(served.app) as url:
        sockets = {name: await Socket.open(url, caller.token) for name, caller in callers.items()}
        try:
            for name, socket in sockets.items():
                victim = world.worlds(name)[0] if name in ATTACKERS else world.victim
                await _subscribe(socket, callers[name], subscriptions, victim)
            # every subscription registered (and any refusal heard) before the work starts
            received = {name: await socket.received(quiet=0.3) for name, socket in sockets.items()}
            await _work_in_the_victim_area(world)
            for name, socket in sockets.items():
                received[name] += await socket.received(quiet=1.5)
        finally:
            for socket in sockets.values():
                await socket.close()

    for name in ATTACKERS:
        messages = received[name]
        assert [m for m in messages if m["type"] == "next"] == [], (name, messages)
        assert not leaked(messages, world.secrets, {}), (name, messages)
    # the control: the victim area's staff heard every subscription the schema has
    heard = {m["id"].split(" [")[0] for name in insiders for m in received[name] if m["type"] == "next"}
    assert heard >= {op.label for op in subscriptions if not op.bare}, heard


async def test_the_victim_areas_own_staff_can_make_each_change(served: Served) -> None:
    """Every mutation that points at the victim's records answers its own staff differently
    from nobody (done, or refused for the record's state rather than not found)."""
    world = served.world
    # The partner before the ADMIN: the ADMIN's disablePartner refuses partner A's tokens from then on.
    staff = [world.caller(Role.FACILITATOR, VICTIM_VILLAGE, sub=VICTIM_RECORDER),
             world.caller(Role.SUPERVISOR, VICTIM_DISTRICT), world.caller(Role.FRONT_OFFICE, "3275"),
             world.caller(Role.BACK_OFFICE, "3275"),
             world.caller(Role.PARTNER, sub=world.client_ids["A"], partner="A"), world.caller(Role.ADMIN)]
    mutations = [op for op in served.ops if op.kind == "mutation" and secret_kinds(op)]
    told: set[str] = set()
    for caller in staff:
        readable = readable_by(await caller.actor())
        for op in mutations:
            for i in range(variants(op, world.victim)):
                mine, nobody = {}, {}
                _, v = await caller.post(op.document(readable), render(op.arguments, world.victim, i, mine))
                _, p = await caller.post(op.document(readable), render(op.arguments, world.phantom, i, nobody))
                if json.dumps(normalised(v, mine)) != json.dumps(normalised(p, nobody)) or leaked(
                        v, world.secrets, mine):
                    told.add(op.name)
    assert told == {op.name for op in mutations}
