"""Screening a case's household over the joined graph, once per household per request.

The household, its members and every enabled connector's records come through the same
per-request loaders the connector fields use, so screening 20 cases adds no upstream
call beyond the one per connector the query makes anyway.

Personal-data connectors (BPJS, Dukcapil: a connector's `personal_data`) follow the PII
rule of their fields: without pii:read they are not called and the rules reading them
are reported as not evaluated (FORBIDDEN); with it, every person (or household) whose
personal record fed the screening is audited as a clear read, since the suggestions,
and their absence, tell what that record says.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from strawberry.types import Info

from connectors.sdk import ConnectorUnavailable, Entity
from hub.access.audit import SubjectKind
from hub.screening import FORBIDDEN, UNAVAILABLE, HouseholdView, PersonView, ScreeningResult
from schema.access.pii import note_clear_read, sees_pii
from schema.context import Context


@dataclass(frozen=True, slots=True)
class _Screened:
    result: ScreeningResult
    personal_reads: tuple[tuple[SubjectKind, str], ...]  # whose personal records it read


async def screening_of(info: Info[Context, None], household_id: str) -> ScreeningResult | None:
    """The household's screening; both screening fields of a case share one evaluation."""
    memo = info.context.connector_loaders.screenings
    if household_id not in memo:
        memo[household_id] = asyncio.ensure_future(_screen(info.context, household_id, personal=sees_pii(info)))
    # shielded: a cancelled field must not cancel the evaluation the other field shares
    screened: _Screened | None = await asyncio.shield(memo[household_id])
    if screened is None:
        return None
    for kind, number in screened.personal_reads:
        note_clear_read(info, kind, number)
    return screened.result


async def _screen(ctx: Context, household_id: str, personal: bool) -> _Screened | None:
    household = await ctx.loaders.household.load(household_id)
    if household is None:
        return None
    members = await ctx.loaders.members.load(household_id)
    enabled = ctx.hub.connectors.enabled()
    withheld = {n for n, c in enabled.items() if c.personal_data and not personal}
    for_person = [n for n, c in enabled.items() if c.extends is Entity.PERSON]
    for_household = [n for n, c in enabled.items() if c.extends is Entity.HOUSEHOLD]

    async def record(connector: str, key: str) -> Any:
        if connector in withheld:
            return FORBIDDEN  # never fetched: the engine reports its rules as not evaluated
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
    return _Screened(ctx.hub.screening.screen(view, today=date.today()), _personal_reads(view, enabled))


def _personal_reads(view: HouseholdView, enabled: Mapping[str, Any]) -> tuple[tuple[SubjectKind, str], ...]:
    def fed(records: Mapping[str, Any]) -> bool:  # a personal connector answered (found or not found)
        return any(enabled[n].personal_data and r is not UNAVAILABLE and r is not FORBIDDEN
                   for n, r in records.items())

    reads = [(SubjectKind.KK, view.kk)] if fed(view.records) else []
    return tuple(reads + [(SubjectKind.NIK, p.nik) for p in view.members if fed(p.records)])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
