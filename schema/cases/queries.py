from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.areas.codes import normalize_area_code
from hub.cases.queries import MAX_PAGE, CaseFilter as CaseFilterData, decode_cursor, encode_cursor
from schema.cases.inputs import CaseFilter
from schema.cases.types import Case, CaseEdge, PageInfo
from schema.errors import InvalidArgument, NotFound
from schema.permissions import requires
from schema.relations import prefetch

from schema.context import Context


@strawberry.type
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo
    filter: strawberry.Private[CaseFilterData]

    @strawberry.field(description="number of cases matching the filter; counted only when asked for")
    async def total_count(self, info: Info[Context, None]) -> int:
        return await info.context.hub.case_reader.count(info.context.actor, self.filter)


def to_filter(f: CaseFilter | None) -> CaseFilterData:
    if f is None:
        return CaseFilterData()
    area = None
    if f.area_code is not None:
        area = normalize_area_code(str(f.area_code))
        if area is None:
            raise InvalidArgument("areaCode is not a Kemendagri area code", field=["filter", "areaCode"])
    return CaseFilterData(statuses=tuple(f.status or ()), sectors=tuple(f.sector or ()), channel=f.channel,
                          priority=f.priority, area_code=area, created_from=f.created_from,
                          created_to=f.created_to, text=f.text.strip() if f.text else None)


@strawberry.type
class CaseQueries:
    @strawberry.field(permission_classes=[requires(Scope.CASE_READ)])
    async def case(self, info: Info[Context, None], id: strawberry.ID) -> Case | None:
        found = await info.context.hub.case_reader.lookup(info.context.actor, str(id))
        if found is None:
            raise NotFound("no case with this id in your area")
        if found.sectors is not None:
            info.context.loaders.sectors.prime(found.case.id, found.sectors)
        case = Case.from_row(found.case)
        await prefetch(info, [case], "Case")
        return case

    @strawberry.field(permission_classes=[requires(Scope.CASE_READ)])
    async def case_by_number(self, info: Info[Context, None], number: str) -> Case | None:
        row = await info.context.hub.case_reader.by_number(info.context.actor, number)
        if row is None:
            raise NotFound("no case with this number in your area")
        case = Case.from_row(row)
        await prefetch(info, [case], "Case")
        return case

    @strawberry.field(permission_classes=[requires(Scope.CASE_READ)],
                      description="cases in your area, newest first")
    async def cases(self, info: Info[Context, None], filter: CaseFilter | None = None, first: int = 20,
                    after: str | None = None) -> CaseConnection:
        if not 0 <= first <= MAX_PAGE:
            raise InvalidArgument(f"first must be between 0 and {MAX_PAGE}", field=["first"])
        cursor = None
        if after is not None and (cursor := decode_cursor(after)) is None:
            raise InvalidArgument("after is not a cursor from this list", field=["after"])
        data = to_filter(filter)
        page = await info.context.hub.case_reader.page(info.context.actor, data, first, cursor)
        edges = [CaseEdge(cursor=encode_cursor(c), node=Case.from_row(c)) for c in page.cases]
        await prefetch(info, [edge.node for edge in edges], "Case", ("edges", "node"))
        return CaseConnection(edges=edges, filter=data,
                              page_info=PageInfo(has_next_page=page.has_next,
                                                 end_cursor=edges[-1].cursor if edges else None))
