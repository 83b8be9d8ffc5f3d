"""Outbox delivery throughput against a plain aiohttp POST loop, measured in the same run.

    python bench/delivery.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55400/slrt_d_bench \
        --messages 3000 --rounds 5 [--no-three] [--baseline CHECKOUT] [--profile docs/perf/delivery-worker.svg]

The database is wiped and migrated. A receiver (aiohttp, several processes on one port)
answers 200 at once. Each round sends N messages with the plain POST loop
(bench/plain_loop.py: a process of its own that imports only aiohttp and standardwebhooks,
signs every webhook as any Standard Webhooks sender must, and keeps the workers' concurrency
in flight), then lets one ``slrt-hub worker`` process drain N messages inserted at once (the
clock starts at their commit); the ratio is taken per round, so both sides see the same
machine load. Every worker first delivers a small untimed batch (connections open, code
warm), as the plain loop does. Then 3 workers drain N messages per round. A worker's CPU is
read from /proc over the drain only (start-up and idling excluded), and so are its database
backends' and the receivers': the last line gives the CPU per message of every process on
each side, whose ratio the throughput ratio follows on a saturated machine. The workers run
with the deployment defaults except the concurrency (the plain loop's) and the per-endpoint
cap (``--endpoint-cap``, by default above the pipeline: the bench has a single endpoint).
``--baseline`` drains the same messages with another checkout's worker in the same rounds
(e.g. a worktree of main: before/after in one run).
Targets (SPEC section 11, issue 13): outbox ≥ 0.5 × the plain loop, ≤ 0.4 ms of worker CPU
per delivered message, 3 workers ≥ 2.2 × 1 worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web
from sqlalchemy import delete, insert, text

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

from bench.plain_loop import BODY  # noqa: E402 - the same body both ways


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


async def plain_loop(url: str, n: int, concurrency: int) -> tuple[float, float]:
    """Seconds and CPU seconds of the plain loop (bench/plain_loop.py, a process of its own)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "bench" / "plain_loop.py"), url, str(n),
                                                str(concurrency), stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise SystemExit("the plain loop failed")
    result = json.loads(out)
    return result["seconds"], result["cpu"]


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
    """Clear the last round, then insert n due messages in one transaction (they appear at its commit)."""
    async with hub.sessions.begin() as s:
        await s.execute(delete(DeliveryAttempt))
        await s.execute(delete(DeliveryMessage))
        await s.execute(delete(Referral))
    now = utcnow()
    refs = [{"id": new_id(), "case_id": case_id, "programme_code": "BENCH", "partner_id": partner_id,
             "reason": "bench", "status": ReferralStatus.COMPLETED, "created_by": "bench", "created_at": now,
             "updated_at": now, "version": 1} for _ in range(n)]
    async with hub.sessions.begin() as s:
        await s.execute(insert(Referral), refs)
    async with hub.sessions.begin() as s:
        await s.execute(insert(DeliveryMessage), [
            {"id": new_message_id(), "referral_id": r["id"], "partner_id": partner_id, "event_type": "referral.requested",
             "body": BODY, "state": DeliveryState.QUEUED, "attempts": 0, "round_start": 0, "next_attempt_at": now,
             "created_at": now, "updated_at": now} for r in refs])


WARM_UP = 300  # messages a worker delivers untimed after it started: its connections open, its code warms


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (Linux /proc), so a worker's start-up is not counted."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Workers:
    """``slrt-hub worker`` processes kept running across rounds (optionally one under py-spy)."""

    def __init__(self, url: str, count: int, concurrency: int, profile: str | None, endpoint_cap: int,
                 root: Path = ROOT) -> None:
        self.url, self.count, self.concurrency, self.profile = url, count, concurrency, profile
        self.endpoint_cap, self.root = endpoint_cap, root
        self.procs: list[asyncio.subprocess.Process] = []
        self.spy: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Workers:
        env = {**os.environ, "SLRT_DATABASE_URL": self.url, "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
               "SLRT_DELIVERY_CONCURRENCY": str(self.concurrency),
               "SLRT_DELIVERY_ENDPOINT_MAX_IN_FLIGHT": str(self.endpoint_cap),
               "SLRT_DELIVERY_POLL_SECONDS": "0.05", "SLRT_DATA_DIR": tempfile.mkdtemp(), "PYTHONPATH": str(self.root)}
        self.procs = [await asyncio.create_subprocess_exec(sys.executable, "-m", "hub.cli", "worker", env=env, cwd=self.root,
                                                           stderr=asyncio.subprocess.DEVNULL)
                      for _ in range(self.count)]
        await self._idle()  # the clock starts when the messages appear, with the workers polling
        if self.profile:
            spy = str(Path(sys.executable).with_name("py-spy"))
            self.spy = await asyncio.create_subprocess_exec(spy, "record", "--rate", "200", "--format", "raw" if self.profile.endswith(".txt") else "flamegraph",
                                                            "-o", self.profile, "--pid", str(self.procs[0].pid),
                                                            stdout=asyncio.subprocess.DEVNULL)
            await asyncio.sleep(1)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            await p.wait()
        if self.spy is not None:
            await self.spy.wait()

    async def _idle(self) -> None:
        """Until the workers have started (imports done) and only poll: < 20 ms CPU in half a second."""
        await asyncio.sleep(2)
        for _ in range(60):
            before = self.cpu()
            await asyncio.sleep(0.5)
            if self.cpu() - before < 0.02 * self.count:
                return

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.procs)


async def drain(hub: Hub, poll: asyncpg.Connection, workers: Workers, n: int, partner_id: str,
                case_id: str) -> tuple[float, float, float | None, float]:
    """Seconds from the messages' commit until all n are DELIVERED, the workers' CPU meanwhile,
    the CPU of the database backends serving them (None when they cannot be read) and this
    process's own CPU meanwhile (its poll).

    The clock starts when the insert has committed (the workers could not see the messages
    before); the bench's own clearing and inserting is not the worker's time. Completion is
    polled every 20 ms on a plain asyncpg connection: the poll is the bench's, not the
    worker's, so it costs as little client CPU as it can.
    """
    await enqueue(hub, partner_id, case_id, n)
    backends = await delivery_backends(hub)
    cpu_before, db_before, own_before = workers.cpu(), backend_cpu(backends), time.process_time()
    started = time.perf_counter()
    while await poll.fetchval("SELECT count(*) FROM delivery_messages WHERE state = 'DELIVERED'") != n:
        await asyncio.sleep(0.02)
    elapsed, db_after = time.perf_counter() - started, backend_cpu(backends)
    db = db_after - db_before if db_before is not None and db_after is not None else None
    # A connection opened during the drain (a fresh worker's first record) counts from its start.
    opened = [pid for pid in await delivery_backends(hub) if pid not in backends]
    if db is not None and opened:
        db += backend_cpu(opened) or 0.0
    return elapsed, workers.cpu() - cpu_before, db, time.process_time() - own_before


async def delivery_backends(hub: Hub) -> list[int]:
    """PostgreSQL backends of the workers' own connections (application_name slrt-delivery)."""
    async with hub.sessions() as s:
        rows = await s.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND application_name = 'slrt-delivery'"))
        return list(rows)


def backend_cpu(pids: list[int]) -> float | None:
    try:  # the database runs on this machine in the benchmarks; elsewhere this is not measured
        return sum(cpu_seconds(pid) for pid in pids) if pids else None
    except OSError:
        return None


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("SLRT_BENCH_DATABASE_URL"), required=False)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--receivers", type=int, default=2, help="receiver processes sharing the port")
    parser.add_argument("--rounds", type=int, default=3, help="alternate plain loop and outbox this many times")
    parser.add_argument("--endpoint-cap", type=int, default=1000,
                        help="SLRT_DELIVERY_ENDPOINT_MAX_IN_FLIGHT; the default is above a worker's whole pipeline "
                             "(POSTs + ready queue + results being stored), so the cap does not bind: one endpoint "
                             "gets what the plain loop gets. 8 is the deployment default.")
    parser.add_argument("--no-three", action="store_true", help="skip the 3-worker rows")
    parser.add_argument("--baseline", metavar="CHECKOUT", type=Path,
                        help="another checkout of the hub (e.g. a worktree of main, same schema): its worker drains "
                             "the same messages in the same rounds, right beside this one's (each round starts "
                             "both workers afresh, in alternating order, so only one runs at a time)")
    parser.add_argument("--profile", metavar="SVG", help="record the single worker with py-spy into this flame graph (.svg) or collapsed stacks (.txt)")
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
    poll = await asyncpg.connect(args.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    receiving = lambda: sum(cpu_seconds(r.pid) for r in receivers)  # noqa: E731 - the receivers' CPU so far
    # CPU ms per message of each process on each side (plain: this process's loop and the
    # receivers; outbox: the worker, its database backends, the receivers, this process's poll)
    sides: dict[str, list[float]] = {"plain: loop": [], "plain: receivers": [], "outbox: receivers": [],
                                     "outbox: completion poll (bench)": []}
    plain: list[float] = []
    plain_cpu: list[float] = []  # CPU ms per message of this process while it runs the plain loop
    one: list[tuple[float, float]] = []
    one_db: list[float] = []  # database CPU ms per message, the single worker's connections
    three: list[tuple[float, float]] = []
    before: list[tuple[float, float]] = []  # the --baseline checkout's worker
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)
    try:
        async def one_round(i: int) -> None:
            received = receiving()
            seconds, cpu = await plain_loop(url, n, c)
            plain.append(n / seconds)
            plain_cpu.append(cpu / n * 1000)
            sides["plain: loop"].append(plain_cpu[-1])
            sides["plain: receivers"].append((receiving() - received) / n * 1000)
            order = [ROOT, args.baseline] if args.baseline and i % 2 == 0 else [args.baseline, ROOT]
            for root in order if args.baseline else [ROOT]:
                received = receiving()
                if args.baseline:
                    async with Workers(args.database_url, 1, c, None, args.endpoint_cap, root) as w:
                        await drain(hub, poll, w, WARM_UP, partner_id, case_id)
                        received = receiving()
                        drained = await drain(hub, poll, w, n, partner_id, case_id)
                else:
                    drained = await drain(hub, poll, w1, n, partner_id, case_id)
                elapsed, cpu, db, own = drained
                if root != ROOT:
                    before.append((n / elapsed, cpu / n * 1000))
                    continue
                sides["outbox: receivers"].append((receiving() - received) / n * 1000)
                sides["outbox: completion poll (bench)"].append(own / n * 1000)
                one.append((n / elapsed, cpu / n * 1000))
                if db is not None:
                    one_db.append(db / n * 1000)
            print(f"  round {i + 1}: plain {plain[-1]:.0f}/s ({plain_cpu[-1]:.2f} ms CPU/message), 1 worker {one[-1][0]:.0f}/s "
                  f"({one[-1][0] / plain[-1]:.2f}×), {one[-1][1]:.2f} ms CPU/message"
                  + (f"; baseline worker {before[-1][0]:.0f}/s ({before[-1][0] / plain[-1]:.2f}×), "
                     f"{before[-1][1]:.2f} ms CPU/message" if before else ""), file=sys.stderr)

        if args.baseline:
            for i in range(args.rounds):
                await one_round(i)
        else:
            async with Workers(args.database_url, 1, c, args.profile, args.endpoint_cap) as w1:
                await drain(hub, poll, w1, WARM_UP, partner_id, case_id)
                for i in range(args.rounds):
                    await one_round(i)
        if not args.no_three:
            async with Workers(args.database_url, 3, c, None, args.endpoint_cap) as w3:
                for i in range(args.rounds):
                    elapsed, cpu, _, _ = await drain(hub, poll, w3, n, partner_id, case_id)
                    three.append((n / elapsed, cpu / n * 1000))
                    print(f"  round {i + 1}: 3 workers {three[-1][0]:.0f}/s", file=sys.stderr)
    finally:
        await poll.close()
        await hub.close()
        for r in receivers:
            r.terminate()
    med = statistics.median
    ratios = [o[0] / p for o, p in zip(one, plain)]
    print(f"\ndelivery throughput, {n} messages × {args.rounds} rounds, {os.cpu_count()} CPUs, PostgreSQL; "
          f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(f"{'mode (median of rounds)':<44}{'msg/s':>10}{'CPU ms/msg':>12}{'× concurrent loop':>20}")
    print(f"{f'plain aiohttp POST loop, {c} in flight':<44}{med(plain):>10.0f}{med(plain_cpu):>12.2f}{1.0:>20.2f}")
    print(f"{f'outbox, 1 worker ({c} in flight)':<44}{med(r for r, _ in one):>10.0f}"
          f"{med(cpu for _, cpu in one):>12.2f}{med(ratios):>20.2f}")
    if before:
        print(f"{f'outbox, 1 worker of --baseline':<44}{med(r for r, _ in before):>10.0f}"
              f"{med(cpu for _, cpu in before):>12.2f}{med(b[0] / p for b, p in zip(before, plain)):>20.2f}")
    if three:
        print(f"{f'outbox, 3 workers ({c} in flight each)':<44}{med(r for r, _ in three):>10.0f}"
              f"{med(cpu for _, cpu in three):>12.2f}{med(r for r, _ in three) / med(plain):>20.2f}")
        print(f"\n3 workers / 1 worker: {med(r for r, _ in three) / med(r for r, _ in one):.2f} (target ≥ 2.2)")
    print(f"1 worker / concurrent loop, per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {med(ratios):.2f} (target ≥ 0.5); worker CPU per message {med(cpu for _, cpu in one):.2f} ms "
          f"(target ≤ 0.4)")
    if before:
        print(f"--baseline worker / concurrent loop, per round: "
              f"{', '.join(f'{b[0] / p:.2f}' for b, p in zip(before, plain))}; worker CPU per message "
              f"{med(cpu for _, cpu in before):.2f} ms")
    if one_db:
        print(f"database CPU per message for the single worker's statements: {med(one_db):.2f} ms "
              f"(the plain loop has none)")
    # On a saturated machine the throughput ratio follows the ratio of these sums.
    sides["outbox: worker"] = [cpu for _, cpu in one]
    sides["outbox: database backends"] = one_db
    print("CPU ms per message, median of rounds: " + "; ".join(
        f"{name} {med(values):.3f}" for name, values in sides.items() if values))


if __name__ == "__main__":
    # The same event loop as `slrt-hub worker` (uvloop when installed), so the baseline is fair.
    from hub.delivery.runner import run_in_loop

    run_in_loop(main())
