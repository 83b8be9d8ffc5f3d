"""Looking up a household or person directly, under the area rule."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.roles import Scope
from hub.people.models import Household, Person


def household_visible(actor: Actor) -> ColumnElement[bool]:
    """The area rule for households: the village where the family lives is in the caller's area."""
    if not actor.has(Scope.CASE_READ):
        return Household.id.is_(None)  # never true
    return Household.village_code.startswith(actor.area) if actor.area else true()


class PeopleReader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def household(self, actor: Actor, kk_number: str) -> Household | None:
        async with self._sessions() as s:
            return await s.scalar(select(Household).where(Household.kk_number == kk_number, household_visible(actor)))

    async def person(self, actor: Actor, nik: str) -> Person | None:
        stmt = (select(Person).join(Household, Household.id == Person.household_id)
                .where(Person.nik == nik, household_visible(actor)))
        async with self._sessions() as s:
            return await s.scalar(stmt)
