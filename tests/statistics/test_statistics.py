"""Effectiveness figures against hand-computed expectations (tests/statistics/casebook.py)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import text

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.statistics.service import Period
from tests.statistics.casebook import write_casebook

MARCH = Period(None, date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def front_office() -> Actor:
    return Actor("fo", Role.FRONT_OFFICE, DEFAULT_SCOPES[Role.FRONT_OFFICE], area="3275")


async def test_regency_figures_for_march(hub: Any) -> None:
    await write_casebook(hub)
    s = await hub.statistics.compute(front_office(), MARCH, NOW)
    assert s.total == 4  # the April case is outside the period
    assert s.by_status == {"RESOLVED": 1, "REFERRED": 1, "CLOSED": 1, "DRAFT": 1}
    assert s.by_channel == {"FACILITATOR": 2, "PUSKESOS": 1, "SECRETARIAT": 1}
    assert s.by_sector == {"HEALTH": 2, "HOUSING": 1, "EDUCATION": 1, "SOCIAL_ASSISTANCE": 1}
    assert s.by_village == {"3275021005": 2, "3275011002": 2}
    assert (s.resolved, s.share_resolved) == (2, 0.5)
    assert s.median_days_submission_to_referral == 4.0  # 2, 4, 6 days
    assert s.median_days_referral_to_completion == 5.0  # 5, 1, 9 days
    assert s.referrals_by_partner == {("Dinas Kesehatan", "COMPLETED"): 1, ("Dinas Kesehatan", "IN_PROGRESS"): 1,
                                      ("Dinas Perkim", "COMPLETED"): 1, ("Dinas Pendidikan", "COMPLETED"): 1}
    # Only the still-open case of 2 March is past its targets by 1 June: HEALTH (14 d) and HOUSING (90 d).
    assert s.sla_breaches_by_sector == {"HEALTH": 1, "HOUSING": 1}
    assert s.sla_breached_cases == 1


async def test_district_and_even_medians(hub: Any) -> None:
    await write_casebook(hub)
    s = await hub.statistics.compute(front_office(), Period("327502", date(2026, 3, 1), date(2026, 3, 31)), NOW)
    assert s.total == 2
    assert s.median_days_submission_to_referral == 3.0  # 2 and 4 days
    assert s.median_days_referral_to_completion == 3.0  # 5 and 1 days


async def test_the_area_rule_bounds_statistics(hub: Any) -> None:
    await write_casebook(hub)
    supervisor = Actor("sv", Role.SUPERVISOR, DEFAULT_SCOPES[Role.SUPERVISOR], area="327501")
    s = await hub.statistics.compute(supervisor, MARCH, NOW)
    assert s.total == 2 and set(s.by_village) == {"3275011002"}
    widened = await hub.statistics.compute(supervisor, Period("3275", MARCH.start, MARCH.end), NOW)
    assert widened.total == 2  # asking for the regency does not reach beyond one's own district


async def test_period_days_are_local_days(hub: Any) -> None:
    await write_casebook(hub)
    # The case of 1 March 10:00 WIB is 1 March 03:00 UTC: it belongs to 1 March either way, but
    # a single-day period must find exactly it.
    s = await hub.statistics.compute(front_office(), Period(None, date(2026, 3, 1), date(2026, 3, 1)), NOW)
    assert s.total == 1


async def test_statistics_query_needs_stats_read(hub: Any, as_role: Any) -> None:
    await write_casebook(hub)
    query = """query { statistics(from: "2026-03-01", to: "2026-03-31") { total shareResolved
                 byStatus { key count } referralsByPartner { partner status count } slaBreachedCases } }"""
    result = await as_role(Role.SUPERVISOR, "3275")(query)
    data = result["data"]["statistics"]
    assert data["total"] == 4 and data["shareResolved"] == 0.5
    refused = await as_role(Role.FACILITATOR, "3275021005")(query)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = await as_role(Role.SUPERVISOR, "3275")('{ statistics(from: "2026-04-01", to: "2026-03-01") { total } }')
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_report_command_writes_the_same_figures(hub: Any, settings: Any, tmp_path: Path) -> None:
    await write_casebook(hub)
    env = {**os.environ, "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(settings.data_dir)}

    def report(*extra: str) -> dict[tuple[str, str], str]:
        out = tmp_path / "report.csv"
        done = subprocess.run([sys.executable, "-m", "hub.cli", "report", "--area", "32.75", "--from", "2026-03-01",
                               "--to", "2026-03-31", "--out", str(out), *extra], capture_output=True, text=True,
                              env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return {(r["measure"], r["key"]): r["value"] for r in csv.DictReader(out.open())}

    rows = report()
    assert rows[("total", "")] == "4"
    assert rows[("by_status", "REFERRED")] == "1"
    assert rows[("median_days_submission_to_referral", "")] == "4.0"
    assert rows[("referrals_by_partner", "Dinas Kesehatan/IN_PROGRESS")] == "1"
    assert report("--raw") == rows  # computed from the case tables alone


async def test_statistics_rebuild_command(hub: Any, settings: Any) -> None:
    await write_casebook(hub)
    async with hub.engine.begin() as conn:  # as if the counts had been lost
        await conn.execute(text("DELETE FROM statistics_rollup"))
    env = {**os.environ, "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(settings.data_dir)}
    done = subprocess.run([sys.executable, "-m", "hub.cli", "statistics", "rebuild"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "statistics rebuilt for 5 cases" in done.stdout
    s = await hub.statistics.compute(front_office(), MARCH, NOW)
    assert (s.total, s.by_village) == (4, {"3275021005": 2, "3275011002": 2})
