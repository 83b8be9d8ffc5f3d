"""What keeping the statistics costs the writers: one case's whole life through the services,
with the facts and counts kept (the calendar row present) and not kept (absent), alternating.

    python bench/stats_write.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55400/slrt_write --stories 60

A story is eight write transactions: record, submit, approve, review, createReferral, the
partner's ACCEPTED and COMPLETED (which resolves the case), close. The two kinds of story
alternate, so both meet the same machine load. Use a scratch database: the counts of the
stories written while not kept are missing from it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from common import Timing, bench_settings, print_table
from sqlalchemy import delete, insert

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.cases.commands import RecordCase, ReviewCase
from hub.container import Hub
from hub.db.migrate import upgrade_async
from hub.demo.people import synthetic_household
from hub.referrals.commands import CreateReferral, ProgrammeData, RegisterPartner, UpdateReferralStatus
from hub.referrals.partners import PartnerCredentials
from hub.referrals.status import ReferralStatus
from hub.statistics.models import StatisticsCalendar
from hub.vocabulary import Channel, ProgrammeLevel, Sector

VILLAGE = "3275041002"


def actor(role: Role, area: str | None = None, partner_id: str | None = None) -> Actor:
    return Actor(f"bench-{role.value.lower()}", role, DEFAULT_SCOPES[role], area=area, partner_id=partner_id)


async def story(hub: Hub, seed: int, partner: Actor) -> None:
    facilitator, supervisor = actor(Role.FACILITATOR, VILLAGE), actor(Role.SUPERVISOR, VILLAGE[:6])
    front, back = actor(Role.FRONT_OFFICE, "3275"), actor(Role.BACK_OFFICE, "3275")
    family = synthetic_household(seed, VILLAGE, members=2)
    case = await hub.cases.record(facilitator, RecordCase(Channel.FACILITATOR, VILLAGE, family,
                                                         (family.members[0].nik,), "Butuh PBI", (Sector.HEALTH,)))
    for step in (lambda: hub.cases.submit(facilitator, case.id), lambda: hub.cases.approve(supervisor, case.id, None),
                 lambda: hub.cases.review(front, case.id, ReviewCase((Sector.HEALTH,), case.priority, "Layak"))):
        await step()
    referral = await hub.referrals.create(back, CreateReferral(case.id, "BENCH_PBI", "Memenuhi kriteria"))
    for status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        await hub.referrals.update_status(partner, UpdateReferralStatus(referral.id, status))
    closed = await hub.cases.close(supervisor, case.id, None)
    assert closed.status.value == "CLOSED", closed


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--stories", type=int, default=60)
    args = ap.parse_args()
    await upgrade_async(args.database_url)
    hub = await Hub.start(bench_settings(args.database_url))
    made = await hub.partners.register(actor(Role.ADMIN), RegisterPartner(
        f"Bench partner {os.getpid()}", (Sector.HEALTH,), "http://127.0.0.1:9/hook",
        (ProgrammeData("BENCH_PBI", "PBI", Sector.HEALTH, ProgrammeLevel.NATIONAL),)))
    assert isinstance(made, PartnerCredentials), "use a scratch database: the bench partner exists already"
    partner = actor(Role.PARTNER, partner_id=made.partner.id)
    async with hub.sessions() as s:
        calendar = await s.get(StatisticsCalendar, 1)
    assert calendar is not None, "no statistics calendar: migrate the database first"
    kept_row = {"id": 1, "timezone": calendar.timezone, "sla_days": calendar.sla_days}
    rows = {True: Timing("statistics kept (facts and counts in each transaction)", []),
            False: Timing("statistics not kept (calendar row absent)", [])}
    load = os.getloadavg()[0]
    for i in range(args.stories + 2):  # two warm-up stories, dropped
        kept = i % 2 == 0
        async with hub.engine.begin() as conn:
            await conn.execute(delete(StatisticsCalendar))
            if kept:
                await conn.execute(insert(StatisticsCalendar).values(**kept_row))
        started = time.perf_counter()
        await story(hub, 5000 + i % 80, partner)
        if i >= 2:
            rows[kept].samples.append(time.perf_counter() - started)
    async with hub.engine.begin() as conn:
        await conn.execute(delete(StatisticsCalendar))
        await conn.execute(insert(StatisticsCalendar).values(**kept_row))
    base = rows[False].p50
    print(f"\n{args.stories} stories of 8 write transactions, alternating; load average {load:.1f} → "
          f"{os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs; {hub.engine.dialect.name}\n")
    print_table(["story", "n", "p50 ms", "p95 ms", "× not kept"],
                [[t.label, len(t.samples), t.p50, t.pct(0.95), t.p50 / base] for t in rows.values()])
    await hub.close()


if __name__ == "__main__":
    asyncio.run(main())
