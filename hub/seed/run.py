"""One seed run: households first, then cases over the past year, written in batches.

The run can be split over processes (``jobs``): each job owns whole districts, so the NIK
and KK prefixes it numbers (region = district) are its own, and the parent hands out the
cases' creation times and case numbers in time order before the jobs start, so numbers
stay ordered by creation and unique however the jobs interleave.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from hub.areas.models import Area
from hub.db.engine import create_engine, is_sqlite
from hub.seed import caseload, people
from hub.seed.caseload import Batch, Numbers
from hub.seed.reference import (
    last_case_numbers,
    partners_by_programme,
    save_case_numbers,
    used_serials,
)
from hub.seed.writer import BulkWriter
from hub.statistics import rollup
from hub.vocabulary import AreaLevel

BATCH = 10_000
TABLES = ("households", "persons", "cases", "case_sectors", "case_subjects", "case_events", "referrals",
          "referral_history", "statistics_case_facts", "statistics_sector_facts", "statistics_referral_facts",
          "statistics_rollup")


@dataclass(slots=True)
class SeedReport:
    households: int = 0
    persons: int = 0
    cases: int = 0
    events: int = 0
    referrals: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class JobSpec:
    """The part of a run one process does: its villages, households, and numbered cases."""

    index: int
    url: str
    regency: str
    seed: int
    now: datetime
    villages: list[str]
    weights: list[float]
    households: int
    cases: list[tuple[datetime, int, str]] = field(default_factory=list)  # (created, year, number)
    serials: dict[str, int] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)


async def seed_caseload(url: str, regency: str, households: int, cases: int, *, seed: int = 2026, now: datetime,
                        jobs: int = 1, progress: Callable[[str], None] = lambda _: None) -> SeedReport:
    """Add ``households`` households and ``cases`` cases created over the year before ``now``."""
    if households < 1 or cases < 0 or jobs < 1:
        raise ValueError("--households and --jobs must be at least 1, --cases at least 0")
    if is_sqlite(url):
        jobs = 1  # one SQLite writer at a time: more processes would only wait for the lock
    started = time.perf_counter()
    specs = await _plan(url, regency, households, cases, seed, now, jobs)
    if jobs == 1:
        reports = [await _run_job(specs[0], progress)]
    else:
        with multiprocessing.get_context("spawn").Pool(len(specs)) as pool:
            reports = pool.map(_job_process, specs)
    total = SeedReport()
    for r in reports:
        for name in ("households", "persons", "cases", "events", "referrals"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Fresh statistics so the planner sees the new sizes at once, not after autovacuum.
                for table in TABLES:
                    await conn.exec_driver_sql(f"ANALYZE {table}")
    finally:
        await engine.dispose()
    total.seconds = time.perf_counter() - started
    return total


async def _plan(url: str, regency: str, households: int, cases: int, seed: int, now: datetime,
                jobs: int) -> list[JobSpec]:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            villages = list((await conn.scalars(select(Area.code).where(
                Area.level == AreaLevel.VILLAGE, Area.code.startswith(regency)).order_by(Area.code))).all())
            if not villages:
                raise ValueError(f"no villages of regency {regency}: run `slrt-hub db upgrade` first")
            serials = await used_serials(conn)
            numbers = Numbers(regency, await last_case_numbers(conn, regency))
            partners = await partners_by_programme(conn, now)
    finally:
        await engine.dispose()
    rng = random.Random(seed)
    # Villages differ in size: a fixed weight per village gives a realistic uneven spread.
    weight = {v: rng.uniform(0.3, 2.0) for v in villages}
    districts: dict[str, list[str]] = {}
    for v in villages:
        districts.setdefault(v[:6], []).append(v)
    specs = [JobSpec(k, url, regency, seed * 1000 + k, now, [], [], 0, partners=partners) for k in range(jobs)]
    # Heaviest districts first onto the lightest job: jobs get about equal shares.
    for d in sorted(districts, key=lambda d: -sum(weight[v] for v in districts[d])):
        job = min(specs, key=lambda s: sum(s.weights))
        job.villages += districts[d]
        job.weights += [weight[v] for v in districts[d]]
        job.serials.update({p: n for p, n in serials.next_free.items() if p[:6] == d})
    specs = [s for s in specs if s.villages]
    shares = [sum(s.weights) for s in specs]
    for s, share in zip(specs, shares):
        s.households = max(1, round(households * share / sum(shares)))
    year_start, span = now - timedelta(days=365), timedelta(days=365)
    for i in range(cases):
        created = year_start + span * ((i + rng.random()) / cases)
        rng.choices(specs, shares)[0].cases.append((created, created.year, numbers.next(created.year)))
    return specs


def _job_process(spec: JobSpec) -> SeedReport:
    return asyncio.run(_run_job(spec, lambda line: print(f"[job {spec.index}] {line}", file=sys.stderr, flush=True)))


async def _run_job(spec: JobSpec, progress: Callable[[str], None]) -> SeedReport:
    rng = random.Random(spec.seed)
    serials = people.Serials(dict(spec.serials))
    report = SeedReport()
    today = spec.now.date()

    def new_id() -> str:
        # A version-4 UUID from the seeded generator (uuid4() would not repeat with the seed).
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"

    engine = create_engine(spec.url, pool_size=1, max_overflow=0) if not is_sqlite(spec.url) else create_engine(spec.url)
    homes: list[people.SeededHousehold] = []
    try:
        for start in range(0, spec.households, BATCH):
            hh_rows, person_rows = [], []
            for _ in range(min(BATCH, spec.households - start)):
                village = rng.choices(spec.villages, spec.weights)[0]
                h, ps, summary = people.household_rows(rng, serials, new_id, village, today, spec.now)
                hh_rows.append(h)
                person_rows.extend(ps)
                homes.append(summary)
            async with engine.begin() as conn:
                writer = BulkWriter(conn)
                await writer.skip_foreign_key_triggers()
                await writer.write("households", people.HOUSEHOLD_COLUMNS, hh_rows)
                await writer.write("persons", people.PERSON_COLUMNS, person_rows)
            report.households += len(hh_rows)
            report.persons += len(person_rows)
            progress(f"households {report.households:,}/{spec.households:,}")
        for start in range(0, len(spec.cases), BATCH):
            batch = Batch()
            used: dict[int, int] = {}
            for created, year, number in spec.cases[start:start + BATCH]:
                caseload.make_case(rng, new_id, rng.choice(homes), created, spec.now, number, spec.partners, batch)
                used[year] = max(used.get(year, 0), int(number[-6:]))
            async with engine.begin() as conn:
                writer = BulkWriter(conn)
                await writer.skip_foreign_key_triggers()
                for table, columns, rows in batch.tables():
                    await writer.write(table, columns, rows)
                # The statistics' facts and counts of these cases, in their transaction.
                if calendar := await conn.run_sync(rollup.calendar):
                    await conn.run_sync(rollup.add, calendar, [row[0] for row in batch.cases])
                # In the cases' transaction: a committed case's number is never handed out again.
                await save_case_numbers(conn, spec.regency, used)
            report.cases += len(batch.cases)
            report.events += len(batch.events)
            report.referrals += len(batch.referrals)
            progress(f"cases {report.cases:,}/{len(spec.cases):,}")
    finally:
        await engine.dispose()
    return report
