"""What `pool_pre_ping` costs a single-case lookup: two hubs in one process, one with it, one without.

    python bench/pool_ping.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_small

Requests alternate between the two hubs (in process, through the real ASGI app); the
table gives p50 latency and CPU per request of each. A lookup opens two sessions (the
case, then its sectors through the data loader), so pre-ping adds two round trips.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx
from common import Timing, bench_settings, print_table
from sqlalchemy import select

from auth.roles import Role
from hub.asgi import create_app
from hub.cases.models import Case
from hub.container import Hub
from hub.db.engine import create_engine

CASE = """query($id: ID!) { case(id: $id) { id number status priority complaint createdAt updatedAt version
  village { code name } sectors } }"""


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--requests", type=int, default=400)
    args = ap.parse_args()
    hubs = {ping: await Hub.start(bench_settings(args.database_url),
                                  engine=create_engine(args.database_url, pool_pre_ping=ping)) for ping in (True, False)}
    async with hubs[True].sessions() as s:
        ids = list((await s.scalars(select(Case.id).limit(1000))).all())
    token = hubs[True].issuer.issue(subject="bench-front-office", role=Role.FRONT_OFFICE, area="3275")
    clients = {p: httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(h.settings, h)),
                                    base_url="http://hub.bench", headers={"authorization": f"Bearer {token}"})
               for p, h in hubs.items()}
    timing = {p: Timing(f"pool_pre_ping={p}", []) for p in hubs}
    cpu = {p: 0.0 for p in hubs}
    for i in range(args.requests + 50):
        for p, client in clients.items():
            wall, used = time.perf_counter(), time.process_time()
            r = await client.post("/graphql", json={"query": CASE, "variables": {"id": random.choice(ids)}})
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            if i >= 50:
                timing[p].samples.append(time.perf_counter() - wall)
                cpu[p] += time.process_time() - used
    print_table(["engine", "p50 ms", "p95 ms", "CPU ms / request"],
                [[t.label, t.p50, t.pct(0.95), cpu[p] / len(t.samples) * 1000] for p, t in timing.items()])
    for c in clients.values():
        await c.aclose()
    for h in hubs.values():
        await h.close()


if __name__ == "__main__":
    asyncio.run(main())
