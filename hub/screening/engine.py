"""Evaluating rules over a `HouseholdView`.

Facts: ``member.age`` (at `today`, from the birth date or else the NIK), ``member.nik``,
``member.sex``, ``member.relationship``, ``household.kk``, ``household.size``;
``<scope>.<connector>`` is the record itself (None when not found) and
``<scope>.<connector>.<field>`` one of its fields (None when the record is not found).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from hub.screening.model import (
    FORBIDDEN,
    UNAVAILABLE,
    HouseholdView,
    NotEvaluated,
    PersonView,
    ScreeningResult,
    SubjectKind,
    Suggestion,
)
from hub.screening.rules import Rule

_MISSING_RECORD = "NOT_FOUND"


class Screening:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)

    def screen(self, household: HouseholdView, today: date | None = None) -> ScreeningResult:
        on = today or date.today()
        suggestions: list[Suggestion] = []
        skipped: list[NotEvaluated] = []
        for rule in self.rules:
            subjects: list[PersonView | None] = (
                list(household.members) if rule.subject == "member" else [None]
            )
            for member in subjects:
                kind: SubjectKind = "PERSON" if member is not None else "HOUSEHOLD"
                subject = member.nik if member is not None else household.kk
                down, forbidden = _gaps(rule, household, member)
                if down or forbidden:
                    skipped.append(NotEvaluated(rule.id, rule.programme, kind, subject, down, forbidden))
                    continue
                facts: dict[str, Any] = {}
                if _holds(rule.when, _Context(household, member, on), facts):
                    suggestions.append(Suggestion(rule.programme, kind, subject, rule.id, rule.reason, facts))
        return ScreeningResult(suggestions, skipped)


def _gaps(rule: Rule, household: HouseholdView, member: PersonView | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The connectors a rule reads that were down, and those withheld from the caller."""
    down: set[str] = set()
    forbidden: set[str] = set()
    for scope, connector in rule.connectors:
        records = household.records if scope == "household" else (member.records if member else {})
        record = records.get(connector, UNAVAILABLE)
        if record is FORBIDDEN:
            forbidden.add(connector)
        elif record is UNAVAILABLE:
            down.add(connector)
    return tuple(sorted(down)), tuple(sorted(forbidden))


@dataclasses.dataclass(frozen=True, slots=True)
class _Context:
    household: HouseholdView
    member: PersonView | None
    today: date

    def fact(self, path: str) -> Any:
        scope, name, *rest = path.split(".")
        if scope == "household":
            if name == "kk":
                return self.household.kk
            if name == "size":
                return len(self.household.members)
            record = self.household.records.get(name)
        else:
            assert self.member is not None
            attribute = _member_attribute(self.member, name, self.today)
            if attribute is not _NO_ATTRIBUTE:
                return attribute
            record = self.member.records.get(name)
        value: Any = record
        for part in rest:
            value = _field(value, part)
        return value


_NO_ATTRIBUTE = object()


def _member_attribute(member: PersonView, name: str, today: date) -> Any:
    if name == "nik":
        return member.nik
    if name == "sex":
        return member.sex
    if name == "relationship":
        return member.relationship
    if name == "age":
        born = member.birth_date or _birth_date_from_nik(member.nik)
        if born is None:
            return None
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return _NO_ATTRIBUTE


def _birth_date_from_nik(nik: str) -> date | None:
    if len(nik) != 16 or not nik.isdigit():
        return None
    day, month, yy = int(nik[6:8]) % 40, int(nik[8:10]), int(nik[10:12])
    year = 2000 + yy if yy <= 30 else 1900 + yy  # same pivot as the connectors' NIK reader
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _field(record: Any, name: str) -> Any:
    if record is None:
        return None
    if isinstance(record, Mapping):
        value = record.get(name, record.get(_camel(name)))
    else:
        value = getattr(record, name, None)
    return value.value if isinstance(value, enum.Enum) else value


def _camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.title() for part in tail)


def _holds(node: Mapping[str, Any], ctx: _Context, facts: dict[str, Any]) -> bool:
    """Evaluate a condition; `facts` collects the leaf facts that made it true."""
    if "all" in node:
        found: dict[str, Any] = {}
        if all(_holds(child, ctx, found) for child in node["all"]):
            facts.update(found)
            return True
        return False
    if "any" in node:
        for child in node["any"]:
            found = {}
            if _holds(child, ctx, found):
                facts.update(found)
                return True
        return False
    if "not" in node:
        found = {}
        if _holds(node["not"], ctx, found):
            return False
        facts.update(found)
        return True
    path = node["fact"]
    value = ctx.fact(path)
    ((op, operand),) = ((k, v) for k, v in node.items() if k != "fact")
    if _compare(op, value, operand):
        facts[path] = _MISSING_RECORD if value is None and op == "missing" else _plain(value)
        return True
    return False


def _compare(op: str, value: Any, operand: Any) -> bool:
    if op == "missing":
        return (value is None) is bool(operand)
    if value is None:
        return False  # an unknown value satisfies no comparison
    if op == "eq":
        return bool(value == operand)
    if op == "ne":
        return bool(value != operand)
    if op == "in":
        return value in operand
    if op == "between":
        low, high = operand
        return bool(low <= value <= high)
    return bool(
        {"lt": value < operand, "le": value <= operand, "gt": value > operand, "ge": value >= operand}[op]
    )


def _plain(value: Any) -> Any:
    # a whole record as a fact would carry personal data into the suggestion; keep a marker
    if dataclasses.is_dataclass(value) or isinstance(value, Mapping):
        return "FOUND"
    return value
