"""Growth: a `cases` page at 10,000 and at 1,000,000 cases, measured in the same run.

    python bench/cases.py --small postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_small \\
                          --large postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_scale

Both databases are migrated; an empty one is seeded (small: 10,000 cases, large: 1,000,000)
with `slrt-hub seed`'s generator. Requests alternate between the two hubs, in process
through the real ASGI app, so machine noise hits both alike. The page is the first 50
SUBMITTED cases of one district, newest first (FRONT_OFFICE of the regency). Goal (SPEC
section 11): p50 at 1M ≤ 1.5 × p50 at 10k.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import httpx
from common import Timing, bench_settings, print_table, timed
from sqlalchemy import func, select, text

from auth.roles import Role
from hub.asgi import create_app
from hub.cases.models import Case
from hub.container import Hub
from hub.db.base import utcnow
from hub.db.migrate import upgrade_async
from hub.seed.run import seed_caseload

PAGE = """query($district: ID!) { cases(filter: {areaCode: $district, status: [SUBMITTED]}, first: 50) {
  edges { node { id number status priority createdAt village { name } } } pageInfo { hasNextPage endCursor } } }"""
PAGE_COUNT = PAGE.replace("pageInfo {", "totalCount pageInfo {")
FLOOR = "{ __typename }"
EXPLAIN = ("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM cases WHERE regency_code = '3275' "
           "AND district_code = :d AND status IN ('SUBMITTED') ORDER BY created_at DESC, id DESC LIMIT 51")


async def prepared(url: str, cases: int, migrate: bool = True) -> tuple[Hub, int]:
    if migrate:
        await upgrade_async(url)
    hub = await Hub.start(bench_settings(url))
    async with hub.sessions() as s:
        have = int(await s.scalar(select(func.count()).select_from(Case)) or 0)
    if have == 0:
        await seed_caseload(hub.settings.database_url, "3275", max(1, cases * 3 // 10), cases, now=utcnow(),
                            progress=lambda line: print(line, flush=True))
        have = cases
    return hub, have


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", required=True)
    ap.add_argument("--large", required=True)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--district", default="327502")
    ap.add_argument("--no-migrate-large", action="store_true", help="measure the large database as it is")
    args = ap.parse_args()
    small, n_small = await prepared(args.small, 10_000)
    large, n_large = await prepared(args.large, 1_000_000, not args.no_migrate_large)
    token = small.issuer.issue(subject="bench-front-office", role=Role.FRONT_OFFICE, area="3275")
    headers = {"authorization": f"Bearer {token}"}
    clients = {name: httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub.settings, hub)),
                                       base_url="http://hub.bench", headers=headers)
               for name, hub in (("small", small), ("large", large))}
    shapes = {"{ __typename } (floor)": FLOOR, "cases page (50)": PAGE, "cases page + totalCount": PAGE_COUNT}
    results: dict[tuple[str, str], Timing] = {(s, d): Timing(s, []) for s in shapes for d in clients}

    async def call(client: httpx.AsyncClient, query: str) -> None:
        r = await client.post("/graphql", json={"query": query, "variables": {"district": args.district}})
        body: dict[str, Any] = r.json()
        assert r.status_code == 200 and "errors" not in body, body

    for i in range(args.requests + 20):  # the first 20 rounds warm caches and are dropped
        for shape, query in shapes.items():
            for name, client in clients.items():
                spent = await timed(lambda c=client, q=query: call(c, q))  # type: ignore[misc]
                if i >= 20:
                    results[(shape, name)].samples.append(spent)
    rows = []
    for shape in shapes:
        a, b = results[(shape, "small")], results[(shape, "large")]
        rows.append([shape, a.p50, b.p50, b.p50 / a.p50, a.pct(0.95), b.pct(0.95)])
    print(f"\ncases: small {n_small:,}, large {n_large:,}; {args.requests} requests each, interleaved\n")
    print_table(["query", "p50 small ms", "p50 large ms", "ratio", "p95 small ms", "p95 large ms"], rows)
    async with large.engine.connect() as conn:
        plan = (await conn.execute(text(EXPLAIN), {"d": args.district})).scalars().all()
    print("\nplan at the large size:\n  " + "\n  ".join(plan))
    for c in clients.values():
        await c.aclose()
    await small.close()
    await large.close()


if __name__ == "__main__":
    asyncio.run(main())
