"""Issue 11, the sweep: no operation of the schema lets another area, or another partner, read
or change one area's case, household, people or referral, nor tell them from ids that do
not exist.

The operations are read from the schema itself (query, mutation and subscription roots), so
one added later is swept without anyone remembering to: its arguments are built from their
types (tests/security/sweep/operations.py) and the sweep stops when it meets one it cannot
fill. Each caller runs each operation twice: with the victim's ids and numbers, and with
never-seen twins of the same shape. Both answers, normalised for the values sent, must be
equal; neither may show a secret of the victim's area; a mutation may change no existing row
and link no new one to the victim's. List operations must answer as they did before the
victim's area had any record. Subscriptions: tests/security/test_isolation_sweep_sockets.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import build_schema as parse_sdl

from auth.roles import Role
from hub.settings import Settings
from tests.security.sweep.fixture import full_schema, served_schema, sweep_world
from tests.security.sweep.operations import (CannotBuild, Operation, kinds_in, operations, readable_by, render,
                                             root_fields, variants)
from tests.security.sweep.runner import Sweeper
from tests.security.sweep.world import ATTACKERS, VICTIM_DISTRICT, Caller, World

# Kinds of value that exist before the victim's area has any record (their ids come later).
KNOWN_BEFORE = {"kk", "nik", "identity_number", "head_nik", "members", "idempotency_key", "complaint_words",
                "area", "village", "programme_code", "partner_id"}
# Reads that must show the victim's records to the victim area's own staff: the control that
# proves the sweep would see a leak where it looks.
MUST_SHOW_INSIDERS = {"case", "caseByNumber", "cases", "household", "person", "_entities", "referral",
                      "referrals", "statistics", "auditLog"}


INSIDERS = ("SUPERVISOR of the district", "FRONT_OFFICE of the regency", "BACK_OFFICE of the regency",
            "AUDITOR", "PARTNER the referral went to")


def _insider(world: World, name: str) -> Caller:
    return {"SUPERVISOR of the district": lambda: world.caller(Role.SUPERVISOR, VICTIM_DISTRICT),
            "FRONT_OFFICE of the regency": lambda: world.caller(Role.FRONT_OFFICE, "3275"),
            "BACK_OFFICE of the regency": lambda: world.caller(Role.BACK_OFFICE, "3275"),
            "AUDITOR": lambda: world.caller(Role.AUDITOR),
            "PARTNER the referral went to": lambda: world.caller(Role.PARTNER, sub=world.client_ids["A"], partner="A"),
            }[name]()


@dataclass
class Sweep:
    world: World
    ops: list[Operation]
    before: dict[str, dict[tuple[str, int], Any]]  # caller → (operation, variant) → answer


async def _reads(world: World, caller: Caller, victim: dict[str, list[Any]],
                 ops: list[Operation]) -> dict[tuple[str, int], Any]:
    """The answers to every read whose arguments exist before the victim has records."""
    answers = {}
    readable = readable_by(await caller.actor())
    for op in ops:
        if op.kind == "query":
            for i in range(variants(op, victim)):
                sent: dict[str, str] = {}
                answers[(op.label, i)] = await caller.post(op.document(readable),
                                                           render(op.arguments, victim, i, sent))
    return answers


@pytest.fixture(scope="module")
async def sweep(settings: Settings, migrated: str) -> AsyncIterator[Sweep]:
    ops = operations(served_schema())
    async with sweep_world(settings) as (world, _app):
        before_ops = [op for op in ops if op.kind == "query" and _known_before(op)]
        before = {}
        # insiders first: their clear reads (audit rows about the other areas) are part of the
        # world the attackers then look at
        for name in INSIDERS:
            before[name] = await _reads(world, _insider(world, name), world.victim, before_ops)
        for name in ATTACKERS:
            before[name] = await _reads(world, world.attacker(name), world.worlds(name)[0], before_ops)
        await world.seed_victim()
        yield Sweep(world, ops, before)


def _known_before(op: Operation) -> bool:
    return kinds_in(op.arguments) <= KNOWN_BEFORE


def test_every_operation_of_the_schema_is_swept() -> None:
    ops = operations(served_schema())
    swept = {(op.kind, op.name) for op in ops}
    assert swept == {(kind, name) for kind, name, _ in root_fields(full_schema())}
    assert {"recordCase", "caseEvents", "_entities", "updateReferralStatus"} <= {name for _, name in swept}


def test_an_operation_the_sweep_cannot_fill_stops_it() -> None:
    """A new argument nobody described (here a NIK under another name) fails the sweep."""
    schema = parse_sdl("type Query { ok: String\n  cariWarga(nomorKtp: String!): String }")
    with pytest.raises(CannotBuild, match="nomorKtp"):
        operations(schema)
    with pytest.raises(CannotBuild, match="which record"):
        operations(parse_sdl("type Query { ok: String }\ntype Mutation { hapus(id: ID!): Boolean }"))


@pytest.mark.parametrize("attacker", list(ATTACKERS))
async def test_another_area_finds_nothing_of_the_victim(sweep: Sweep, attacker: str) -> None:
    victim, phantom = sweep.world.worlds(attacker)
    runnable = [op for op in sweep.ops if op.kind != "subscription"]
    problems = await Sweeper(sweep.world, sweep.world.attacker(attacker), victim, phantom).run(runnable)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("attacker", list(ATTACKERS))
async def test_reads_answer_as_before_the_victim_had_records(sweep: Sweep, attacker: str) -> None:
    caller, (victim, _) = sweep.world.attacker(attacker), sweep.world.worlds(attacker)
    ops = [op for op in sweep.ops if op.kind == "query" and _known_before(op)]
    assert {op.name for op in ops} >= {"cases", "referrals", "statistics", "auditLog", "household", "person"}
    after = await _reads(sweep.world, caller, victim, ops)
    changed = [key for key in after if after[key] != sweep.before[attacker][key]]
    assert not changed, "\n".join(f"{k}: before {sweep.before[attacker][k]}\n  after {after[k]}" for k in changed)


async def test_the_victim_areas_own_staff_do_see_it(sweep: Sweep) -> None:
    """The control: the same operations, run by the victim area's staff and partner, do tell
    the victim from nobody, or from the world before, so the comparisons above would catch a leak."""
    world = sweep.world
    reads = [op for op in sweep.ops if op.kind == "query"]
    before_ops = [op for op in reads if _known_before(op)]
    shown = set()
    for name in INSIDERS:
        caller = _insider(world, name)
        sweeper = Sweeper(world, caller, world.victim, world.phantom)
        await sweeper.run(reads)
        shown |= {p.split(" ", 2)[1] for p in sweeper.problems if " differs " in p or " shows " in p}
        after = await _reads(world, caller, world.victim, before_ops)
        shown |= {label.split(" ")[1] for label, _ in after if after[(label, _)] != sweep.before[name][(label, _)]}
    assert shown >= MUST_SHOW_INSIDERS
