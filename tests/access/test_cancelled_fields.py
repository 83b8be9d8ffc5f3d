"""A refused field cancels its siblings mid-statement: every database connection goes back to
the pool all the same (hub/db/engine.py `StatementSession`).

Before, a sibling cancelled while its statement ran left its connection checked out until
the garbage collector found it ("non-checked-in connection"): a caller repeating a query
with a field it may not read could drain the pool.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from auth.roles import Role
from hub.container import Hub
from tests.cases.helpers import RECORD, VILLAGE_A, record_input

# auditLog is non-null and needs audit:read: refused for FRONT_OFFICE, it nulls the whole
# answer, and graphql-core cancels the root fields still running, caseByNumber among them.
REFUSED_BESIDE_A_READ = """query($n: String!) {
  caseByNumber(number: $n) { id sectors household { kkNumber members { nik } } }
  cases(first: 5) { edges { node { id sectors } } }
  auditLog { edges { cursor } }
}"""


async def test_connections_come_back_when_a_refused_field_cancels_its_siblings(as_role: Any, hub: Hub) -> None:
    recorded = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=record_input(1))
    number = recorded["data"]["recordCase"]["case"]["number"]
    front_office = as_role(Role.FRONT_OFFICE, "3275")
    pool = hub.engine.sync_engine.pool
    gc.disable()  # a leaked connection is given back only by the collector: keep it from hiding one
    try:
        for _ in range(10):
            result = await front_office(REFUSED_BESIDE_A_READ, n=number)
            assert result["data"] is None
            assert [e["extensions"]["code"] for e in result["errors"]] == ["FORBIDDEN"]
        for _ in range(100):  # the cancelled statements finish in their own time, then give back
            if pool.checkedout() == 0:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        assert pool.checkedout() == 0, pool.status()  # type: ignore[attr-defined]
    finally:
        gc.enable()
