"""Connector fan-out: the unified case graph query with live simulators vs. from cache.

    .venv/bin/python bench/fanout.py [--cases 50] [--rounds 40] [--latency-ms 20] [--profile]

A fresh SQLite database gets the demo households (4 members each); the simulators run at a
fixed latency, one `slrt-hub simulators` process per connector. Two hubs read the same database: one with every
connector's cache off (each query calls the five systems), one whose cache was warmed
(the baseline: the same query, no upstream call). Rounds alternate between them, so both
see the same machine noise. The query goes through the real ASGI app (httpx in process).
Target (SPEC 11): p50(live) - p50(cached) <= 1.3 x latency, with 5 upstream calls a query.

A simulator at 20 ms answers 20 ms after the request reached it, its own work inside that
time (connectors/simkit.py): before, it slept 20 ms and then synthesised 200 people, and
this benchmark measured a "20 ms" system answering in 30-45 ms. The breakdown printed at
the end shows when each live upstream call started and ended, from the request's start:
the household systems (SIKS-NG, PUPR) once the households are loaded, the person systems
once the members are. Two context lines follow, with the same keys: the five requests sent
together with their answers read and not parsed (what the systems and the wire alone take:
no hub can be faster than this), and the five connector loads together outside any query
(the same plus building the requests, parsing, records).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ is first on sys.path: import the project from its root first.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import aiohttp
import httpx
import orjson

from auth.roles import Role
from connectors.sdk import ConnectorSettings, Entity, Http, discover
from connectors.sdk.runtime_hooks import CallRecord
from connectors.simulators import SIMULATORS
from hub.asgi import create_app
from hub.container import Hub
from hub.db.migrate import upgrade_async
from hub.demo.seed import seed_demo
from hub.settings import Settings

QUERY = """
query CaseGraph($first: Int!) {
  cases(first: $first) { edges { node {
    number
    household {
      kkNumber address
      welfare { inDtsen decile programmes source cached }
      housing { habitable conditionScore bspsYear source }
      members {
        nik name birthDate
        civilRegistry { nikMatch registeredName source fetchedAt }
        healthCoverage { active segment source }
        education { enrolled level source }
      }
    }
    suggestedReferrals { programme subject rule facts { name value } }
  } } }
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_for(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            try:
                async with session.get(url) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def _calls(bases: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session:
        total = 0
        for name, base in bases.items():
            async with session.get(f"{base}/{name}/_stats") as r:
                total += (await r.json())["calls"]
        return total


def _connectors(bases: dict[str, str], cache_ttl: float) -> dict[str, ConnectorSettings]:
    return {name: cls.settings_class.for_connector(name, base_url=f"{bases[name]}/{name}", cache_ttl=cache_ttl,
                                                   timeout=5.0, rate_limit=1000)
            for name, cls in discover().items()}


def _run_queue_wait() -> float:
    """Seconds this thread has waited for a CPU while runnable (Linux schedstat; 0 elsewhere):
    on a shared machine, the part of a request's time that other processes took."""
    try:
        with open("/proc/thread-self/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


async def bench(cases: int, rounds: int, latency_ms: float, profile: bool = False) -> None:
    # `slrt-hub simulators` as a deployment runs it, one process per connector so that the
    # simulators' own work (200 synthetic records a call) runs in parallel, like five systems
    bases, processes = {}, []
    for name in SIMULATORS:
        port = _free_port()
        processes.append(await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("slrt-hub")), "simulators", "--port", str(port),
            "--latency-ms", str(latency_ms), stdout=asyncio.subprocess.DEVNULL))
        bases[name] = f"http://127.0.0.1:{port}"
    try:
        for base in bases.values():
            await _wait_for(f"{base}/")
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/bench.db", data_dir=Path(tmp),
                                public_url="http://bench.test", rate_limit="100000/minute",
                                query_max_cost=1_000_000)
            await upgrade_async(settings.database_url)
            live = await Hub.start(settings, connector_settings=_connectors(bases, cache_ttl=0))
            cached = await Hub.start(settings, connector_settings=_connectors(bases, cache_ttl=3600))
            try:
                await seed_demo(live.cases, live.areas, per_village=-(-cases // 9))
                await _measure(live, cached, settings, bases, cases, rounds, latency_ms)
                if profile:
                    await _profile(cached, settings, cases, rounds)
            finally:
                await live.close()
                await cached.close()
    finally:
        for process in processes:
            process.terminate()
            await process.wait()


async def _measure(live: Hub, cached: Hub, settings: Settings, bases: dict[str, str], cases: int, rounds: int,
                   latency_ms: float) -> None:
    clients = {}
    for label, hub in (("live", live), ("cached", cached)):
        token = hub.issuer.issue(subject="bench", role=Role.FRONT_OFFICE, area="3275")
        clients[label] = (httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, hub)),
                                            base_url="http://bench.test",
                                            headers={"authorization": f"Bearer {token}"}), hub)

    request_started = [0.0]
    queued: dict[str, list[float]] = {"live": [], "cached": []}
    cpu: dict[str, list[float]] = {"live": [], "cached": []}

    async def once(label: str) -> tuple[float, dict[str, Any]]:
        client, _ = clients[label]
        waited = _run_queue_wait()
        cpu_before = time.process_time()
        started = request_started[0] = time.perf_counter()
        response = await client.post("/graphql", json={"query": QUERY, "variables": {"first": cases}})
        elapsed = time.perf_counter() - started
        cpu[label].append(time.process_time() - cpu_before)
        queued[label].append(_run_queue_wait() - waited)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{label} query failed: {str(body)[:500]}")
        return elapsed, body

    _, body = await once("cached")  # warms the cache and checks the shape
    members = sum(len(e["node"]["household"]["members"]) for e in body["data"]["cases"]["edges"])
    for label in ("live", "cached"):  # warm-up: imports, parser and validation caches
        for _ in range(3):
            await once(label)
    times: dict[str, list[float]] = {"live": [], "cached": []}
    calls: dict[str, int] = {"live": 0, "cached": 0}
    # how long the systems themselves took, as the hub saw it: the slowest call of each query;
    # and when each call started and ended, from the request's start (the breakdown)
    durations: list[float] = []
    windows: dict[str, list[tuple[float, float]]] = {}

    def seen(record: CallRecord) -> None:
        ended = time.perf_counter() - request_started[0]
        durations.append(record.duration)
        windows.setdefault(record.connector, []).append((ended - record.duration, ended))

    for runtime in live.connectors.runtimes.values():
        runtime.hooks.append(seen)
    slowest: list[float] = []
    for _ in range(rounds):
        for label in ("live", "cached"):
            before = await _calls(bases)
            durations.clear()
            elapsed, _ = await once(label)
            if label == "live":
                slowest.append(max(durations))
            calls[label] += await _calls(bases) - before
            times[label].append(elapsed)
    for client, _ in clients.values():
        await client.aclose()
    for runtime in live.connectors.runtimes.values():
        runtime.hooks.remove(seen)
    bare = await _bare_calls(live, body, rounds)
    wire = await _wire_only(live, body, rounds)

    print(f"\nunified case graph: {len(body['data']['cases']['edges'])} cases, {members} members, "
          f"5 connectors, simulators at {latency_ms:.0f} ms, {rounds} rounds each (interleaved)\n")
    print(f"{'variant':<34}{'p50 ms':>9}{'p95 ms':>9}{'upstream calls/query':>22}")
    for label, name in (("cached", "every connector from cache (base)"), ("live", "live simulators")):
        print(f"{name:<34}{_pct(times[label], 0.5):>9.1f}{_pct(times[label], 0.95):>9.1f}"
              f"{calls[label] / rounds:>22.1f}")
    added = _pct(times["live"], 0.5) - _pct(times["cached"], 0.5)
    paired = _pct([a - b for a, b in zip(times["live"], times["cached"], strict=True)], 0.5)
    target = 1.3 * latency_ms
    print(f"waiting for a CPU (the event loop's thread runnable, other processes running), p50: "
          f"cached {_pct(queued['cached'][-rounds:], 0.5):.1f} ms, live {_pct(queued['live'][-rounds:], 0.5):.1f} ms")
    print(f"hub CPU per query (every thread of this process; the simulators run in their own), p50: "
          f"cached {_pct(cpu['cached'][-rounds:], 0.5):.1f} ms, live {_pct(cpu['live'][-rounds:], 0.5):.1f} ms")
    print(f"slowest upstream call of a live query (request to parsed records, as the hub saw it): "
          f"p50 {_pct(slowest, 0.5):.1f} ms")
    print("\nlive: each upstream call, from the request's start (p50 ms; the call = request to parsed records)")
    for name, spans in sorted(windows.items(), key=lambda kv: _pct([a for a, _ in kv[1]], 0.5)):
        print(f"  {name:<10} starts {_pct([a for a, _ in spans], 0.5):6.1f}  takes "
              f"{_pct([b - a for a, b in spans], 0.5):5.1f}  ends {_pct([b for _, b in spans], 0.5):6.1f}")
    print(f"\np50(live) - p50(cached): {added:.1f} ms; median of per-round differences: {paired:.1f} ms "
          f"(target <= {target:.1f} ms: {'met' if added <= target else 'NOT met'})")
    # not the target: how much of the gap is the machine's other processes, round by round
    own = [(a - qa) - (b - qb) for a, qa, b, qb in zip(times["live"], queued["live"][-rounds:], times["cached"],
                                                        queued["cached"][-rounds:], strict=True)]
    print(f"median of per-round differences without the time the hub waited for a CPU: {_pct(own, 0.5):.1f} ms")
    print(f"\ncontext, not the target (the same rounds' keys, {latency_ms:.0f} ms simulators):\n"
          f"  the five requests sent together, answers read, nothing parsed (the systems and the wire): "
          f"p50 {_pct(wire, 0.5):.1f} ms\n"
          f"  the five connector loads together outside any query (the above plus request bodies, parsing "
          f"and records): p50 {_pct(bare, 0.5):.1f} ms")


def _keys(body: dict[str, Any]) -> dict[Entity, list[str]]:
    """The keys the query's connector loads used: its households' KKs, its members' NIKs."""
    households = [e["node"]["household"] for e in body["data"]["cases"]["edges"]]
    return {Entity.HOUSEHOLD: [h["kkNumber"] for h in households],
            Entity.PERSON: [m["nik"] for h in households for m in h["members"]]}


async def _bare_calls(hub: Hub, body: dict[str, Any], rounds: int) -> list[float]:
    """The five upstream loads of the query, with its keys, made together with nothing around them."""
    keys = _keys(body)
    runtimes = list(hub.connectors.runtimes.values())
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await asyncio.gather(*(r.load_many(keys[r.connector.extends]) for r in runtimes))
        times.append(time.perf_counter() - started)
    return times


class _Captured(Exception):
    pass


class _Capture(Http):
    """Records the request a connector would send, and sends nothing."""

    async def request_json(self, method: str, path: str, *, body: Any = None,
                           params: dict[str, str] | None = None) -> Any:
        self.request = (method, self.url(path), None if body is None else orjson.dumps(body), params)
        raise _Captured


async def _wire_only(hub: Hub, body: dict[str, Any], rounds: int) -> list[float]:
    """The five requests the connectors send for the query's keys, sent together and their
    answers read, nothing parsed or built: what the systems and the wire alone take."""
    keys = _keys(body)
    requests = []
    async with aiohttp.ClientSession() as session:
        for runtime in hub.connectors.runtimes.values():
            capture = _Capture(session, runtime.settings.base_url)
            try:
                await runtime.connector.fetch_many(keys[runtime.connector.extends], capture)
            except _Captured:
                requests.append(capture.request)

        async def send(method: str, url: str, data: bytes | None, params: Any) -> None:
            async with session.request(method, url, data=data, params=params,
                                       headers={"Content-Type": "application/json"}) as response:
                await response.read()

        times = []
        for _ in range(rounds + 1):  # the first round opens the connections
            started = time.perf_counter()
            await asyncio.gather(*(send(*request) for request in requests))
            times.append(time.perf_counter() - started)
    return times[1:]


async def _profile(hub: Hub, settings: Settings, cases: int, rounds: int) -> None:
    """Counts, not times (steady on a noisy machine): per cached query, the Python function
    calls (cProfile), the asyncio tasks created and graphql-core's `execute_field` calls."""
    import cProfile
    import pstats

    token = hub.issuer.issue(subject="bench", role=Role.FRONT_OFFICE, area="3275")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, hub)),
                                 base_url="http://bench.test", headers={"authorization": f"Bearer {token}"}) as client:
        async def once() -> None:
            response = await client.post("/graphql", json={"query": QUERY, "variables": {"first": cases}})
            if response.status_code != 200 or "errors" in response.json():
                raise RuntimeError(f"query failed: {response.text[:300]}")

        await once()
        loop = asyncio.get_running_loop()
        tasks = [0]

        def counting(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Future[Any]:
            tasks[0] += 1
            return asyncio.Task(coro, loop=loop, **kwargs)

        loop.set_task_factory(counting)  # type: ignore[arg-type]
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            for _ in range(rounds):
                await once()
        finally:
            profiler.disable()
            loop.set_task_factory(None)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    calls = sum(entry[1] for entry in stats.values())
    fields = sum(entry[1] for key, entry in stats.items() if key[2] == "execute_field" and "graphql" in key[0])
    print(f"\nper cached query, {rounds} rounds: {calls / rounds:,.0f} Python calls, {tasks[0] / rounds:.0f} asyncio "
          f"tasks, {fields / rounds:,.0f} execute_field calls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--profile", action="store_true",
                        help="then count, per cached query: Python calls, asyncio tasks, execute_field calls")
    args = parser.parse_args()
    asyncio.run(bench(args.cases, args.rounds, args.latency_ms, args.profile))


if __name__ == "__main__":
    main()
