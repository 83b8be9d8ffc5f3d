"""Running every operation as one caller, in the victim's world and in nobody's, and saying
what differs: answers, leaked secrets, INTERNAL errors, rows written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.security.sweep.compare import (Rows, diff, internal_errors, leaked, nested_errors, normalised,
                                          restore, snapshot)
from tests.security.sweep.operations import Operation, kinds_in, readable_by, render, variants
from tests.security.sweep.world import SECRET_KINDS, Caller, World


@dataclass
class Answer:
    status: int
    body: Any
    sent: dict[str, str]
    change: dict[str, Any] = field(default_factory=dict)  # for a mutation: the shape of what it wrote

    @property
    def seen(self) -> tuple[int, Any, dict[str, Any]]:
        return self.status, normalised(self.body, self.sent), self.change


class Sweeper:
    """One caller against every operation; `problems` lists what gave the victim away."""

    def __init__(self, world: World, caller: Caller, victim: dict[str, list[Any]],
                 phantom: dict[str, list[Any]]) -> None:
        self.world, self.caller, self.victim, self.phantom = world, caller, victim, phantom
        self.problems: list[str] = []
        self._phantom_answers: dict[str, Answer] = {}
        self._rows: Rows = {}
        self._documents: dict[str, str] = {}

    async def run(self, ops: list[Operation]) -> list[str]:
        readable = readable_by(await self.caller.actor())
        self._documents = {op.label: op.document(readable) for op in ops}
        self._rows = await snapshot(self.world.hub.engine)
        start = self._rows
        for op in ops:
            for i in range(variants(op, self.victim)):
                await self.compare(op, i)
        after = await snapshot(self.world.hub.engine)
        if touched := diff(start, after).shape_nonempty():
            self.problems.append(f"queries wrote to the database: {touched}")
        return self.problems

    async def compare(self, op: Operation, i: int) -> None:
        mine = await self.answer(op, self.victim, i)
        key = op.label + json.dumps(render(op.arguments, self.phantom, i, {}), sort_keys=True)
        if key not in self._phantom_answers:
            self._phantom_answers[key] = await self.answer(op, self.phantom, i)
        nobody = self._phantom_answers[key]
        where = f"{op.label} [variant {i}]"
        if mine.seen != nobody.seen:
            self.problems.append(f"{where}: the answer about the victim differs from the answer about nobody\n"
                                 f"  victim:  {json.dumps(mine.seen)[:1500]}\n  nobody:  {json.dumps(nobody.seen)[:1500]}")
        if found := leaked(mine.body, self.world.secrets, mine.sent):
            self.problems.append(f"{where}: the answer shows {sorted(found)}")
        for answer in (mine, nobody):
            if errors := internal_errors(answer.body):
                self.problems.append(f"{where}: INTERNAL error {errors}")
        if hidden := nested_errors(mine.body):
            self.problems.append(f"{where}: errors inside the answer may hide the rest of it; leave the field out "
                                 f"for this caller (operations.readable_by): {hidden}")

    async def answer(self, op: Operation, world: dict[str, list[Any]], i: int) -> Answer:
        sent: dict[str, str] = {}
        variables = render(op.arguments, world, i, sent)
        status, body = await self.caller.post(self._documents[op.label], variables)
        answer = Answer(status, body, sent)
        if op.kind == "mutation":
            answer.change = await self._check_writes(op, i, world is self.victim)
        return answer

    async def _check_writes(self, op: Operation, i: int, victim: bool) -> dict[str, Any]:
        """What the mutation wrote: no existing row may change, no new row may point at one of
        the victim's; new rows (one's own intake) are undone so every operation meets the same world."""
        engine = self.world.hub.engine
        after = await snapshot(engine)
        change = diff(self._rows, after)
        where = f"{op.label} [variant {i}, {'victim' if victim else 'nobody'}]"
        if touched := change.touches(self._rows):
            self.problems.append(f"{where}: changed existing rows {touched}")
        if linked := change.refers_to(self.world.record_ids):
            self.problems.append(f"{where}: new rows point at the victim's records {linked}")
        if change.added or change.changed or change.removed:
            await restore(engine, self._rows, after)
            if diff(self._rows, await snapshot(engine)).shape_nonempty():
                raise AssertionError("the sweep cannot go on: a write it cannot undo\n" + "\n".join(self.problems))
        return change.shape


def secret_kinds(op: Operation) -> set[str]:
    return kinds_in(op.arguments) & set(SECRET_KINDS)
