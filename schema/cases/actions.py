"""``Case.allowedActions``: the moves the caller may make on a case now, for one button each."""

from __future__ import annotations

from enum import Enum

import strawberry

from auth.principal import Actor
from hub.cases.permitted import ACTION_SCOPES, allowed_actions
from hub.cases.status import CaseStatus

# The caller-made actions of the workflow table, by the name of their mutation's verb.
CaseAction = strawberry.enum(Enum("CaseAction", {a.value: a.value for a in ACTION_SCOPES}),  # type: ignore[misc]
                             name="CaseAction",
                             description="a move of the case workflow: UPDATE → updateCase, SUBMIT → submitCase, "
                                         "REFER → createReferral, RESOLVE → resolveCase, …")


def actions_for(actor: Actor, status: CaseStatus, recorded_by: str) -> list[CaseAction]:  # type: ignore[valid-type]
    return [CaseAction[a.value] for a in allowed_actions(actor, status, recorded_by)]  # type: ignore[misc]
