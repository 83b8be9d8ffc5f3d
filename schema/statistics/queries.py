from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.areas.codes import normalize_area_code
from hub.db.base import utcnow
from hub.statistics.service import Period
from schema.context import Context
from schema.errors import HubError
from schema.permissions import requires
from schema.statistics.types import CaseStatistics


class InvalidArgument(HubError):
    code = "INVALID_INPUT"


@strawberry.type
class StatisticsQueries:
    @strawberry.field(permission_classes=[requires(Scope.STATS_READ)],
                      description="effectiveness figures for your area, narrowed to areaCode; from/to are inclusive local days")
    async def statistics(self, info: Info[Context, None], area_code: strawberry.ID | None = None,
                         from_: Annotated[date | None, strawberry.argument(name="from")] = None,
                         to: date | None = None) -> CaseStatistics:
        area = None
        if area_code is not None and (area := normalize_area_code(str(area_code))) is None:
            raise InvalidArgument("areaCode is not a Kemendagri area code", field=["areaCode"])
        if from_ and to and from_ > to:
            raise InvalidArgument("from is after to", field=["from"])
        stats = await info.context.hub.statistics.compute(info.context.actor, Period(area, from_, to), utcnow())
        return CaseStatistics.from_domain(area, stats)
