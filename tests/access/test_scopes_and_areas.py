"""A valid token without the scope gets FORBIDDEN; another village's case does not exist."""

from __future__ import annotations

from auth.roles import Role, Scope
from tests.cases.helpers import RECORD, VILLAGE_A, VILLAGE_B, record_input, transition

LIST = "{ cases(first: 50) { totalCount edges { node { id number } } } }"
ONE = "query($id: ID!) { case(id: $id) { id } }"
BY_NUMBER = "query($n: String!) { caseByNumber(number: $n) { id } }"


async def _record_in_b(as_role) -> dict:
    result = await as_role(Role.FACILITATOR, VILLAGE_B, sub="fasilitator-b")(RECORD, input=record_input(7, VILLAGE_B))
    return result["data"]["recordCase"]["case"]


async def test_a_token_without_the_scope_is_forbidden(as_role):
    no_read = as_role(Role.FACILITATOR, VILLAGE_A, scopes=frozenset({Scope.CASE_WRITE}))
    result = await no_read(LIST)
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    no_write = as_role(Role.FACILITATOR, VILLAGE_A, scopes=frozenset({Scope.CASE_READ}))
    result = await no_write(RECORD, input=record_input(3))
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await as_role(Role.FACILITATOR, VILLAGE_A)(LIST))["data"]["cases"]["totalCount"] == 0  # nothing written


async def test_a_facilitator_of_village_a_never_sees_a_case_of_village_b(as_role):
    theirs = await _record_in_b(as_role)
    mine = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-a")
    for document, variables in ((ONE, {"id": theirs["id"]}), (BY_NUMBER, {"n": theirs["number"]})):
        result = await mine(document, **variables)
        assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND", result
        assert "FORBIDDEN" not in str(result)
    listed = (await mine(LIST))["data"]["cases"]
    assert listed == {"totalCount": 0, "edges": []}
    # The owner does see it, so the absence above is the area rule, not an empty database.
    owner = (await as_role(Role.FACILITATOR, VILLAGE_B, sub="fasilitator-b")(LIST))["data"]["cases"]
    assert owner["totalCount"] == 1


async def test_a_facilitator_of_village_a_cannot_change_a_case_of_village_b(as_role):
    theirs = await _record_in_b(as_role)
    mine = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-b")  # even under the recorder's own name
    result = await mine(transition("submitCase"), id=theirs["id"])
    assert [e["code"] for e in result["data"]["submitCase"]["errors"]] == ["NOT_FOUND"]
    result = await mine(transition("resolveLocally", "note: String!"), id=theirs["id"], note="sudah dibantu")
    assert [e["code"] for e in result["data"]["resolveLocally"]["errors"]] == ["NOT_FOUND"]
    still = await as_role(Role.FACILITATOR, VILLAGE_B, sub="fasilitator-b")(ONE.replace("{ id }", "{ status }"),
                                                                          id=theirs["id"])
    assert still["data"]["case"]["status"] == "DRAFT"
