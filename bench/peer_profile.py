"""The peer harness's query against one `slrt-hub serve`, with CPU per query and a flame graph.

    python bench/peer_profile.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55400/slrt_x \
        [--seq 60] [--seconds 20] [--clients 8] [--flame docs/perf/peer-after.svg]

What `../shared/peerbench` measures for peer H, without the gateway, so a change can be judged
in a minute: the first 50 open cases with household, members and all five connector records,
every connector's cache off, simulators (`slrt-hub simulators`) at 20 ms, 8 closed-loop clients
each with its own BACK_OFFICE token. The database must hold a seeded caseload
(`slrt-hub seed --households 2000 --cases 3000`, as the harness does). CPU per query is the
server process's user + system time from /proc over the queries it answered; with `--flame`,
py-spy samples the server during the load window and writes an SVG flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from servers import SLRT_HUB, free_port, start, stop

CONNECTORS = ("dukcapil", "siks_ng", "bpjs", "education", "pupr")
QUERY = """query CaseGraph {
  cases(first: 50, filter: { status: [SUBMITTED, APPROVED, REVIEWED, REFERRED] }) {
    edges { node {
      id number status
      household {
        kkNumber address
        welfare { inDtsen decile programmes lastUpdated }
        housing { habitable conditionScore roof bspsYear }
        members {
          nik name birthDate relationship
          civilRegistry { nikMatch registeredName birthPlace village alive }
          healthCoverage { jknNumber active segment careClass primaryFacility }
          education { enrolled school level grade }
        }
      }
    } }
  }
}"""
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def query(http: aiohttp.ClientSession, url: str, token: str) -> float:
    started = time.perf_counter()
    async with http.post(url, json={"query": QUERY}, headers={"authorization": f"Bearer {token}"}) as r:
        body = await r.json()
    elapsed = time.perf_counter() - started
    if r.status != 200 or body.get("errors") or len(body["data"]["cases"]["edges"]) != 50:
        raise RuntimeError(f"query failed ({r.status}): {str(body.get('errors', body))[:400]}")
    return elapsed


async def measure(url: str, pid: int, tokens: list[str], seq: int, seconds: float, flame: Path | None) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(5):  # warm-up: connections, pools, parser and validation caches
            await query(http, url, tokens[0])
        cpu0 = cpu_seconds(pid)
        seq_times = [await query(http, url, tokens[0]) for _ in range(seq)]
        seq_cpu = (cpu_seconds(pid) - cpu0) / seq * 1000

        print(f"load average {os.getloadavg()[0]:.2f}; RSS {rss_mb(pid):.0f} MB")
        print(f"sequential ({seq}): p50 {statistics.median(seq_times) * 1000:.1f} ms, CPU {seq_cpu:.1f} ms/query")
        if seconds <= 0:
            return
        spy = None
        if flame is not None:
            spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "-p", str(pid),
                                    "-o", str(flame), "-d", str(int(seconds)), "-r", "200", "--nonblocking",
                                    "-f", "raw" if flame.suffix == ".txt" else "flamegraph"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load_times: list[float] = []
        failed = 0
        deadline = time.monotonic() + seconds

        async def client(token: str) -> None:
            nonlocal failed
            while time.monotonic() < deadline:
                try:
                    load_times.append(await query(http, url, token))
                except RuntimeError:  # a connector timed out on the loaded machine: counted, not timed
                    failed += 1

        cpu0, began = cpu_seconds(pid), time.perf_counter()
        await asyncio.gather(*(client(t) for t in tokens))
        spent, load_cpu = time.perf_counter() - began, cpu_seconds(pid) - cpu0
        if spy is not None:
            spy.wait()
    print(f"{len(tokens)} clients, {spent:.0f} s: {len(load_times) / spent:.2f} req/s, "
          f"p50 {statistics.median(load_times) * 1000:.1f} ms, CPU {load_cpu / (len(load_times) + failed) * 1000:.1f} "
          f"ms/query, {failed} answers with errors")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--seq", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--latency-ms", type=float, default=20)
    ap.add_argument("--flame", type=Path, help="write a py-spy flame graph of the load window here (SVG; .txt: collapsed stacks)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        sim_port, hub_port = free_port(), free_port()
        env = {"SLRT_DATABASE_URL": args.database_url, "SLRT_DATA_DIR": data_dir,
               "SLRT_PUBLIC_URL": f"http://127.0.0.1:{hub_port}", "SLRT_RATE_LIMIT": "1000000/minute",
               "SLRT_DELIVERY_EMBEDDED": "false"}
        for name in CONNECTORS:
            env[f"SLRT_CONNECTOR_{name.upper()}_BASE_URL"] = f"http://127.0.0.1:{sim_port}/{name}"
            env[f"SLRT_CONNECTOR_{name.upper()}_CACHE_TTL"] = "0"
        tokens = [subprocess.run([SLRT_HUB, "token", "--role", "back_office", "--area", "3275", "--sub",
                                  f"bench-user-{i}", "--lifetime", "7200"], env={**os.environ, **env},
                                 check=True, capture_output=True, text=True).stdout.strip()
                  for i in range(1, args.clients + 1)]
        sims = start([SLRT_HUB, "simulators", "--port", str(sim_port), "--latency-ms", str(args.latency_ms)],
                     env, f"http://127.0.0.1:{sim_port}/")
        try:
            hub = start([SLRT_HUB, "serve", "--port", str(hub_port)], env, f"http://127.0.0.1:{hub_port}/readyz")
            try:
                asyncio.run(measure(f"http://127.0.0.1:{hub_port}/graphql", hub.pid, tokens, args.seq,
                                    args.seconds, args.flame))
            finally:
                stop(hub)
        finally:
            stop(sims)


if __name__ == "__main__":
    main()
