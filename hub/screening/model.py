"""What screening reads (a plain view of the joined graph) and what it returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal


class _Unavailable:
    """Marker: the connector failed (timeout, error, breaker open) for this subject."""

    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE: Final = _Unavailable()


class _Forbidden:
    """Marker: the caller may not read this connector's personal data, so it was not fetched."""

    def __repr__(self) -> str:
        return "FORBIDDEN"


FORBIDDEN: Final = _Forbidden()

# A fact that is personal data though no connector is: the age, which with the birth year
# (or watched over time) gives the birth date away, and with it most of the NIK.
BIRTH_DATE_FACTS: Final = frozenset({"member.age"})

SubjectKind = Literal["PERSON", "HOUSEHOLD"]


@dataclass(frozen=True, slots=True)
class PersonView:
    nik: str
    birth_date: date | None = None  # else derived from the NIK
    sex: str | None = None
    relationship: str | None = None
    records: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HouseholdView:
    kk: str
    members: Sequence[PersonView] = ()
    records: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Suggestion:
    programme: str
    subject_kind: SubjectKind
    subject: str  # NIK or KK number
    rule: str
    reason: str
    facts: Mapping[str, Any]  # fact path -> value that made the rule fire


@dataclass(frozen=True, slots=True)
class NotEvaluated:
    rule: str
    programme: str
    subject_kind: SubjectKind
    subject: str
    unavailable: tuple[str, ...]  # connector names that were down
    forbidden: tuple[str, ...] = ()  # connectors whose personal data the caller may not read


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    suggestions: list[Suggestion]
    not_evaluated: list[NotEvaluated]

    def programmes(self) -> set[tuple[str, str]]:
        """(programme, subject) pairs, handy for comparing with expectations."""
        return {(s.programme, s.subject) for s in self.suggestions}
