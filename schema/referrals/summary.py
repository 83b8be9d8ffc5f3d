"""``Referral.caseSummary``: the case as a partner is given it, the webhook payload's facts.

Identity numbers follow the PII rule like everywhere else: masked without ``pii:read``,
audited with it.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from hub.access.audit import SubjectKind
from hub.referrals.summary import CaseSummary
from schema.access.pii import sees_pii, shown
from schema.areas.types import Area
from schema.context import Context
from schema.enums import Sector, Sex


@strawberry.type(description="A subject of the referred case, as the partner is given it")
class ReferralSubject:
    raw_nik: strawberry.Private[str]
    raw_birth_date: strawberry.Private[date]
    name: str
    birth_year: int = strawberry.field(description="the year of birth, shown to every caller")
    sex: Sex

    @strawberry.field(description="16-digit NIK; masked without pii:read")
    def nik(self, info: Info[Context, None]) -> str:
        return shown(self.raw_nik, info)

    @strawberry.field(description="null without pii:read, which sees birthYear only (the PII rule)")
    def birth_date(self, info: Info[Context, None]) -> date | None:
        return self.raw_birth_date if sees_pii(info) else None


@strawberry.type(description="The referred case's household, as the partner is given it")
class ReferralHousehold:
    raw_kk: strawberry.Private[str]
    address: str
    rt: str | None
    rw: str | None

    @strawberry.field(description="16-digit KK number; masked without pii:read")
    def kk_number(self, info: Info[Context, None]) -> str:
        return shown(self.raw_kk, info, SubjectKind.KK)


@strawberry.type(description="What the partner is told about the referred case: the facts of the webhook payload, "
                             "no more (the subjects, not every member; no timeline)")
class ReferralCaseSummary:
    number: str
    sectors: list[Sector]
    complaint: str
    household: ReferralHousehold
    subjects: list[ReferralSubject]
    village_code: strawberry.Private[str]

    @strawberry.field
    def village(self, info: Info[Context, None]) -> Area | None:
        area = info.context.hub.areas.get(self.village_code)
        return Area.from_info(area) if area else None

    @classmethod
    def from_summary(cls, s: CaseSummary) -> ReferralCaseSummary:
        return cls(number=s.number, sectors=list(s.sectors), complaint=s.complaint, village_code=s.village_code,
                   household=ReferralHousehold(raw_kk=s.kk_number, address=s.address, rt=s.rt, rw=s.rw),
                   subjects=[ReferralSubject(raw_nik=p.nik, raw_birth_date=p.birth_date, name=p.name,
                                             birth_year=p.birth_date.year, sex=p.sex) for p in s.subjects])
