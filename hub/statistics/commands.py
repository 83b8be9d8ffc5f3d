"""``slrt-hub report`` (the figures as CSV) and ``slrt-hub statistics rebuild``."""

from __future__ import annotations

import asyncio
from typing import Any

import click

from auth.roles import Role
from hub.startup import settings_or_exit


@click.command(help="Write the monitoring and evaluation figures of an area and period as CSV.")
@click.option("--area", default=None, help="Kemendagri area code; default: the whole deployment")
@click.option("--from", "from_", type=click.DateTime(["%Y-%m-%d"]), default=None, help="first day (inclusive)")
@click.option("--to", type=click.DateTime(["%Y-%m-%d"]), default=None, help="last day (inclusive)")
@click.option("--out", type=click.Path(allow_dash=True), default="-", show_default=True, help="CSV file, - for stdout")
@click.option("--raw", is_flag=True, help="compute from the case tables, not the kept counts (the reference; slower)")
def report(area: str | None, from_: Any, to: Any, out: str, raw: bool) -> None:
    from auth.principal import Actor
    from auth.roles import Scope
    from hub.areas.codes import normalize_area_code
    from hub.db.base import utcnow
    from hub.db.engine import create_engine, create_session_factory
    from hub.statistics.report import write_csv
    from hub.statistics.service import Period, StatisticsService

    code = normalize_area_code(area) if area else None
    if area and code is None:
        raise click.BadParameter(f"'{area}' is not a Kemendagri area code", param_hint="--area")
    settings = settings_or_exit()
    # The operator running the command reads the whole deployment, like an AUDITOR.
    reader = Actor("slrt-hub report", Role.AUDITOR, frozenset({Scope.CASE_READ, Scope.STATS_READ}))

    async def compute() -> Any:
        engine = create_engine(settings.database_url)
        try:
            service = StatisticsService(create_session_factory(engine), settings.sla_days, settings.timezone, raw=raw)
            return await service.compute(reader, Period(code, from_.date() if from_ else None,
                                                        to.date() if to else None), utcnow())
        finally:
            await engine.dispose()

    stats = asyncio.run(compute())
    with click.open_file(out, "w") as fh:
        write_csv(stats, fh)


@click.group(help="The statistics' kept facts and counts.")
def statistics() -> None:
    pass


@statistics.command("rebuild", help="Derive the statistics' facts and counts again from the case tables, under "
                                    "SLRT_TIMEZONE and SLRT_SLA_DAYS. Stop the hub first: its writers keep them "
                                    "under the calendar they were built with.")
def statistics_rebuild() -> None:
    from hub.db.engine import create_engine
    from hub.statistics import rollup
    from hub.statistics.facts import Calendar

    settings = settings_or_exit()
    calendar = Calendar(settings.timezone, dict(settings.sla_days))

    async def rebuild() -> int:
        engine = create_engine(settings.database_url)
        try:
            async with engine.begin() as conn:
                return await conn.run_sync(rollup.rebuild, calendar)
        finally:
            await engine.dispose()

    click.echo(f"statistics rebuilt for {asyncio.run(rebuild()):,} cases ({calendar.timezone})")
