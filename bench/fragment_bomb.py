"""CPU time to refuse a fragment bomb, next to a small query answered in the same run.

    python bench/fragment_bomb.py [--rounds 30]

The real app in this process (httpx's ASGI transport, SQLite in a temporary folder) with a
PARTNER token, as in issue 11: each request's process time (CPU of this process, so the
noise of other processes on the machine does not count) for

- the baseline: ``{ programmes { code } }``, a small query that is parsed, validated and
  answered from the database;
- the fragment bomb with n = 24 and n = 40: n fragments, each spreading the next twice,
  which asks for 2^n copies of the innermost selection and must come back
  ``QUERY_TOO_COMPLEX`` (target: under 50 ms of CPU).

Median and worst CPU milliseconds per request over ``--rounds`` rounds. Every request's
text is new (a comment with the round number), so the parse and validation caches never
answer for it: each figure includes parsing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from common import bench_settings, print_table

from auth.roles import Role
from hub.asgi import create_app
from hub.container import Hub
from hub.db.migrate import upgrade_async

BASELINE = "{ programmes { code } }"


def fragment_bomb(n: int) -> str:
    """n fragments, each spreading the next twice: 2^n copies of the innermost selection."""
    fragments = [f"fragment F{i} on Case {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    fragments.append(f"fragment F{n} on Case {{ number }}")
    return "query { cases { edges { node { ...F0 } } } }\n" + "\n".join(fragments)


async def cpu_ms(client: httpx.AsyncClient, token: str, query: str, expect: str | None) -> float:
    started = time.process_time()
    response = await client.post("/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"})
    spent = (time.process_time() - started) * 1000
    body = response.json()
    code = (body.get("errors") or [{}])[0].get("extensions", {}).get("code")
    assert response.status_code == 200 and code == expect, body
    return spent


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="slrt-bomb-"))
    settings = bench_settings(f"sqlite+aiosqlite:///{folder / 'bomb.db'}", data_dir=folder / "data")
    await upgrade_async(settings.database_url)
    hub = await Hub.start(settings)
    token = hub.issuer.issue(subject="bench-partner", role=Role.PARTNER, partner_id="bench-partner")
    cases: list[tuple[str, str, str | None]] = [
        ("baseline { programmes { code } }", BASELINE, None),
        *((f"fragment bomb n={n} ({len(fragment_bomb(n))} bytes)", fragment_bomb(n), "QUERY_TOO_COMPLEX")
          for n in (24, 40)),
    ]
    samples: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    try:
        transport = httpx.ASGITransport(app=create_app(settings, hub))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.bench") as client:
            for label, query, expect in cases:  # warm-up: imports, caches, the first connection
                await cpu_ms(client, token, query, expect)
            for round_ in range(args.rounds):  # interleaved, so drift on the machine hits every row alike
                for label, query, expect in cases:
                    samples[label].append(await cpu_ms(client, token, f"# round {round_}\n{query}", expect))
    finally:
        await hub.close()
    base = statistics.median(samples[cases[0][0]])
    rows: list[list[Any]] = []
    for label, values in samples.items():
        median = statistics.median(values)
        rows.append([label, median, max(values), median / base])
    print(f"CPU ms per request over {args.rounds} rounds (time.process_time)")
    print_table(["request", "median CPU ms", "worst CPU ms", "× baseline"], rows)


if __name__ == "__main__":
    asyncio.run(main())
