"""Which moves a caller may make now: the workflow table applied to one caller and one case.

Apps show a button per allowed action (the console does), so this answers exactly what
the mutations would accept: the role and source status of ``TRANSITIONS``, the recorder
rule, and the scope each mutation's permission asks for (``ACTION_SCOPES``; a test keeps
it equal to the schema's permission classes). Area is not checked here: a caller only
ever holds cases of its own area. Confirming a household move is not listed: it is due
when ``Case.pendingHouseholdMove`` says so, which only its confirmers may read.
"""

from __future__ import annotations

from auth.principal import Actor
from auth.roles import Scope
from hub.cases.status import CaseStatus
from hub.cases.workflow import TRANSITIONS, Action

S = Scope

# The scopes (any one of) the mutation of each caller-made action requires.
ACTION_SCOPES: dict[Action, frozenset[Scope]] = {
    Action.UPDATE: frozenset({S.CASE_WRITE}),
    Action.SUBMIT: frozenset({S.CASE_WRITE}),
    Action.RESOLVE_LOCALLY: frozenset({S.CASE_WRITE, S.CASE_APPROVE}),
    Action.RETURN: frozenset({S.CASE_APPROVE}),
    Action.APPROVE: frozenset({S.CASE_APPROVE}),
    Action.REVIEW: frozenset({S.CASE_REVIEW}),
    Action.REJECT: frozenset({S.CASE_APPROVE, S.CASE_REVIEW}),
    Action.REFER: frozenset({S.REFERRAL_WRITE}),
    Action.RESOLVE: frozenset({S.REFERRAL_WRITE}),
    Action.CLOSE: frozenset({S.CASE_APPROVE, S.CASE_REVIEW}),
}


def allowed_actions(actor: Actor, status: CaseStatus, recorded_by: str) -> list[Action]:
    """The actions ``actor`` may take on a case in ``status`` recorded by ``recorded_by``."""
    out = []
    for action, scopes in ACTION_SCOPES.items():
        rule = TRANSITIONS[action]
        if (actor.role in rule.roles and status in rule.sources and any(actor.has(s) for s in scopes)
                and (not rule.recorder_only or recorded_by == actor.subject)):
            out.append(action)
    return out
