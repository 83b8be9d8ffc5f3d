"""Outbox delivery throughput against a plain aiohttp POST loop, measured in the same run.

    python bench/delivery.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55434/slrt_bench

The database is wiped and migrated. A receiver (aiohttp, several processes on one port)
answers 200 at once. Rows: a plain POST loop (sequential, and with the workers'
concurrency) to the same receiver, then 1 and 3 ``slrt-hub worker`` processes draining N
messages inserted at once. Targets (SPEC section 11): outbox ≥ 0.5 × the plain loop,
3 workers ≥ 2.2 × 1 worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import delete, func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ would come first on the path; the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from auth.principal import Actor  # noqa: E402
from auth.roles import DEFAULT_SCOPES, Role  # noqa: E402
from hub.cases.commands import RecordCase  # noqa: E402
from hub.container import Hub  # noqa: E402
from hub.db.base import new_id, utcnow  # noqa: E402
from hub.db.engine import create_engine  # noqa: E402
from hub.db.migrate import upgrade_async  # noqa: E402
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState, new_message_id  # noqa: E402
from hub.demo.people import synthetic_household  # noqa: E402
from hub.referrals.commands import ProgrammeData, RegisterPartner  # noqa: E402
from hub.referrals.models import Referral  # noqa: E402
from hub.referrals.status import ReferralStatus  # noqa: E402
from hub.settings import Settings  # noqa: E402
from hub.vocabulary import Channel, ProgrammeLevel, Sector  # noqa: E402

BODY = json.dumps({"type": "referral.requested", "data": {"referral": {"id": "x" * 36, "reason": "r" * 200,
                                                                        "subjects": [{"nik": "3275" + "0" * 12}]}}})


def _serve(port: int) -> None:
    async def ok(_: web.Request) -> web.Response:
        await _.read()
        return web.Response(text="ok")

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/hook", ok)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, reuse_port=True).start()
        await asyncio.Event().wait()

    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())


async def plain_loop(url: str, n: int, concurrency: int) -> float:
    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def one(i: int) -> None:
            async with sem, session.post(url, data=BODY.encode(), headers={"webhook-id": f"msg_{i}"}) as r:
                await r.read()
                assert r.status == 200

        started = time.perf_counter()
        if concurrency == 1:
            for i in range(n):
                await one(i)
        else:
            await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - started


async def prepare(url: str, receiver: str) -> tuple[Hub, str, str]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await upgrade_async(url)
    settings = Settings(database_url=url, allow_private_webhooks=True, data_dir=Path(tempfile.mkdtemp()))
    hub = await Hub.start(settings)
    admin = Actor("bench-admin", Role.ADMIN, DEFAULT_SCOPES[Role.ADMIN])
    creds = await hub.partners.register(admin, RegisterPartner(
        "Bench Dinas", (Sector.HEALTH,), receiver, (ProgrammeData("BENCH", "Bench", Sector.HEALTH, ProgrammeLevel.REGENCY),)))
    fac = Actor("bench-fac", Role.FACILITATOR, DEFAULT_SCOPES[Role.FACILITATOR], area="3275021005")
    household = synthetic_household(1, "3275021005")
    case = await hub.cases.record(fac, RecordCase(Channel.FACILITATOR, "3275021005", household,
                                                  (household.members[0].nik,), "bench", (Sector.HEALTH,)))
    return hub, creds.partner.id, case.id  # type: ignore[union-attr]


async def enqueue(hub: Hub, partner_id: str, case_id: str, n: int) -> None:
    now = utcnow()
    async with hub.sessions.begin() as s:
        await s.execute(delete(DeliveryAttempt))
        await s.execute(delete(DeliveryMessage))
        await s.execute(delete(Referral))
        refs = [{"id": new_id(), "case_id": case_id, "programme_code": "BENCH", "partner_id": partner_id,
                 "reason": "bench", "status": ReferralStatus.COMPLETED, "created_by": "bench", "created_at": now,
                 "updated_at": now, "version": 1} for _ in range(n)]
        await s.execute(insert(Referral), refs)
        await s.execute(insert(DeliveryMessage), [
            {"id": new_message_id(), "referral_id": r["id"], "partner_id": partner_id, "event_type": "referral.requested",
             "body": BODY, "state": DeliveryState.QUEUED, "attempts": 0, "round_start": 0, "next_attempt_at": now,
             "created_at": now, "updated_at": now} for r in refs])


async def drain(hub: Hub, url: str, workers: int, n: int, concurrency: int, partner_id: str, case_id: str) -> float:
    env = {**os.environ, "SLRT_DATABASE_URL": url, "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
           "SLRT_DELIVERY_CONCURRENCY": str(concurrency), "SLRT_DELIVERY_BATCH_SIZE": str(concurrency),
           "SLRT_DELIVERY_POLL_SECONDS": "0.05", "SLRT_DATA_DIR": tempfile.mkdtemp(), "PYTHONPATH": str(ROOT)}
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-m", "hub.cli", "worker", env=env, cwd=ROOT,
                                                  stderr=asyncio.subprocess.DEVNULL) for _ in range(workers)]
    await asyncio.sleep(3)  # let them start and go idle: the clock starts when the messages appear
    started = time.perf_counter()
    await enqueue(hub, partner_id, case_id, n)
    done = select(func.count()).select_from(DeliveryMessage).where(DeliveryMessage.state == DeliveryState.DELIVERED)
    while True:
        async with hub.sessions() as s:
            if (await s.scalar(done)) == n:
                break
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        await p.wait()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"  {workers} worker(s): {elapsed:.1f} s, worker CPU so far {used.ru_utime + used.ru_stime:.1f} s", file=sys.stderr)
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("SLRT_BENCH_DATABASE_URL"), required=False)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--receivers", type=int, default=2, help="receiver processes sharing the port")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        raise SystemExit("give --database-url postgresql+asyncpg://… (a database this script may wipe)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    receivers = [multiprocessing.Process(target=_serve, args=(port,), daemon=True) for _ in range(args.receivers)]
    for r in receivers:
        r.start()
    await asyncio.sleep(1.5)
    url = f"http://127.0.0.1:{port}/hook"
    n, c = args.messages, args.concurrency
    hub, partner_id, case_id = await prepare(args.database_url, url)
    rows = []
    try:
        seq = await plain_loop(url, n, 1)
        par = await plain_loop(url, n, c)
        rows.append(("plain aiohttp POST loop, sequential", n / seq))
        rows.append((f"plain aiohttp POST loop, {c} in flight", n / par))
        one = await drain(hub, args.database_url, 1, n, c, partner_id, case_id)
        rows.append((f"outbox, 1 worker ({c} in flight)", n / one))
        three = await drain(hub, args.database_url, 3, n, c, partner_id, case_id)
        rows.append((f"outbox, 3 workers ({c} in flight each)", n / three))
    finally:
        await hub.close()
        for r in receivers:
            r.terminate()
    base = rows[1][1]
    print(f"\ndelivery throughput, {n} messages, {os.cpu_count()} CPUs, PostgreSQL\n")
    print(f"{'mode':<44}{'msg/s':>10}{'× concurrent loop':>20}")
    for label, rate in rows:
        print(f"{label:<44}{rate:>10.0f}{rate / base:>20.2f}")
    print(f"\n3 workers / 1 worker: {rows[3][1] / rows[2][1]:.2f} (target ≥ 2.2); "
          f"1 worker / concurrent loop: {rows[2][1] / base:.2f} (target ≥ 0.5)")


if __name__ == "__main__":
    # The same event loop as `slrt-hub worker` (uvloop when installed), so the baseline is fair.
    from hub.delivery.runner import run_in_loop

    run_in_loop(main())
