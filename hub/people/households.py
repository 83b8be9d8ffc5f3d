"""Creating or linking a household and its members from an intake, by KK and NIK, under the area rule.

The area is the recorder's ``area`` claim, the same prefix rule as the cases' (hub/cases/visibility.py).

**Inside the recorder's area** the latest intake reflects the latest family card: the household
takes the declared address and village, and a person known by NIK joins this household under
the declared name and relationship (people move between family cards when they marry or split
a card). Birth date and sex are fixed by the NIK.

**Outside it nothing is read, linked or changed**, and the intake behaves exactly as for a KK
number or NIK never seen before: a household or person registered in another area is, to the
recorder, not there. The rows the intake writes are then marked ``pending_move``: a copy of the
family card *as declared*, living in the recorder's village, which the case, the screening and
the referral webhook use. A second intake in the same area finds that copy as it would find a
registered household, so the answers stay those of a never-seen number (same payload, same
members: only what this area declared).

**When a family really moved**, a SUPERVISOR or the FRONT_OFFICE whose area holds the case's
village checks the family card and confirms the move (``confirmHouseholdMove``,
hub/people/moves.py): only then does the registered household move and take the declared
members. Until then the registered family, and every case of the other area, stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.cases.commands import HouseholdData
from hub.db.grouping import first_per_key
from hub.people.models import Household, Person
from hub.people.moves import absorb_copy
from hub.people.queries import HOUSEHOLD_PREFERENCE, PERSON_PREFERENCE, household_in_area


async def link_household(session: AsyncSession, data: HouseholdData, village_code: str,
                         area: str | None) -> tuple[Household, dict[str, Person]]:
    """The case's household and its declared members by NIK; ``area`` is the recorder's."""
    household = await _household_seen(session, data.kk_number, area)
    if household is None:
        household = Household(kk_number=data.kk_number, address=data.address.strip(), rt=data.rt, rw=data.rw,
                              village_code=village_code,
                              pending_move=await _registered_kk(session, data.kk_number))
        session.add(household)
        await session.flush()
    else:
        household.address, household.rt, household.rw = data.address.strip(), data.rt, data.rw
        household.village_code = village_code
    niks = [m.nik for m in data.members]
    seen = await _persons_seen(session, niks, area)
    elsewhere = await _registered_niks(session, [n for n in niks if n not in seen])
    persons: dict[str, Person] = {}
    for m in data.members:
        person = seen.get(m.nik)
        if person is None:
            person = Person(nik=m.nik, name=m.name.strip(), birth_date=m.birth_date, sex=m.sex,
                            relationship=m.relationship, household_id=household.id, pending_move=m.nik in elsewhere)
            session.add(person)
        else:
            person.name, person.relationship, person.household_id = m.name.strip(), m.relationship, household.id
        persons[m.nik] = person
    await session.flush()
    await _drop_superseded_copies(session, household, [p for p in persons.values() if not p.pending_move])
    return household, persons


async def _household_seen(session: AsyncSession, kk_number: str, area: str | None) -> Household | None:
    """The household with this KK the recorder may see: the registered one, else this area's copy."""
    return await session.scalar(
        select(Household).where(Household.kk_number == kk_number, household_in_area(area))
        .order_by(*HOUSEHOLD_PREFERENCE).limit(1))


async def _persons_seen(session: AsyncSession, niks: Sequence[str], area: str | None) -> dict[str, Person]:
    rows = await session.scalars(
        select(Person).join(Household, Household.id == Person.household_id)
        .where(Person.nik.in_(niks), household_in_area(area)).order_by(*PERSON_PREFERENCE))
    return first_per_key(rows.all(), lambda p: p.nik)


# Whether a number is registered elsewhere only decides how the rows this intake writes are
# marked; nothing of the registered row is read into the answer.

async def _registered_kk(session: AsyncSession, kk_number: str) -> bool:
    return await session.scalar(select(Household.id).where(
        Household.kk_number == kk_number, Household.pending_move.is_(False))) is not None


async def _registered_niks(session: AsyncSession, niks: Sequence[str]) -> set[str]:
    if not niks:
        return set()
    return set((await session.scalars(select(Person.nik).where(
        Person.nik.in_(niks), Person.pending_move.is_(False)))).all())


async def _drop_superseded_copies(session: AsyncSession, household: Household, registered: list[Person]) -> None:
    """A registered person now in this household replaces a pending copy of them kept here before.
    (Queried whatever the intake found, so a foreign and a never-seen number run the same statements.)"""
    by_nik = {p.nik: p for p in registered}
    copies = await session.scalars(select(Person).where(
        Person.household_id == household.id, Person.nik.in_(by_nik), Person.pending_move.is_(True)))
    for copy in copies.all():
        await absorb_copy(session, copy, by_nik[copy.nik])
