"""Every path of the SPEC section 4 table over HTTP, every refused transition, every refused role."""

from __future__ import annotations

from typing import Any

import pytest

from auth.roles import Role
from tests.cases.flow import RECORDER, ROUTES, Flow, document
from tests.cases.helpers import VILLAGE_A

F, P, SV, FO, BO, AU, AD, PA = (Role.FACILITATOR, Role.PUSKESOS_OPERATOR, Role.SUPERVISOR, Role.FRONT_OFFICE,
                                Role.BACK_OFFICE, Role.AUDITOR, Role.ADMIN, Role.PARTNER)

# SPEC section 4, written out independently of hub/cases/workflow.py:
# mutation -> (arguments, statuses it moves from, resulting status or None, roles that may do it)
TABLE: dict[str, tuple[dict[str, Any], set[str], str | None, set[Role]]] = {
    "submitCase": ({}, {"DRAFT", "RETURNED"}, "SUBMITTED", {F}),  # the recorder (a facilitator here)
    "resolveLocally": ({"note": "PSKS helped"}, {"DRAFT", "SUBMITTED"}, "RESOLVED", {F, P, SV}),
    "returnCase": ({"reason": "fix the address"}, {"SUBMITTED"}, "RETURNED", {SV}),
    "approveCase": ({}, {"SUBMITTED"}, "APPROVED", {SV}),
    "reviewCase": ({"input": {"sectors": ["HEALTH", "SOCIAL_ASSISTANCE"], "priority": "URGENT", "note": "PBI-JK"}},
                   {"APPROVED"}, "REVIEWED", {FO}),
    "rejectCase": ({"reason": "out of scope"}, {"SUBMITTED", "APPROVED", "REVIEWED"}, "REJECTED", {SV, FO}),
    "resolveCase": ({"note": "done"}, {"REFERRED"}, "RESOLVED", {BO}),
    "closeCase": ({}, {"RESOLVED"}, "CLOSED", {SV, FO}),
}
ALL_ROLES = [F, P, SV, FO, BO, AU, AD, PA]
STATUSES = list(ROUTES)  # every status reachable without referrals


def _api(flow: Flow, role: Role) -> Any:
    if role is PA:
        return flow.as_role(PA, None, sub="partner-x")
    return flow.api(role, sub=RECORDER if role is F else None)


@pytest.mark.parametrize("status", STATUSES)
async def test_every_mutation_and_role_from(status: str, as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in(status)
    for mutation, (args, sources, target, roles) in TABLE.items():
        for role in ALL_ROLES:
            result = await _api(flow, role)(document(mutation, args), id=case_id, **args)
            label = f"{mutation} by {role.value} on {status}"
            if role not in roles:
                assert result["data"] is None or result["data"].get(mutation) is None, label
                assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN", label
                continue
            payload = result["data"][mutation]
            if status not in sources:
                assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"], label
                assert payload["case"] is None, label
                continue
            assert payload["errors"] == [], label
            assert payload["case"]["status"] == target, label
            last = payload["case"]["events"][-1]
            assert (last["fromStatus"], last["toStatus"]) == (status, target), label
            case_id = await flow.case_in(status)  # the case moved on; the next check needs a fresh one
    # Refusals changed nothing: the case still has the status and the events of its route.
    reader = flow.api(SV)
    after = await reader("query($id: ID!) { case(id: $id) { status events { action } } }", id=case_id)
    assert after["data"]["case"]["status"] == status
    assert len(after["data"]["case"]["events"]) == 1 + len(ROUTES[status])


async def test_only_the_recorder_updates_and_submits(as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = (await flow.new_case())["id"]
    colleague = flow.api(F, sub="fasilitator-lain")
    update = "mutation($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { case { complaint version } errors { code } } }"
    refused = await colleague(update, id=case_id, input={"complaint": "changed"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await colleague(document("submitCase", {}), id=case_id)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    done = await flow.api(F)(update, id=case_id, input={"complaint": "Rumah bocor", "priority": "HIGH"})
    assert done["data"]["updateCase"]["errors"] == []
    assert done["data"]["updateCase"]["case"]["complaint"] == "Rumah bocor"


async def test_update_refused_once_submitted(as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in("SUBMITTED")
    update = "mutation($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { errors { code } } }"
    result = await flow.api(F)(update, id=case_id, input={"complaint": "late change"})
    assert [e["code"] for e in result["data"]["updateCase"]["errors"]] == ["INVALID_TRANSITION"]


async def test_returned_case_is_corrected_and_submitted_again(as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in("RETURNED")
    result = await flow.api(F)(document("submitCase", {}), id=case_id)
    case = result["data"]["submitCase"]["case"]
    assert case["status"] == "SUBMITTED"
    assert [e["action"] for e in case["events"]] == ["RECORD", "SUBMIT", "RETURN", "SUBMIT"]


async def test_secretariat_intake_by_front_office_goes_straight_to_approved(as_role: Any) -> None:
    flow = Flow(as_role)
    front = flow.api(FO, sub="front-office-1")
    from tests.cases.helpers import RECORD, record_input

    recorded = await front(RECORD, input=record_input(7, channel="SECRETARIAT"))
    case_id = recorded["data"]["recordCase"]["case"]["id"]
    submitted = await front(document("submitCase", {}), id=case_id)
    assert submitted["data"]["submitCase"]["case"]["status"] == "APPROVED"


async def test_facilitator_channel_by_front_office_is_still_submitted(as_role: Any) -> None:
    flow = Flow(as_role)
    front = flow.api(FO, sub="front-office-1")
    from tests.cases.helpers import RECORD, record_input

    recorded = await front(RECORD, input=record_input(8, channel="PUSKESOS"))
    case_id = recorded["data"]["recordCase"]["case"]["id"]
    submitted = await front(document("submitCase", {}), id=case_id)
    assert submitted["data"]["submitCase"]["case"]["status"] == "SUBMITTED"


@pytest.mark.parametrize(("mutation", "argument", "status"), [
    ("returnCase", "reason", "SUBMITTED"),
    ("rejectCase", "reason", "SUBMITTED"),
    ("resolveLocally", "note", "SUBMITTED"),
])
async def test_required_reason_or_note(mutation: str, argument: str, status: str, as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in(status)
    role = SV
    result = await flow.api(role)(document(mutation, {argument: ""}), id=case_id, **{argument: "   "})
    errors = result["data"][mutation]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", [argument])]
    check = await flow.api(role)("query($id: ID!) { case(id: $id) { status events { action } } }", id=case_id)
    assert check["data"]["case"]["status"] == status


async def test_review_records_sectors_priority_and_note(as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in("REVIEWED")
    got = await flow.api(FO)("query($id: ID!) { case(id: $id) { sectors priority analysisNote events { action note } } }",
                             id=case_id)
    case = got["data"]["case"]
    assert case["sectors"] == ["HEALTH"]
    assert case["priority"] == "HIGH"
    assert case["analysisNote"] == "needs PBI-JK"
    assert case["events"][-1] == {"action": "REVIEW", "note": "needs PBI-JK"}


async def test_other_village_facilitator_gets_not_found_on_mutations(as_role: Any) -> None:
    flow = Flow(as_role)
    case_id = await flow.case_in("DRAFT")
    stranger = as_role(F, "3275011002", sub=RECORDER)  # same user name, other village
    result = await stranger(document("resolveLocally", {"note": "x"}), id=case_id, note="x")
    assert [e["code"] for e in result["data"]["resolveLocally"]["errors"]] == ["NOT_FOUND"]
    assert VILLAGE_A != "3275011002"
