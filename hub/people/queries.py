"""Looking up a household or person directly, under the area rule."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.roles import Scope
from hub.people.models import Household, Person
from hub.people.records import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, HouseholdRecord, PersonRecord


def household_in_area(area: str | None) -> ColumnElement[bool]:
    """The family lives in ``area`` (a Kemendagri code prefix; None: every area)."""
    return Household.village_code.startswith(area) if area else true()


def household_visible(actor: Actor) -> ColumnElement[bool]:
    """The area rule for households: the village where the family lives is in the caller's area."""
    if not actor.has(Scope.CASE_READ):
        return Household.id.is_(None)  # never true
    return household_in_area(actor.area)


# A registered row first; a pending copy (an intake's declaration, hub/people/models.py) is what
# a caller sees only when the registered row lies outside its area.
HOUSEHOLD_PREFERENCE = (Household.pending_move, Household.created_at, Household.id)
PERSON_PREFERENCE = (Person.pending_move, Person.created_at, Person.id)


class PeopleReader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def household(self, actor: Actor, kk_number: str) -> HouseholdRecord | None:
        stmt = (select(*HOUSEHOLD_COLUMNS).where(Household.kk_number == kk_number, household_visible(actor))
                .order_by(*HOUSEHOLD_PREFERENCE).limit(1))
        async with self._sessions() as s:
            row = (await s.execute(stmt)).first()
        return HouseholdRecord._make(row) if row else None

    async def person(self, actor: Actor, nik: str) -> PersonRecord | None:
        stmt = (select(*PERSON_COLUMNS).join(Household, Household.id == Person.household_id)
                .where(Person.nik == nik, household_visible(actor)).order_by(*PERSON_PREFERENCE).limit(1))
        async with self._sessions() as s:
            row = (await s.execute(stmt)).first()
        return PersonRecord._make(row) if row else None
