"""Found by the isolation sweep: a field refused on one object must not crash the request.

When a non-null field fails (here `pendingHouseholdMove`, FORBIDDEN to the back office),
graphql-core cancels the object's other fields. A cancelled field that was waiting for a
data loader's shared result used to cancel that result for every other field waiting for the
same key — here the household of a person of the same family — which then raised
CancelledError out of the request: no answer, no masked error, a traceback in the server log.
"""

from __future__ import annotations

from typing import Any

from auth.roles import Role
from tests.cases.helpers import RECORD, VILLAGE_A, record_input

ENTITIES = """query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Case { household { id } pendingHouseholdMove }
  ... on Person { household { id } } } }"""


async def test_a_forbidden_field_of_one_entity_leaves_the_others_answered(as_role: Any) -> None:
    value = record_input(61, VILLAGE_A)
    recorded = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    case = recorded["data"]["recordCase"]["case"]
    head = value["household"]["members"][0]["nik"]
    back_office = as_role(Role.BACK_OFFICE, "3275")

    got = await back_office(ENTITIES, reps=[{"__typename": "Case", "id": case["id"]},
                                            {"__typename": "Person", "nik": head}])

    household = (await as_role(Role.FRONT_OFFICE, "3275")(
        "query($kk: String!) { household(kkNumber: $kk) { id } }", kk=value["household"]["kkNumber"]))
    assert got["data"]["_entities"] == [None, {"household": household["data"]["household"]}]
    assert [(e["path"], e["extensions"]["code"]) for e in got["errors"]] == [
        (["_entities", 0, "pendingHouseholdMove"], "FORBIDDEN")]
