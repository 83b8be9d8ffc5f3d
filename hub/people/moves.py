"""Confirming that a family really moved: an intake's pending copy becomes the register.

An intake that names a KK number or NIK registered in another area keeps the family card as
declared (rows marked ``pending_move``, see hub/people/households.py). A SUPERVISOR or the
FRONT_OFFICE of the case's area who has checked the family card confirms the move
(``CaseService.confirm_household_move``); then, in the case's transaction:

- the registered household takes the declared village, address, RT and RW, and every case
  and member of the copy; the copy is removed. The whole family card moves: registered
  members the intake did not list stay on it (only Dukcapil splits a family card);
- each pending person is merged into the registered person of that NIK, who takes the
  declared name and relationship and joins the household; the case subjects follow.

A copy whose registered row no longer exists simply becomes the registered row.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.cases.models import Case, CaseSubject
from hub.people.models import Household, Person


async def confirm_move(session: AsyncSession, household_id: str) -> str | None:
    """Apply the pending move of a case's household: the registered household's id, or None
    when nothing of this household is pending."""
    household = await session.get(Household, household_id, with_for_update=True)
    if household is None:
        return None
    # Only the copies this household holds: a pending copy elsewhere awaits its own case's confirmation.
    copies = list((await session.scalars(select(Person).where(
        Person.household_id == household_id, Person.pending_move.is_(True)))).all())
    if not household.pending_move and not copies:
        return None
    target = household
    if household.pending_move:
        registered = await session.scalar(select(Household).where(
            Household.kk_number == household.kk_number, Household.pending_move.is_(False)).with_for_update())
        if registered is None:
            household.pending_move = False
        else:
            registered.address, registered.rt, registered.rw = household.address, household.rt, household.rw
            registered.village_code = household.village_code
            await session.execute(update(Person).where(Person.household_id == household.id)
                                  .values(household_id=registered.id))
            await session.execute(update(Case).where(Case.household_id == household.id)
                                  .values(household_id=registered.id))
            target = registered
    for copy in copies:
        registered_person = await session.scalar(select(Person).where(
            Person.nik == copy.nik, Person.pending_move.is_(False)).with_for_update())
        if registered_person is None:
            copy.pending_move, copy.household_id = False, target.id
            continue
        registered_person.name, registered_person.relationship = copy.name, copy.relationship
        registered_person.household_id = target.id
        await absorb_copy(session, copy, registered_person)
    if target is not household:
        await session.delete(household)
    await session.flush()
    return target.id


async def absorb_copy(session: AsyncSession, copy: Person, registered: Person) -> None:
    """The cases about ``copy`` are now about ``registered``; the copy goes."""
    await session.execute(update(CaseSubject).where(CaseSubject.person_id == copy.id)
                          .values(person_id=registered.id))
    await session.delete(copy)
