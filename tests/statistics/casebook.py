"""A small, hand-checked casebook written straight into the database, with exact timestamps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hub.cases.models import Case, CaseSector
from hub.cases.status import CaseStatus
from hub.demo.people import synthetic_household
from hub.people.models import Household, Person
from hub.referrals.models import Partner, Programme, Referral, ReferralHistory
from hub.referrals.status import ReferralStatus
from hub.vocabulary import Channel, Priority, Sector

WIB = timezone(timedelta(hours=7))


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WIB)


# (village, channel, sectors, created, submitted, referred, resolved, status)
CASES = [
    ("3275021005", Channel.FACILITATOR, [Sector.HEALTH], at(3, 1), at(3, 1), at(3, 3), at(3, 10), CaseStatus.RESOLVED),
    ("3275021005", Channel.PUSKESOS, [Sector.HEALTH, Sector.HOUSING], at(3, 2), at(3, 2), at(3, 6), None,
     CaseStatus.REFERRED),
    ("3275011002", Channel.FACILITATOR, [Sector.EDUCATION], at(3, 5), at(3, 5), at(3, 11), at(3, 20),
     CaseStatus.CLOSED),
    ("3275011002", Channel.SECRETARIAT, [Sector.SOCIAL_ASSISTANCE], at(3, 6), None, None, None, CaseStatus.DRAFT),
    ("3275021005", Channel.FACILITATOR, [Sector.HOUSING], at(4, 15), at(4, 15), None, None, CaseStatus.SUBMITTED),
]
# (case index, partner, programme, created, status, completed)
REFERRALS = [
    (0, "Dinas Kesehatan", "PBI_JK", at(3, 3), ReferralStatus.COMPLETED, at(3, 8)),
    (1, "Dinas Kesehatan", "PBI_JK", at(3, 6), ReferralStatus.IN_PROGRESS, None),
    (1, "Dinas Perkim", "BSPS_RTLH", at(3, 6), ReferralStatus.COMPLETED, at(3, 7)),
    (2, "Dinas Pendidikan", "PIP", at(3, 11), ReferralStatus.COMPLETED, at(3, 20)),
]
SECTOR_OF = {"PBI_JK": Sector.HEALTH, "BSPS_RTLH": Sector.HOUSING, "PIP": Sector.EDUCATION}


async def write_casebook(hub: Any) -> list[str]:
    async with hub.sessions() as s, s.begin():
        partners = {}
        for name in sorted({r[1] for r in REFERRALS}):
            partners[name] = Partner(name=name, sectors=["HEALTH"], webhook_url="https://example.invalid/hook",
                                     secret="whsec_dGVzdA==", active=True)
            s.add(partners[name])
        await s.flush()
        for _, name, code, *_ in REFERRALS:
            if await s.get(Programme, code) is None:
                s.add(Programme(code=code, name=code, sector=SECTOR_OF[code], level="REGENCY",
                                partner_id=partners[name].id))
        ids = []
        for i, (village, channel, sectors, created, submitted, referred, resolved, status) in enumerate(CASES):
            family = synthetic_household(900 + i, village, members=1)
            household = Household(kk_number=family.kk_number, address="Jl. Uji", village_code=village)
            s.add(household)
            await s.flush()
            m = family.members[0]
            s.add(Person(nik=m.nik, name=m.name, birth_date=m.birth_date, sex=m.sex, relationship=m.relationship,
                         household_id=household.id))
            case = Case(number=f"SLRT-3275-2026-{900 + i:06d}", regency_code="3275", district_code=village[:6],
                        village_code=village, channel=channel, status=status, priority=Priority.NORMAL,
                        complaint="uji", household_id=household.id, recorded_by="t", recorder_role="FACILITATOR",
                        created_at=created, updated_at=created, submitted_at=submitted, referred_at=referred,
                        resolved_at=resolved)
            s.add(case)
            await s.flush()
            s.add_all(CaseSector(case_id=case.id, sector=x) for x in sectors)
            ids.append(case.id)
        for index, name, code, created, status, completed in REFERRALS:
            referral = Referral(case_id=ids[index], programme_code=code, partner_id=partners[name].id, reason="uji",
                                status=status, created_by="t", created_at=created, updated_at=completed or created)
            s.add(referral)
            await s.flush()
            s.add(ReferralHistory(referral_id=referral.id, at=created, actor="t", actor_role="BACK_OFFICE",
                                  to_status=ReferralStatus.REQUESTED))
            if completed:
                s.add(ReferralHistory(referral_id=referral.id, at=completed, actor="p", actor_role="PARTNER",
                                      from_status=ReferralStatus.IN_PROGRESS, to_status=ReferralStatus.COMPLETED))
        return ids
