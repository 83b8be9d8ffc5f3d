"""The case state machine of SPEC section 4: who may move a case, from where, to where."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from auth.roles import Role
from hub.cases.status import CaseStatus as S


class Action(str, Enum):
    RECORD = "RECORD"
    UPDATE = "UPDATE"
    SUBMIT = "SUBMIT"
    RESOLVE_LOCALLY = "RESOLVE_LOCALLY"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    REVIEW = "REVIEW"
    REJECT = "REJECT"
    REFER = "REFER"
    AUTO_RESOLVE = "AUTO_RESOLVE"
    RESOLVE = "RESOLVE"
    CLOSE = "CLOSE"
    CONFIRM_HOUSEHOLD_MOVE = "CONFIRM_HOUSEHOLD_MOVE"


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[S]
    target: S | None  # None: the status does not change
    roles: frozenset[Role]  # empty: only the system itself
    note_required: bool = False
    recorder_only: bool = False


def _t(sources: set[S], target: S | None, roles: set[Role], *, note: bool = False,
       recorder: bool = False) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), note, recorder)


R = Role
FIELD_STAFF = {R.FACILITATOR, R.PUSKESOS_OPERATOR}

TRANSITIONS: dict[Action, Transition] = {
    Action.RECORD: _t(set(), S.DRAFT, FIELD_STAFF | {R.FRONT_OFFICE}),
    Action.UPDATE: _t({S.DRAFT, S.RETURNED}, None, FIELD_STAFF | {R.FRONT_OFFICE}, recorder=True),
    Action.SUBMIT: _t({S.DRAFT, S.RETURNED}, S.SUBMITTED, FIELD_STAFF | {R.FRONT_OFFICE}, recorder=True),
    Action.RESOLVE_LOCALLY: _t({S.DRAFT, S.SUBMITTED}, S.RESOLVED, FIELD_STAFF | {R.SUPERVISOR}, note=True),
    Action.RETURN: _t({S.SUBMITTED}, S.RETURNED, {R.SUPERVISOR}, note=True),
    Action.APPROVE: _t({S.SUBMITTED}, S.APPROVED, {R.SUPERVISOR}),
    Action.REVIEW: _t({S.APPROVED}, S.REVIEWED, {R.FRONT_OFFICE}, note=True),
    Action.REJECT: _t({S.SUBMITTED, S.APPROVED, S.REVIEWED}, S.REJECTED, {R.SUPERVISOR, R.FRONT_OFFICE}, note=True),
    Action.REFER: _t({S.REVIEWED, S.REFERRED}, S.REFERRED, {R.BACK_OFFICE}),
    Action.AUTO_RESOLVE: _t({S.REFERRED}, S.RESOLVED, set()),
    Action.RESOLVE: _t({S.REFERRED}, S.RESOLVED, {R.BACK_OFFICE}, note=True),
    Action.CLOSE: _t({S.RESOLVED}, S.CLOSED, {R.SUPERVISOR, R.FRONT_OFFICE}),
    # Not a status change: the family card the intake declared replaces the registered one
    # (hub/people/moves.py). Checked by the case's area, whatever the case's status.
    Action.CONFIRM_HOUSEHOLD_MOVE: _t(set(S), None, {R.SUPERVISOR, R.FRONT_OFFICE}),
}
