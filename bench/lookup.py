"""Single-case lookup throughput under concurrent load, 1 and 2 API processes, next to hello.

    python bench/lookup.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_small

For each process count, real servers on loopback: `slrt-hub serve --workers W` (over a
seeded database; `python bench/cases.py` or `slrt-hub seed` fills one) and, as the
baseline, a plain strawberry app answering `{ hello }` under uvicorn with the same worker
count. A small aiohttp load loop (bounded in requests and seconds) sends `case(id:)` for
random case ids, `{ __typename }` to the hub, and `{ hello }` to the plain app.

Besides requests/s (which moves with whatever else runs on the machine), each row gives the
server's CPU per request: user + system time of all its processes, from /proc, over the row.
With ``--profile x.svg`` (or ``x.txt``, collapsed stacks) py-spy records the hub during the
lookup row of the one-process run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from common import KEYS_DIR, Timing, bench_settings, print_table
from servers import SLRT_HUB, free_port, hub_env, start, stop
from sqlalchemy import select

from auth.issuer import TokenIssuer
from auth.keys import KeyStore
from auth.roles import Role
from hub.cases.models import Case
from hub.db.engine import create_engine

TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process of the process group ``pgid`` (a server and its workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


CASE = """query($id: ID!) { case(id: $id) { id number status priority complaint createdAt updatedAt version
  village { code name } sectors } }"""


async def load(url: str, query: str, ids: list[str], token: str | None, requests: int, seconds: float,
               concurrency: int) -> tuple[float, Timing]:
    """Requests per second and latencies of ``requests`` calls (or what fits in ``seconds``)."""
    timing = Timing(query[:20], [])
    headers = {"authorization": f"Bearer {token}"} if token else {}
    left = requests
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency), headers=headers) as http:
        async def one_loop() -> None:
            nonlocal left
            while left > 0 and time.monotonic() < deadline:
                left -= 1
                body = {"query": query, "variables": {"id": random.choice(ids)} if "$id" in query else {}}
                start = time.perf_counter()
                async with http.post(url, json=body) as r:
                    data = await r.json()
                timing.samples.append(time.perf_counter() - start)
                assert r.status == 200 and "errors" not in data, data

        began = time.perf_counter()
        await asyncio.gather(*(one_loop() for _ in range(concurrency)))
        spent = time.perf_counter() - began
    return len(timing.samples) / spent, timing


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--profile", metavar="SVG", help="py-spy the one-process hub during its lookup row into this "
                                                     "flame graph (.svg) or collapsed stacks (.txt)")
    args = ap.parse_args()
    engine = create_engine(args.database_url)
    async with engine.connect() as conn:
        ids = list((await conn.scalars(select(Case.id).limit(5000))).all())
    await engine.dispose()
    if not ids:
        sys.exit("the database has no cases: seed it first (slrt-hub seed)")
    settings = bench_settings(args.database_url, public_url="http://127.0.0.1:8000")
    keys = KeyStore(KEYS_DIR / "keys")
    keys.ensure()
    token = TokenIssuer(keys, settings.issuer, settings.oauth_audience, 3600).issue(
        subject="bench-front-office", role=Role.FRONT_OFFICE, area="3275")
    rows = []
    for workers in (int(w) for w in args.workers.split(",")):
        hub_port, hello_port = free_port(), free_port()
        hub = start([SLRT_HUB, "serve", "--port", str(hub_port), "--workers", str(workers)],
                    hub_env(args.database_url, KEYS_DIR), f"http://127.0.0.1:{hub_port}/healthz")
        hello = start([str(Path(sys.executable).with_name("uvicorn")), "--factory", "hello_app:app", "--port",
                       str(hello_port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
                      {}, f"http://127.0.0.1:{hello_port}/graphql?query=%7Bhello%7D", cwd=Path(__file__).parent)
        try:
            runs = [("plain strawberry { hello } (baseline)", f"http://127.0.0.1:{hello_port}/graphql", "{ hello }", None),
                    ("hub { __typename }", f"http://127.0.0.1:{hub_port}/graphql", "{ __typename }", token),
                    ("hub case(id:) lookup", f"http://127.0.0.1:{hub_port}/graphql", CASE, token)]
            for _, url, query, tok in runs:  # warm-up: connections, pools, caches
                await load(url, query, ids, tok, 200, 10, args.concurrency)
            base = None
            for (label, url, query, tok), server in zip(runs, (hello, hub, hub), strict=True):
                spy = None
                if args.profile and workers == 1 and query == CASE:
                    spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "-p", str(hub.pid),
                                            "-o", args.profile, "-r", "200", "--nonblocking",
                                            "-f", "raw" if args.profile.endswith(".txt") else "flamegraph"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                cpu0 = group_cpu_seconds(server.pid)
                rps, timing = await load(url, query, ids, tok, args.requests, args.seconds, args.concurrency)
                cpu = (group_cpu_seconds(server.pid) - cpu0) / len(timing.samples) * 1000
                if spy is not None:
                    spy.send_signal(2)  # SIGINT: py-spy writes its output and exits
                    spy.wait()
                base = base or rps
                rows.append([workers, label, round(rps), rps / base, timing.p50, timing.pct(0.95), cpu])
        finally:
            stop(hub)
            stop(hello)
    print(f"\nconcurrency {args.concurrency}, up to {args.requests} requests or {args.seconds:.0f} s per row\n")
    print_table(["processes", "query", "req/s", "× baseline", "p50 ms", "p95 ms", "CPU ms/req"], rows)


if __name__ == "__main__":
    asyncio.run(main())
