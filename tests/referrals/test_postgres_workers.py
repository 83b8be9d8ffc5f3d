"""On PostgreSQL several workers share the outbox: SKIP LOCKED leases hand each message to one."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter

from sqlalchemy import func, select

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.referrals.commands import CreateReferral
from hub.referrals.models import Referral
from tests.conftest import requires_postgres
from tests.referrals.receiver import Reply
from tests.referrals.scenario import wait_for
from tests.referrals.test_crash import ROOT, _env

CASES, PROGRAMMES = 20, 100  # 2,000 messages


@requires_postgres
async def test_three_workers_deliver_two_thousand_messages_once_each(hub, settings, flow, receiver, register, tmp_path):
    codes = [f"PG_{i:03d}" for i in range(PROGRAMMES)]
    await register(receiver, codes=tuple(codes))
    case_ids = [await flow.case_in("REVIEWED") for _ in range(CASES)]
    actor = Actor(subject="back-office-pg", role=Role.BACK_OFFICE, scopes=DEFAULT_SCOPES[Role.BACK_OFFICE], area="3275")
    for case_id in case_ids:
        # ten at a time: the pool holds 20 connections, and a loaded machine must not make a
        # setup step wait out the pool timeout
        for start in range(0, len(codes), 10):
            results = await asyncio.gather(*(hub.referrals.create(actor, CreateReferral(case_id, c, "pg"))
                                             for c in codes[start:start + 10]))
            assert all(isinstance(r, Referral) for r in results)
    receiver.default = Reply(200, delay=0.002)
    # The crash test's 1 s POST timeout is for killing workers; here a POST slowed by a loaded
    # machine would time out and be sent again by design (at least once), which is not what this
    # test counts: it counts what the leases hand out, so neither a lease nor a POST may expire.
    env = {**_env(settings, tmp_path), "SLRT_DELIVERY_LEASE_SECONDS": "120", "SLRT_DELIVERY_CONCURRENCY": "16",
           "SLRT_DELIVERY_BATCH_SIZE": "16", "SLRT_DELIVERY_TIMEOUT_SECONDS": "60"}
    workers = [await asyncio.create_subprocess_exec(sys.executable, "-m", "hub.cli", "worker", env=env, cwd=ROOT,
                                                    stdout=asyncio.subprocess.DEVNULL,
                                                    stderr=asyncio.subprocess.DEVNULL) for _ in range(3)]
    delivered = select(func.count()).select_from(DeliveryMessage).where(DeliveryMessage.state == DeliveryState.DELIVERED)

    async def all_delivered() -> bool:
        async with hub.sessions() as s:
            return int(await s.scalar(delivered) or 0) == CASES * PROGRAMMES

    try:
        await wait_for(all_delivered, timeout=180)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        assert [await w.wait() for w in workers] == [0, 0, 0]  # graceful shutdown
    counts = Counter(receiver.ids())
    assert len(counts) == CASES * PROGRAMMES
    assert max(counts.values()) == 1  # no lease or POST expired, so no message went out twice
    async with hub.sessions() as s:
        per_worker = Counter((await s.scalars(select(DeliveryAttempt.worker))).all())
    assert len(per_worker) == 3 and sum(per_worker.values()) == CASES * PROGRAMMES
