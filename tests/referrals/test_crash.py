"""Crash safety: real processes killed with SIGKILL while 1,000 referrals are made and delivered.

Both the process creating referrals and the delivery worker die several times and are
restarted. In the end every referral has its outbox message, every message was delivered,
and a referral that arrived twice arrived under the same webhook-id each time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select

from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.referrals.models import Referral
from tests.referrals.receiver import Reply
from tests.referrals.scenario import wait_for

ROOT = Path(__file__).resolve().parents[2]
CASES = 10
PROGRAMMES = 100  # 10 cases × 100 programmes = 1,000 referrals


def _env(settings, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(tmp_path),
            "SLRT_PUBLIC_URL": "http://hub.test", "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
            "SLRT_DELIVERY_SCHEDULE": ",".join(["0"] + ["0.2"] * 30), "SLRT_DELIVERY_LEASE_SECONDS": "1.5",
            "SLRT_DELIVERY_POLL_SECONDS": "0.05", "SLRT_DELIVERY_TIMEOUT_SECONDS": "1", "PYTHONPATH": str(ROOT)}


async def _count(hub, stmt) -> int:
    async with hub.sessions() as s:
        return int(await s.scalar(stmt) or 0)


async def test_sigkilled_worker_and_referrer_lose_nothing(hub, settings, as_role, flow, receiver, register, tmp_path):
    codes = [f"CRASH_{i:03d}" for i in range(PROGRAMMES)]
    await register(receiver, codes=tuple(codes))
    case_ids = [await flow.case_in("REVIEWED") for _ in range(CASES)]
    (tmp_path / "cases.txt").write_text("\n".join(case_ids))
    receiver.default = Reply(200, delay=0.005)
    receiver.script = [Reply(503)] * 20  # some retries in the mix
    env = _env(settings, tmp_path)

    async def spawn(*args: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(sys.executable, *args, env=env, cwd=ROOT,
                                                    stdout=asyncio.subprocess.DEVNULL,
                                                    stderr=asyncio.subprocess.DEVNULL)

    def referrer() -> asyncio.Future:
        return spawn("-m", "tests.referrals.refer_many", str(tmp_path / "cases.txt"), *codes)

    def worker() -> asyncio.Future:
        return spawn("-m", "hub.cli", "worker")

    referrals = select(func.count()).select_from(Referral)
    delivered = select(func.count()).select_from(DeliveryMessage).where(DeliveryMessage.state == DeliveryState.DELIVERED)
    kills = {"referrer": 0, "worker": 0}
    maker, deliverer = await referrer(), await worker()
    try:
        # Kill the referrer twice mid-way, the worker three times, restarting each.
        for target in (150, 400):
            await wait_for(lambda: _at_least(hub, referrals, target), timeout=120)
            maker.send_signal(signal.SIGKILL)
            await maker.wait()
            kills["referrer"] += 1
            maker = await referrer()
        for target in (200, 450, 700):
            await wait_for(lambda: _at_least(hub, delivered, target), timeout=120)
            deliverer.send_signal(signal.SIGKILL)
            await deliverer.wait()
            kills["worker"] += 1
            deliverer = await worker()
        assert await asyncio.wait_for(maker.wait(), 120) == 0
        await wait_for(lambda: _at_least(hub, delivered, CASES * PROGRAMMES), timeout=180)
    finally:
        for proc in (maker, deliverer):
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                await proc.wait()

    assert kills == {"referrer": 2, "worker": 3}
    assert await _count(hub, referrals) == CASES * PROGRAMMES
    without_message = select(func.count()).select_from(Referral).where(
        ~select(DeliveryMessage.id).where(DeliveryMessage.referral_id == Referral.id).exists())
    assert await _count(hub, without_message) == 0
    async with hub.sessions() as s:
        message_of = dict((await s.execute(select(DeliveryMessage.id, DeliveryMessage.referral_id))).all())
    assert len(message_of) == CASES * PROGRAMMES
    ids_per_referral: dict[str, set[str]] = defaultdict(set)
    for got in receiver.received:
        assert got.verified_with == [0]
        ids_per_referral[got.body["data"]["referral"]["id"]].add(got.webhook_id)
        assert message_of[got.webhook_id] == got.body["data"]["referral"]["id"]
    assert set(ids_per_referral) == set(message_of.values())  # every referral arrived
    assert all(len(ids) == 1 for ids in ids_per_referral.values())  # duplicates share their webhook-id


async def _at_least(hub, stmt, n: int) -> bool:
    return await _count(hub, stmt) >= n
