"""Creating or linking a household and its members from an intake, by KK and NIK.

The latest intake reflects the latest family card: an existing household takes the new
address, and a person already known by NIK joins this household (people move between
family cards when they marry or split a card). Birth date and sex are fixed by the NIK.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.cases.commands import HouseholdData
from hub.people.models import Household, Person


async def link_household(session: AsyncSession, data: HouseholdData, village_code: str) -> tuple[Household, dict[str, Person]]:
    household = await session.scalar(select(Household).where(Household.kk_number == data.kk_number))
    if household is None:
        household = Household(kk_number=data.kk_number, address=data.address.strip(), rt=data.rt, rw=data.rw,
                              village_code=village_code)
        session.add(household)
        await session.flush()
    else:
        household.address, household.rt, household.rw = data.address.strip(), data.rt, data.rw
        household.village_code = village_code
    niks = [m.nik for m in data.members]
    known = {p.nik: p for p in (await session.scalars(select(Person).where(Person.nik.in_(niks)))).all()}
    persons: dict[str, Person] = {}
    for m in data.members:
        person = known.get(m.nik)
        if person is None:
            person = Person(nik=m.nik, name=m.name.strip(), birth_date=m.birth_date, sex=m.sex,
                            relationship=m.relationship, household_id=household.id)
            session.add(person)
        else:
            person.name, person.relationship, person.household_id = m.name.strip(), m.relationship, household.id
        persons[m.nik] = person
    await session.flush()
    return household, persons
