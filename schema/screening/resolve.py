"""Screening a case's household over the joined graph, once per household per request.

The household, its members and every enabled connector's records come through the same
per-request loaders the connector fields use, so screening 20 cases adds no upstream
call beyond the one per connector the query makes anyway.
"""

from __future__ import annotations

import asyncio
import enum
from datetime import date
from typing import Any

from strawberry.types import Info

from connectors.sdk import ConnectorUnavailable, Entity
from hub.screening import UNAVAILABLE, HouseholdView, PersonView, ScreeningResult
from schema.context import Context


async def screening_of(info: Info[Context, None], household_id: str) -> ScreeningResult | None:
    """The household's screening; both screening fields of a case share one evaluation."""
    memo = info.context.connector_loaders.screenings
    if household_id not in memo:
        memo[household_id] = asyncio.ensure_future(_screen(info.context, household_id))
    return await memo[household_id]


async def _screen(ctx: Context, household_id: str) -> ScreeningResult | None:
    household = await ctx.loaders.household.load(household_id)
    if household is None:
        return None
    members = await ctx.loaders.members.load(household_id)
    enabled = ctx.hub.connectors.enabled()
    for_person = [n for n, c in enabled.items() if c.extends is Entity.PERSON]
    for_household = [n for n, c in enabled.items() if c.extends is Entity.HOUSEHOLD]

    async def record(connector: str, key: str) -> Any:
        try:
            return await ctx.connector_loaders.load(connector, key)
        except ConnectorUnavailable:
            return UNAVAILABLE  # the engine reports its rules as not evaluated

    # every load scheduled at once, so each connector's loader batches them together
    loads = [record(n, household.kk_number) for n in for_household]
    loads += [record(n, m.nik) for m in members for n in for_person]
    found = await asyncio.gather(*loads)
    household_records = dict(zip(for_household, found[: len(for_household)], strict=True))
    rest = iter(found[len(for_household):])
    people = [PersonView(m.nik, m.birth_date, _plain(m.sex), _plain(m.relationship),
                         records={n: next(rest) for n in for_person}) for m in members]
    view = HouseholdView(household.kk_number, people, household_records)
    return ctx.hub.screening.screen(view, today=date.today())


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
