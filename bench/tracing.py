"""What tracing costs a request: the same build served twice, tracing off and on, in one run.

    python bench/tracing.py                       # a fresh SQLite database in a temp directory
    python bench/tracing.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55400/slrt_o_bench

Two `slrt-hub serve` processes over one database, their connectors calling one
`slrt-hub simulators` process (connector cache off, so every request calls the sector
systems): **off** with no `OTEL_*` variable (the default), **on** with
`OTEL_EXPORTER_OTLP_ENDPOINT` naming an OTLP/HTTP receiver this script runs (it counts the
spans and discards them). Requests alternate between the two, so machine noise hits both
alike. Queries: `{ __typename }` (the floor), and one case page with its household, members
and two connector fields (BACK_OFFICE; about twenty spans each with tracing on).

Then, in this process with tracing off, what the hub's tracing hooks cost when off: the
data-loader batch hook, the no-op API span a connector load opens, and the outbox's
`current_traceparent` — each a few hundred nanoseconds at most, a few per request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from common import KEYS_DIR, Timing, bench_settings, print_table, timed
from servers import SLRT_HUB, free_port, hub_env, start, stop
from sqlalchemy import select

from auth.roles import Role
from connectors.sdk import discover
from hub.cases.models import Case
from hub.container import Hub
from hub.db.base import utcnow
from hub.db.migrate import upgrade_async
from hub.observability import tracing
from hub.seed.run import seed_caseload

FLOOR = "{ __typename }"
PAGE = """query CasePage($id: ID!) { case(id: $id) { number status household { kkNumber
  welfare { decile } members { nik name healthCoverage { active } } } } }"""


class Receiver:
    """OTLP/HTTP ``/v1/traces``: keeps the bodies, decoded only after the timing."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def traces(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.read())
        return web.Response(body=b"", content_type="application/x-protobuf")

    def spans_per_trace(self) -> float:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

        traces: dict[bytes, int] = {}
        for body in self.bodies:
            export = ExportTraceServiceRequest()
            export.ParseFromString(body)
            for rs in export.resource_spans:
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        traces[span.trace_id] = traces.get(span.trace_id, 0) + 1
        return sum(traces.values()) / max(1, len(traces))


def off_hook_costs(n: int = 200_000) -> list[list[Any]]:
    """ns per call of each tracing hook on a request's path, tracing off (no provider set)."""
    from connectors.sdk.runtime import _tracer

    assert not tracing.enabled()

    def batch() -> None:
        with tracing.batch_span("members", 3):
            pass

    def connector_span() -> None:
        _tracer.start_span("connector bpjs", attributes={"slrt.connector": "bpjs", "slrt.connector.keys": 3}).end()

    rows = []
    for label, fn in (("data-loader batch hook", batch), ("connector load span (no-op API)", connector_span),
                      ("outbox current_traceparent", tracing.current_traceparent)):
        start_ = time.perf_counter()
        for _ in range(n):
            fn()
        rows.append([label, (time.perf_counter() - start_) / n * 1e9])
    return rows


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="default: SQLite in a temp directory")
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="slrt-bench-tracing-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
    await upgrade_async(url)
    hub = await Hub.start(bench_settings(url))
    async with hub.sessions() as s:
        if await s.scalar(select(Case.id).limit(1)) is None:
            await seed_caseload(url, "3275", 300, 1000, now=utcnow())
        case_ids = list((await s.scalars(select(Case.id).where(Case.household_id.is_not(None)).limit(20))).all())
    token = hub.issuer.issue(subject="bench-back-office", role=Role.BACK_OFFICE, area="3275")
    await hub.close()

    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/v1/traces", receiver.traces)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    otlp_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", otlp_port).start()

    sim_port = free_port()
    procs = [start([SLRT_HUB, "simulators", "--port", str(sim_port)], {}, f"http://127.0.0.1:{sim_port}/bpjs/")]
    env = hub_env(url, KEYS_DIR)
    for name in discover():
        env[f"SLRT_CONNECTOR_{name.upper()}_BASE_URL"] = f"http://127.0.0.1:{sim_port}/{name}"
        env[f"SLRT_CONNECTOR_{name.upper()}_CACHE_TTL"] = "0"
    variants = {"off": {}, "on": {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp_port}",
                                  "OTEL_SERVICE_NAME": "slrt-hub-bench"}}
    bases: dict[str, str] = {}
    try:
        for name, otel in variants.items():
            port = free_port()
            bases[name] = f"http://127.0.0.1:{port}"
            procs.append(start([SLRT_HUB, "serve", "--port", str(port)], {**env, **otel}, f"{bases[name]}/readyz"))
        shapes = {"{ __typename } (floor)": FLOOR, "case page + 2 connectors": PAGE}
        results = {(s, v): Timing(s, []) for s in shapes for v in variants}
        clients = {v: httpx.AsyncClient(base_url=b, headers={"authorization": f"Bearer {token}"}, timeout=30)
                   for v, b in bases.items()}

        async def call(client: httpx.AsyncClient, query: str, case_id: str) -> None:
            r = await client.post("/graphql", json={"query": query, "variables": {"id": case_id} if "$id" in query else {}})
            body: dict[str, Any] = r.json()
            assert r.status_code == 200 and "errors" not in body, body

        for i in range(args.requests + 20):  # the first 20 rounds warm both and are dropped
            case_id = case_ids[i % len(case_ids)]
            for shape, query in shapes.items():
                for variant, client in clients.items():
                    spent = await timed(lambda c=client, q=query: call(c, q, case_id))  # type: ignore[misc]
                    if i >= 20:
                        results[(shape, variant)].samples.append(spent)
        for c in clients.values():
            await c.aclose()
    finally:
        for p in procs:
            stop(p)  # serve flushes its spans at shutdown
        await runner.cleanup()
    rows = []
    for shape in shapes:
        off, on = results[(shape, "off")], results[(shape, "on")]
        rows.append([shape, off.p50, on.p50, on.p50 - off.p50, (on.p50 / off.p50 - 1) * 100, off.pct(0.95), on.pct(0.95)])
    print(f"\n{args.requests} requests per query and variant, interleaved; database {url.split(':')[0]}\n")
    print_table(["query", "p50 off ms", "p50 on ms", "on - off ms", "on +%", "p95 off ms", "p95 on ms"], rows)
    print(f"\ntracing on: {len(receiver.bodies)} OTLP exports, {sum(map(len, receiver.bodies)):,} bytes, "
          f"{receiver.spans_per_trace():.1f} spans per request on average (both queries)")
    print("\ntracing off, each hook on a request's path:\n")
    print_table(["hook", "ns per call"], off_hook_costs())
    with contextlib.suppress(OSError):
        for f in workdir.iterdir():
            f.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    asyncio.run(main())
