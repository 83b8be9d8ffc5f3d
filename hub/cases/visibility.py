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


def area_condition(area: str | None, on: Any = Case, value: Any = None) -> ColumnElement[bool]:
    """``on``: cases, or a table that copies their area codes (the statistics facts and counts).

    The length of ``area`` picks the condition; ``value`` is what the column is compared with:
    ``area`` itself unless given, e.g. a named bind parameter carrying it, for a statement
    compiled once per length (hub/db/driver_reads.py)."""
    if area is None:
        return true()
    code = area if value is None else value
    match len(area):
        case 2:
            return on.regency_code.startswith(code)
        case 4:
            return on.regency_code == code
        case 6:
            return on.district_code == code
        case 10:
            return on.village_code == code
    return false()


def visible_to(actor: Actor, on: Any = Case, value: Any = None) -> ColumnElement[bool]:
    """Cases the actor may read; ``value``: see `area_condition`."""
    if not actor.has(Scope.CASE_READ):
        return false()
    return area_condition(actor.area, on, value)


def visibility_shape(actor: Actor) -> tuple[bool, int | None]:
    """What decides the form of ``visible_to(actor)`` (not its value): statements compiled once
    per shape bind the caller's area as a parameter."""
    return actor.has(Scope.CASE_READ), None if actor.area is None else len(actor.area)
