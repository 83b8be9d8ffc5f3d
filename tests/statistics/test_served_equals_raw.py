"""The statistics served from the kept facts and counts equal the raw computation from the case
tables, figure for figure (medians included), after every kind of write: direct rows (the
casebook), every transition through the services with many writers at once (the lively
casebook), the bulk seed, and the migration that backfills an existing database."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from itertools import product
from typing import Any

from alembic import command
from sqlalchemy import select, text

from auth.principal import Actor
from auth.roles import Role
from hub.cases.models import Case, CaseSector
from hub.db.base import utcnow
from hub.db.migrate import alembic_config
from hub.seed.run import seed_caseload
from hub.statistics import rollup
from hub.statistics.facts import Calendar
from hub.statistics.raw import RawStatistics
from hub.statistics.served import ServedStatistics
from hub.statistics.service import Period, StatisticsService
from tests.statistics.casebook import write_casebook
from tests.statistics.lively import START, Lively, actor

AREAS = (None, "32", "3275", "327502", "3275021005", "3275011002", "32750")
DAYS = ((None, None), (date(2026, 1, 31), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 30), date(2026, 3, 2)), (date(2026, 1, 1), date(2026, 12, 31)), (None, date(2026, 2, 10)),
        (date(2026, 2, 10), None), (date(2026, 3, 1), date(2026, 3, 31)), (date(2025, 1, 1), date(2025, 12, 31)))
FRONT_OFFICE = actor(Role.FRONT_OFFICE, "3275")
OTHERS = (actor(Role.SUPERVISOR, "327502"), actor(Role.AUDITOR), actor(Role.ADMIN), actor(Role.FACILITATOR, "3275011002"))


def calendar(settings: Any) -> Calendar:
    return Calendar(settings.timezone, dict(settings.sla_days))


async def assert_same(hub: Any, settings: Any, cases: list[tuple[Actor, Period, datetime]]) -> None:
    raw, served = RawStatistics(hub.sessions, calendar(settings)), ServedStatistics(hub.sessions, calendar(settings))
    for who, period, now in cases:
        expected, got = await raw.compute(who, period, now), await served.compute(who, period, now)
        assert got == expected, (who.role, period, now)


def matrix(nows: list[datetime]) -> list[tuple[Actor, Period, datetime]]:
    out = [(FRONT_OFFICE, Period(area, *days), now) for (area, days), now in product(product(AREAS, DAYS), nows[:2])]
    out += [(who, Period(area, *DAYS[3]), nows[0]) for who, area in product(OTHERS, (None, "327502"))]
    return out + [(FRONT_OFFICE, Period(), now) for now in nows[2:]]


async def sla_edges(hub: Any, settings: Any) -> list[datetime]:
    """Instants at which open cases reach their target exactly, and a microsecond later."""
    async with hub.sessions() as s:
        rows = (await s.execute(select(Case.submitted_at, CaseSector.sector).join(CaseSector).where(
            Case.resolved_at.is_(None), Case.submitted_at.is_not(None)).order_by(Case.submitted_at))).all()
    edges = [at + timedelta(days=settings.sla_days[sector.value]) for at, sector in rows[::7]]
    return [t + d for t in edges for d in (timedelta(0), timedelta(microseconds=1))]


async def test_lively_casebook(hub: Any, settings: Any) -> None:
    await write_casebook(hub)
    await Lively(hub).write()
    end = START + timedelta(days=75)
    nows = [end, end + timedelta(days=200), *await sla_edges(hub, settings)]
    await assert_same(hub, settings, matrix(nows))
    # Not a vacuous comparison: the casebook has something in every figure.
    s = await RawStatistics(hub.sessions, calendar(settings)).compute(FRONT_OFFICE, Period(), end)
    assert s.total == 5 + 48 + 2 + 16 and len(s.by_status) == 9 and len(s.by_village) == 7
    assert s.median_days_submission_to_referral and s.median_days_referral_to_completion
    assert len(s.sla_breaches_by_sector) >= 4 and 0 < s.sla_breached_cases < s.total
    assert len({st for _, st in s.referrals_by_partner}) >= 5


async def test_counts_kept_with_every_write_equal_counts_derived_afresh(hub: Any, settings: Any) -> None:
    await write_casebook(hub)
    await Lively(hub, seed=7).write(30)
    kept = await _state(hub)
    async with hub.engine.begin() as conn:
        await conn.run_sync(rollup.rebuild, calendar(settings))
    assert await _state(hub) == kept


async def test_another_calendar_is_computed_raw_until_rebuilt(hub: Any, settings: Any) -> None:
    await write_casebook(hub)
    await Lively(hub, seed=3).write(20)
    stricter = Calendar("Asia/Jayapura", {**settings.sla_days, "OTHER": 365, "HEALTH": 3})
    service = StatisticsService(hub.sessions, stricter.sla_days, stricter.timezone)
    now = START + timedelta(days=40)
    period = Period("3275", date(2026, 2, 1), date(2026, 2, 28))
    expected = await RawStatistics(hub.sessions, stricter).compute(FRONT_OFFICE, period, now)
    assert await service.compute(FRONT_OFFICE, period, now) == expected
    assert expected != await RawStatistics(hub.sessions, calendar(settings)).compute(FRONT_OFFICE, period, now)
    async with hub.engine.begin() as conn:
        await conn.run_sync(rollup.rebuild, stricter)
    try:
        assert await ServedStatistics(hub.sessions, stricter).compute(FRONT_OFFICE, period, now) == expected
    finally:
        async with hub.engine.begin() as conn:
            await conn.run_sync(rollup.rebuild, calendar(settings))


async def test_seeded_and_backfilled_caseloads(hub: Any, settings: Any) -> None:
    now = utcnow()
    await seed_caseload(settings.database_url, "3275", 300, 1500, seed=5, now=now)
    seeded = await _state(hub)
    today = now.date()
    cases = [(FRONT_OFFICE, Period(area, *days), now) for area, days in product(
        (None, "327503"), ((None, None), (today - timedelta(days=120), today - timedelta(days=31)),
                           (today.replace(day=1), today)))]
    await assert_same(hub, settings, cases)
    # An existing database: migrated back before the statistics tables, then up again.
    config = alembic_config(settings.database_url)
    await asyncio.to_thread(command.downgrade, config, "0007_referral_escalation")
    await asyncio.to_thread(command.upgrade, config, "head")
    await hub.engine.dispose()  # pooled connections cached plans of the dropped tables
    assert await _state(hub) == seeded
    await assert_same(hub, settings, cases)


async def _state(hub: Any) -> dict[str, list[Any]]:
    tables = {"statistics_rollup": "n <> 0", "statistics_case_facts": "true", "statistics_sector_facts": "true",
              "statistics_referral_facts": "true"}
    out = {}
    async with hub.engine.connect() as conn:
        for table, where in tables.items():
            rows = (await conn.execute(text(f"SELECT * FROM {table} WHERE {where}"))).all()
            out[table] = sorted(tuple(map(str, r)) for r in rows)
    assert out["statistics_rollup"], "nothing was counted"
    return out
