"""A hanging sector system: how long the case graph query then takes, against the same query healthy.

    .venv/bin/python bench/hanging.py [--cases 20] [--rounds 5] [--timeout 3]

The timing the test suite no longer asserts (`tests/graph/test_fanout.py` reads the budget the
hub records instead): with bpjs hanging, the answer should come after bpjs's timeout plus the
query's own work, not later. Both variants run interleaved in the same process, against the
same simulators (in process, real HTTP on 127.0.0.1) and database, so they see the same noise.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from common import Timing, bench_settings, print_table, timed

import aiohttp
import httpx

from auth.roles import Role
from connectors.sdk import CallRecord, discover
from connectors.simulators import start
from hub.asgi import create_app
from hub.container import Hub
from hub.db.migrate import upgrade_async
from hub.demo.seed import seed_demo

QUERY = """query($first: Int!) { cases(first: $first) { edges { node { number household {
  welfare { decile } housing { habitable }
  members { nik civilRegistry { nikMatch } healthCoverage { active } education { enrolled } } } } } } }"""


async def bench(cases: int, rounds: int, timeout: float) -> None:
    # the simulator logs each request the hub gave up on (by design here) as a lost connection
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    runner, port = await start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = bench_settings(f"sqlite+aiosqlite:///{tmp}/bench.db", data_dir=Path(tmp))
            await upgrade_async(settings.database_url)
            connectors = {name: cls.settings_class.for_connector(name, base_url=f"{base}/{name}", timeout=timeout,
                                                                 cache_ttl=0)
                          for name, cls in discover().items()}
            hub = await Hub.start(settings, connector_settings=connectors)
            try:
                await seed_demo(hub.cases, hub.areas, per_village=-(-cases // 9))
                await _measure(hub, settings, base, cases, rounds, timeout)
            finally:
                await hub.close()
    finally:
        async with aiohttp.ClientSession() as session:
            await session.post(f"{base}/bpjs/_control", json={"hang": False})
        await runner.cleanup()


async def _measure(hub: Hub, settings, base: str, cases: int, rounds: int, timeout: float) -> None:  # type: ignore[no-untyped-def]
    token = hub.issuer.issue(subject="bench", role=Role.FRONT_OFFICE, area="3275")
    budgets: list[float] = []
    hub.connectors.runtimes["bpjs"].hooks.append(
        lambda r: budgets.append(r.budget) if isinstance(r, CallRecord) and r.budget else None)
    transport = httpx.ASGITransport(app=create_app(settings, hub))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=60,
                                 headers={"authorization": f"Bearer {token}"}) as client, \
            aiohttp.ClientSession() as control:
        async def query() -> None:
            response = await client.post("/graphql", json={"query": QUERY, "variables": {"first": cases}})
            assert response.status_code == 200, response.text

        await query()  # warm-up: imports, parser and validation caches
        healthy, hanging = Timing("healthy", []), Timing("bpjs hanging", [])
        for _ in range(rounds):
            healthy.samples.append(await timed(query))
            await control.post(f"{base}/bpjs/_control", json={"hang": True})
            hanging.samples.append(await timed(query))
            await control.post(f"{base}/bpjs/_control", json={"hang": False})
    print(f"\ncase graph of {cases} cases, bpjs timeout {timeout:.1f} s, {rounds} rounds (interleaved)\n")
    print_table(["variant", "p50 ms", "max ms"], [[t.label, t.p50, t.pct(1.0)] for t in (healthy, hanging)])
    over = hanging.p50 - timeout * 1000 - healthy.p50
    print(f"\nhanging p50 - timeout - healthy p50: {over:.1f} ms (<= 0 is right: the timeout counts from "
          "the request's start, so the query's own work overlaps it)")
    print(f"budget handed to bpjs's load (timeout less the query's time before it): "
          f"min {min(budgets) * 1000:.0f} ms, max {max(budgets) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(bench(args.cases, args.rounds, args.timeout))


if __name__ == "__main__":
    main()
