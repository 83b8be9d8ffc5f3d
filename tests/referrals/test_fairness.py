"""A slow partner delays only itself (issue 11, item 9): an in-flight cap per endpoint, claims
taken across partners in turns.

The slow partner is a real aiohttp receiver that holds every request until the test
releases it (a system answering after many seconds); the fast one answers at once. The
assertions are on what the hub records and what the receivers saw — states, attempt rows,
requests held at once — never on how long anything took.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.container import Hub
from hub.db.base import utcnow
from hub.delivery import outbox
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.referrals.commands import CreateReferral
from hub.referrals.models import Referral
from tests.referrals.receiver import Receiver
from tests.referrals.scenario import wait_for

SLOW = tuple(f"SLOW_{i}" for i in range(8))
FAST = tuple(f"FAST_{i}" for i in range(8))
BACK_OFFICE = Actor(subject="back-office-fair", role=Role.BACK_OFFICE, scopes=DEFAULT_SCOPES[Role.BACK_OFFICE],
                    area="3275")
# Attempts must not time out while the slow receiver holds them: the test releases it.
HELD = {"delivery_timeout_seconds": 60.0, "delivery_lease_seconds": 120.0}


@pytest.fixture
async def slow() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    r.hold()
    yield r
    r.release()
    await r.stop()


async def _refer(hub: Hub, flow, codes: tuple[str, ...]) -> None:
    case_id = await flow.case_in("REVIEWED")
    for code in codes:
        assert isinstance(await hub.referrals.create(BACK_OFFICE, CreateReferral(case_id, code, "fairness")), Referral)


async def _states(hub: Hub, partner_id: str) -> Counter[str]:
    async with hub.sessions() as s:
        rows = await s.scalars(select(DeliveryMessage.state).where(DeliveryMessage.partner_id == partner_id))
        return Counter(state.value for state in rows)


def _all(hub: Hub, partner_id: str, state: DeliveryState, count: int):  # noqa: ANN202
    async def check() -> bool:
        return (await _states(hub, partner_id))[state.value] == count

    return check


async def _setup(hub, flow, register, slow: Receiver, fast: Receiver) -> tuple[str, str]:
    slow_partner = await register(slow, name="Dinas Lambat", codes=SLOW)
    fast_partner = await register(fast, name="Dinas Cepat", codes=FAST)
    await _refer(hub, flow, SLOW)  # the slow partner's backlog is older than every fast message
    await _refer(hub, flow, FAST)
    return slow_partner["partner"]["id"], fast_partner["partner"]["id"]


async def test_a_slow_partner_holds_only_its_cap_and_the_fast_partner_is_delivered_meanwhile(
        hub, flow, register, worker, slow, receiver):
    slow_id, fast_id = await _setup(hub, flow, register, slow, receiver)
    w = worker(delivery_concurrency=4, delivery_batch_size=4, delivery_endpoint_max_in_flight=2, **HELD)

    await wait_for(_all(hub, fast_id, DeliveryState.DELIVERED, len(FAST)))
    # Every fast message went out while the slow partner still answered none of its own:
    # it holds exactly its cap of attempts, the rest of its backlog waits its turn.
    assert await _states(hub, slow_id) == {"SENDING": 2, "QUEUED": len(SLOW) - 2}
    assert slow.in_flight == 2 and slow.received == []
    assert sorted(receiver.ids()) == sorted(m.id for m in await _messages(hub, fast_id))

    slow.release()
    await wait_for(_all(hub, slow_id, DeliveryState.DELIVERED, len(SLOW)))
    await w.stop()
    assert slow.max_in_flight == 2
    assert Counter(slow.ids()) == Counter({m.id: 1 for m in await _messages(hub, slow_id)})


async def test_the_cap_holds_across_workers(hub, flow, register, worker, slow, receiver):
    slow_id, fast_id = await _setup(hub, flow, register, slow, receiver)
    settings = {"delivery_concurrency": 4, "delivery_batch_size": 4, "delivery_endpoint_max_in_flight": 3, **HELD}
    first = worker(**settings)
    await wait_for(_all(hub, fast_id, DeliveryState.DELIVERED, len(FAST)))
    assert slow.in_flight == 3
    second = worker(**settings)
    # More fast messages until the second worker has sent one of them: that claim came after
    # the slow partner's older backlog in turn order, so it could have taken slow messages.
    sent = len(FAST)
    while second.worker.name not in await _senders(hub, fast_id):
        assert sent < 20 * len(FAST), "the second worker never claimed"
        await _refer(hub, flow, FAST)
        sent += len(FAST)
        await wait_for(_all(hub, fast_id, DeliveryState.DELIVERED, sent))
    # Together the two workers hold exactly the cap; the rest of the slow backlog waits.
    assert await _states(hub, slow_id) == {"SENDING": 3, "QUEUED": len(SLOW) - 3}
    assert slow.in_flight == 3

    slow.release()
    await wait_for(_all(hub, slow_id, DeliveryState.DELIVERED, len(SLOW)))
    await first.stop()
    await second.stop()
    assert slow.max_in_flight == 3
    assert sorted(slow.ids()) == sorted(m.id for m in await _messages(hub, slow_id))


async def _senders(hub: Hub, partner_id: str) -> set[str]:
    async with hub.sessions() as s:
        return set((await s.scalars(select(DeliveryAttempt.worker).join(DeliveryMessage)
                                    .where(DeliveryMessage.partner_id == partner_id))).all())


async def test_claims_racing_each_other_take_the_cap_together_not_each(hub, flow, register, slow):
    slow_partner = await register(slow, name="Dinas Lambat", codes=SLOW)
    await _refer(hub, flow, SLOW)
    # Sixteen claims at the same instant, each on its own connection (as many workers would):
    # together they take the cap, not each of them.
    claimed = await asyncio.gather(*(outbox.claim(hub.engine, 4, timedelta(seconds=60), utcnow(), 3)
                                     for _ in range(16)))
    assert sum(len(c) for c in claimed) == 3
    assert (await _states(hub, slow_partner["partner"]["id"]))["SENDING"] == 3


async def _messages(hub: Hub, partner_id: str) -> list[DeliveryMessage]:
    async with hub.sessions() as s:
        return list((await s.scalars(select(DeliveryMessage).where(DeliveryMessage.partner_id == partner_id))).all())
