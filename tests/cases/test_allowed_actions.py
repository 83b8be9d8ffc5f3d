"""``Case.allowedActions`` lists exactly the moves the mutations accept: every listed action
succeeds, every other one is refused, for each role at each status of the workflow."""

from __future__ import annotations

from typing import Any

import pytest

from auth.roles import Role
from hub.cases.permitted import ACTION_SCOPES
from hub.cases.workflow import Action
from schema import build_schema
from tests.cases.flow import ROUTES, Flow, document

ALLOWED = "query($id: ID!) { case(id: $id) { status allowedActions } }"

# The mutation behind each action, with valid arguments.
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "UPDATE": ("updateCase", {"input": {"priority": "HIGH"}}),
    "SUBMIT": ("submitCase", {}),
    "RESOLVE_LOCALLY": ("resolveLocally", {"note": "PSKS helped"}),
    "RETURN": ("returnCase", {"reason": "incomplete"}),
    "APPROVE": ("approveCase", {}),
    "REVIEW": ("reviewCase", {"input": {"sectors": ["HEALTH"], "priority": "HIGH", "note": "PBI-JK"}}),
    "REJECT": ("rejectCase", {"reason": "duplicate"}),
    "REFER": ("createReferral", {}),
    "RESOLVE": ("resolveCase", {"note": "done"}),
    "CLOSE": ("closeCase", {}),
}
MUTATION_OF = {action: call[0] for action, call in CALLS.items()}
REFER = """mutation($input: CreateReferralInput!) { createReferral(input: $input) {
  referral { id } errors { code } } }"""

CALLERS = [("recorder", Role.FACILITATOR, "fasilitator-rec"), ("other facilitator", Role.FACILITATOR, "fas-2"),
           ("supervisor", Role.SUPERVISOR, None), ("front office", Role.FRONT_OFFICE, None),
           ("back office", Role.BACK_OFFICE, None)]


def test_action_scopes_are_the_mutations_permission_scopes():
    schema = build_schema()
    mutation = schema.get_type_by_name("Mutation")
    for action, scopes in ACTION_SCOPES.items():
        name = schema.config.name_converter.get_graphql_name
        field = next(f for f in mutation.fields if name(f) == MUTATION_OF[action.value])
        [permission] = field.permission_classes
        assert permission.message == f"this needs the {' or '.join(s.value for s in _ordered(permission, scopes))} scope"


def _ordered(permission: Any, scopes: frozenset[Any]) -> list[Any]:
    # The permission message names its scopes in declaration order; compare as sets.
    named = permission.message.removeprefix("this needs the ").removesuffix(" scope").split(" or ")
    assert set(named) == {s.value for s in scopes}, (permission.message, scopes)
    return [next(s for s in scopes if s.value == n) for n in named]


async def _try(flow: Flow, role: Role, sub: str | None, action: str, case_id: str, hub: Any) -> bool:
    api = flow.api(role, sub=sub)
    if action == "REFER":
        # PIP: a REFERRED case of these tests already has its open PBI_JK referral.
        result = await api(REFER, input={"caseId": case_id, "programmeCode": "PIP", "reason": "PIP"})
        payload = result.get("data") and result["data"]["createReferral"]
        return bool(payload) and payload["errors"] == []
    mutation, args = CALLS[action]
    result = await api(_document(mutation, args), id=case_id, **args)
    if result.get("errors"):
        return False
    return result["data"][mutation]["errors"] == []


def _document(mutation: str, args: dict[str, Any]) -> str:
    if mutation == "updateCase":
        return """mutation($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) {
                  case { id } errors { code } } }"""
    return document(mutation, args)


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "RETURNED", "APPROVED", "REVIEWED", "REFERRED",
                                    "RESOLVED"])
async def test_listed_actions_succeed_and_the_others_are_refused(hub, as_role, status, register_pbi):
    flow = Flow(as_role)
    for label, role, sub in CALLERS:
        case_id = await _case_in(flow, status)
        listed = (await flow.api(role, sub=sub)(ALLOWED, id=case_id))["data"]["case"]["allowedActions"]
        for action in CALLS:
            if action in listed:
                continue
            assert not await _try(flow, role, sub, action, case_id, hub), (label, status, action)
        for action in listed:
            fresh = await _case_in(flow, status)
            assert await _try(flow, role, sub, action, fresh, hub), (label, status, action)


async def _case_in(flow: Flow, status: str) -> str:
    if status != "REFERRED":
        return await flow.case_in(status)
    case_id = await flow.case_in("REVIEWED")
    result = await flow.api(Role.BACK_OFFICE)(REFER, input={"caseId": case_id, "programmeCode": "PBI_JK",
                                                            "reason": "PBI-JK"})
    assert result["data"]["createReferral"]["errors"] == [], result
    return case_id


@pytest.fixture
async def register_pbi(as_role: Any) -> None:
    from tests.referrals.test_portal_partners import register_portal

    await register_portal(as_role, codes=("PBI_JK", "PIP"))


def test_every_caller_made_action_has_a_mutation():
    assert {a.value for a in ACTION_SCOPES} == set(CALLS)
    # Not a move of a case's status: recording, the system's own resolution, and confirming a
    # household move (offered when Case.pendingHouseholdMove is true).
    assert set(Action) - set(ACTION_SCOPES) == {Action.RECORD, Action.AUTO_RESOLVE, Action.CONFIRM_HOUSEHOLD_MOVE}


__all__ = ["ROUTES"]
