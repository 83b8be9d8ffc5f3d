"""A single-case lookup: its answer, the area rule for every length of area code, and on
PostgreSQL the one statement on the driver (hub/db/driver_reads.py) compiled once per shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from auth.roles import Role
from hub.container import Hub
from tests.cases.helpers import RECORD, VILLAGE_A, VILLAGE_B, record_input
from tests.conftest import PG_URL

LOOKUP = """query($id: ID!) { case(id: $id) { id number status priority complaint version village { code }
  sectors slaDueAt } }"""


async def _record(as_role: Any, village: str, seed: int, sectors: list[str]) -> dict[str, Any]:
    result = await as_role(Role.FACILITATOR, village)(RECORD, input=record_input(seed, village, sectors=sectors))
    return result["data"]["recordCase"]["case"]


async def test_lookup_follows_the_area_rule_whatever_the_length_of_the_area(as_role: Any) -> None:
    in_a = await _record(as_role, VILLAGE_A, 1, ["HOUSING", "HEALTH", "EDUCATION"])
    in_b = await _record(as_role, VILLAGE_B, 2, ["EMPLOYMENT", "SOCIAL_ASSISTANCE"])
    # Callers of one shape (same length of area code) one after the other: a statement compiled
    # for the first must carry the second one's own area, never the first one's.
    sees = {VILLAGE_A: {in_a["id"]}, VILLAGE_B: {in_b["id"]}, VILLAGE_A[:6]: {in_a["id"]},
            VILLAGE_B[:6]: {in_b["id"]}, "3275": {in_a["id"], in_b["id"]}, "3276": set(),
            "32": {in_a["id"], in_b["id"]}, "31": set(), None: {in_a["id"], in_b["id"]}}
    for area, visible in sees.items():  # AUDITOR: a token of any area, or of none
        caller = as_role(Role.AUDITOR, area)
        for case in (in_a, in_b):
            result = await caller(LOOKUP, id=case["id"])
            if case["id"] in visible:
                shown = result["data"]["case"]
                assert shown["number"] == case["number"] and shown["village"]["code"] == case["village"]["code"]
                # in the order of the Sector enum, as every other read gives them
                assert shown["sectors"] == case["sectors"], (area, shown)
            else:
                assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND", (area, result)
                assert result["data"] is None or result["data"]["case"] is None
    assert in_a["sectors"] == ["HEALTH", "EDUCATION", "HOUSING"]
    assert in_b["sectors"] == ["SOCIAL_ASSISTANCE", "EMPLOYMENT"]


async def test_lookup_on_postgresql_is_one_statement_outside_sqlalchemy(as_role: Any, hub: Hub) -> None:
    case = await _record(as_role, VILLAGE_A, 3, ["HEALTH"])
    through_sqlalchemy: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        through_sqlalchemy.append(statement)

    event.listen(hub.engine.sync_engine, "before_cursor_execute", count)
    try:
        result = await as_role(Role.FRONT_OFFICE, "3275")(LOOKUP, id=case["id"])
    finally:
        event.remove(hub.engine.sync_engine, "before_cursor_execute", count)
    assert result["data"]["case"]["sectors"] == ["HEALTH"]
    if PG_URL:  # the case and its sectors in one statement on asyncpg, which SQLAlchemy does not see
        assert through_sqlalchemy == []
    else:  # the general path: the case, then its sectors through the loader
        assert len(through_sqlalchemy) == 2, through_sqlalchemy


async def test_a_case_without_sectors_looks_up_with_none(as_role: Any, hub: Hub) -> None:
    from sqlalchemy import delete

    from hub.cases.models import CaseSector

    case = await _record(as_role, VILLAGE_A, 4, ["HEALTH"])
    async with hub.engine.begin() as conn:  # not possible through the API; an old row, say
        await conn.execute(delete(CaseSector).where(CaseSector.case_id == case["id"]))
    result = await as_role(Role.FRONT_OFFICE, "3275")(LOOKUP, id=case["id"])
    assert result["data"]["case"]["sectors"] == [] and result["data"]["case"]["slaDueAt"] is None
