"""The area rule as a SQL condition, applied wherever cases are read (SPEC section 6).

Every query for cases goes through ``visible_to`` so that no caller, resolver or new
query can forget the rule: a case outside the caller's area simply does not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true

from auth.principal import Actor
from auth.roles import Scope
from hub.cases.models import Case


def area_condition(area: str | None, on: Any = Case) -> ColumnElement[bool]:
    """``on``: cases, or a table that copies their area codes (the statistics facts and counts)."""
    if area is None:
        return true()
    match len(area):
        case 2:
            return on.regency_code.startswith(area)
        case 4:
            return on.regency_code == area
        case 6:
            return on.district_code == area
        case 10:
            return on.village_code == area
    return false()


def visible_to(actor: Actor, on: Any = Case) -> ColumnElement[bool]:
    if not actor.has(Scope.CASE_READ):
        return false()
    return area_condition(actor.area, on)
