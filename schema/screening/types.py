"""What the needs screening shows on a case (rules: hub/screening/rules.json)."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from hub.access.audit import SubjectKind
from hub.screening import NotEvaluated, Suggestion
from schema.access.pii import shown
from schema.context import Context


@strawberry.enum(description="Whether a screening rule is about one member or the whole household")
class ScreeningSubject(enum.Enum):
    PERSON = "PERSON"
    HOUSEHOLD = "HOUSEHOLD"


@strawberry.type(description="One fact that made a rule fire, e.g. member.bpjs.active = false")
class ScreeningFact:
    name: str
    value: str | None = strawberry.field(description="JSON text of the value; NOT_FOUND when a system did not know the subject")


def _number(info: Info[Context, None], kind: str, number: str) -> str:
    return shown(number, info, SubjectKind.NIK if kind == "PERSON" else SubjectKind.KK)


@strawberry.type(description="A programme the household's joined data suggests referring to")
class SuggestedReferral:
    programme: str = strawberry.field(description="programme code, e.g. PIP, PBI_JK, BSPS_RTLH, ADMINDUK, DTSEN_USULAN")
    subject_kind: ScreeningSubject
    rule: str
    reason: str
    facts: list[ScreeningFact]
    raw_subject: strawberry.Private[str]

    @strawberry.field(description="the member's NIK or the household's KK; masked without pii:read")
    def subject(self, info: Info[Context, None]) -> str:
        return _number(info, self.subject_kind.value, self.raw_subject)

    @classmethod
    def from_suggestion(cls, s: Suggestion) -> SuggestedReferral:
        return cls(programme=s.programme, subject_kind=ScreeningSubject(s.subject_kind), rule=s.rule,
                   reason=s.reason, facts=_facts(s.facts), raw_subject=s.subject)


@strawberry.type(description="A rule that could not be evaluated because a connector it reads was unavailable")
class NotEvaluatedRule:
    rule: str
    programme: str
    subject_kind: ScreeningSubject
    unavailable: list[str] = strawberry.field(description="the connectors that were down")
    raw_subject: strawberry.Private[str]

    @strawberry.field(description="the member's NIK or the household's KK; masked without pii:read")
    def subject(self, info: Info[Context, None]) -> str:
        return _number(info, self.subject_kind.value, self.raw_subject)

    @classmethod
    def from_gap(cls, n: NotEvaluated) -> NotEvaluatedRule:
        return cls(rule=n.rule, programme=n.programme, subject_kind=ScreeningSubject(n.subject_kind),
                   unavailable=list(n.unavailable), raw_subject=n.subject)


def _facts(facts: Mapping[str, Any]) -> list[ScreeningFact]:
    return [ScreeningFact(name=name, value=None if value is None else json.dumps(value, default=str))
            for name, value in facts.items()]
