from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from hub.access.audit import SubjectKind
from hub.people.models import Household as HouseholdRow
from hub.people.models import Person as PersonRow
from hub.people.records import HouseholdRecord, PersonRecord
from schema.access.pii import sees_pii, shown
from schema.areas.types import Area
from schema.enums import Relationship, Sex
from schema.errors import Forbidden
from schema.plain_fields import plain
from schema.relations import Relation

from schema.context import Context


def require_pii(info: Info[Context, None]) -> None:
    if not info.context.sees_pii:
        raise Forbidden("looking people up by NIK or KK number needs the pii:read scope")


# A case's or a person's household, a household's members, a case's subjects: one batch per level.
HOUSEHOLD = Relation.batched(lambda ctx: ctx.loaders.household, lambda owner: owner.household_id,
                             lambda row: Household.from_row(row) if row else None, "Household")
MEMBERS = Relation.batched(lambda ctx: ctx.loaders.members, lambda household: str(household.id),
                           lambda rows: [Person.from_row(p) for p in rows], "Person", keyed_like_parent=True)
SUBJECTS = Relation.batched(lambda ctx: ctx.loaders.subjects, lambda case: str(case.id),
                            lambda rows: [Person.from_row(p) for p in rows], "Person")


@strawberry.federation.type(keys=["nik"], description="A household member (anggota keluarga), identified by NIK")
class Person:
    id: strawberry.ID
    name: str
    birth_year: int = strawberry.field(description="the year of birth, shown to every caller")
    sex: Sex
    relationship: Relationship
    raw_nik: strawberry.Private[str]
    raw_birth_date: strawberry.Private[date]
    household_id: strawberry.Private[str]

    @strawberry.field(description="null without pii:read, which sees birthYear only (README, Access)", metadata=plain())
    def birth_date(self, info: Info[Context, None]) -> date | None:
        return self.raw_birth_date if sees_pii(info) else None

    @strawberry.field(description="16-digit NIK; masked (3275************) without pii:read", metadata=plain())
    def nik(self, info: Info[Context, None]) -> str:
        return shown(self.raw_nik, info)

    @strawberry.field(metadata=HOUSEHOLD.metadata)
    def household(self, info: Info[Context, None]) -> Annotated[Household, strawberry.lazy("schema.people.types")] | None:
        return HOUSEHOLD.resolve(self, info)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], nik: str) -> Person | None:
        """Federation entity lookup: batched, under the area rule, and like ``person(nik:)``
        only for callers holding pii:read (else _entities would be a NIK oracle)."""
        require_pii(info)
        row = await info.context.loaders.person_by_nik.load(nik)
        return cls.from_row(row) if row else None

    @classmethod
    def from_row(cls, p: PersonRecord | PersonRow) -> Person:
        return cls(id=strawberry.ID(p.id), name=p.name, birth_year=p.birth_date.year, sex=p.sex,
                   relationship=p.relationship, raw_nik=p.nik, raw_birth_date=p.birth_date,
                   household_id=p.household_id)


@strawberry.federation.type(keys=["kkNumber"], description="A family (keluarga), identified by its Kartu Keluarga number")
class Household:
    id: strawberry.ID
    address: str
    rt: str | None
    rw: str | None
    raw_kk: strawberry.Private[str]
    village_code: strawberry.Private[str]

    @strawberry.field(description="16-digit KK number; masked without pii:read", metadata=plain())
    def kk_number(self, info: Info[Context, None]) -> str:
        return shown(self.raw_kk, info, SubjectKind.KK)

    @strawberry.field(metadata=plain())
    def village(self, info: Info[Context, None]) -> Area | None:
        area = info.context.hub.areas.get(self.village_code)
        return Area.from_info(area) if area else None

    @strawberry.field(metadata=MEMBERS.metadata)
    def members(self, info: Info[Context, None]) -> list[Person]:
        return MEMBERS.resolve(self, info)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], kkNumber: str) -> Household | None:  # noqa: N803
        require_pii(info)
        row = await info.context.loaders.household_by_kk.load(kkNumber)
        return cls.from_row(row) if row else None

    @classmethod
    def from_row(cls, h: HouseholdRecord | HouseholdRow) -> Household:
        return cls(id=strawberry.ID(h.id), address=h.address, rt=h.rt, rw=h.rw, raw_kk=h.kk_number,
                   village_code=h.village_code)
