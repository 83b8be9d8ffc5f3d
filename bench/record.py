"""`recordCase` throughput with concurrent field apps, on SQLite and on PostgreSQL.

    python bench/record.py --pg-url postgresql+asyncpg://postgres@127.0.0.1:55445/slrt_record

For each database a real `slrt-hub serve` on loopback (SQLite: a fresh file; PostgreSQL:
the given database, migrated, existing data kept). N field apps (a FACILITATOR token each,
one per village) record new households' complaints at once, each with an idempotency key,
bounded in requests and seconds. Baseline in the same run and server: `{ __typename }` at the
same concurrency. Afterwards the cases are counted and their numbers checked for duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from common import KEYS_DIR, Timing, bench_settings, print_table
from servers import SLRT_HUB, free_port, hub_env, start, stop
from sqlalchemy import func, select

from auth.issuer import TokenIssuer
from auth.keys import KeyStore
from auth.roles import Role
from hub.areas.directory import reference_areas
from hub.cases.models import Case
from hub.db.engine import create_engine
from hub.db.migrate import upgrade_async
from hub.seed import people
from hub.seed.reference import used_serials
from hub.vocabulary import AreaLevel

MUTATION = """mutation($input: RecordCaseInput!, $key: String) { recordCase(input: $input, idempotencyKey: $key) {
  case { id number status } errors { code message } } }"""
# The first village of each district: field apps spread over the city.
VILLAGES = list({a.code[:6]: a.code for a in sorted(reference_areas(), key=lambda a: a.code, reverse=True)
                 if a.level is AreaLevel.VILLAGE}.values())


def record_inputs(serials: people.Serials, village: str, n: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` RecordCaseInputs for new households of ``village`` (unique NIK/KK, as the seed makes them)."""
    now = datetime.now(UTC)
    out = []
    for _ in range(n):
        h, persons, _ = people.household_rows(rng, serials, lambda: str(uuid.uuid4()), village, now.date(), now)
        out.append({"channel": "FACILITATOR", "villageCode": village, "subjectNiks": [persons[0][1]],
                    "complaint": "Kartu BPJS tidak aktif, ibu perlu berobat", "sectors": ["HEALTH"],
                    "household": {"kkNumber": h[1], "address": h[2], "rt": h[3], "rw": h[4], "members": [
                        {"nik": p[1], "name": p[2], "birthDate": p[3].isoformat(), "sex": p[4], "relationship": p[5]}
                        for p in persons]}})
    return out


async def drive(url: str, apps: list[tuple[str, list[dict[str, Any]]]], seconds: float, query: str | None) -> tuple[float, Timing]:
    timing = Timing("", [])
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=len(apps) + 4)) as http:
        async def app(token: str, inputs: list[dict[str, Any]]) -> None:
            for item in inputs:
                if time.monotonic() > deadline:
                    return
                body = ({"query": query} if query else
                        {"query": MUTATION, "variables": {"input": item, "key": str(uuid.uuid4())}})
                start = time.perf_counter()
                async with http.post(url, json=body, headers={"authorization": f"Bearer {token}"}) as r:
                    data = await r.json()
                timing.samples.append(time.perf_counter() - start)
                assert r.status == 200 and "errors" not in data, data
                assert query or not data["data"]["recordCase"]["errors"], data

        began = time.perf_counter()
        await asyncio.gather(*(app(t, i) for t, i in apps))
    return len(timing.samples) / (time.perf_counter() - began), timing


async def run(label: str, database_url: str, args: argparse.Namespace, rows: list[list[Any]]) -> None:
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        serials = await used_serials(conn)
        before = int(await conn.scalar(select(func.count()).select_from(Case)) or 0)
    settings = bench_settings(database_url, public_url="http://127.0.0.1:8000")
    keys = KeyStore(KEYS_DIR / "keys")
    keys.ensure()
    issuer = TokenIssuer(keys, settings.issuer, settings.oauth_audience, 3600)
    rng = random.Random(7)
    apps = [(issuer.issue(subject=f"bench-field-app-{i}", role=Role.FACILITATOR, area=v),
             record_inputs(serials, v, args.requests // args.apps, rng))
            for i, v in enumerate(VILLAGES[i % len(VILLAGES)] for i in range(args.apps))]
    port = free_port()
    server = start([SLRT_HUB, "serve", "--port", str(port)], hub_env(database_url, KEYS_DIR),
                   f"http://127.0.0.1:{port}/healthz")
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        await drive(url, [(t, i[:5]) for t, i in apps], 10, "{ __typename }")  # warm-up
        base_rps, base = await drive(url, apps, args.seconds, "{ __typename }")
        rps, timing = await drive(url, apps, args.seconds, None)
    finally:
        stop(server)
    async with engine.connect() as conn:
        after = int(await conn.scalar(select(func.count()).select_from(Case)) or 0)
        distinct = int(await conn.scalar(select(func.count(func.distinct(Case.number)))) or 0)
    await engine.dispose()
    assert after - before == len(timing.samples) and distinct == after, (before, after, distinct)
    rows.append([label, "{ __typename } (baseline)", round(base_rps, 1), 1.0, base.p50, base.pct(0.95)])
    rows.append([label, f"recordCase ({len(timing.samples)} cases)", round(rps, 1), rps / base_rps, timing.p50,
                 timing.pct(0.95)])


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg-url", required=True)
    ap.add_argument("--apps", type=int, default=8, help="concurrent field apps")
    ap.add_argument("--requests", type=int, default=800)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        await run("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'record.db'}", args, rows)
    await run("PostgreSQL", args.pg_url, args, rows)
    print(f"\n{args.apps} field apps at once, up to {args.requests} cases or {args.seconds:.0f} s per row\n")
    print_table(["database", "request", "per s", "× baseline", "p50 ms", "p95 ms"], rows)


if __name__ == "__main__":
    asyncio.run(main())
