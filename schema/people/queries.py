from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.areas.codes import normalize_area_code
from schema.areas.types import Area
from schema.errors import NotFound
from schema.people.types import Household, Person
from schema.permissions import requires

from schema.context import Context

# Looking a family up by its identity numbers reveals them: pii:read is needed.
LOOKUP = [requires(Scope.CASE_READ), requires(Scope.PII_READ)]


@strawberry.type
class PeopleQueries:
    @strawberry.field(permission_classes=LOOKUP)
    async def household(self, info: Info[Context, None], kk_number: str) -> Household | None:
        row = await info.context.hub.people.household(info.context.actor, kk_number.strip())
        if row is None:
            raise NotFound("no household with this KK number in your area")
        return Household.from_row(row)

    @strawberry.field(permission_classes=LOOKUP)
    async def person(self, info: Info[Context, None], nik: str) -> Person | None:
        row = await info.context.hub.people.person(info.context.actor, nik.strip())
        if row is None:
            raise NotFound("no person with this NIK in your area")
        return Person.from_row(row)

    @strawberry.field(description="the areas under parentCode (the top-level areas when left out)")
    def areas(self, info: Info[Context, None], parent_code: strawberry.ID | None = None) -> list[Area]:
        parent = normalize_area_code(str(parent_code)) if parent_code is not None else None
        if parent_code is not None and parent is None:
            return []
        return [Area.from_info(a) for a in info.context.hub.areas.children(parent)]
