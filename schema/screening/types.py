"""What the needs screening shows on a case (rules: hub/screening/rules.json)."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from hub.access.audit import SubjectKind
from hub.screening import BIRTH_DATE_FACTS, NotEvaluated, Suggestion
from schema.access.pii import sees_pii, shown
from schema.context import Context


@strawberry.enum(description="Whether a screening rule is about one member or the whole household")
class ScreeningSubject(enum.Enum):
    PERSON = "PERSON"
    HOUSEHOLD = "HOUSEHOLD"


@strawberry.enum(description="Why a screening rule was not evaluated")
class NotEvaluatedReason(enum.Enum):
    CONNECTOR_UNAVAILABLE = "CONNECTOR_UNAVAILABLE"
    FORBIDDEN = "FORBIDDEN"


@strawberry.type(description="One fact that made a rule fire, e.g. member.bpjs.active = false; without pii:read "
                             "no fact comes from a personal-data connector and member.age is left out")
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
    def from_suggestion(cls, s: Suggestion, info: Info[Context, None]) -> SuggestedReferral:
        return cls(programme=s.programme, subject_kind=ScreeningSubject(s.subject_kind), rule=s.rule,
                   reason=s.reason, facts=_facts(s.facts, info), raw_subject=s.subject)


@strawberry.type(description="A rule that could not be evaluated: a connector it reads was down, or carries "
                             "personal data the caller may not read")
class NotEvaluatedRule:
    rule: str
    programme: str
    subject_kind: ScreeningSubject
    reason: NotEvaluatedReason = strawberry.field(description="FORBIDDEN when it reads a personal-data connector and "
                                                              "the caller lacks pii:read, else CONNECTOR_UNAVAILABLE")
    unavailable: list[str] = strawberry.field(description="the connectors that were down")
    forbidden: list[str] = strawberry.field(description="the personal-data connectors it reads, not called without "
                                                        "pii:read")
    raw_subject: strawberry.Private[str]

    @strawberry.field(description="the member's NIK or the household's KK; masked without pii:read")
    def subject(self, info: Info[Context, None]) -> str:
        return _number(info, self.subject_kind.value, self.raw_subject)

    @classmethod
    def from_gap(cls, n: NotEvaluated) -> NotEvaluatedRule:
        reason = NotEvaluatedReason.FORBIDDEN if n.forbidden else NotEvaluatedReason.CONNECTOR_UNAVAILABLE
        return cls(rule=n.rule, programme=n.programme, subject_kind=ScreeningSubject(n.subject_kind), reason=reason,
                   unavailable=list(n.unavailable), forbidden=list(n.forbidden), raw_subject=n.subject)


def _facts(facts: Mapping[str, Any], info: Info[Context, None]) -> list[ScreeningFact]:
    clear = sees_pii(info)
    return [ScreeningFact(name=name, value=_value(name, value, info))
            for name, value in facts.items() if clear or name not in BIRTH_DATE_FACTS]


def _value(name: str, value: Any, info: Info[Context, None]) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 16 and value.isdigit():  # member.nik, household.kk, a card number
        value = shown(value, info, SubjectKind.KK if "kk" in name.rsplit(".", 1)[-1] else SubjectKind.NIK)
    return json.dumps(value, default=str)
