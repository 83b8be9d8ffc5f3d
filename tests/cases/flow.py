"""Driving a case to any status over the API, with the people the workflow names."""

from __future__ import annotations

from typing import Any

from auth.roles import Role
from tests.cases.helpers import DISTRICT_A, RECORD, VILLAGE_A, record_input, transition

RECORDER = "fasilitator-rec"
REGENCY = "3275"

# The action sequence (mutation, role, extra arguments) that brings a new case to a status.
ROUTES: dict[str, list[tuple[str, Role, dict[str, Any]]]] = {
    "DRAFT": [],
    "SUBMITTED": [("submitCase", Role.FACILITATOR, {})],
    "RETURNED": [("submitCase", Role.FACILITATOR, {}), ("returnCase", Role.SUPERVISOR, {"reason": "incomplete"})],
    "APPROVED": [("submitCase", Role.FACILITATOR, {}), ("approveCase", Role.SUPERVISOR, {})],
    "REVIEWED": [("submitCase", Role.FACILITATOR, {}), ("approveCase", Role.SUPERVISOR, {}),
                 ("reviewCase", Role.FRONT_OFFICE,
                  {"input": {"sectors": ["HEALTH"], "priority": "HIGH", "note": "needs PBI-JK"}})],
    "RESOLVED": [("submitCase", Role.FACILITATOR, {}), ("resolveLocally", Role.SUPERVISOR, {"note": "PSKS helped"})],
    "CLOSED": [("submitCase", Role.FACILITATOR, {}), ("resolveLocally", Role.SUPERVISOR, {"note": "PSKS helped"}),
               ("closeCase", Role.SUPERVISOR, {})],
    "REJECTED": [("submitCase", Role.FACILITATOR, {}), ("rejectCase", Role.SUPERVISOR, {"reason": "duplicate"})],
}

ARGUMENT_TYPES = {"reason": "String!", "note": "String", "input": "ReviewCaseInput!"}
NOTE_REQUIRED = {"resolveLocally", "resolveCase"}


def area_of(role: Role) -> str | None:
    return {Role.FACILITATOR: VILLAGE_A, Role.PUSKESOS_OPERATOR: VILLAGE_A, Role.SUPERVISOR: DISTRICT_A,
            Role.FRONT_OFFICE: REGENCY, Role.BACK_OFFICE: REGENCY}.get(role)


def document(mutation: str, args: dict[str, Any]) -> str:
    kinds = []
    for name in args:
        kind = ARGUMENT_TYPES[name]
        if name == "note" and mutation in NOTE_REQUIRED:
            kind = "String!"
        kinds.append(f"{name}: {kind}")
    return transition(mutation, *kinds)


class Flow:
    def __init__(self, as_role: Any) -> None:
        self.as_role = as_role
        self._seed = 100

    def api(self, role: Role, sub: str | None = None) -> Any:
        if role is Role.FACILITATOR and sub is None:
            sub = RECORDER
        return self.as_role(role, area_of(role), sub=sub)

    async def new_case(self, **overrides: Any) -> dict[str, Any]:
        self._seed += 1
        result = await self.api(Role.FACILITATOR)(RECORD, input=record_input(self._seed, **overrides))
        payload = result["data"]["recordCase"]
        assert payload["errors"] == [], payload
        return payload["case"]

    async def case_in(self, status: str) -> str:
        case_id = (await self.new_case())["id"]
        for mutation, role, args in ROUTES[status]:
            result = await self.api(role)(document(mutation, args), id=case_id, **args)
            assert result.get("errors") is None and result["data"][mutation]["errors"] == [], result
        return case_id
