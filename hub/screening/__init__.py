"""Needs screening: declarative rules over the joined case graph suggest referrals.

Plain Python (no GraphQL, HTTP or database code). The schema builds a `HouseholdView`
from a case's household, its members and each connector's record, then::

    from hub.screening import Screening, HouseholdView, PersonView, UNAVAILABLE, load_rules

    screening = Screening(load_rules())              # packaged rules.json, or a deployment's file
    result = screening.screen(view, today=date.today())
    result.suggestions      # [Suggestion(programme, subject_kind, subject, rule, reason, facts)]
    result.not_evaluated    # [NotEvaluated(rule, programme, subject_kind, subject, unavailable, forbidden)]

Connector records are keyed by connector name (``dukcapil``, ``siks_ng``, ``bpjs``,
``education``, ``pupr``): a record (strawberry object, dataclass or dict), `None` when
the system answered "not found", `UNAVAILABLE` when the connector failed, `FORBIDDEN`
when the caller may not read it (personal data without pii:read); a connector absent
from `records` counts as unavailable. A rule that reads an unavailable or forbidden
connector is reported as not evaluated for that subject, never as "no need".
"""

from hub.screening.engine import Screening
from hub.screening.model import (
    BIRTH_DATE_FACTS,
    FORBIDDEN,
    UNAVAILABLE,
    HouseholdView,
    NotEvaluated,
    PersonView,
    ScreeningResult,
    Suggestion,
)
from hub.screening.rules import Rule, RuleError, default_rules_path, load_rules

__all__ = [
    "BIRTH_DATE_FACTS",
    "FORBIDDEN",
    "UNAVAILABLE",
    "HouseholdView",
    "NotEvaluated",
    "PersonView",
    "Rule",
    "RuleError",
    "Screening",
    "ScreeningResult",
    "Suggestion",
    "default_rules_path",
    "load_rules",
]
