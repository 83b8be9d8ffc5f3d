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
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from strawberry.types import Info

from connectors.sdk import ConnectorUnavailable, Entity
from hub.access.audit import SubjectKind
from hub.screening import FORBIDDEN, UNAVAILABLE, HouseholdView, PersonView, ScreeningResult
from schema.access.pii import note_clear_read, sees_pii
from schema.batch_loader import MISSING
from schema.context import Context

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Screened:
    result: ScreeningResult
    personal_reads: tuple[tuple[SubjectKind, str], ...]  # whose personal records it read


def screening_of(info: Info[Context, None], household_id: str) -> Any:
    """The household's screening (a `ScreeningResult` or None), or an awaitable of it while
    a load it reads is still out; both screening fields of a case share one evaluation.

    Once the relations and records it reads are loaded (a `prefetch`ed graph: the common
    case), it is evaluated at once, without a coroutine or a task per record it reads:
    ~16 tasks per household had been a tenth of the hub's CPU for the 50-case graph."""
    memo = info.context.connector_loaders.screenings
    screened = memo.get(household_id, MISSING)
    if screened is MISSING:
        screened = _screen_loaded(info.context, household_id, personal=sees_pii(info))
        if screened is MISSING:
            screened = asyncio.ensure_future(_screen(info.context, household_id, personal=sees_pii(info)))
        memo[household_id] = screened
    if isinstance(screened, asyncio.Future):
        if not screened.done() or screened.cancelled() or screened.exception() is not None:
            return _screened_later(info, screened)
        screened = screened.result()
    return _shown(info, screened)


def from_screening(info: Info[Context, None], household_id: str, show: Callable[[ScreeningResult], list[T]]) -> Any:
    """`show(the household's screening)`, [] without a household: a list, or an awaitable of
    one while the screening waits for a load (for plain resolvers, schema/plain_fields.py)."""
    result = screening_of(info, household_id)
    if inspect.isawaitable(result):
        return _show_later(result, show)
    return show(result) if result is not None else []


async def _show_later(result: Awaitable[ScreeningResult | None], show: Callable[[ScreeningResult], list[T]]) -> list[T]:
    screening = await result
    return show(screening) if screening is not None else []


async def _screened_later(info: Info[Context, None], evaluation: asyncio.Future[_Screened | None]) -> ScreeningResult | None:
    # shielded: a cancelled field must not cancel the evaluation the other field shares
    return _shown(info, await asyncio.shield(evaluation))


def _shown(info: Info[Context, None], screened: _Screened | None) -> ScreeningResult | None:
    if screened is None:
        return None
    for kind, number in screened.personal_reads:
        note_clear_read(info, kind, number)
    return screened.result


def _screen_loaded(ctx: Context, household_id: str, personal: bool) -> _Screened | None | Any:
    """The screening from what the loaders hold already, or MISSING if something is not
    loaded yet (a failed household or members load raises its failure, as `load` would)."""
    household = ctx.loaders.household.peek(household_id)
    if household is MISSING or household is None:
        return household
    members = ctx.loaders.members.peek(household_id)
    if members is MISSING:
        return MISSING
    plan = _Plan(ctx, personal)
    found = []
    for connector, key in plan.reads(household, members):
        if connector in plan.withheld:
            found.append(FORBIDDEN)
            continue
        try:
            record = ctx.connector_loaders.loader(connector).peek(key)
        except ConnectorUnavailable:
            record = UNAVAILABLE
        if record is MISSING:
            return MISSING
        found.append(record)
    return plan.screen(household, members, found)


async def _screen(ctx: Context, household_id: str, personal: bool) -> _Screened | None:
    household = await ctx.loaders.household.load(household_id)
    if household is None:
        return None
    members = await ctx.loaders.members.load(household_id)
    plan = _Plan(ctx, personal)

    async def record(connector: str, key: str) -> Any:
        if connector in plan.withheld:
            return FORBIDDEN  # never fetched: the engine reports its rules as not evaluated
        try:
            return await ctx.connector_loaders.load(connector, key)
        except ConnectorUnavailable:
            return UNAVAILABLE  # the engine reports its rules as not evaluated

    # every load scheduled at once, so each connector's loader batches them together
    found = await asyncio.gather(*(record(n, k) for n, k in plan.reads(household, members)))
    return plan.screen(household, members, found)


class _Plan:
    """Which records a screening reads, and the screening from them once read."""

    def __init__(self, ctx: Context, personal: bool) -> None:
        self.ctx = ctx
        self.enabled = enabled = ctx.hub.connectors.enabled()
        # personal-data connectors are not called without pii:read: their rules are not evaluated
        self.withheld = {n for n, c in enabled.items() if c.personal_data and not personal}
        self.for_person = [n for n, c in enabled.items() if c.extends is Entity.PERSON]
        self.for_household = [n for n, c in enabled.items() if c.extends is Entity.HOUSEHOLD]

    def reads(self, household: Any, members: Sequence[Any]) -> list[tuple[str, str]]:
        """(connector, key) of every record read: the household's, then each member's."""
        return ([(n, household.kk_number) for n in self.for_household]
                + [(n, m.nik) for m in members for n in self.for_person])

    def screen(self, household: Any, members: Sequence[Any], found: Sequence[Any]) -> _Screened:
        """The screening, from `found`: one record (or FORBIDDEN/UNAVAILABLE) per `reads`."""
        household_records = dict(zip(self.for_household, found[: len(self.for_household)], strict=True))
        rest = iter(found[len(self.for_household):])
        people = [PersonView(m.nik, m.birth_date, _plain(m.sex), _plain(m.relationship),
                             records={n: next(rest) for n in self.for_person}) for m in members]
        view = HouseholdView(household.kk_number, people, household_records)
        return _Screened(self.ctx.hub.screening.screen(view, today=date.today()), _personal_reads(view, self.enabled))


def _personal_reads(view: HouseholdView, enabled: Mapping[str, Any]) -> tuple[tuple[SubjectKind, str], ...]:
    def fed(records: Mapping[str, Any]) -> bool:  # a personal connector answered (found or not found)
        return any(enabled[n].personal_data and r is not UNAVAILABLE and r is not FORBIDDEN
                   for n, r in records.items())

    reads = [(SubjectKind.KK, view.kk)] if fed(view.records) else []
    return tuple(reads + [(SubjectKind.NIK, p.nik) for p in view.members if fed(p.records)])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
