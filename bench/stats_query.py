"""`statistics` over a city's caseload: served from the kept counts (now) and computed from the
case tables (before, ``raw``), next to a plain count of the cases in the same run.

    python bench/stats_query.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55400/slrt_1m \\
        --households 300000 --cases 1000000 --jobs 4 --rounds 20 --raw-rounds 3

The database is migrated and, when it has no cases, seeded (`slrt-hub seed`'s generator).
Queries: the regency and one district, each over the last whole year and quarter of the data
(and the regency over a ragged 90 days), through the GraphQL API in process. Rows are
interleaved round by round; the raw ones only in the first ``--raw-rounds`` rounds (they take
seconds each at a million cases). Before timing, each query's figures are computed both ways at
one instant and compared. Goal (issue 13): p95 < 1 s at 1,000,000 cases on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import httpx
from common import Timing, bench_settings, print_table, timed
from sqlalchemy import func, select, text

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.asgi import create_app
from hub.cases.models import Case
from hub.container import Hub
from hub.db.base import utcnow
from hub.db.migrate import upgrade_async
from hub.seed.run import seed_caseload
from hub.statistics.service import Period, StatisticsService

QUERY = """query($area: ID, $from: Date, $to: Date) { statistics(areaCode: $area, from: $from, to: $to) {
  total resolved shareResolved byStatus { key count } byChannel { key count } bySector { key count }
  byVillage { key count } medianDaysSubmissionToReferral medianDaysReferralToCompletion
  referralsByPartner { partner status count } slaBreaches { key count } slaBreachedCases } }"""


def periods(last: date) -> dict[str, tuple[date, date]]:
    """The last whole year and quarter before the month of the newest case, and a ragged 90 days."""
    end = last.replace(day=1) - timedelta(days=1)
    year = (end.replace(day=1) - timedelta(days=320)).replace(day=1)
    quarter = (end.replace(day=1) - timedelta(days=40)).replace(day=1)
    return {"year": (year, end), "quarter": (quarter, end), "ragged 90 days": (last - timedelta(days=92),
                                                                                last - timedelta(days=3))}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--households", type=int, default=30_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--district", default="327502")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--raw-rounds", type=int, default=3)
    args = ap.parse_args()
    await upgrade_async(args.database_url)
    hub = await Hub.start(bench_settings(args.database_url))
    async with hub.sessions() as s:
        have = int(await s.scalar(select(func.count()).select_from(Case)) or 0)
    if have == 0:
        done = await seed_caseload(hub.settings.database_url, hub.settings.regency_code, args.households, args.cases,
                                   now=utcnow(), jobs=args.jobs, progress=lambda line: print(line, flush=True))
        print(f"seeded {done.cases:,} cases in {done.seconds:.1f} s")
        have = done.cases
    async with hub.sessions() as s:
        newest = await s.scalar(select(func.max(Case.created_at)))
    last = newest.astimezone(ZoneInfo(hub.settings.timezone)).date()
    raw_hub = dataclasses.replace(hub, statistics=StatisticsService(
        hub.sessions, hub.settings.sla_days, hub.settings.timezone, raw=True))
    token = hub.issuer.issue(subject="bench-supervisor", role=Role.SUPERVISOR, area="3275")

    def client(h: Hub) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(h.settings, h)), timeout=600,
                                 base_url="http://hub.bench", headers={"authorization": f"Bearer {token}"})

    served_api, raw_api = client(hub), client(raw_hub)
    queries = {f"{name} {label}": {"area": area, "from": lo.isoformat(), "to": hi.isoformat()}
               for name, area in (("regency", "3275"), (f"district {args.district}", args.district))
               for label, (lo, hi) in periods(last).items()
               if not (label.startswith("ragged") and name != "regency")}

    # The same figures both ways, at one instant, before anything is timed.
    supervisor = Actor("bench-supervisor", Role.SUPERVISOR, DEFAULT_SCOPES[Role.SUPERVISOR], area="3275")
    now = utcnow()
    for label, v in queries.items():
        period = Period(v["area"], date.fromisoformat(v["from"]), date.fromisoformat(v["to"]))
        same = await hub.statistics.compute(supervisor, period, now) == await raw_hub.statistics.compute(
            supervisor, period, now)
        print(f"figures identical, {label}: {'yes' if same else 'NO'}", flush=True)
        assert same, label

    async def count() -> None:
        async with hub.engine.connect() as conn:
            await conn.execute(text("SELECT count(*) FROM cases"))

    def ask(api: httpx.AsyncClient, variables: dict[str, str]):  # type: ignore[no-untyped-def]
        async def run() -> None:
            r = await api.post("/graphql", json={"query": QUERY, "variables": variables})
            assert r.status_code == 200 and "errors" not in r.json(), r.text
        return run

    rows: dict[str, tuple[Timing, object, int]] = {"baseline": (Timing("SELECT count(*) FROM cases (baseline)", []),
                                                                count, args.rounds)}
    for label, v in queries.items():
        rows[f"raw {label}"] = (Timing(f"before (raw): {label}", []), ask(raw_api, v), args.raw_rounds)
        rows[f"served {label}"] = (Timing(f"after (served): {label}", []), ask(served_api, v), args.rounds)
    load_before = os.getloadavg()
    for i in range(args.rounds + 1):  # the first round warms up and is dropped
        for timing, fn, rounds in rows.values():
            if i <= rounds:
                spent = await timed(fn)  # type: ignore[arg-type]
                if i:
                    timing.samples.append(spent)
    load_after = os.getloadavg()
    base = rows["baseline"][0].p50
    print(f"\nstatistics over {have:,} cases ({last:%Y-%m-%d} newest), {args.rounds} rounds "
          f"({args.raw_rounds} raw), interleaved; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
          f"(1 min), on {os.cpu_count()} CPUs\n")
    for label, v in queries.items():
        print(f"  {label}: areaCode {v['area']}, {v['from']} – {v['to']}")
    print()
    print_table(["measure", "n", "p50 ms", "p95 ms", "× baseline p50"],
                [[t.label, len(t.samples), t.p50, t.pct(0.95), t.p50 / base] for t, _, _ in rows.values()])
    await served_api.aclose()
    await raw_api.aclose()
    await hub.close()


if __name__ == "__main__":
    asyncio.run(main())
