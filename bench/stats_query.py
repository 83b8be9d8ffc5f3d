"""Monitoring figures over 100,000 cases, next to a plain count of the same table.

    python bench/stats_query.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_100k

The database is migrated and, when empty, seeded with 100,000 cases (`slrt-hub seed`'s
generator). Rows, interleaved round by round: `SELECT count(*) FROM cases` (the floor any
aggregate over the table pays), `StatisticsService.compute` for the whole regency and the
`statistics` GraphQL query over HTTP-in-process. Goal (SPEC section 11): under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio

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
from hub.statistics.service import Period

QUERY = """{ statistics(areaCode: "3275") { total resolved shareResolved byStatus { key count }
  byChannel { key count } bySector { key count } byVillage { key count } medianDaysSubmissionToReferral
  medianDaysReferralToCompletion referralsByPartner { partner status count } slaBreaches { key count }
  slaBreachedCases } }"""


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    await upgrade_async(args.database_url)
    hub = await Hub.start(bench_settings(args.database_url))
    async with hub.sessions() as s:
        have = int(await s.scalar(select(func.count()).select_from(Case)) or 0)
    if have == 0:
        await seed_caseload(hub.settings.database_url, "3275", args.cases * 3 // 10, args.cases, now=utcnow(),
                            progress=lambda line: print(line, flush=True))
        have = args.cases
    auditor = Actor("bench-auditor", Role.AUDITOR, DEFAULT_SCOPES[Role.AUDITOR])
    token = hub.issuer.issue(subject="bench-supervisor", role=Role.SUPERVISOR, area="3275")
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub.settings, hub)),
                               base_url="http://hub.bench", headers={"authorization": f"Bearer {token}"})

    async def count() -> None:
        async with hub.engine.connect() as conn:
            await conn.execute(text("SELECT count(*) FROM cases"))

    async def service() -> None:
        await hub.statistics.compute(auditor, Period("3275", None, None), utcnow())

    async def graphql() -> None:
        r = await client.post("/graphql", json={"query": QUERY})
        assert r.status_code == 200 and "errors" not in r.json(), r.text
        assert r.json()["data"]["statistics"]["total"] == have

    rows = {name: Timing(name, []) for name in ("SELECT count(*) FROM cases (baseline)",
                                                 "StatisticsService.compute", "statistics over GraphQL")}
    for i in range(args.rounds + 2):  # two warm-up rounds, dropped
        for timing, fn in zip(rows.values(), (count, service, graphql)):
            spent = await timed(fn)
            if i >= 2:
                timing.samples.append(spent)
    base = rows["SELECT count(*) FROM cases (baseline)"].p50
    print(f"\nstatistics over {have:,} cases, {args.rounds} rounds, interleaved\n")
    print_table(["measure", "p50 ms", "p95 ms", "× baseline"],
                [[t.label, t.p50, t.pct(0.95), t.p50 / base] for t in rows.values()])
    await client.aclose()
    await hub.close()


if __name__ == "__main__":
    asyncio.run(main())
