"""What a partner is told about a referral's case: exactly what the webhook payload carries.

A portal-only partner (no webhook) reads the same facts in its inbox that a webhook partner
receives in ``referral.requested`` (``hub/referrals/payload.py``): the case number, sectors,
complaint and village, the household's KK number and address, and the case's *subjects* —
not every member, nothing of the timeline or of other referrals (data minimisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.cases.models import Case, CaseSector, CaseSubject
from hub.db.grouping import grouped
from hub.people.models import Household, Person
from hub.vocabulary import Sector, Sex


@dataclass(frozen=True, slots=True)
class SubjectSummary:
    nik: str
    name: str
    birth_date: date
    sex: Sex


@dataclass(frozen=True, slots=True)
class CaseSummary:
    number: str
    sectors: tuple[Sector, ...]
    complaint: str
    village_code: str
    kk_number: str
    address: str
    rt: str | None
    rw: str | None
    subjects: tuple[SubjectSummary, ...]


async def case_summaries(sessions: async_sessionmaker[AsyncSession],
                         case_ids: Sequence[str]) -> dict[str, CaseSummary]:
    """Summaries of ``case_ids`` in three statements; the caller has already applied the
    referral's visibility rule (a partner reaches a case only through its own referral)."""
    async with sessions() as s:
        cases = (await s.execute(select(Case, Household).join(Household, Household.id == Case.household_id)
                                 .where(Case.id.in_(case_ids)))).all()
        sectors = grouped((await s.execute(select(CaseSector.case_id, CaseSector.sector)
                                           .where(CaseSector.case_id.in_(case_ids)))).all(), lambda r: r[0])
        subjects = grouped((await s.execute(
            select(CaseSubject.case_id, Person).join(Person, Person.id == CaseSubject.person_id)
            .where(CaseSubject.case_id.in_(case_ids)).order_by(CaseSubject.position))).all(), lambda r: r[0])
    out = {}
    for case, household in cases:
        present = {row[1] for row in sectors.get(case.id, [])}
        out[case.id] = CaseSummary(
            number=case.number, sectors=tuple(s for s in Sector if s in present), complaint=case.complaint,
            village_code=case.village_code, kk_number=household.kk_number, address=household.address,
            rt=household.rt, rw=household.rw,
            subjects=tuple(SubjectSummary(p.nik, p.name, p.birth_date, p.sex) for _, p in subjects.get(case.id, [])))
    return out
