"""The webhook body a partner receives (SPEC section 5), frozen into the outbox message.

Data minimisation: the partner gets the case's subjects, not every household member, and
nothing of the case timeline or of other referrals.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.areas.directory import AreaDirectory
from hub.cases.models import Case, CaseSector, CaseSubject
from hub.people.models import Household, Person
from hub.referrals.models import Referral
from hub.vocabulary import Sector

REQUESTED = "referral.requested"
CANCELLED = "referral.cancelled"


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


async def referral_body(session: AsyncSession, event_type: str, referral: Referral, case: Case,
                        areas: AreaDirectory, public_url: str, at: datetime) -> str:
    household = await session.get(Household, case.household_id)
    assert household is not None  # a case always has its household (foreign key)
    subjects = (await session.scalars(
        select(Person).join(CaseSubject, CaseSubject.person_id == Person.id)
        .where(CaseSubject.case_id == case.id).order_by(CaseSubject.position))).all()
    sectors = set((await session.scalars(select(CaseSector.sector).where(CaseSector.case_id == case.id))).all())
    village = areas.get(case.village_code)
    base = public_url.rstrip("/")
    body = {
        "type": event_type,
        "timestamp": _iso(at),
        "data": {
            "referral": {
                "id": referral.id,
                "programme": referral.programme_code,
                "reason": referral.reason,
                "status": referral.status.value,
                **({"cancelReason": referral.status_reason} if event_type == CANCELLED else {}),
                "case": {
                    "number": case.number,
                    "sectors": [s.value for s in Sector if s in sectors],
                    "complaint": case.complaint,
                    "village": {"code": case.village_code, "name": village.name if village else None},
                },
                "household": {"kkNumber": household.kk_number, "address": household.address,
                              "rt": household.rt, "rw": household.rw},
                "subjects": [{"nik": p.nik, "name": p.name, "birthDate": p.birth_date.isoformat(),
                              "sex": p.sex.value} for p in subjects],
            },
            "callback": {"graphql": f"{base}/graphql", "token": f"{base}/oauth/token"},
        },
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
